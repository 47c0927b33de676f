"""Retrieval as the assistant uses it: one entry point shared by answers, search and evaluation."""

from __future__ import annotations

from vectorstore.filters import SearchFilters
from vectorstore.hybrid import HybridSearcher, SearchResult
from vectorstore.records import Hit


class Retriever:
    def __init__(self, searcher: HybridSearcher, mode: str = "hybrid") -> None:
        self.searcher = searcher
        self.mode = mode

    def retrieve(
        self,
        question: str,
        k: int = 10,
        filters: SearchFilters | None = None,
        mode: str | None = None,
    ) -> SearchResult:
        return self.searcher.search(question, k=k, filters=filters, mode=mode or self.mode)

    def with_case_decisions(
        self, hits: list[Hit], filters: SearchFilters | None, top: int = 3
    ) -> list[Hit]:
        """Hits plus the decisions recorded in the same cases, each case's newest first.

        A case moves from committee to committee; the question usually wants its latest
        decision, which need not be among the passages retrieval ranked highest.
        """
        cases = [h.metadata.case_number for h in hits[:top] if h.metadata.case_number]
        extra = self.searcher.same_case(cases, filters or SearchFilters())
        present = {h.chunk_id for h in hits}
        by_case: dict[str, list[Hit]] = {}
        for hit in sorted(extra, key=lambda h: -h.metadata.date_ordinal):
            if hit.chunk_id not in present:
                by_case.setdefault(hit.metadata.case_number, []).append(hit)
        out: list[Hit] = []
        for hit in hits:
            out.append(hit)
            out.extend(by_case.pop(hit.metadata.case_number, []))
        return out

    def index(self):
        """The current BM25 index (term weights, tokenizer and filter metadata)."""
        return self.searcher.lexical.current()
