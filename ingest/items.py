"""Agenda items inside one minutes or agenda file (PDF, DOCX, TXT, HTML).

A portal meeting file gives every item as its own document; a minutes file holds all items in
one text. Each item has its own number, title, case number and access ("Lukket: …" items are
closed), so passages must carry their item's values, not the first ones found in the file.

Items are told by numbered headings ("3. Takster 2025", "Punkt 4: …", "Sag nr. 5 …") from the
loaders' heading structure, never by free text: a numbered list in the body is not an item. A
number set apart from its title ("1." on a line of its own above the title, as eDoc prints it)
is joined to it, and an item heading set in a table with the item's fields ("715. Kulturkommune
2017" | "Sagsnr.: | 12/27845", as Acadre writes it) becomes a heading and its field lines.
Numbered headings are agenda items in minutes and agendas, or when the items show it: a closed
item, a case number under the heading, or sections only agenda items have (a decision, a
recommendation, a case account). A numbered title a reader took for a paragraph counts when
its case line follows it. Without numbered headings, in this order: headings matching the
numbered entries of the document's table of contents; headings "4 Takster" in a rising run;
headings each followed by their case number; in minutes and agendas, headings that hold an
item's sections. The last two are numbered in their order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from itertools import pairwise

from danish.decisions import CASE_LINE, CLOSED_PREFIX, RUN_ON_CASE, find_case_number
from danish.doc_types import MEETING_TYPES
from danish.sections import is_agenda_section, section_name, split_label
from ingest.document import Block
from vectorstore.records import ACCESS_LEVELS

# "3. Takster 2025", "3) Takster", "Punkt 3: Takster", "Pkt. 3 – Takster", "Sag nr. 5 Takster",
# "Dagsordenpunkt 3 …", "4.Takster" (a number and title in two inline elements); not
# "2.1 Økonomi", "Sag nr. 24-009214", and not "1. at budgettet vedtages" (a list item the text
# loader may take for a heading)
_LEAD = r"(?i:(?:dagsorden)?punkt|pkt\.?|sag)\s*(?i:nr\.?)?\s*"
ITEM_HEADING = re.compile(
    rf"^(?:{_LEAD}(\d{{1,3}})(?![\d/-])\s*[.:)–-]?\s+|(\d{{1,3}})[.)]\s+|(\d{{1,3}})[.)](?=[A-ZÆØÅ]))"
    r"((?:(?i:lukket|fortrolig)|[A-ZÆØÅ0-9»\"'„“]).*)$"
)
# a number without its title: "1.", "Punkt 4", "Sag nr. 5", "Pkt. 3:"
NUMBER_ONLY = re.compile(rf"^(?:{_LEAD})?(\d{{1,3}})(?![\d/-])\s*[.:)]?$")
_NUMBER_LINE = re.compile(rf"^(?:{_LEAD}\d{{1,3}}(?![\d/-])\s*[.:)]?|\d{{1,3}}[.)])$")
# "4 Godkendelse af dagsorden": a bare number is an item only in a run of them (see mark_items)
BARE_NUMBERED = re.compile(r"^(\d{1,3})\s+([A-ZÆØÅ].*)$")
HEAD_BLOCKS = 4  # blocks after an item heading where its own case line is looked for
MAX_TITLE_WORDS = 30


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
    number = match.group(1) or match.group(2) or match.group(3)
    return _parsed(number, match.group(4))


def starts_item(line: str) -> bool:
    """Whether a line opens an agenda item: its heading, or its number on a line of its own."""
    line = " ".join(line.split())
    return bool(parse_item_heading(line) or _NUMBER_LINE.match(line))


def _parsed(number: str, name: str) -> tuple[str, str, bool]:
    name = name.strip()
    prefix = CLOSED_PREFIX.match(name)
    title = name[prefix.end() :].strip() if prefix else name
    return number.lstrip("0") or "0", title or name, prefix is not None


def join_item_headings(blocks: list[Block]) -> list[Block]:
    """Item headings set apart from their number or inside a table, as one heading each."""
    out: list[Block] = []
    i = 0
    while i < len(blocks):
        block = blocks[i]
        following = blocks[i + 1] if i + 1 < len(blocks) else None
        number = NUMBER_ONLY.match(" ".join(block.text.split())) if block.kind != "table" else None
        if number and following is not None and _is_title(block, following):
            level = block.level if block.kind == "heading" else following.level
            text = f"{number.group(1)}. {' '.join(following.text.split())}"
            out.append(replace(following, text=text, kind="heading", level=level or 2))
            i += 2
            continue
        if block.kind == "table" and (split := _item_table(block, _next_heading(blocks, i))):
            out.extend(split)
        else:
            out.append(block)
        i += 1
    if not any(b.kind == "heading" and parse_item_heading(b.text) for b in out):
        out = _headings_from_case_lines(out)
    return out


def _headings_from_case_lines(blocks: list[Block]) -> list[Block]:
    """Item headings a layout set as body text ("3. Takster 2025" in bold that a PDF reader
    took for a paragraph), told by the case line under them: on the next line, or run on
    into the same paragraph ("3. Takster 2025 Sagsnr.: 24-008831 …")."""
    levels = [b.level for b in blocks if b.kind == "heading"]
    level = min(levels) if levels else 2
    out: list[Block] = []
    for i, block in enumerate(blocks):
        text = " ".join(block.text.split())
        following = blocks[i + 1] if i + 1 < len(blocks) else None
        if block.kind != "paragraph" or not parse_item_heading(text):
            out.append(block)
            continue
        run_on = RUN_ON_CASE.search(text)
        head = text[: run_on.start()].strip() if run_on else text
        if run_on and parse_item_heading(head) and _is_heading_text(head):
            out.append(replace(block, text=head, kind="heading", level=level))
            out.append(replace(block, text=text[run_on.start() :].strip()))
        elif following is not None and CASE_LINE.match(following.text) and _is_heading_text(text):
            out.append(replace(block, text=text, kind="heading", level=level))
        else:
            out.append(block)
    return out


def _is_heading_text(text: str) -> bool:
    return len(text.split()) <= MAX_TITLE_WORDS and text[-1] not in ".,;:"


def _is_title(number: Block, title: Block) -> bool:
    """Whether `title` is the title of the item whose number stands alone in `number`."""
    text = " ".join(title.text.split())
    if title.kind == "table" or not text or parse_item_heading(text) or NUMBER_ONLY.match(text):
        return False
    if len(text.split()) > MAX_TITLE_WORDS or split_label(text) or find_case_number(text):
        return False
    if title.kind == "heading":
        return True
    # a paragraph is the title only under a number set as a heading, and reads like one
    starts = text[0].isupper() or text[0].isdigit() or text[0] in "»\"'„“"
    return number.kind == "heading" and starts and text[-1] not in ".,;:"


def _next_heading(blocks: list[Block], i: int) -> Block | None:
    return next((b for b in blocks[i + 1 :] if b.kind == "heading"), None)


def _item_table(table: Block, next_heading: Block | None) -> list[Block] | None:
    """A table whose first row is an item heading and whose other rows are the item's fields
    ("Sagsnr.: | 12/27845"): the heading, then one "Label: value" line per field."""
    rows = [[c.strip() for c in row.split(" | ")] for row in table.text.split("\n")]
    head = " ".join(c for c in rows[0] if c)
    if len(rows) < 2 or len(head.split()) > MAX_TITLE_WORDS or not parse_item_heading(head):
        return None
    fields: list[str] = []
    for cells in rows[1:]:
        filled = [c for c in cells if c]
        if len(filled) < 2 or len(filled[0].split()) > 5:
            return None  # a row of text, not a field: an ordinary table
        fields.append(f"{filled[0].rstrip(':')}: {' '.join(filled[1:])}")
    if not any(CASE_LINE.match(f) for f in fields):
        return None
    if next_heading is None:
        level = 2
    elif parse_item_heading(next_heading.text):
        level = next_heading.level
    else:
        level = max(1, next_heading.level - 1)
    heading = replace(table, text=head, kind="heading", level=level)
    return [heading, *(replace(table, text=f, kind="paragraph", level=0) for f in fields)]


def mark_items(
    blocks: list[Block], doc_type: str, listed: list[tuple[str, str]] = ()
) -> tuple[list[Block], list[AgendaItem]]:
    """The blocks tagged with their 1-based item (0 outside items), and the items found.

    Items are the numbered headings at the highest level that has any. An item runs until the
    next item or a higher-level heading: an unnumbered heading at the item's own level stays in
    the item, so a misread heading inside a closed item never opens the rest of it. `listed`:
    the (number, title) entries of the document's own table of contents, which name its items
    when their headings carry no number.
    """
    blocks = join_item_headings(blocks)
    found = _numbered(blocks) or _listed(blocks, listed) or _bare_numbered(blocks)
    found = found or _told_by_case_lines(blocks)
    if not found and doc_type in MEETING_TYPES:
        found = _told_by_sections(blocks)
    if not found:
        return blocks, []
    level = min(blocks[i].level for i in found)
    starts = {i: parsed for i, parsed in found.items() if blocks[i].level == level}
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
    with_sections = sum(_has_agenda_section(body) for _, body in spans)
    if not (
        doc_type in MEETING_TYPES
        or any(item.closed or item.case_in_head for item in items)
        or with_sections >= max(1, len(items) // 2)
    ):
        return blocks, []  # numbered sections of a memo or policy, not agenda items
    return tagged, items


Parsed = tuple[str, str, bool]


def _numbered(blocks: list[Block]) -> dict[int, Parsed]:
    return {
        i: parsed
        for i, b in enumerate(blocks)
        if b.kind == "heading" and (parsed := parse_item_heading(b.text))
    }


def _listed(blocks: list[Block], listed: list[tuple[str, str]]) -> dict[int, Parsed]:
    """Headings whose text is a numbered entry of the table of contents, in its order: the
    document's own list of items tells which headings are items and their numbers."""
    wanted = [(n, t) for n, t in listed if n and t and not n.count(".")]
    found: dict[int, Parsed] = {}
    at = 0
    for i, block in enumerate(blocks):
        if at == len(wanted) or block.kind != "heading":
            continue
        text = " ".join(block.text.split())
        for j in range(at, len(wanted)):
            number, title = wanted[j]
            if _key(text) == _key(title):
                number, name, closed = _parsed(number, text)
                found[i] = (number, name, closed or bool(CLOSED_PREFIX.match(title)))
                at = j + 1
                break
    return found if len(found) >= 2 else {}


def _key(title: str) -> str:
    name = CLOSED_PREFIX.sub("", " ".join(title.split()).rstrip(" .:"))
    return name.lower()


def _bare_numbered(blocks: list[Block]) -> dict[int, Parsed]:
    """Headings "4 Godkendelse af dagsorden" (a number and a title in two elements, no dot),
    when at least two at one level count upwards: one alone may be "100 års jubilæum"."""
    found: dict[int, Parsed] = {}
    for i, b in enumerate(blocks):
        if b.kind == "heading" and (match := BARE_NUMBERED.match(" ".join(b.text.split()))):
            found[i] = _parsed(match.group(1), match.group(2))
    numbers = [int(parsed[0]) for parsed in found.values()]
    increasing = all(a < b for a, b in pairwise(numbers))
    levels = {blocks[i].level for i in found}
    return found if len(found) >= 2 and increasing and len(levels) == 1 else {}


def _told_by_case_lines(blocks: list[Block]) -> dict[int, Parsed]:
    """Unnumbered headings each stating its case number on the next line ("Sagsnr.: …"):
    items numbered in their order, when at least two share a level."""
    found: list[int] = []
    for i, b in enumerate(blocks):
        if b.kind != "heading" or len(b.text.split()) > MAX_TITLE_WORDS:
            continue
        for nxt in blocks[i + 1 : i + 3]:
            if nxt.kind == "heading":
                break
            if CASE_LINE.match(nxt.text):
                found.append(i)
                break
    levels = {blocks[i].level for i in found}
    if len(found) < 2 or len(levels) != 1:
        return {}
    return {i: _parsed(str(n), blocks[i].text) for n, i in enumerate(found, start=1)}


def _told_by_sections(blocks: list[Block]) -> dict[int, Parsed]:
    """In minutes and agendas, unnumbered headings at one level that each hold an agenda
    item's sections (a recommendation, a decision, a case account): the items, in order."""
    headings = [i for i, b in enumerate(blocks) if b.kind == "heading" and not _section(b)]
    by_level: dict[int, list[int]] = {}
    for i in headings:
        by_level.setdefault(blocks[i].level, []).append(i)
    for level in sorted(by_level):
        starts = by_level[level]
        ends = [*starts[1:], len(blocks)]
        spans = [blocks[a:b] for a, b in zip(starts, ends, strict=True)]
        holding = [a for a, span in zip(starts, spans, strict=True) if _has_agenda_section(span)]
        if len(holding) >= 2 and len(holding) * 2 >= len(starts):
            items = [i for i in starts if i >= holding[0]]  # what comes before is no item
            return {i: _parsed(str(n), blocks[i].text) for n, i in enumerate(items, start=1)}
    return {}


def _section(block: Block) -> bool:
    return is_agenda_section(block.text) or section_name(block.text) is not None


def _has_agenda_section(blocks: list[Block]) -> bool:
    for block in blocks[1:]:
        if block.kind == "heading" and is_agenda_section(block.text):
            return True
        split = split_label(block.text) if block.kind == "paragraph" else None
        if split and is_agenda_section(split[0]):
            return True
    return False


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
