"""Agenda items inside one minutes or agenda file (PDF, DOCX, TXT, HTML).

A portal meeting file gives every item as its own document; a minutes file holds all items in
one text. Each item has its own number, title, case number and access ("Lukket: …" items are
closed), so passages must carry their item's values, not the first ones found in the file.

Items are told by numbered headings ("3. Takster 2025", "Punkt 4: …") from the loaders' heading
structure, never by free text: a numbered list in the body is not an item. A table of contents
listing the items is body text and stays with the document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ingest.document import Block
from ingest.metadata import CASE_LINE, find_case_number
from vectorstore.records import ACCESS_LEVELS

# "3. Takster 2025", "3) Takster", "Punkt 3: Takster", "Pkt. 3 – Takster"; not "2.1 Økonomi",
# and not "1. at budgettet vedtages" (a list item the text loader may take for a heading)
ITEM_HEADING = re.compile(
    r"^(?:(?i:punkt|pkt\.?)\s*(\d{1,3})\s*[.:)–-]?|(\d{1,3})[.)])\s+"
    r"((?:(?i:lukket|fortrolig)|[A-ZÆØÅ0-9»\"']).*)$"
)
# "Lukket: …", "Lukket punkt – …", "LUKKET …", "Fortroligt: …"; not "Lukketid for …"
CLOSED_PREFIX = re.compile(
    r"^(?:lukket(?:\s+punkt)?|fortrolig[te]?(?:\s+punkt)?)\b\s*[:.–-]?\s*", re.IGNORECASE
)
MEETING_DOC_TYPES = {"referat", "dagsorden"}
HEAD_BLOCKS = 4  # blocks after an item heading where its own case line is looked for


@dataclass(frozen=True)
class AgendaItem:
    number: str
    title: str  # without the number and the "Lukket:" prefix
    closed: bool
    case_number: str  # from the item's own "Sagsnr.:" line; "" when it has none
    case_in_head: bool = False  # the case line opens the item, as in minutes and agendas


def parse_item_heading(text: str) -> tuple[str, str, bool] | None:
    """(number, title, closed) of an agenda-item heading, or None for any other heading."""
    match = ITEM_HEADING.match(" ".join(text.split()))
    if not match:
        return None
    number = match.group(1) or match.group(2)
    name = match.group(3).strip()
    prefix = CLOSED_PREFIX.match(name)
    title = name[prefix.end() :].strip() if prefix else name
    return number.lstrip("0") or "0", title or name, prefix is not None


def mark_items(blocks: list[Block], doc_type: str) -> tuple[list[Block], list[AgendaItem]]:
    """The blocks tagged with their 1-based item (0 outside items), and the items found.

    Items are the numbered headings at the highest level that has any. An item runs until the
    next item or a higher-level heading: an unnumbered heading at the item's own level stays in
    the item, so a misread heading inside a closed item never opens the rest of it.
    """
    found = [
        (i, parsed)
        for i, b in enumerate(blocks)
        if b.kind == "heading" and (parsed := parse_item_heading(b.text))
    ]
    if not found:
        return blocks, []
    level = min(blocks[i].level for i, _ in found)
    starts = {i: parsed for i, parsed in found if blocks[i].level == level}
    tagged: list[Block] = []
    spans: list[tuple[tuple[str, str, bool], list[Block]]] = []
    current = 0
    for i, block in enumerate(blocks):
        if i in starts:
            spans.append((starts[i], []))
            current = len(spans)
        elif block.kind == "heading" and block.level < level:
            current = 0
        if current:
            spans[-1][1].append(block)
        tagged.append(replace(block, item=current))
    items = [_item(number, title, closed, body) for (number, title, closed), body in spans]
    is_meeting = doc_type in MEETING_DOC_TYPES
    if not (is_meeting or any(item.closed or item.case_in_head for item in items)):
        return blocks, []  # numbered sections of a memo or policy, not agenda items
    return tagged, items


def _item(number: str, title: str, closed: bool, blocks: list[Block]) -> AgendaItem:
    """The item's case number from its opening lines, else from anywhere in it.

    A case number cited further down ("jf. sagsnr. 19/17322") belongs to another case, so the
    line stating it between the item heading and its first section comes first.
    """
    for block in blocks[1 : HEAD_BLOCKS + 1]:
        if block.kind == "heading":
            break
        if CASE_LINE.match(block.text) and (case := find_case_number(block.text)):
            return AgendaItem(number, title, closed, case, case_in_head=True)
    return AgendaItem(number, title, closed, find_case_number("\n".join(b.text for b in blocks)))


def stricter_access(a: str, b: str) -> str:
    """The more restrictive of two access levels (public < internal < closed)."""
    rank = {level: n for n, level in enumerate(ACCESS_LEVELS)}
    return max(a, b, key=lambda level: rank.get(level, len(ACCESS_LEVELS)))
