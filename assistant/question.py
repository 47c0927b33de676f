"""The first stage of an answer: the question parsed once, with what the conversation adds.

Everything later stages need to know about the question — its words as searched, its kind, whether
it leans on the conversation, the case and committee a follow-up means — is worked out here,
once per question, and passed on; no later stage parses the question or the history again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from assistant.conversation import Turn, is_follow_up, previous_cases, retrieval_query
from assistant.errors import EmptyQuestionError
from danish.committees import committee_mentioned
from danish.questions import QUESTION_STEMS, kind_of
from danish.spelling import respell
from vectorstore.hybrid import MAX_QUERY_CHARS
from vectorstore.snapshot import Snapshot


@dataclass(frozen=True)
class ParsedQuestion:
    text: str  # as asked, whitespace normalised, cut at what the embedder reads
    kind: str  # danish.questions.kind_of: who, why, outcome, cost, decision, …
    follow_up: bool  # leans on the conversation's topic (a pronoun, an ellipsis, no topic)
    query: str  # what retrieval searches: the text, led by the topic's questions for a follow-up
    cases: tuple[str, ...] = ()  # the case numbers a follow-up means (the topic's last answer)
    # the index's names of a committee a follow-up names ("Og hvad sagde Økonomiudvalget?")
    committees: tuple[str, ...] = ()


def parse_question(
    question: str,
    history: list[Turn],
    committees: list[str],
    known: Callable[[str], bool] | None = None,
) -> ParsedQuestion:
    """`committees`: the names the index holds (a follow-up's committee is matched to them);
    `known`: whether the index knows a word (a word it does not know, typed with "aa", "ae" or
    "oe" for å, æ or ø, is written in the Danish spelling it knows)."""
    text = " ".join((question or "").split())[:MAX_QUERY_CHARS]
    if not text:
        raise EmptyQuestionError()
    if known is not None:
        text = respell(text, known)
    follow_up = is_follow_up(text, history)
    cases = tuple(previous_cases(history)) if follow_up else ()
    named = tuple(committee_mentioned(text, committees)) if cases else ()
    return ParsedQuestion(
        text=text,
        kind=kind_of(text),
        follow_up=follow_up,
        query=retrieval_query(text, history),
        cases=cases,
        committees=named,
    )


def known_in(snapshot: Snapshot) -> Callable[[str], bool]:
    """Whether the index knows a word: a stop word, a question word, or every stem of it in
    some passage."""

    def known(word: str) -> bool:
        stems = snapshot.tokenize(word)
        return all(s in QUESTION_STEMS or snapshot.doc_freq(s) > 0 for s in stems)

    return known
