"""Metadata from text, for documents that carry no structured metadata.

Reads the letterhead and first page: a labelled date, the contact, letterhead fields, and as
weak cues the committee and document type named most (the Danish words themselves are
`danish`). Structured metadata from a loader (portal JSON) always wins.
"""

from __future__ import annotations

import re
from datetime import date

from danish.committees import most_named_committee
from danish.dates import parse_danish_date
from danish.doc_types import title_doc_type

_LABELLED_DATE = re.compile(r"^\s*(?:dato|date|mødedato)\s*[:.]\s*(.+)$", re.IGNORECASE | re.M)
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


def find_date(text: str) -> date | None:
    labelled = _LABELLED_DATE.search(text)
    if labelled and (value := parse_danish_date(labelled.group(1))):
        return value
    return parse_danish_date(text)


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
