"""Scoring the sentences of retrieved passages as answers to a question.

A sentence's score adds what it means (the cosine of its stored e5 vector to the question's),
which of the question's specific words it has (IDF-weighted coverage), the passage's rank and
title, and whether it has the shape the question asks for: an amount for "hvad kostede", a date
for "hvornår", a person or body for "hvem", a reason for "hvorfor", the decision for "hvad
besluttede". Without stored sentence vectors (a store built before them) meaning counts zero
and the lexical signals decide, as they did before.
"""

from __future__ import annotations

from dataclasses import dataclass

from danish import questions as qk
from danish.analyzer import inside_compound
from danish.decisions import is_decision
from danish.questions import QUESTION_STEMS
from vectorstore.records import Hit
from vectorstore.sentences import passage_sentences, sentence_key
from vectorstore.snapshot import Snapshot

SKIP_SECTIONS = {"sagsprocedure"}  # who treats the case: says nothing about the question
COMPOUND_WEIGHT = 0.7
# e5 cosines of related text run from about 0.75 (unrelated) to 0.95 (the same statement):
# meaning = (cosine - MEANING_FLOOR) / MEANING_SPAN puts a close answer near 1
MEANING_FLOOR = 0.78
MEANING_SPAN = 0.12
MEANING_WEIGHT = 1.0
LEXICAL_WEIGHT = 0.6
CONTEXT_WEIGHT = 0.25  # the question's words in the passage's title and section
RANK_WEIGHT = 0.3  # retrieval's rank of the passage: / rank
KIND_BONUS = 0.3  # the shape asked for: an amount, a date, a person, a reason
DECISION_BONUS = (0.3, 0.1)  # a decision, when the question asks for one / otherwise


@dataclass
class Candidate:
    hit: Hit
    rank: int
    sentence: str
    score: float
    section: str = ""
    coverage: float = 0.0  # share of the question's weighted terms in the sentence
    meaning: float | None = None  # cosine to the question, when the sentence has a vector
    label: str = ""  # the heading it stands under, when more specific than its section

    @property
    def is_decision(self) -> bool:
        return is_decision(self.section)


def question_terms(question: str, snapshot: Snapshot) -> dict[str, float]:
    terms = {t for t in snapshot.tokenize(question) if t not in QUESTION_STEMS}
    return {t: snapshot.idf(t) for t in terms}


def coverage(text: str, terms: dict[str, float], snapshot: Snapshot) -> float:
    """Share of the question's weighted terms in `text`. A term found only inside a compound
    counts for most of its weight: Danish writes "underskudsgaranti" where the question says
    "underskud", and "strømafbrydelser" where it says "strømmen"; and the other way round, a
    compound asked ("kontaktperson") whose first part is written ("Kontakt:")."""
    if not terms:
        return 0.0
    tokens = set(snapshot.tokenize(text))
    found = 0.0
    for term, weight in terms.items():
        if term in tokens:
            found += weight
        elif any(inside_compound(term, tok) for tok in tokens):
            found += COMPOUND_WEIGHT * weight
    return found / sum(terms.values())


def meaning_score(cosine: float | None) -> float:
    if cosine is None:
        return 0.0
    return (cosine - MEANING_FLOOR) / MEANING_SPAN


def candidates(
    question: str,
    hits: list[Hit],
    snapshot: Snapshot,
    topic: str = "",
    meanings: dict[str, float] | None = None,
    kind: str | None = None,
) -> list[Candidate]:
    """Every quotable sentence of the hits, best first.

    `topic` (the conversation-aware retrieval query) gives the words to look for; the kind of
    answer comes from the question itself. `meanings` maps sentence keys to their cosine with
    the question.
    """
    terms = question_terms(topic or question, snapshot)
    kind = kind or qk.kind_of(question)
    wants_decision = bool(qk.DECISION.search(question))
    meanings = meanings or {}
    out: list[Candidate] = []
    for rank, hit in ranked_hits(hits):
        context = coverage(f"{hit.metadata.title} {hit.metadata.section}", terms, snapshot)
        for section, sentence in passage_sentences(hit.text, hit.metadata.section):
            if section.lower() in SKIP_SECTIONS:
                continue
            if sentence == section and sentence in (hit.metadata.title, hit.metadata.item_title):
                continue  # the title as a heading: the lead-in names it already
            cover = coverage(sentence, terms, snapshot)
            cosine = meanings.get(sentence_key(sentence))
            score = (
                MEANING_WEIGHT * meaning_score(cosine)
                + LEXICAL_WEIGHT * cover
                + CONTEXT_WEIGHT * context
                + RANK_WEIGHT / rank
            )
            if qk.fits_kind(kind, sentence):
                score += KIND_BONUS
            if is_decision(section):
                score += DECISION_BONUS[0] if wants_decision else DECISION_BONUS[1]
            out.append(Candidate(hit, rank, sentence, score, section, cover, cosine))
    _demote_superseded_decisions(out)
    return sorted(out, key=lambda c: (-c.score, c.rank))


def ranked_hits(hits: list[Hit]) -> list[tuple[int, Hit]]:
    """(rank, hit): retrieval's rank; a passage brought along as context of a ranked one
    (`Hit.context_of`) shares that one's rank."""
    out: list[tuple[int, Hit]] = []
    ranks: dict[str, int] = {}
    for hit in hits:
        rank = ranks.get(hit.context_of) if hit.context_of else None
        if rank is None:
            rank = len(ranks) + 1
            ranks[hit.chunk_id] = rank
        out.append((rank, hit))
    return out


def _demote_superseded_decisions(candidates: list[Candidate]) -> None:
    """In a case treated by several committees, the latest decision is the decision; the
    earlier ones (recommendations on the way) yield to it."""
    latest: dict[str, int] = {}
    for c in candidates:
        if c.is_decision and c.hit.metadata.case_number:
            case = c.hit.metadata.case_number
            latest[case] = max(latest.get(case, 0), c.hit.metadata.date_ordinal)
    for c in candidates:
        case = c.hit.metadata.case_number
        if c.is_decision and case in latest and c.hit.metadata.date_ordinal < latest[case]:
            c.score -= 0.35
