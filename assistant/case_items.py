"""Agenda items as a case's history and the news list show them: one `Treatment` per meeting
and item, read from an index snapshot's passages (never from the store of record).

Shared by `assistant.cases` (one case through the committees) and `assistant.news` (the
decisions of recent meetings), so both quote a decision and name its outcome the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np

from assistant.case_text import decision_text, recommendation_text
from danish.committees import display_committee
from danish.decisions import decision_outcome, is_decision, is_recommendation
from vectorstore.records import StoredPassage
from vectorstore.snapshot import Snapshot

COUNCILS = ("Byrådet", "Kommunalbestyrelsen", "Regionsrådet", "Borgerrepræsentationen")


@dataclass
class Treatment:
    """One meeting's treatment of an agenda item: who, when, what was recommended and decided."""

    committee: str  # as a sentence names it ("Byrådet", not "Byråd 2022-2025")
    meeting_date: str  # ISO date, "" when unknown
    item_number: str
    title: str
    outcome: str  # `danish.decisions.decision_outcome` of the decision; "" without one
    decision: str  # the decision quoted, or ""
    recommendation: str  # the recommendation quoted, or ""
    source: str
    chunk_id: str  # the decision's passage, else the item's first
    url: str = ""  # the municipality's page for the source, when one is known
    case_number: str = ""
    date_ordinal: int = 0
    doc_id: str = ""

    def to_dict(self) -> dict[str, Any]:
        """The shape `referent case --json` gives (issue 22)."""
        return {
            "committee": self.committee,
            "meeting_date": self.meeting_date,
            "item_number": self.item_number,
            "title": self.title,
            "outcome": self.outcome,
            "decision": self.decision,
            "recommendation": self.recommendation,
            "source": self.source,
            "chunk_id": self.chunk_id,
            "url": self.url,
        }

    @property
    def day(self) -> date | None:
        return date.fromordinal(self.date_ordinal) if self.date_ordinal > 0 else None

    @property
    def is_council(self) -> bool:
        return self.committee in COUNCILS


@dataclass
class _Item:
    first: StoredPassage
    decision: StoredPassage | None = None
    decision_text: str = ""
    recommendation: str = ""
    parts: list[StoredPassage] = field(default_factory=list)


def section_rows(snapshot: Snapshot, wanted) -> np.ndarray:
    """Rows whose section path has a part `wanted` accepts ("Beslutning / Sagsprocedure")."""
    sections = [s for s in snapshot.values("section") if any(wanted(p) for p in s.split(" / "))]
    return snapshot.isin("section", sections)


def key_rows(snapshot: Snapshot, keep: np.ndarray, keyed: np.ndarray | None = None) -> list[int]:
    """Among allowed rows, those an item's treatment is read from: its decision and
    recommendation passages (`keyed`, made once per snapshot by a caller that can) and each
    document's first allowed passage."""
    if keyed is None:
        keyed = section_rows(snapshot, is_decision) | section_rows(snapshot, is_recommendation)
    wanted = keep & keyed
    rows = np.flatnonzero(keep)
    if rows.size:
        docs = np.asarray(snapshot.codes("doc_id"))[rows]
        order = np.lexsort((np.asarray(snapshot.ints("chunk_index"))[rows], docs))
        _, first = np.unique(docs[order], return_index=True)
        wanted[rows[order[first]]] = True
    return [int(r) for r in np.flatnonzero(wanted)]


def treatments(snapshot: Snapshot, rows: list[int], need_decision: bool = False) -> list[Treatment]:
    """One treatment per meeting and item among these passages, in date order. An agenda and
    its minutes of one meeting (or copies of one file) count once: the first decision and
    recommendation found are quoted, and a passage is read for them only while one is missing."""
    items: dict[tuple[str, int, str, str], _Item] = {}
    for passage in (snapshot.passage(r) for r in rows):
        m = passage.metadata
        key = (m.committee, m.date_ordinal, m.item_number, m.case_number or m.item_title or m.title)
        item = items.get(key)
        if item is None:
            item = items[key] = _Item(first=passage)
        elif m.chunk_index < item.first.metadata.chunk_index:
            item.first = passage
        parts = m.section.split(" / ")
        wants_decision = not item.decision_text and any(map(is_decision, parts))
        if wants_decision and (quoted := decision_text(passage.text, m.section)):
            item.decision, item.decision_text = passage, quoted
        if not item.recommendation and any(map(is_recommendation, parts)):
            item.recommendation = recommendation_text(passage.text, m.section)
    made = [_treatment(i) for i in items.values() if i.decision_text or not need_decision]
    return sorted(made, key=treatment_order)


def treatment_order(t: Treatment) -> tuple:
    """Date order; on one day the committees before the council, then by item number."""
    number = int(t.item_number) if t.item_number.isdigit() else 10**6
    return (t.date_ordinal or 10**7, t.is_council, t.committee, number, t.item_number)


def _treatment(item: _Item) -> Treatment:
    shown = item.decision or item.first
    m = shown.metadata
    return Treatment(
        committee=display_committee(m.committee),
        meeting_date=m.meeting_date,
        item_number=m.item_number,
        title=m.item_title or m.title,
        outcome=decision_outcome(item.decision_text) if item.decision_text else "",
        decision=item.decision_text,
        recommendation=item.recommendation,
        source=m.source,
        chunk_id=shown.chunk_id,
        url=getattr(m, "url", "") or "",
        case_number=m.case_number,
        date_ordinal=m.date_ordinal,
        doc_id=m.doc_id,
    )
