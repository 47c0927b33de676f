"""How sure an answer may be: answered, uncertain or not found.

One threshold cannot carry all of trust (the dev set's best single threshold declined under half
of the unanswerable questions at an acceptable cost), so trust is split in three, as selective
question answering does: a direct answer is asserted only when the evidence is close to the
question (`answered`); below that, nothing is asserted and the nearest evidence is shown, said
plainly (`uncertain`); only when even that is far is "nothing found" said (`not_found`).

The signals are meanings: the cosine between the question and the best sentence of the top
passages (sentence vectors stored at ingest) says whether a sentence says it, the answer's
threshold; averaged with the best passage's own cosine, plus a little for the question's
specific words found in the best passage (squared-IDF coverage), it says whether anything near
was found at all, the not-found threshold. An answer is asserted only when a direct answer of
the kind asked for was found (a person for "hvem", an amount for "hvad kostede") and a year the
question names is in sight. Both thresholds grow slowly with the store's size (the best of
many unrelated passages is closer than the best of few) and were read off risk–coverage curves
on the dev set (`bench/decline_calibration.py`). A store without sentence vectors keeps a
lexical rule.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

from assistant.answer import ANSWERED, CONFIDENCE, NOT_FOUND, UNCERTAIN
from assistant.choose import Choice
from assistant.sentence_choice import coverage, question_terms, ranked_hits
from danish import questions as qk
from vectorstore.records import Hit
from vectorstore.snapshot import Snapshot

TOP_PASSAGES = 3  # the passages whose sentences tell how well the question is answered


@dataclass(frozen=True)
class Signals:
    """What the confidence rule reads of one answer attempt."""

    found: bool  # any passage and sentence at all
    meaning: float | None  # best cosine of a sentence of the top passages (None: no vectors)
    dense: float  # best cosine of a top passage
    coverage: float  # share of the question's squared-IDF weight in the best top passage
    direct: bool  # a direct answer of the kind asked for was found
    direct_meaning: float | None  # its cosine to the question
    direct_decision: bool  # it is the case's decision (a "Godkendt." says little in words)
    has_value: bool  # the amount/number/date asked for is in a chosen sentence
    years_found: bool  # every year the question names is in sight of the top passages
    kind: str
    passages: int  # in the store

    def to_dict(self) -> dict:
        return asdict(self)


def measure(
    choice: Choice, hits: list[Hit], question: str, snapshot: Snapshot, topic: str = ""
) -> Signals:
    top = _first_stage_top(hits)
    # squared IDF: whether the passage has the question's rarest, most specific words
    terms = {t: w * w for t, w in question_terms(topic or question, snapshot).items()}
    # what a passage is (its title, section and committee) counts as well as what it says
    described = [f"{h.metadata.title} {h.metadata.section} {h.metadata.committee} {h.text}"
                 for h in top]  # fmt: skip
    best_coverage = max((coverage(text, terms, snapshot) for text in described), default=0.0)
    top_ids = {h.chunk_id for h in top}
    cosines = [
        c.meaning for c in choice.ranked if c.meaning is not None and c.hit.chunk_id in top_ids
    ]
    seen_years = {h.metadata.meeting_date[:4] for h in top if h.metadata.meeting_date}
    text = " ".join(h.text for h in top)
    direct = choice.direct[0] if choice.direct else None
    return Signals(
        found=bool(hits and choice.ranked),
        meaning=max(cosines) if cosines else None,
        dense=max((h.dense_score or 0.0 for h in top), default=0.0),
        coverage=best_coverage,
        direct=direct is not None,
        direct_meaning=direct.meaning if direct is not None else None,
        direct_decision=direct is not None and direct.is_decision,
        has_value=_has_value(choice),
        years_found=all(y in seen_years or y in text for y in qk.YEAR.findall(question)),
        kind=choice.kind,
        passages=len(snapshot),
    )


def _first_stage_top(hits: list[Hit]) -> list[Hit]:
    """The passages the first stage ranked best, and what came with them as their context.

    Not the final order: the second stage moves up passages with a sentence close to the
    question, and for a question the documents do not answer the closest sentence of ten
    passages is closer than that of three. A sentence that says it in a passage that matches
    as a whole is the evidence of an answer."""
    ranked = [(rank, h) for rank, h in ranked_hits(hits) if not h.context_of]
    order = sorted(ranked, key=lambda p: (p[1].first_rank or p[0], p[0]))
    ids = {h.chunk_id for _, h in order[:TOP_PASSAGES]}
    return [h for h in hits if h.chunk_id in ids or h.context_of in ids]


def _has_value(choice: Choice) -> bool:
    """Whether the answer holds the value its kind asks for. A decision's lead-in dates it:
    "hvornår blev … vedtaget" is answered by the meeting that decided it."""
    expected = qk.expected_value(choice.kind)
    if expected is None:
        return True
    chosen = choice.direct + choice.evidence
    if choice.kind == "date" and any(c.is_decision and c.hit.metadata.meeting_date for c in chosen):
        return True
    return any(expected.search(c.sentence) for c in chosen)


@dataclass
class ConfidencePolicy:
    # Two questions, two scores (e5 cosines run high: 0.84 is far, 0.92 close); a threshold
    # is t + per_decade * log10(passages in the store):
    # - answered: does a sentence say it? The best sentence's cosine to the question (for a
    #   case's decision, or its passage's), plus answer_coverage_weight * coverage, reaches
    #   answer_min, and a direct answer of the kind asked for was found.
    # - not found: is anything near at all? The mean of the best sentence's and the best
    #   passage's cosine, plus coverage_weight * coverage, falls below found_min.
    # Each point is one grid step on the safe side of where the dev set's risk–coverage curves
    # cross the targets on both stores (bench/decline_calibration.py).
    answer_min: float = 0.8900
    found_min: float = 0.8650
    per_decade: float = 0.005
    coverage_weight: float = 0.05
    answer_coverage_weight: float = 0.03
    # the lexical rule, for stores without sentence vectors
    lexical_min_coverage: float = 0.15
    lexical_answer_coverage: float = 0.6
    lexical_min_dense: float = 0.87

    def score(self, s: Signals) -> float | None:
        """How near the best of what was found is (for not found)."""
        if s.meaning is None:
            return None
        meaning = (s.meaning + s.dense) / 2 if s.dense else s.meaning
        return meaning + self.coverage_weight * s.coverage

    def answer_score(self, s: Signals) -> float | None:
        """How near the best sentence is (for answered): a sentence must say it. A case's
        decision says little in words ("Godkendt."): its passage may speak for it."""
        if s.meaning is None:
            return None
        near = max(s.meaning, s.dense) if s.direct_decision else s.meaning
        return near + self.answer_coverage_weight * s.coverage

    def threshold(self, base: float, passages: int) -> float:
        return base + self.per_decade * math.log10(max(passages, 1))

    def tier(self, s: Signals) -> str:
        """answered, uncertain or not_found for one answer attempt."""
        if not s.found:
            return NOT_FOUND
        assertable = s.direct and s.has_value and s.years_found
        score = self.score(s)
        if score is None:
            if s.coverage < self.lexical_min_coverage:
                return NOT_FOUND
            close = s.coverage >= self.lexical_answer_coverage or s.dense >= self.lexical_min_dense
            return ANSWERED if assertable and close else UNCERTAIN
        if score < self.threshold(self.found_min, s.passages):
            return NOT_FOUND
        if assertable and self.answer_score(s) >= self.threshold(self.answer_min, s.passages):
            return ANSWERED
        return UNCERTAIN


RANK = {tier: i for i, tier in enumerate(CONFIDENCE)}  # lower is surer
