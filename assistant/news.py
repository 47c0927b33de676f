"""What is new ("Nyt siden …"): per meeting after a date, newest first, the decisions taken.

Read from the index snapshot the caller holds, under the caller's access: the meetings, their
dates and the default date are all taken from the passages the caller may see, so a meeting
that held only closed items does not exist for a public caller.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np

from assistant.case_items import Treatment, section_rows, treatment_order, treatments
from danish.committees import display_committee, match_committees
from danish.decisions import is_decision
from danish.doc_types import MEETING_TYPES
from vectorstore.snapshot import Snapshot


@dataclass
class MeetingNews:
    """One meeting and the decisions its documents record (none for an agenda)."""

    committee: str  # as a sentence names it
    meeting_date: str  # ISO
    decisions: list[Treatment] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "committee": self.committee,
            "meeting_date": self.meeting_date,
            "decisions": [{"case_number": d.case_number, **d.to_dict()} for d in self.decisions],
        }


def committee_rows(snapshot: Snapshot, committee: str | None) -> np.ndarray | None:
    """Rows of the committees a user's words name; None for all, an empty mask for none."""
    if not committee:
        return None
    known = [c for c in snapshot.values("committee") if c]
    return snapshot.isin("committee", match_committees(committee, known))


def default_since(
    snapshot: Snapshot, committee: str | None = None, access: str = "public"
) -> date | None:
    """The date of the latest meeting but one the caller may see (None with only one date),
    so the default news are those of the latest meeting day."""
    keep = _visible(snapshot, committee, access)
    days = np.unique(np.asarray(snapshot.ints("date_ordinal"))[keep])
    days = days[days > 0]
    return date.fromordinal(int(days[-2])) if days.size >= 2 else None


def news_since(
    snapshot: Snapshot,
    since: date | None = None,
    committee: str | None = None,
    access: str = "public",
) -> list[MeetingNews]:
    """The meetings after `since` (default: `default_since`), newest first, each with the
    decisions its documents record; `committee` is matched loosely ("byrådet")."""
    if since is None:
        since = default_since(snapshot, committee, access)
    keep = _visible(snapshot, committee, access)
    ordinals = np.asarray(snapshot.ints("date_ordinal"))
    keep &= ordinals > (since.toordinal() if since else 0)
    if not keep.any():
        return []
    rows = np.flatnonzero(keep)
    meetings: dict[tuple[str, int], MeetingNews] = {}
    for name, ordinal in sorted(
        set(zip(snapshot.column("committee", rows), ordinals[rows].tolist(), strict=True)),
        key=lambda m: (-m[1], m[0]),
    ):
        meetings[(display_committee(name), ordinal)] = MeetingNews(
            display_committee(name), date.fromordinal(ordinal).isoformat()
        )
    decided = [int(r) for r in np.flatnonzero(keep & section_rows(snapshot, is_decision))]
    for step in treatments(snapshot, decided, need_decision=True):
        if meeting := meetings.get((step.committee, step.date_ordinal)):
            meeting.decisions.append(step)
    for meeting in meetings.values():
        meeting.decisions.sort(key=treatment_order)
    return list(meetings.values())


def _visible(snapshot: Snapshot, committee: str | None, access: str) -> np.ndarray:
    keep = snapshot.access_mask(access) & (np.asarray(snapshot.ints("date_ordinal")) > 0)
    keep &= snapshot.isin("doc_type", list(MEETING_TYPES))  # a memo's date is no meeting
    named = committee_rows(snapshot, committee)
    return keep if named is None else keep & named
