"""Metadata from text, for documents that carry no structured metadata.

Reads the letterhead and first page: title, date in Danish formats, case number, committee,
document type and contact. Structured metadata from a loader (portal JSON) always wins.
"""

from __future__ import annotations

import re
from datetime import date

from ingest.committees import most_named_committee
from ingest.doc_types import title_doc_type

MONTHS = {
    "januar": 1, "februar": 2, "marts": 3, "april": 4, "maj": 5, "juni": 6, "juli": 7,
    "august": 8, "september": 9, "oktober": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "okt": 10, "nov": 11, "dec": 12,
}  # fmt: skip
MONTH_NAMES = list(MONTHS)[:12]  # "januar" … "december"
_MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))
_DATE_PATTERNS = [
    # "5. december 2019", "d. 27. august 2025", "den 3. dec. 2019"
    re.compile(rf"\b(\d{{1,2}})\.?\s+({_MONTH_RE})\.?\s+(\d{{4}})\b", re.IGNORECASE),
    # "27-08-2025", "27.08.2025", "27/08/2025"
    re.compile(r"\b(\d{1,2})[-./](\d{1,2})[-./](\d{4})\b"),
    # "2025-08-27"
    re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b"),
]
_LABELLED_DATE = re.compile(r"^\s*(?:dato|date|mødedato)\s*[:.]\s*(.+)$", re.IGNORECASE | re.M)
_CASE_LABEL = re.compile(
    r"(?:sagsid|sags-?id|sagsnr|sags\s?nr|\bsag\s?nr|sagsnummer|j\.\s?nr|journalnr)\.?\s*[:.]?\s*"
    r"([A-ZÆØÅ0-9][\w./-]*\d[\w./-]*)",
    re.IGNORECASE,
)
# a line that states a case number, as under an agenda item's heading ("Sagsnr.: 24-008831")
CASE_LINE = re.compile(
    r"^\s*(?:sagsid|sags-?id|sagsnr|sags\s?nr|sag\s?nr|sagsnummer|j\.\s?nr|journalnr)"
    r"(?:\.?\s*[:.]\s*|\s+)(?=\S*\d)",
    re.IGNORECASE,
)
_EMN = re.compile(r"\bEMN-\d{4}-\d+\b")
_CONTACT = re.compile(
    r"^\s*(?:kontakt(?:person)?|sagsbehandlere?|udarbejdet af)\s*[:.]\s*(.+)$", re.I | re.M
)
# a memo's letterhead field: "Dato: …", "Sagsnr.: …", "Kontakt: …", "Til: …" (see ingest.letterhead)
LETTERHEAD_LINE = re.compile(
    r"^\s*(?:dato|sagsid|sags-?nr\.?|sag\s?nr\.?|sagsnummer|j\.\s?nr\.?|journal-?nr\.?|"
    r"dok(?:ument)?\.?\s?nr\.?|kontakt(?:person)?|(?:direkte\s)?e-?mail|mobil|fax|"
    r"tlf\.?(?:\s*dir\.?)?|(?:direkte\s)?telefon|sagsbehandlere?|udarbejdet af|afdeling|"
    r"forvaltning)\s*[:.]|^\s*(?:til|fra|kopi til|cc)\s*:",  # "Til." is no field
    re.IGNORECASE,
)


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


def find_date(text: str) -> date | None:
    labelled = _LABELLED_DATE.search(text)
    if labelled and (value := parse_danish_date(labelled.group(1))):
        return value
    return parse_danish_date(text)


def find_case_number(text: str) -> str:
    if match := _EMN.search(text):
        return match.group(0)
    if match := _CASE_LABEL.search(text):
        return match.group(1).rstrip(".")
    return ""


def find_contact(text: str) -> str:
    match = _CONTACT.search(text)
    return " ".join(match.group(1).split())[:120] if match else ""


def find_committee(text: str) -> str:
    """The committee named most often in the text, in its definite form (a weak cue: see
    ingest.doc_meta for the document's own committee)."""
    return most_named_committee(text)


def guess_doc_type(*texts: str) -> str:
    """The type whose telling word comes first, trying each text in turn (title first)."""
    for text in texts:
        if found := title_doc_type(text):
            return found
    return "andet"


def is_letterhead_line(text: str) -> bool:
    return bool(LETTERHEAD_LINE.match(text))
