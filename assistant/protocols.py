"""The seams of the assistant, as Protocols: the retriever and the composers it is built from.

`Retriever`, `ExtractiveComposer` and `LLMComposer` implement them; `ui.factory` is the one
place that chooses the implementations.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from datetime import date
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from danish.decisions import DECISION
from vectorstore.filters import SearchFilters
from vectorstore.hybrid import SearchResult
from vectorstore.records import Hit
from vectorstore.snapshot import Snapshot

if TYPE_CHECKING:
    from assistant.answer import Answer
    from assistant.choose import Choice
    from assistant.compose_extractive import Composed
    from assistant.retrieve import QuestionSearch


@runtime_checkable
class QuestionRetriever(Protocol):
    """Search as the assistant needs it, every call on the snapshot the caller holds."""

    def snapshot(self) -> Snapshot: ...

    def retrieve(
        self,
        question: str,
        k: int = 10,
        filters: SearchFilters | None = None,
        mode: str | None = None,
        snapshot: Snapshot | None = None,
    ) -> SearchResult: ...

    def for_question(
        self,
        question: str,
        k: int = 10,
        filters: SearchFilters | None = None,
        mode: str | None = None,
        query: str | None = None,
        today: date | None = None,
        skip_derived: Collection[str] = (),
        snapshot: Snapshot | None = None,
    ) -> QuestionSearch: ...

    def with_context(
        self,
        hits: list[Hit],
        filters: SearchFilters | None,
        top: int = 3,
        snapshot: Snapshot | None = None,
    ) -> list[Hit]: ...

    def same_case(
        self,
        case_numbers: list[str],
        filters: SearchFilters,
        section: str = DECISION,
        snapshot: Snapshot | None = None,
    ) -> list[Hit]: ...

    def sentence_meanings(
        self, query: str, hits: list[Hit], snapshot: Snapshot | None = None
    ) -> dict[str, float]: ...


@runtime_checkable
class Composer(Protocol):
    """Writes the extractive answer of a choice of sentences at a decided confidence."""

    def compose(self, choice: Choice, confidence: str = "answered") -> Composed: ...


@runtime_checkable
class AnswerStreamer(Protocol):
    """Rewrites an extractive answer with a language model, streaming its text, then the
    checked `Answer` (falling back to the extractive one)."""

    def stream(self, extractive: Answer, hits: list[Hit]) -> Iterator[str | Answer]: ...
