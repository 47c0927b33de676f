"""Hybrid search: dense and BM25 fused by reciprocal-rank fusion, filters inside both.

Both run on one index snapshot (`vectorstore.snapshot`): the caller may pass the snapshot it
holds for a whole answer, so every search of one answer sees the same generation of the store.

Passages whose text is identical (a case text copied from committee to committee, an agenda and
its minutes) collapse into one result, shown from its most recent meeting, listing the others.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from danish.decisions import DECISION
from vectorstore.collapse import collapse_duplicates
from vectorstore.errors import InvalidQueryError
from vectorstore.filters import SearchFilters
from vectorstore.protocols import Embedder
from vectorstore.records import Hit, StoredPassage
from vectorstore.rescore import by_best_sentence
from vectorstore.snapshot import Snapshot
from vectorstore.snapshots import SnapshotReader

MODES = ("hybrid", "dense", "bm25")
QUERY_CACHE = 64
MAX_QUERY_CHARS = 2000  # ~512 tokens: what the embedder reads; the rest adds cost, not meaning


@dataclass
class SearchResult:
    hits: list[Hit]
    empty_reason: str = ""  # why there are no hits, when a filter excluded everything
    truncated: bool = False
    timings_ms: dict[str, float] = field(default_factory=dict)


class HybridSearcher:
    def __init__(
        self,
        embedder: Embedder,
        snapshots: SnapshotReader,
        candidates: int = 50,
        rrf_k: int = 60,
        dense_weight: float = 1.0,
        lexical_weight: float = 1.0,
        sentence_weight: float = 1.0,
        rescore: int = 10,
    ) -> None:
        self.embedder = embedder  # query vectors; passages come from the snapshots
        self.snapshots = snapshots
        self.candidates = candidates
        self.rrf_k = rrf_k
        self.dense_weight = dense_weight
        self.lexical_weight = lexical_weight
        self.sentence_weight = sentence_weight  # the second stage; 0 switches it off
        self.rescore = rescore  # how many of the first stage's best it rescores
        self._vectors: dict[str, np.ndarray] = {}  # recent query vectors, oldest first

    def search(
        self,
        query: str,
        k: int = 10,
        filters: SearchFilters | None = None,
        mode: str = "hybrid",
        snapshot: Snapshot | None = None,
    ) -> SearchResult:
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}")
        query = " ".join((query or "").split())
        if not query:
            raise InvalidQueryError("The question is empty.")
        truncated = len(query) > MAX_QUERY_CHARS
        query = query[:MAX_QUERY_CHARS]
        filters = filters or SearchFilters()
        timings: dict[str, float] = {}

        t0 = time.perf_counter()
        index = snapshot or self.snapshots.current()
        resolved = index.resolve(filters)
        timings["filters"] = (time.perf_counter() - t0) * 1000
        if resolved.empty_reason:
            return SearchResult([], resolved.empty_reason, truncated, timings)
        n = max(self.candidates, k * 3)

        dense: list[tuple[StoredPassage, float]] = []
        lexical: list[tuple[str, float]] = []
        if mode in ("hybrid", "dense"):
            t1 = time.perf_counter()
            vector = self.query_vector(query)
            timings["embed"] = (time.perf_counter() - t1) * 1000
            t2 = time.perf_counter()
            ranked = index.dense_search(vector, n, resolved.keep)
            found = {p.chunk_id: p for p in index.get([cid for cid, _ in ranked])}
            dense = [(found[cid], score) for cid, score in ranked if cid in found]
            timings["dense"] = (time.perf_counter() - t2) * 1000
        if mode in ("hybrid", "bm25"):
            t3 = time.perf_counter()
            lexical = index.bm25_search(query, n, resolved.keep)
            timings["bm25"] = (time.perf_counter() - t3) * 1000

        t4 = time.perf_counter()
        hits = self._fuse(dense, lexical, index)
        second = mode == "hybrid" and self.sentence_weight > 0
        # the second stage reorders a fixed number of the first stage's best, so the order
        # does not depend on how many results the caller asked for
        hits = collapse_duplicates(hits, max(k, self.rescore) if second else k)
        timings["fuse"] = (time.perf_counter() - t4) * 1000
        if second:
            t5 = time.perf_counter()
            top = by_best_sentence(hits[: self.rescore], vector, index, self.sentence_weight)
            hits = top + hits[self.rescore :]
            timings["sentences"] = (time.perf_counter() - t5) * 1000
        return SearchResult(hits[:k], "", truncated, timings)

    def query_vector(self, query: str) -> np.ndarray:
        """Embedded once per distinct query: the assistant may search one question twice
        (with and without the filters it names), scores sentences with it, and the app
        reruns the last question."""
        query = " ".join((query or "").split())[:MAX_QUERY_CHARS]
        vector = self._vectors.pop(query, None)
        if vector is None:
            vector = self.embedder.embed_query_array(query)
        self._vectors[query] = vector
        while len(self._vectors) > QUERY_CACHE:
            self._vectors.pop(next(iter(self._vectors)))
        return vector

    def clear_query_cache(self) -> None:
        """For timing: the next search of any query embeds it again."""
        self._vectors.clear()

    def same_case(
        self,
        case_numbers: list[str],
        filters: SearchFilters,
        section: str = DECISION,
        snapshot: Snapshot | None = None,
    ) -> list[Hit]:
        """Passages of one section (decisions) in these cases, under the caller's filters."""
        cases = sorted({c for c in case_numbers if c})
        if not cases:
            return []
        index = snapshot or self.snapshots.current()
        resolved = index.resolve(filters)
        if resolved.empty_reason:
            return []
        # a decision may share its passage with the recommendation it decides on
        sections = [s for s in index.values("section") if section in s]
        rows = resolved.keep & index.isin("case_number", cases) & index.isin("section", sections)
        return _hits(index, index.select(rows))

    def opening_passages(
        self, doc_ids: list[str], filters: SearchFilters, snapshot: Snapshot | None = None
    ) -> list[Hit]:
        """The first passages of these documents, under the caller's filters: for an agenda
        item its decision, summary and recommendation, for a memo its letterhead and opening."""
        docs = sorted({d for d in doc_ids if d})
        if not docs:
            return []
        index = snapshot or self.snapshots.current()
        resolved = index.resolve(filters)
        if resolved.empty_reason:
            return []
        rows = resolved.keep & index.isin("doc_id", docs) & (index.ints("chunk_index") <= 1)
        return _hits(index, index.select(rows))

    def _fuse(
        self,
        dense: list[tuple[StoredPassage, float]],
        lexical: list[tuple[str, float]],
        index: Snapshot,
    ) -> list[Hit]:
        hits: dict[str, Hit] = {}
        for rank, (passage, similarity) in enumerate(dense, start=1):
            hits[passage.chunk_id] = Hit(
                passage.chunk_id,
                passage.text,
                passage.metadata,
                0.0,
                dense_rank=rank,
                dense_score=similarity,
            )
        missing = [cid for cid, _ in lexical if cid not in hits]
        for passage in index.get(missing):
            hits[passage.chunk_id] = Hit(passage.chunk_id, passage.text, passage.metadata, 0.0)
        for rank, (cid, score) in enumerate(lexical, start=1):
            if cid in hits:
                hits[cid].lexical_rank = rank
                hits[cid].lexical_score = score
        for hit in hits.values():
            hit.score = sum(
                weight / (self.rrf_k + rank)
                for rank, weight in (
                    (hit.dense_rank, self.dense_weight),
                    (hit.lexical_rank, self.lexical_weight),
                )
                if rank is not None
            )
        return sorted(hits.values(), key=lambda h: (-h.score, h.chunk_id))


def _hits(index: Snapshot, chunk_ids: list[str]) -> list[Hit]:
    return [Hit(p.chunk_id, p.text, p.metadata, 0.0) for p in index.get(chunk_ids)]
