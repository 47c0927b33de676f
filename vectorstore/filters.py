"""Search filters and access levels, resolved against an index snapshot's columns into a mask.

Dense and BM25 search apply the same mask before ranking, so a filtered search ranks only
allowed passages and a public caller never receives a closed one. Access fails closed: an
unknown level asked for is refused, and a passage whose level is missing or unknown counts as
closed (`PassageMetadata.from_chroma` reads it so).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

import numpy as np

from danish.committees import match_committees
from vectorstore.errors import AccessLevelError
from vectorstore.records import ACCESS_LEVELS


def allowed_access(level: str) -> list[str]:
    """Levels a caller may see: public ⊂ internal ⊂ closed. Anything else is refused."""
    if not isinstance(level, str) or level not in ACCESS_LEVELS:
        raise AccessLevelError(
            f"Unknown access level {level!r}; use {', '.join(ACCESS_LEVELS)}.",
            user_message=f"Ukendt adgangsniveau {level!r}; brug {', '.join(ACCESS_LEVELS)}.",
        )
    return list(ACCESS_LEVELS[: ACCESS_LEVELS.index(level) + 1])


class Columns(Protocol):
    """Filter columns of an index, one row per passage (see `vectorstore.snapshot`)."""

    def values(self, name: str) -> list[str]:
        """The distinct values of a text column."""
        ...

    def isin(self, name: str, values: list[str]) -> np.ndarray:
        """Rows whose text column holds one of `values`."""
        ...

    def ints(self, name: str) -> np.ndarray: ...

    def __len__(self) -> int: ...


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
    keep: np.ndarray | None = None  # the rows allowed, once resolved against columns

    def mask(self, columns: Columns) -> np.ndarray:
        keep = columns.isin("access", self.access)
        if self.committees is not None:
            keep &= columns.isin("committee", self.committees)
        if self.sources is not None:
            keep &= columns.isin("source", self.sources)
        if self.doc_type:
            keep &= columns.isin("doc_type", [self.doc_type])
        if self.case_number:
            keep &= columns.isin("case_number", [self.case_number])
        if self.ordinal_from is not None:
            keep &= columns.ints("date_ordinal") >= self.ordinal_from
        if self.ordinal_to is not None:
            keep &= columns.ints("date_ordinal") <= self.ordinal_to
        return keep


def resolve(filters: SearchFilters, columns: Columns) -> ResolvedFilters:
    """Loose values (committee, source) matched against the values the columns hold; the
    mask is computed once (`keep`)."""
    resolved = ResolvedFilters(
        access=allowed_access(filters.access),
        doc_type=filters.doc_type,
        case_number=filters.case_number.strip() if filters.case_number else None,
        ordinal_from=filters.date_from.toordinal() if filters.date_from else None,
        ordinal_to=filters.date_to.toordinal() if filters.date_to else None,
    )
    if filters.committee:
        known = [c for c in columns.values("committee") if c]
        resolved.committees = match_committees(filters.committee, known)
        if not resolved.committees:
            resolved.empty_reason = (
                f"Intet udvalg i indekset hedder noget med '{filters.committee}'."
            )
    if filters.source:
        wanted = filters.source.lower()
        resolved.sources = sorted(s for s in columns.values("source") if wanted in s.lower())
        if not resolved.sources:
            resolved.empty_reason = f"Ingen kilde i indekset matcher '{filters.source}'."
    if (
        resolved.ordinal_from is not None
        and resolved.ordinal_to is not None
        and resolved.ordinal_from > resolved.ordinal_to
    ):
        resolved.empty_reason = "Startdatoen ligger efter slutdatoen."
    if not resolved.empty_reason:
        resolved.keep = resolved.mask(columns)
        if not resolved.keep.any():
            resolved.empty_reason = (
                f"Ingen passager matcher filtrene ({filters.describe() or 'adgang'})."
            )
    return resolved
