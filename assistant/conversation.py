"""Follow-up questions: "Og hvad kostede det?" is read in the light of the conversation so far.

Retrieval gets the previous question's content words added, and passages from the case the last
answer cited are preferred; the composer still picks sentences for the new question.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_FOLLOW_UP_START = re.compile(
    r"^\s*(og|men|så|hvad med|hvornår|hvor meget|hvem|hvorfor|hvordan|blev|er|var)\b",
    re.IGNORECASE,
)
_REFERS_BACK = re.compile(
    r"\b(det|den|dem|de|denne|dette|sagen|beslutningen|forslaget|projektet|ordningen|"
    r"tiltaget|planen|aftalen|han|hun)\b",
    re.IGNORECASE,
)


@dataclass
class Turn:
    question: str
    answer_text: str = ""
    case_numbers: list[str] = field(default_factory=list)
    doc_ids: list[str] = field(default_factory=list)


def is_follow_up(question: str, history: list[Turn]) -> bool:
    if not history:
        return False
    words = question.split()
    return len(words) <= 8 and bool(
        _FOLLOW_UP_START.search(question) or _REFERS_BACK.search(question)
    )


def retrieval_query(question: str, history: list[Turn]) -> str:
    """The question, led by the conversation's topic when it leans on earlier turns.

    The topic is the last question that stood on its own, plus the follow-ups since.
    """
    if not is_follow_up(question, history):
        return question
    parts = [question]
    for i in range(len(history) - 1, -1, -1):
        parts.insert(0, history[i].question)
        if not is_follow_up(history[i].question, history[:i]):
            break
    return " ".join(parts)


def previous_cases(history: list[Turn]) -> list[str]:
    """Case numbers of the most recent answer that cited any."""
    for turn in reversed(history):
        if turn.case_numbers:
            return turn.case_numbers
    return []
