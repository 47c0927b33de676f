"""A case step or a news decision as a briefing citation: the passage it quotes, from the
snapshot, with the quoted decision (or recommendation) as the citation's quote."""

from __future__ import annotations

from assistant.answer import Citation
from assistant.case_items import Treatment
from vectorstore.records import Hit
from vectorstore.snapshot import Snapshot


def citation_of(snapshot: Snapshot, step: Treatment) -> Citation | None:
    """None when the passage is not in the snapshot any more (a newer generation)."""
    found = snapshot.get([step.chunk_id])
    if not found:
        return None
    p = found[0]
    quote = step.decision or step.recommendation or p.text.split("\n")[0]
    hit = Hit(p.chunk_id, p.text, p.metadata, 0.0)
    return Citation.from_hit(0, hit, quote)
