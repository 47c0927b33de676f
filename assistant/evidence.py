"""The stage between retrieval and choosing sentences: the passages an answer may quote.

Retrieval ranks passages for the question; the evidence adds what the answer needs beside them
and orders them for it: for a follow-up, the case just discussed first (and a committee it
names, that committee's treatment of the case leading); each top passage's context (its
document's decision and summary, its case's decisions); and the meaning of every sentence, the
cosine of its stored vector to the question. Lookups here go to the snapshot by case and
document; nothing is searched again.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant.protocols import QuestionRetriever
from assistant.question import ParsedQuestion
from danish.decisions import holds_decision
from vectorstore.filters import SearchFilters
from vectorstore.records import Hit
from vectorstore.snapshot import Snapshot


@dataclass
class Evidence:
    hits: list[Hit]  # ranked passages, each top one followed by its context
    meanings: dict[str, float] = field(default_factory=dict)  # sentence key → cosine


def gather(
    retriever: QuestionRetriever,
    question: ParsedQuestion,
    hits: list[Hit],
    filters: SearchFilters,
    base: SearchFilters,
    snapshot: Snapshot,
) -> Evidence:
    """`filters`: what retrieval searched with (its context obeys them); `base`: the caller's
    own filters (a follow-up's committee may lie outside a period the question named)."""
    if question.cases:
        hits = sorted(hits, key=lambda h: h.metadata.case_number not in question.cases)
    if question.committees:
        hits = _committee_first(retriever, question, hits, base, snapshot)
    hits = retriever.with_context(hits, filters, snapshot=snapshot)
    meanings = retriever.sentence_meanings(question.query, hits, snapshot) if hits else {}
    return Evidence(hits, meanings)


def _committee_first(
    retriever: QuestionRetriever,
    question: ParsedQuestion,
    hits: list[Hit],
    base: SearchFilters,
    snapshot: Snapshot,
) -> list[Hit]:
    """That committee's passages of the case just discussed first, its decision leading,
    whether or not retrieval ranked them high."""
    own = retriever.same_case(list(question.cases), base, section="", snapshot=snapshot)
    own = [h for h in own if h.metadata.committee in question.committees]
    own.sort(key=lambda h: (not holds_decision(h.metadata.section), -h.metadata.date_ordinal))
    ids = {h.chunk_id for h in own}
    return own + [h for h in hits if h.chunk_id not in ids]
