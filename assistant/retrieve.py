"""Retrieval as the assistant uses it: one entry point shared by answers, search and evaluation."""

from __future__ import annotations

from vectorstore.filters import SearchFilters
from vectorstore.hybrid import HybridSearcher, SearchResult


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
