"""Search filters and access levels, as Chroma `where` clauses and as masks for BM25.

Both retrievers apply the same filters inside their query, before ranking, so a filtered search
ranks only allowed passages and a public caller never receives a closed one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np

from vectorstore.records import ACCESS_LEVELS


def allowed_access(level: str) -> list[str]:
    """Levels a caller may see: public ⊂ internal ⊂ closed."""
    if level not in ACCESS_LEVELS:
        raise ValueError(f"unknown access level {level!r}; use one of {ACCESS_LEVELS}")
    return list(ACCESS_LEVELS[: ACCESS_LEVELS.index(level) + 1])


@dataclass
class SearchFilters:
    """What a caller asked for. Committee and source are matched loosely (see `resolve`)."""

    committee: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    doc_type: str | None = None
    case_number: str | None = None
    source: str | None = None
    access: str = "public"

    def describe(self) -> str:
        parts = []
        if self.committee:
            parts.append(f"udvalg: {self.committee}")
        if self.date_from:
            parts.append(f"fra: {self.date_from.isoformat()}")
        if self.date_to:
            parts.append(f"til: {self.date_to.isoformat()}")
        if self.doc_type:
            parts.append(f"dokumenttype: {self.doc_type}")
        if self.case_number:
            parts.append(f"sagsnummer: {self.case_number}")
        if self.source:
            parts.append(f"kilde: {self.source}")
        return ", ".join(parts)


def _norm(value: str) -> str:
    return " ".join(value.lower().split())


def match_committees(wanted: str, known: list[str]) -> list[str]:
    """Known committee names meant by a user's words ("byrådet" → "Byråd 2022-2025")."""
    w = _norm(wanted)
    stems = {w, w.removesuffix("et"), w.removesuffix("en"), w.removesuffix("ets")}
    return [name for name in known if any(s and s in _norm(name) for s in stems)]


@dataclass
class ResolvedFilters:
    """Filters with loose values resolved against the values the index actually holds."""

    access: list[str]
    committees: list[str] | None = None
    sources: list[str] | None = None
    doc_type: str | None = None
    case_number: str | None = None
    ordinal_from: int | None = None
    ordinal_to: int | None = None
    empty_reason: str = ""  # set when a filter can match nothing
    notes: list[str] = field(default_factory=list)

    def where(self) -> dict[str, Any]:
        clauses: list[dict[str, Any]] = [{"access": {"$in": self.access}}]
        if self.committees is not None:
            clauses.append({"committee": {"$in": self.committees}})
        if self.sources is not None:
            clauses.append({"source": {"$in": self.sources}})
        if self.doc_type:
            clauses.append({"doc_type": self.doc_type})
        if self.case_number:
            clauses.append({"case_number": self.case_number})
        if self.ordinal_from is not None:
            clauses.append({"date_ordinal": {"$gte": self.ordinal_from}})
        if self.ordinal_to is not None:
            clauses.append({"date_ordinal": {"$lte": self.ordinal_to}})
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}

    def mask(self, meta: dict[str, np.ndarray]) -> np.ndarray:
        keep = np.isin(meta["access"], self.access)
        if self.committees is not None:
            keep &= np.isin(meta["committee"], self.committees)
        if self.sources is not None:
            keep &= np.isin(meta["source"], self.sources)
        if self.doc_type:
            keep &= meta["doc_type"] == self.doc_type
        if self.case_number:
            keep &= meta["case_number"] == self.case_number
        if self.ordinal_from is not None:
            keep &= meta["date_ordinal"] >= self.ordinal_from
        if self.ordinal_to is not None:
            keep &= meta["date_ordinal"] <= self.ordinal_to
        return keep


def resolve(
    filters: SearchFilters, meta: dict[str, np.ndarray], committees: list[str]
) -> ResolvedFilters:
    """`committees`: the index's distinct committee names, for loose committee filters."""
    resolved = ResolvedFilters(
        access=allowed_access(filters.access),
        doc_type=filters.doc_type,
        case_number=filters.case_number.strip() if filters.case_number else None,
        ordinal_from=filters.date_from.toordinal() if filters.date_from else None,
        ordinal_to=filters.date_to.toordinal() if filters.date_to else None,
    )
    if filters.committee:
        resolved.committees = match_committees(filters.committee, committees)
        if not resolved.committees:
            resolved.empty_reason = (
                f"Intet udvalg i indekset hedder noget med '{filters.committee}'."
            )
    if filters.source:
        wanted = filters.source.lower()
        resolved.sources = sorted({str(s) for s in meta["source"] if wanted in str(s).lower()})
        if not resolved.sources:
            resolved.empty_reason = f"Ingen kilde i indekset matcher '{filters.source}'."
    if (
        resolved.ordinal_from is not None
        and resolved.ordinal_to is not None
        and resolved.ordinal_from > resolved.ordinal_to
    ):
        resolved.empty_reason = "Startdatoen ligger efter slutdatoen."
    if not resolved.empty_reason and not resolved.mask(meta).any():
        resolved.empty_reason = (
            f"Ingen passager matcher filtrene ({filters.describe() or 'adgang'})."
        )
    return resolved
