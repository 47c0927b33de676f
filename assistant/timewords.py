"""Filters a question names outright: a period ("i 2023", "sidste år", "i foråret 2024") or a
committee ("i Økonomiudvalget"). Only explicit phrases count; a committee merely mentioned as
the subject ("hvad har byrådet besluttet") is left to retrieval.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from danish.committees import committee_from_question
from danish.dates import period_from_question
from vectorstore.filters import SearchFilters


def filters_from_question(
    question: str, base: SearchFilters, known_committees: list[str], today: date
) -> tuple[SearchFilters, list[str]]:
    """The caller's filters plus those the question names; explicit caller filters win."""
    applied: list[str] = []
    filters = replace(base)
    if filters.date_from is None and filters.date_to is None:
        period = period_from_question(question, today)
        if period:
            filters.date_from, filters.date_to = period[0], period[1]
            applied.append(f"periode {period[0].isoformat()} – {period[1].isoformat()}"
                           f" («{period[2]}»)")  # fmt: skip
    if filters.committee is None:
        committee = committee_from_question(question, known_committees)
        if committee:
            filters.committee = committee
            applied.append(f"udvalg «{committee}»")
    return filters, applied
