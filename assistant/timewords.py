"""Filters a question names outright: a period ("i 2023", "sidste år", "i foråret 2024") or a
committee ("i Økonomiudvalget"). Only explicit phrases count; a committee merely mentioned as
the subject ("hvad har byrådet besluttet") is left to retrieval.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from danish.dates import period_from_question
from vectorstore.filters import SearchFilters

_NAME = (
    r"((?:[A-ZÆØÅ][\wæøå]*(?:-,?\s+(?:og\s+)?|\s+og\s+))*[\wæøå]+udvalg(?:et)?"
    # "Teknisk Udvalg", "Udvalget for Plan, Udvikling og Kultur" (its first words are enough:
    # the index's names are matched by what the question gives of them)
    r"|(?-i:[A-ZÆØÅ][\wæøå]+\s+Udvalg(?:et)?)|udvalget\s+for\s+[\wæøå-]+"
    r"|byrådet|kommunalbestyrelsen|magistraten|regionsrådet|borgerrepræsentationen)"
)
_DECIDED = r"(?:besluttede|vedtog|godkendte|anbefalede|afviste|besluttet|vedtaget|godkendt)"
_COMMITTEE = re.compile(
    # "i Økonomiudvalget", "fra byrådets møde", and the committee as the one deciding:
    # "besluttede Økonomiudvalget", "har byrådet besluttet", "Byrådet vedtog"
    rf"\b(?:i|fra|af|ifølge)\s+{_NAME}(?:s\s+møde)?\b"
    rf"|\b{_DECIDED}\s+{_NAME}\b"
    rf"|\b(?:har|havde)\s+{_NAME}\s+{_DECIDED}\b"
    rf"|{_NAME}\s+{_DECIDED}\b",
    re.IGNORECASE,
)


def committee_from_question(question: str, known: list[str]) -> str | None:
    from vectorstore.filters import match_committees

    for m in _COMMITTEE.finditer(question):
        name = next(g for g in m.groups() if g)
        if match_committees(name, known):
            return name
    return None


_ANY_NAME = re.compile(rf"\b{_NAME}", re.IGNORECASE)


def committee_mentioned(question: str, known: list[str]) -> list[str]:
    """The index's names of any committee the question names, however it names it ("Og hvad
    sagde Økonomiudvalget?"): for follow-ups, where the case is known and the name says whose
    treatment of it is wanted."""
    from vectorstore.filters import match_committees

    for m in _ANY_NAME.finditer(question):
        if names := match_committees(m.group(1), known):
            return names
    return []


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
