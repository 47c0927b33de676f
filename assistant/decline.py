"""When to say "I found nothing": does the best of what was found answer the question?

The rule reads the answer the composer made. Its main signal is meaning: the cosine between the
question and the best sentence of the top passages (sentence vectors stored at ingest), averaged
with the best passage's own cosine, plus a little for the question's specific words found in
the best passage (squared-IDF coverage). It does not need the question's every word in the
store: "Hvem holdt oplæg …" is answered from a note whose heading says "Oplæg fra …". An answer
without the kind of value asked for (no amount for "hvad kostede", no date for "hvornår"), or
far from a year the question names, is declined too: the topic exists, the detail does not.
The threshold grows slowly with the store's size and was read off calibration curves on three
stores (bench/decline_calibration.py). A store without sentence vectors keeps the lexical rule.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from assistant.answer import danish_date, display_committee
from assistant.question_kind import YEAR
from vectorstore.records import Hit
from vectorstore.snapshot import Snapshot

COVERAGE_COMMITTEES = 6


@dataclass
class DeclinePolicy:
    # decline when the mean of meaning (the best sentence's cosine) and the best passage's
    # cosine, plus coverage_weight * coverage, falls below the threshold (e5 cosines run high:
    # 0.84 is far, 0.92 close). The best of many unrelated passages is closer than the best of
    # few, so the threshold grows with the store: min_score + per_decade * log10(passages).
    min_score: float = 0.86
    per_decade: float = 0.005
    coverage_weight: float = 0.05
    require_value: bool = True  # decline when the value asked for is in no quoted sentence
    require_year: bool = True  # decline when a year the question names is nowhere in sight
    # the lexical rule, for stores without sentence vectors
    lexical_min_coverage: float = 0.15
    lexical_weak_coverage: float = 0.6
    lexical_min_dense: float = 0.87

    def score(self, seen: dict) -> float | None:
        if seen["meaning"] is None:
            return None
        meaning = seen["meaning"]
        if seen["dense"]:
            meaning = (meaning + seen["dense"]) / 2
        return meaning + self.coverage_weight * seen["coverage"]

    def threshold(self, passages: int) -> float:
        return self.min_score + self.per_decade * math.log10(max(passages, 1))

    def declines(self, seen: dict) -> bool:
        """The rule on the signals of one answer (see `signals`)."""
        if not seen["found"]:
            return True
        if self.require_value and not seen["has_value"]:
            return True
        if self.require_year and not seen["years_found"]:
            return True
        score = self.score(seen)
        if score is None:
            cover = seen["coverage"]
            if cover < self.lexical_min_coverage:
                return True
            return cover < self.lexical_weak_coverage and seen["dense"] < self.lexical_min_dense
        return score < self.threshold(seen["passages"])


def signals(hits: list[Hit], composed, question: str = "", passages: int = 1) -> dict:
    """What the decline rule reads, as plain values (the calibration records them)."""
    top = hits[:3]
    seen_years = {m.meeting_date[:4] for m in (h.metadata for h in top) if m.meeting_date}
    text = " ".join(h.text for h in top)
    years = set(YEAR.findall(question))
    return {
        "found": bool(hits and composed.citations),
        "meaning": composed.meaning,
        "coverage": composed.coverage,
        "has_value": composed.has_value,
        # "i 2019" where the passages found are of 2022 and never mention 2019
        "years_found": all(y in seen_years or y in text for y in years),
        "dense": max((h.dense_score or 0.0 for h in hits[:3]), default=0.0),
        "kind": composed.kind,
        "passages": passages,  # in the store: how close unrelated text gets by chance
    }


def coverage_note(index: Snapshot, access: str) -> str:
    """What the index covers, counting only what this caller may see."""
    if not len(index):
        return "Indekset er tomt. Tilføj dokumenter med `referent ingest MAPPE`."
    seen = index.summary(access)
    if not seen.n_passages:
        return "Der er ingen dokumenter, du har adgang til."
    n_docs = seen.n_documents
    count = f"{n_docs:,}".replace(",", ".")  # Danish: 2.705
    count += " dokument" if n_docs == 1 else " dokumenter"
    span = ""
    if seen.first and seen.last:
        first, last = seen.first.isoformat(), seen.last.isoformat()
        if first == last:
            span = f" dateret den {danish_date(first)}"
        else:
            span = f" fra {danish_date(first)} til {danish_date(last)}"
    # the committees with the most documents first: what the index is mostly about
    per_committee: Counter[str] = Counter()
    for committee, n in seen.documents_per_committee.items():
        per_committee[display_committee(committee).strip(" .,;:-")] += n
    names = [name for name, _ in per_committee.most_common(COVERAGE_COMMITTEES) if name]
    if not names:
        return f"Indekset dækker {count}{span}."
    listed = ", ".join(names[:-1]) + f" og {names[-1]}" if len(names) > 1 else names[0]
    end = " m.fl." if len(per_committee) > len(names) else "."
    return f"Indekset dækker {count}{span} fra {listed}{end}"
