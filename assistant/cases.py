"""A case's history ("Sagens forløb"): every meeting that treated a case number, in date
order, with each step's outcome and quoted decision, and one sentence of where it stands.

Everything is read from the index snapshot the caller holds (the filter columns find the
rows, `Snapshot.passage` reads only the few passages a step is made of), never from the store
of record. Access is applied first, through the snapshot's access mask: a public caller's
steps, counts, titles and candidates are made from public passages only, so a closed step is
neither shown nor betrayed by a number or a title.

Finding a case by its title's words uses a small per-snapshot list of the cases' items
(`CaseIndex`), built once on first use and kept with the snapshot, which never changes.
"""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np

from assistant.case_items import Treatment, key_rows, section_rows, treatments
from danish.committees import display_committee
from danish.dates import format_date
from danish.decisions import (
    FINAL_OUTCOMES,
    ONWARD,
    is_decision,
    is_recommendation,
    looks_like_case_number,
    normalise_case_number,
)
from vectorstore.filters import allowed_access
from vectorstore.snapshot import Snapshot

MAX_CANDIDATES = 20


@dataclass
class CaseSummary:
    """One case a search found, as a list of candidates shows it."""

    case_number: str
    title: str  # the item title of its latest treatment the caller may see
    treatments: int  # meetings and items the caller may see
    first_date: str  # ISO
    last_date: str
    last_committee: str

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class CaseHistory:
    case_number: str
    title: str
    treatments: list[Treatment] = field(default_factory=list)
    status: str = ""

    def to_dict(self) -> dict[str, Any]:
        """The shape `referent case --json` gives (issue 22)."""
        return {
            "case_number": self.case_number,
            "title": self.title,
            "treatments": [t.to_dict() for t in self.treatments],
            "status": self.status,
        }


# -- the per-snapshot list of cases ---------------------------------------------------------


@dataclass
class CaseIndex:
    """One row per case, committee, meeting day and access level (the items of a meeting that
    carry the case): its case number, normalised number, title, date and access, as arrays;
    made from the snapshot once. Titles are matched once per distinct title (`title_of`)."""

    numbers: np.ndarray  # object: the case number as stored
    normalised: np.ndarray  # object
    shown: np.ndarray  # object, the title as written
    ordinals: np.ndarray  # int
    committees: np.ndarray  # object, as stored
    access: np.ndarray  # object
    by_normalised: dict[str, list[str]]  # normalised → stored numbers
    titles: list[str]  # distinct titles, casefolded
    title_of: np.ndarray  # int: each row's title in `titles`
    decisions: np.ndarray  # bool per passage: its sections include a decision
    recommendations: np.ndarray  # bool per passage


_indexes: weakref.WeakKeyDictionary[Snapshot, CaseIndex] = weakref.WeakKeyDictionary()
_index_lock = threading.Lock()


def case_index(snapshot: Snapshot) -> CaseIndex:
    """The snapshot's case list, made on first use (one passage read per case, committee and
    meeting day: copies of a meeting's documents add no reads)."""
    with _index_lock:
        found = _indexes.get(snapshot)
        if found is None:
            found = _indexes[snapshot] = _build_index(snapshot)
        return found


def _build_index(snapshot: Snapshot) -> CaseIndex:
    case = np.asarray(snapshot.codes("case_number"))
    rows = np.flatnonzero(~snapshot.isin("case_number", [""]))
    if rows.size:
        keys = np.stack(
            [
                case[rows],
                np.asarray(snapshot.codes("committee"))[rows],
                np.asarray(snapshot.ints("date_ordinal"))[rows],
                np.asarray(snapshot.codes("access"))[rows],
            ],
            axis=1,
        )
        _, first = np.unique(keys, axis=0, return_index=True)
        rows = rows[np.sort(first)]
    metas = [snapshot.passage(int(r)).metadata for r in rows]
    numbers = np.asarray([m.case_number for m in metas], dtype=object)
    normalised = np.asarray([normalise_case_number(n) for n in numbers], dtype=object)
    by_normalised: dict[str, list[str]] = {}
    for stored, norm in zip(numbers, normalised, strict=True):
        if stored not in by_normalised.setdefault(norm, []):
            by_normalised[norm].append(stored)
    shown = [m.item_title or m.title for m in metas]
    titles: dict[str, int] = {}
    title_of = np.asarray([titles.setdefault(t.casefold(), len(titles)) for t in shown], dtype=int)
    return CaseIndex(
        numbers=numbers,
        normalised=normalised,
        shown=np.asarray(shown, dtype=object),
        ordinals=np.asarray([m.date_ordinal for m in metas], dtype=np.int64),
        committees=np.asarray([m.committee for m in metas], dtype=object),
        access=np.asarray([m.access for m in metas], dtype=object),
        by_normalised=by_normalised,
        titles=list(titles),
        title_of=title_of,
        decisions=section_rows(snapshot, is_decision),
        recommendations=section_rows(snapshot, is_recommendation),
    )


# -- finding cases ---------------------------------------------------------------------------


def find_cases(
    snapshot: Snapshot, query: str, access: str = "public", limit: int = MAX_CANDIDATES
) -> list[CaseSummary]:
    """Cases by number ("24-018452", "24 018452", a distinct end of one such as "018452") or
    by words of the item title (every word in it, as written or by its Danish stem); the
    newest treatment first, at most `limit`. Only what `access` may see is searched."""
    index = case_index(snapshot)
    visible = np.isin(index.access, allowed_access(access))
    query = " ".join(query.split())
    if not query:
        return []
    if looks_like_case_number(query):  # a number is never read as title words ("25" in 2025)
        wanted = normalise_case_number(query)
        rows = index.normalised == wanted
        if not (rows & visible).any():
            rows = np.asarray([n.endswith(wanted) for n in index.normalised], dtype=bool)
    else:
        rows = _title_rows(snapshot, index, query)
    return _summaries(index, rows & visible)[:limit]


def _title_rows(snapshot: Snapshot, index: CaseIndex, query: str) -> np.ndarray:
    """Rows whose title has every word of the query; matched once per distinct title."""
    rows = np.ones(len(index.titles), dtype=bool)
    words = 0
    for word in query.split():
        keys = {word.casefold().strip(".,:;!?\"'()")} | set(snapshot.analyzer(word))
        keys.discard("")
        if not snapshot.analyzer(word) and not any(ch.isdigit() for ch in word):
            continue  # a stop word ("i", "og") says nothing about the title
        words += 1
        rows &= np.asarray([any(k in t for k in keys) for t in index.titles], dtype=bool)
    return rows[index.title_of] if words else np.zeros(len(index.numbers), dtype=bool)


def _summaries(index: CaseIndex, rows: np.ndarray) -> list[CaseSummary]:
    found: dict[str, CaseSummary] = {}
    for r in np.flatnonzero(rows)[np.argsort(-index.ordinals[rows], kind="stable")]:
        number = str(index.numbers[r])
        day = _iso(int(index.ordinals[r]))
        held = found.get(number)
        if held is None:
            found[number] = CaseSummary(
                number, str(index.shown[r]), 1, day, day, display_committee(index.committees[r])
            )
        else:
            held.treatments += 1
            held.first_date = day or held.first_date
    return list(found.values())  # newest treatment first: rows were taken in that order


def _iso(ordinal: int) -> str:
    return date.fromordinal(ordinal).isoformat() if ordinal > 0 else ""


# -- one case's history ----------------------------------------------------------------------


def case_history(
    snapshot: Snapshot, case_number: str, access: str = "public"
) -> CaseHistory | None:
    """The case's treatments the caller may see, in date order, and where it stands; None when
    the caller may see none (a closed case is, to a public caller, no case at all)."""
    numbers = [case_number.strip()]
    numbers += case_index(snapshot).by_normalised.get(normalise_case_number(case_number), [])
    keep = snapshot.access_mask(access) & snapshot.isin("case_number", sorted(set(numbers)))
    if not keep.any():
        return None
    index = case_index(snapshot)
    steps = treatments(snapshot, key_rows(snapshot, keep, index.decisions | index.recommendations))
    if not steps:
        return None
    latest = max(steps, key=lambda t: t.date_ordinal)
    return CaseHistory(
        case_number=steps[-1].case_number or case_number.strip(),
        title=latest.title,
        treatments=steps,
        status=case_status(steps),
    )


def case_status(steps: list[Treatment]) -> str:
    """Where the case stands, in one plain Danish sentence, from its latest decision and any
    meeting after it without one."""
    decided = [t for t in steps if t.decision]
    if not decided:
        last = steps[-1]
        return f"Behandlet i {last.committee}{_on(last)}; ingen beslutning i dokumenterne"
    last = decided[-1]
    later = [t for t in steps if treatment_after(t, last) and not t.decision]
    onward = ONWARD.search(last.decision)
    if last.outcome in FINAL_OUTCOMES and not onward:
        status = f"Afgjort af {last.committee}{_on(last)}: {last.outcome}"
        if later:
            status += f"; siden på {_genitive(later[-1].committee)} dagsorden{_on(later[-1])}"
        return status
    if last.outcome in ("anbefalet", "oversendt") or onward:
        verb = "Oversendt" if last.outcome == "oversendt" else "Anbefalet"
        body = display_committee(onward.group("body")) if onward else ""
        if later:
            nxt = later[-1]
            return (
                f"{verb} af {last.committee}{_on(last)}; på {_genitive(nxt.committee)} "
                f"dagsorden{_on(nxt)}, men beslutningen findes ikke i dokumenterne"
            )
        rest = f"{_genitive(body)} beslutning" if body else "den videre behandling"
        return f"{verb} af {last.committee}{_on(last)}; {rest} findes ikke i dokumenterne"
    if last.outcome == "udsat":
        return (
            f"Udsat af {last.committee}{_on(last)}; en senere behandling findes ikke i dokumenterne"
        )
    said = f": {last.outcome}" if last.outcome else ""
    return f"Behandlet i {last.committee}{_on(last)}{said}"


def treatment_after(t: Treatment, other: Treatment) -> bool:
    return (t.date_ordinal, t.is_council) > (other.date_ordinal, other.is_council)


def _on(t: Treatment) -> str:
    return f" den {format_date(t.day)}" if t.day else ""


def _genitive(name: str) -> str:
    return name if name.endswith("s") else name + "s"
