"""What the index covers, said when nothing was found: the answer to "what can I ask?".

Counted only over what the caller may see, so a public session never learns of closed items.
"""

from __future__ import annotations

from collections import Counter

from danish.committees import display_committee
from danish.dates import danish_date
from vectorstore.snapshot import Snapshot

COVERAGE_COMMITTEES = 6


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
