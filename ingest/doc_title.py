"""A document's title from its opening lines: the first real heading, or the meeting's name.

Loaders that know a layout's headings (PDF font sizes, Word styles, a cover table) pass their
candidates in order, with running headers and tables of contents already taken out. A line that
only says what kind of document this is ("Referat", "Åbent referat", "DAGSORDEN") names no
meeting, so the line after it is added: "Referat – Sundheds- og Forebyggelsesudvalget".
Letterhead fields, dates, page labels and contents lines are never a title.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from danish.dates import parse_danish_date
from ingest.clean import is_page_label, join_lines
from ingest.doubled import collapse_doubled
from ingest.metadata import is_letterhead_line
from ingest.toc import has_dot_leader, is_toc_title

MAX_TITLE_WORDS = 20
TYPE_WORDS = {
    "referat", "dagsorden", "åbent", "åben", "lukket", "beslutningsprotokol", "protokol",
    "tillægsdagsorden", "mødereferat", "notat", "udkast", "endelig", "foreløbig", "for", "til",
}  # fmt: skip
_WORD = re.compile(r"[\wæøåÆØÅ]+")
_TIME_OR_PLACE = re.compile(r"^(?:kl\.|klokken|tid|sted)\b", re.IGNORECASE)


def title_from_lines(lines: Iterable[str]) -> str:
    """The title the lines give, "" when none of them is one."""
    found: list[str] = []
    for line in lines:
        text = collapse_doubled(" ".join(line.split()))
        if not text or not _may_name(text):
            continue
        if len(text.split()) > MAX_TITLE_WORDS:
            if found:
                break
            continue
        found.append(text)
        if not is_type_line(found[0]) or len(found) == 2:
            break
    if not found:
        return ""
    if is_type_line(found[0]) and len(found) == 2:
        return f"{found[0]} – {found[1]}"[:200]
    return found[0][:200]


def leading_name(lines: list[str]) -> str:
    """The block's opening lines that may name the document, joined (a title set on several
    lines), up to the first that cannot (the meeting's date and place under its name)."""
    kept: list[str] = []
    for line in lines:
        text = " ".join(line.split())
        if not text:
            continue
        if not _may_name(text):
            break
        kept.append(text)
    return join_lines("\n".join(kept)).rstrip(" -–") if kept else ""


def is_type_line(text: str) -> bool:
    """A line that only names the kind of document: "Referat", "Åbent referat", "DAGSORDEN"."""
    words = _WORD.findall(text.lower())
    return 0 < len(words) <= 3 and all(w in TYPE_WORDS for w in words) and words != ["for"]


def _may_name(text: str) -> bool:
    if is_page_label(text) or is_letterhead_line(text) or is_toc_title(text):
        return False
    if has_dot_leader(text) or _TIME_OR_PLACE.match(text) or not any(c.isalpha() for c in text):
        return False
    if text.endswith(":"):
        return False  # a label over what follows ("Vi vil:", "Mødedato:"), not a name
    # a date alone ("tirsdag den 4. december 2012, kl. 13:00") says when, not what
    return not (parse_danish_date(text) and len(text.split()) <= 7)
