"""Danish dates: month names, reading dates as Danish documents write them, writing a date as
an answer says it ("5. december 2019"), and the periods a question names ("i foråret 2024").
"""

from __future__ import annotations

import calendar
import re
from datetime import date

MONTHS = {
    "januar": 1, "februar": 2, "marts": 3, "april": 4, "maj": 5, "juni": 6, "juli": 7,
    "august": 8, "september": 9, "oktober": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "okt": 10, "nov": 11, "dec": 12,
}  # fmt: skip
MONTH_NAMES = list(MONTHS)[:12]  # "januar" … "december"
MONTH_NUMBERS = {name: MONTHS[name] for name in MONTH_NAMES}  # "januar" → 1, full names only
# a month as a document may write it, abbreviations too, the longest first ("sept" before
# "sep"), for alternations in patterns
MONTH_PATTERN = "|".join(sorted(MONTHS, key=len, reverse=True))
# a month's full name, as a sentence writes it
MONTH_NAME_PATTERN = "|".join(MONTH_NAMES)

_DATE_PATTERNS = [
    # "5. december 2019", "d. 27. august 2025", "den 3. dec. 2019"
    re.compile(rf"\b(\d{{1,2}})\.?\s+({MONTH_PATTERN})\.?\s+(\d{{4}})\b", re.IGNORECASE),
    # "27-08-2025", "27.08.2025", "27/08/2025"
    re.compile(r"\b(\d{1,2})[-./](\d{1,2})[-./](\d{4})\b"),
    # "2025-08-27"
    re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b"),
]


def parse_danish_date(text: str) -> date | None:
    """The first valid date in the text, in any of the common Danish formats."""
    found: list[tuple[int, date]] = []
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            a, b, c = match.groups()
            try:
                if pattern is _DATE_PATTERNS[0]:
                    value = date(int(c), MONTHS[b.lower().rstrip(".")], int(a))
                elif pattern is _DATE_PATTERNS[1]:
                    value = date(int(c), int(b), int(a))
                else:
                    value = date(int(a), int(b), int(c))
            except (ValueError, KeyError):
                continue
            if 1900 < value.year < 2100:
                found.append((match.start(), value))
                break
    return min(found)[1] if found else None


def format_date(day: date) -> str:
    """date(2019, 12, 5) → "5. december 2019"."""
    return f"{day.day}. {MONTH_NAMES[day.month - 1]} {day.year}"


def danish_date(iso: str) -> str:
    """2023-06-19 → "19. juni 2023"; a value that is no ISO date ("", "2023") as it is."""
    if not iso or len(iso) < 10:
        return iso
    year, month, day = iso[:10].split("-")
    return f"{int(day)}. {MONTH_NAMES[int(month) - 1]} {year}"


# -- periods a question names: "i 2023", "sidste år", "i foråret 2024", "i marts 2025" ---------

SEASONS = {  # (first month, last month); a winter's last month is in the next year
    "foråret": (3, 5), "sommeren": (6, 8), "efteråret": (9, 11), "vinteren": (12, 2),
    "forår": (3, 5), "sommer": (6, 8), "efterår": (9, 11), "vinter": (12, 2),
}  # fmt: skip
_YEAR = re.compile(r"\b(?:i|fra|for|år)\s+((?:19|20)\d{2})\b", re.IGNORECASE)
_RELATIVE = re.compile(r"\b(sidste år|i fjor|forrige år|i år)\b", re.IGNORECASE)
_SEASON = re.compile(r"\bi\s+(" + "|".join(SEASONS) + r")(?:\s+((?:19|20)\d{2}))?\b", re.IGNORECASE)
_MONTH = re.compile(
    r"\bi\s+(" + "|".join(MONTH_NUMBERS) + r")(?:\s+((?:19|20)\d{2}))?\b", re.IGNORECASE
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
