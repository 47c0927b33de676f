"""Filters a question names outright: a period ("i 2023", "sidste år", "i foråret 2024") or a
committee ("i Økonomiudvalget"). Only explicit phrases count; a committee merely mentioned as
the subject ("hvad har byrådet besluttet") is left to retrieval.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Collection
from dataclasses import replace
from datetime import date

from assistant.answer import MONTHS_DA
from vectorstore.filters import SearchFilters

MONTH_NUMBERS = {name: number for number, name in enumerate(MONTHS_DA, start=1)}
SEASONS = {  # (first month, last month, year offset of the first month)
    "foråret": (3, 5), "sommeren": (6, 8), "efteråret": (9, 11), "vinteren": (12, 2),
    "forår": (3, 5), "sommer": (6, 8), "efterår": (9, 11), "vinter": (12, 2),
}  # fmt: skip
_YEAR = re.compile(r"\b(?:i|fra|for|år)\s+((?:19|20)\d{2})\b", re.IGNORECASE)
_RELATIVE = re.compile(r"\b(sidste år|i fjor|forrige år|i år)\b", re.IGNORECASE)
_SEASON = re.compile(r"\bi\s+(" + "|".join(SEASONS) + r")(?:\s+((?:19|20)\d{2}))?\b", re.IGNORECASE)
_MONTH = re.compile(
    r"\bi\s+(" + "|".join(MONTH_NUMBERS) + r")(?:\s+((?:19|20)\d{2}))?\b", re.IGNORECASE
)
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


def period_from_question(question: str, today: date) -> tuple[date, date, str] | None:
    """(first day, last day, the phrase) of a period the question names, if any."""
    if m := _SEASON.search(question):
        first_month, last_month = SEASONS[m.group(1).lower()]
        year = int(m.group(2)) if m.group(2) else today.year
        end_year = year + 1 if last_month < first_month else year
        return (
            date(year, first_month, 1),
            date(end_year, last_month, calendar.monthrange(end_year, last_month)[1]),
            m.group(0),
        )
    if m := _MONTH.search(question):
        month = MONTH_NUMBERS[m.group(1).lower()]
        year = int(m.group(2)) if m.group(2) else today.year
        last = calendar.monthrange(year, month)[1]
        return date(year, month, 1), date(year, month, last), m.group(0)
    if m := _RELATIVE.search(question):
        year = today.year if m.group(1).lower() == "i år" else today.year - 1
        return date(year, 1, 1), date(year, 12, 31), m.group(0)
    if m := _YEAR.search(question):
        year = int(m.group(1))
        return date(year, 1, 1), date(year, 12, 31), m.group(0)
    return None


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
    if filters.date_from is None and filters.date_to is None and "period" not in skip:
        period = period_from_question(question, today)
        if period:
            filters.date_from, filters.date_to = period[0], period[1]
            derived["period"] = (f"periode {period[0].isoformat()} – {period[1].isoformat()}"
                                 f" («{period[2]}»)")  # fmt: skip
    if filters.committee is None and "committee" not in skip:
        committee = committee_from_question(question, known_committees)
        if committee:
            filters.committee = committee
            derived["committee"] = f"udvalg «{committee}»"
    return filters, derived
