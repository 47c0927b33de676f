"""Retrieval as the assistant uses it: one entry point shared by answers, search and evaluation."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from assistant.timewords import PERIOD, filters_from_question
from danish.decisions import DECISION
from vectorstore.filters import SearchFilters
from vectorstore.hybrid import HybridSearcher, SearchResult
from vectorstore.records import Hit
from vectorstore.sentences import passage_sentences, sentence_key
from vectorstore.snapshot import Snapshot

# Filters taken from a question are kept only while the passages they leave match the
# question's words at least this well, relative to an unfiltered search (best BM25 score).
# "i januar 2023" often dates the event, decided at a meeting in 2022: then the period filter
# leaves only weak matches and is dropped.
DERIVED_KEEP_RATIO = 0.5


@dataclass
class QuestionSearch:
    result: SearchResult
    filters: SearchFilters  # what was searched with
    derived: dict[str, str] = field(default_factory=dict)  # kind → label, filters kept
    dropped: list[str] = field(default_factory=list)  # labels of derived filters let go
    unfiltered: SearchResult | None = None  # the search without them, when one was made


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
        snapshot: Snapshot | None = None,
    ) -> SearchResult:
        return self.searcher.search(
            question, k=k, filters=filters, mode=mode or self.mode, snapshot=snapshot
        )

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
    ) -> QuestionSearch:
        """Search with the caller's filters plus those the question names ("i april 2022",
        "i Økonomiudvalget"), unless the named ones cost the question its matches.

        `query` is what to search for when it differs from the question (a follow-up carries
        the topic of earlier turns); `skip_derived` names kinds the user removed.
        """
        base = filters or SearchFilters()
        query = query or question
        snapshot = snapshot or self.snapshot()
        searched, derived = filters_from_question(
            question, base, snapshot.committees, today or date.today(), skip_derived
        )
        if not derived:
            return QuestionSearch(self.retrieve(query, k, base, mode, snapshot), base)
        plain = self.retrieve(query, k, base, mode, snapshot)
        strong = DERIVED_KEEP_RATIO * _strength(plain)
        narrowed = self.retrieve(query, k, searched, mode, snapshot)
        if _strength(narrowed) >= strong and narrowed.hits:
            return QuestionSearch(narrowed, searched, derived, unfiltered=plain)
        if PERIOD in derived and len(derived) > 1:
            # "takster for 2024" were set at a meeting in 2023: the period goes first, and
            # the body the question names ("byrådet") stays while it still finds the words
            searched, kept = filters_from_question(
                question, base, snapshot.committees, today or date.today(),
                [*skip_derived, PERIOD],
            )  # fmt: skip
            narrowed = self.retrieve(query, k, searched, mode, snapshot)
            if _strength(narrowed) >= strong and narrowed.hits:
                return QuestionSearch(narrowed, searched, kept, [derived[PERIOD]], plain)
        return QuestionSearch(plain, base, {}, list(derived.values()))

    def with_context(
        self,
        hits: list[Hit],
        filters: SearchFilters | None,
        top: int = 3,
        snapshot: Snapshot | None = None,
    ) -> list[Hit]:
        """The hits, each of the `top` ones followed by its context: its document's opening
        passages (an item's decision, summary and recommendation) and the decisions recorded
        in its case, newest first. Context is marked (`context_of`), not ranked: the question
        matched the passage, and the context says what became of it.

        A case moves from committee to committee; the question usually wants its latest
        decision, which need not be among the passages retrieval ranked highest.
        """
        filters = filters or SearchFilters()
        anchors = hits[:top]
        anchor_ids = {h.chunk_id for h in anchors}
        cases = [h.metadata.case_number for h in anchors if h.metadata.case_number]
        docs = [h.metadata.doc_id for h in anchors if h.metadata.doc_id]
        decided = self.searcher.same_case(cases, filters, snapshot=snapshot)
        opening = self.searcher.opening_passages(docs, filters, snapshot=snapshot)
        taken = {h.chunk_id for h in hits}
        out: list[Hit] = []
        for hit in hits:
            out.append(hit)
            if hit.chunk_id not in anchor_ids:
                continue
            own = sorted(
                (o for o in opening if o.metadata.doc_id == hit.metadata.doc_id),
                key=lambda h: h.metadata.chunk_index,
            )
            case = hit.metadata.case_number
            later = sorted(
                (d for d in decided if case and d.metadata.case_number == case),
                key=lambda h: -h.metadata.date_ordinal,
            )
            for extra in own + later:
                if extra.chunk_id not in taken:
                    taken.add(extra.chunk_id)
                    extra.context_of = hit.chunk_id
                    out.append(extra)
        return out

    def sentence_meanings(
        self, query: str, hits: list[Hit], snapshot: Snapshot | None = None
    ) -> dict[str, float]:
        """Sentence key → cosine with the query, for the hits' sentences that have stored
        vectors (from the snapshot; the query vector is the one retrieval computed)."""
        keys = [
            sentence_key(s) for h in hits for _, s in passage_sentences(h.text, h.metadata.section)
        ]
        vectors = (snapshot or self.snapshot()).sentence_vectors(keys)
        if not vectors:
            return {}
        q = self.searcher.query_vector(query)
        ids = list(vectors)
        cosines = np.stack([vectors[k] for k in ids]) @ q
        return dict(zip(ids, (float(c) for c in cosines), strict=True))

    def same_case(
        self,
        case_numbers: list[str],
        filters: SearchFilters,
        section: str = DECISION,
        snapshot: Snapshot | None = None,
    ) -> list[Hit]:
        return self.searcher.same_case(case_numbers, filters, section, snapshot)

    def snapshot(self) -> Snapshot:
        """The current index snapshot: take it once per question and pass it down."""
        return self.searcher.snapshots.current()


def _strength(result: SearchResult) -> float:
    """How well the best passages match the question's words (dense-only: their similarity)."""
    lexical = [h.lexical_score for h in result.hits if h.lexical_score is not None]
    if lexical:
        return max(lexical)
    return max((h.dense_score or 0.0 for h in result.hits), default=0.0)
