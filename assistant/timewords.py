"""Filters a question names outright: a period ("i 2023", "sidste år", "i foråret 2024") or a
committee ("i Økonomiudvalget", "hvad har byrådet besluttet", "besluttede Teknisk Udvalg").
Only phrases that place the question in a period or with a deciding body count; a committee
named otherwise is left to retrieval. The phrases themselves are Danish rules (`danish.dates`,
`danish.committees`).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace
from datetime import date

from danish.committees import committee_from_question
from danish.dates import period_from_question
from vectorstore.filters import SearchFilters

PERIOD, COMMITTEE = "period", "committee"  # the kinds of filter a question can name


def filters_from_question(
    question: str,
    base: SearchFilters,
    known_committees: list[str],
    today: date,
    skip: Collection[str] = (),
) -> tuple[SearchFilters, dict[str, str]]:
    """The caller's filters plus those the question names, and a label per kind taken
    ("period", "committee"); explicit caller filters win, and kinds in `skip` (the user
    removed them) are not taken."""
    derived: dict[str, str] = {}
    filters = replace(base)
    if filters.date_from is None and filters.date_to is None and PERIOD not in skip:
        period = period_from_question(question, today)
        if period:
            filters.date_from, filters.date_to = period[0], period[1]
            derived[PERIOD] = (f"periode {period[0].isoformat()} – {period[1].isoformat()}"
                                 f" («{period[2]}»)")  # fmt: skip
    if filters.committee is None and COMMITTEE not in skip:
        committee = committee_from_question(question, known_committees)
        if committee:
            filters.committee = committee
            derived[COMMITTEE] = f"udvalg «{committee}»"
    return filters, derived
