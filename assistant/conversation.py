"""Follow-up questions: "Og hvad kostede det?" is read in the light of the conversation so far.

A conversation's topic is its last question that stood on its own, with the follow-ups since
and their answers. Only a question that needs the topic (`assistant.follow_up`) is read with
it: retrieval gets the topic's questions added, and passages from the case the topic's last
answer cited are preferred; the composer still picks sentences for the new question. A
question naming a topic of its own starts a new one, as it would in a new chat.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from assistant.follow_up import needs_context


@dataclass
class Turn:
    question: str
    answer_text: str = ""
    case_numbers: list[str] = field(default_factory=list)
    doc_ids: list[str] = field(default_factory=list)


# (question, answer text if the answer cited a case, else "") per turn
_TurnKey = tuple[tuple[str, str], ...]


def _key(history: list[Turn]) -> _TurnKey:
    return tuple((t.question, t.answer_text if t.case_numbers else "") for t in history)


@lru_cache(maxsize=256)
def _topic_start(turns: _TurnKey) -> int:
    """Index of the turn that opened the conversation's current topic."""
    start = 0
    for i in range(1, len(turns)):
        if not _needs(turns[i][0], turns[start:i]):
            start = i
    return start


@lru_cache(maxsize=256)
def _needs(question: str, topic: _TurnKey) -> bool:
    """One answer per question and topic, however many places ask."""
    return needs_context(question, " ".join(f"{q} {a}" for q, a in topic))


def _topic(history: list[Turn]) -> list[Turn]:
    key = _key(history)
    return history[_topic_start(key) :] if history else []


def is_follow_up(question: str, history: list[Turn]) -> bool:
    """Does the question lean on the conversation's topic (a pronoun for it, an ellipsis, no
    content words of its own) rather than name one of its own?"""
    if not history:
        return False
    key = _key(history)
    return _needs(question, key[_topic_start(key) :])


def retrieval_query(question: str, history: list[Turn]) -> str:
    """The question, led by the conversation's topic when it leans on earlier turns.

    The topic is the last question that stood on its own, plus the follow-ups since.
    """
    if not is_follow_up(question, history):
        return question
    return " ".join([*(t.question for t in _topic(history)), question])


def previous_cases(history: list[Turn]) -> list[str]:
    """Case numbers of the topic's most recent answer that cited any: after a new topic, the
    old topic's case is no longer "the case" a follow-up means."""
    for turn in reversed(_topic(history)):
        if turn.case_numbers:
            return turn.case_numbers
    return []
