"""A document's committee, meeting date and type, read from what the document says of itself.

Explicit cues decide, in order of how plainly they speak: the title, a labelled field
("Udvalg: …", "Mødedato: …"), the opening lines and headings (a letterhead "TEKNISK UDVALG", a
line "Referat"), the file name. Minutes also say it in every item: the last decision of each
item ("Beslutning i Teknisk Udvalg den 12. marts 2025") is the meeting's own. A word somewhere
in the running text is a weak cue: it never sets a meeting's committee ("indstilles til
Byrådet" in a committee's minutes) nor any document's type. A field no cue gives stays empty,
shown as unknown; it is never filled from a default.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

from danish.committees import first_committee, most_named_committee
from danish.dates import parse_danish_date
from danish.decisions import CASE_LINE, DECISION
from danish.doc_types import MEETING_TYPES, OPENING_LINE_WORDS
from danish.sections import decision_maker, is_agenda_section, section_name
from ingest.document import Block
from ingest.items import starts_item

OPENING_LINES = 25
_COMMITTEE_LABEL = re.compile(
    r"^\s*(?:udvalg(?:snavn)?|mødeforum|forum|mødeorgan|organ|møde\s+i|politisk\s+udvalg)"
    r"\s*[:.]\s*(?P<value>\S.*)$",
    re.IGNORECASE,
)
_ADDRESSEE = re.compile(r"^\s*til\s*:\s*(?P<value>\S.*)$", re.IGNORECASE)
_LABELLED_LINE = re.compile(r"^[^:]{1,40}:\s")
_MEETING_DATE_LABEL = re.compile(
    r"^\s*(?:mødedato|mødetidspunkt|mødetid|mødedag|tidspunkt|afholdt|dato|date|tid)\s*[:.]\s*"
    r"(?P<value>.+)$",
    re.IGNORECASE,
)
# lines dating the page, not the meeting: "Offentliggjort 20-03-2025", "Udskrevet den …"
_NOT_MEETING_DATE = re.compile(
    r"offentliggjort|publiceret|udskrevet|opdateret|ændret|oprettet|udsendt|printet|"
    r"genereret|downloadet|frist",
    re.IGNORECASE,
)


def opening_lines(head: str, blocks: list[Block]) -> list[str]:
    """The document's opening: the first lines of its header text and its first headings, up
    to its first agenda item. What an item says ("Kommunalbestyrelsen den 30. januar 2012
    Punkt 5", the item's history) is not what the document says of itself."""
    lines: list[str] = []
    for line in head.split("\n"):
        line = " ".join(line.split())
        if starts_item(line) or len(lines) == OPENING_LINES:
            break
        if line:
            lines.append(line)
    for block in blocks[:15]:
        if block.kind == "heading":
            if starts_item(block.text):
                break
            lines.append(" ".join(block.text.split()))
    return lines


def read_committee(title: str, lines: list[str], stem: str, doc_type: str) -> str:
    """The committee the title, a labelled field, an opening line or the file name names."""
    if found := first_committee(title):
        return found
    for line in lines:
        if match := _COMMITTEE_LABEL.match(line):
            value = match.group("value").strip()
            found = first_committee(value) or _plain_name(value)
        elif doc_type not in MEETING_TYPES and (match := _ADDRESSEE.match(line)):
            found = first_committee(match.group("value"))  # a memo's or answer's addressee
        else:
            found = ""
        if found:
            return found
    for line in lines:
        if _is_heading_line(line) and (found := first_committee(line)):
            return found
    return first_committee(stem.replace("_", " "))


def read_meeting_date(title: str, head: str, lines: list[str], stem: str) -> tuple[str, bool]:
    """(ISO date, whether a strong cue gave it): a labelled meeting date, the title, a short
    opening line, the file name; else the first date in the opening text (weak)."""
    for line in lines:
        match = _MEETING_DATE_LABEL.match(line)
        if match and (found := parse_danish_date(match.group("value"))):
            return found.isoformat(), True
    candidates = [title, *(line for line in lines if _is_heading_line(line))]
    for text in candidates:
        if not _NOT_MEETING_DATE.search(text) and (found := parse_danish_date(text)):
            return found.isoformat(), True
    if found := parse_danish_date(stem.replace("_", " ")):
        return found.isoformat(), True
    text = "\n".join(line for line in head.split("\n") if not _NOT_MEETING_DATE.search(line))
    found = parse_danish_date(text)
    return (found.isoformat(), False) if found else ("", False)


def complete_from_items(
    meta: dict[str, str | int], blocks: list[Block], head: str, weak_date: bool
) -> None:
    """Fill what the explicit cues left open from the items' structure, in place.

    Items whose last decision has text are minutes, and that decision names the meeting's
    committee and date; items without are an agenda. A committee is then looked for in the
    running text only for documents that are not meetings.
    """
    last = _last_decisions(blocks)
    if not meta.get("doc_type") and _agenda_evidence(blocks):
        decided = sum(has_text for _, has_text in last.values())
        meta["doc_type"] = "referat" if last and decided * 2 >= len(last) else "dagsorden"
    if meta.get("doc_type") == "referat" and last:
        made = [decision_maker(heading) for heading, has_text in last.values() if has_text]
        if not meta.get("committee") and (bodies := Counter(c for c, _ in made if c)):
            meta["committee"] = bodies.most_common(1)[0][0]
        days = Counter(d for _, d in made if d)
        if days and (weak_date or not meta.get("meeting_date")):
            meta["meeting_date"] = days.most_common(1)[0][0].isoformat()
    if not meta.get("committee") and meta.get("doc_type") not in MEETING_TYPES:
        meta["committee"] = most_named_committee(head[:3000])
    meta["doc_type"] = meta.get("doc_type") or "andet"
    iso = str(meta.get("meeting_date") or "")
    meta["date_ordinal"] = date.fromisoformat(iso).toordinal() if iso else 0


def _agenda_evidence(blocks: list[Block]) -> bool:
    """Items that show they are agenda items: a case line or an agenda item's section in
    them. A numbered list of cases ("sager på vej") is no agenda."""
    return any(
        block.item
        and (
            (block.kind == "heading" and is_agenda_section(block.text))
            or (block.kind == "paragraph" and CASE_LINE.match(block.text))
        )
        for block in blocks
    )


def _last_decisions(blocks: list[Block]) -> dict[int, tuple[str, bool]]:
    """Per item, its last decision heading and whether text follows it."""
    last: dict[int, tuple[str, bool]] = {}
    current = 0
    for block in blocks:
        if not block.item:
            current = 0
            continue
        if block.kind == "heading":
            current = block.item if section_name(block.text) == DECISION else 0
            if current:
                last[current] = (block.text, False)
        elif current == block.item and block.text.strip():
            last[current] = (last[current][0], True)
    return last


def _is_heading_line(line: str) -> bool:
    """A letterhead or heading line ("TEKNISK UDVALG", "tirsdag den 4. december 2012, kl.
    13:00"), not a sentence of the text, which may name any committee or date."""
    words = line.split()
    ends = line.rstrip("”\"'»)").endswith((".", "!", "?", ":", ";", ","))
    return 0 < len(words) <= OPENING_LINE_WORDS and not ends and not _LABELLED_LINE.match(line)


def _plain_name(value: str) -> str:
    """A labelled committee field's value as written, when it reads as a name."""
    words = value.split()
    if 0 < len(words) <= 6 and value[0].isupper() and not re.search(r"\d", value):
        return " ".join(words)
    return ""
