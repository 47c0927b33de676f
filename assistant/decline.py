"""When to say "I found nothing": thresholds on how well the best passage matches.

The thresholds come from the development question set (bench/decline_calibration.py): how
much of the question the best passages cover, with terms weighted by squared IDF so that the
question's most specific words count most, and the dense similarity of the best passage. Very
low coverage, or low coverage with a distant best passage, means the index has nothing on it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

import numpy as np

from assistant.answer import danish_date, display_committee
from vectorstore.filters import allowed_access
from vectorstore.lexical import LexicalIndex
from vectorstore.records import Hit

COVERAGE_COMMITTEES = 6


@dataclass
class DeclinePolicy:
    min_coverage: float = 0.15  # below this share of the question's weighted terms: decline
    weak_coverage: float = 0.6  # below this, decline unless the best passage is close in meaning
    min_dense: float = 0.87  # cosine similarity of the best passage (e5 scores run high)

    def should_decline(self, hits: list[Hit], composed) -> bool:
        best_coverage = composed.coverage
        if not hits or best_coverage < self.min_coverage:
            return True
        dense = max((h.dense_score or 0.0) for h in hits[:3])
        return best_coverage < self.weak_coverage and dense < self.min_dense


def coverage_note(index: LexicalIndex, access: str) -> str:
    """What the index covers, counting only what this caller may see."""
    meta = index.meta
    if not len(index):
        return "Indekset er tomt. Tilføj dokumenter med `referent ingest MAPPE`."
    mask = np.isin(meta["access"], allowed_access(access))
    if not mask.any():
        return "Der er ingen dokumenter, du har adgang til."
    n_docs = len(set(meta["doc_id"][mask]))
    count = f"{n_docs:,}".replace(",", ".")  # Danish: 2.705
    count += " dokument" if n_docs == 1 else " dokumenter"
    ordinals = meta["date_ordinal"][mask]
    ordinals = ordinals[ordinals > 0]
    span = ""
    if ordinals.size:
        first = date.fromordinal(int(ordinals.min())).isoformat()
        last = date.fromordinal(int(ordinals.max())).isoformat()
        if first == last:
            span = f" dateret den {danish_date(first)}"
        else:
            span = f" fra {danish_date(first)} til {danish_date(last)}"
    # the committees with the most documents first: what the index is mostly about
    pairs = set(zip(meta["committee"][mask], meta["doc_id"][mask], strict=True))
    per_committee = Counter(display_committee(str(c)).strip(" .,;:-") for c, _ in pairs if c)
    names = [name for name, _ in per_committee.most_common(COVERAGE_COMMITTEES) if name]
    if not names:
        return f"Indekset dækker {count}{span}."
    listed = ", ".join(names[:-1]) + f" og {names[-1]}" if len(names) > 1 else names[0]
    end = " m.fl." if len(per_committee) > len(names) else "."
    return f"Indekset dækker {count}{span} fra {listed}{end}"
