"""HTML to blocks: inline elements join without a space, block elements break paragraphs.

Portal HTML splits words across inline tags (`<span>b</span>eskæftigelse`), so text is never
joined with a separator between inline children; only block boundaries create breaks.

Agenda portals mark items and sections in more ways than `<h2>`/`<h3>`, and each becomes the
same heading structure here: a title element (`<summary>`, a bold line, a class naming a title)
whose text is an item heading or a section name; a list item opening with an item heading, or
an `<ol>` entry opening with a title (numbered by its place); item fields in definition lists
and tables (see html_fields); a table with one row per item, read as the items when the page
has no other item headings (otherwise it is the page's list of contents); and layout tables
(cells holding whole texts), read cell by cell.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from bs4 import BeautifulSoup, NavigableString, PageElement, Tag
from bs4.element import Comment, Declaration, Doctype, ProcessingInstruction

from ingest.clean import collapse_whitespace, normalize_text
from ingest.document import Block
from ingest.items import NUMBER_ONLY, parse_item_heading
from ingest.loaders.html_fields import (
    Field,
    ItemFields,
    case_line,
    classify,
    group_items,
    is_field_label,
    item_columns,
    label_of,
    number_value,
)
from ingest.sections import section_name

BLOCK_TAGS = {
    "p", "div", "section", "article", "main", "ul", "ol", "li", "dl", "dt", "dd", "table",
    "thead", "tbody", "tfoot", "tr", "blockquote", "pre", "address", "figure", "figcaption",
    "hr", "br", "body", "html", "center", "fieldset", "details", "summary", "header", "form",
}  # fmt: skip
HEADING_TAGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
DROP_TAGS = {"script", "style", "noscript", "template", "svg", "iframe", "object", "head"}
STRUCTURE_TAGS = {"p", "div", "ul", "ol", "li", "table", "dl", "br", "section", "article"}
STRUCTURE_TAGS |= set(HEADING_TAGS)
HEADING_MARK = "data-referent-heading"  # set on a button that toggles an item (html_page)
_TITLE_MARK = re.compile(
    r"(^|[\s_-])(title|titel|heading|overskrift|header|rubrik|caption|punkt-?navn)($|[\s_-])",
    re.IGNORECASE,
)
_SKIP_STRINGS = (Comment, Declaration, Doctype, ProcessingInstruction)
_BREAKS = (BLOCK_TAGS | set(HEADING_TAGS) | {"td", "th"}) - {"html", "body"}
MAX_HEADING_WORDS = 25
LAYOUT_CELL_WORDS = 60


def parse_html(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "lxml")


def inline_text(tag: Tag) -> str:
    """Text of an element with inline children joined as written."""
    return collapse_whitespace(normalize_text("".join(_strings(tag))))


def _strings(tag: Tag):
    for node in tag.descendants:
        if isinstance(node, NavigableString) and not isinstance(node, _SKIP_STRINGS):
            if node.parent is not None and node.parent.name in DROP_TAGS:
                continue
            yield str(node)
        elif isinstance(node, Tag) and (node.name in _BREAKS):
            yield " "  # a block boundary (a paragraph in a table cell) is never mid-word


def html_to_blocks(root: Tag) -> list[Block]:
    walker = _Walker()
    walker.walk(root)
    return walker.finish()


def starts_item(text: str) -> bool:
    return bool(parse_item_heading(text) or NUMBER_ONLY.match(" ".join(text.split())))


class _Walker:
    """Walks the content in document order and keeps the heading levels consistent: an item
    heading made from fields takes the level of the page's other item headings, or the level
    below the last ordinary heading; a section heading the level below its item."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.buffer: list[str] = []
        self.context_level = 1  # the last heading that is neither an item nor a section
        self.item_level = 0  # the level item headings are given (0: none seen yet)
        self.item_tables: list[tuple[Block, list[Block]]] = []  # a table and its items
        self.unnumbered: set[int] = set()  # id() of item headings made without a number

    # -- emitting ---------------------------------------------------------------------------

    def flush(self) -> None:
        text = collapse_whitespace(normalize_text("".join(self.buffer)))
        self.buffer.clear()
        if text and text != "•":
            self.blocks.append(Block(text=text))

    def paragraph(self, text: str) -> None:
        self.flush()
        if text := collapse_whitespace(text):
            self.blocks.append(Block(text=text))

    def heading(self, text: str, level: int) -> None:
        self.flush()
        if text := collapse_whitespace(text):
            self.blocks.append(Block(text=text, kind="heading", level=level))

    def real_heading(self, text: str, level: int) -> None:
        if starts_item(text):
            self.item_level = level
        elif section_name(text) is None:
            self.context_level = level
        self.heading(text, level)

    def item_heading(self, text: str, level: int = 0) -> None:
        self.item_level = level or self.item_level or min(6, self.context_level + 1)
        self.heading(text, self.item_level)

    def section_heading(self, text: str) -> None:
        self.heading(text, min(6, (self.item_level or self.context_level) + 1))

    # -- walking ----------------------------------------------------------------------------

    def walk(self, node: Tag, skip: Tag | None = None) -> None:
        """The node's content in order. Plain containers are entered without recursion, so a
        page nested a thousand `<div>`s deep is read like any other."""
        stack: list[tuple[Iterator[PageElement], bool]] = [(iter(node.children), False)]
        while stack:
            children, is_block = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                if is_block:
                    self.flush()
                continue
            if child is skip:
                continue
            if isinstance(child, NavigableString):
                if not isinstance(child, _SKIP_STRINGS):
                    self.buffer.append(str(child))
                continue
            if not isinstance(child, Tag) or child.name in DROP_TAGS or self.special(child):
                continue
            is_block = child.name in BLOCK_TAGS or child.has_attr(HEADING_MARK)
            if is_block:
                self.flush()
            stack.append((iter(child.children), is_block))

    def special(self, tag: Tag) -> bool:
        """Reads an element that is more than a container (a heading, a table, a list of
        fields, a list entry, a title); False for a plain container."""
        name = tag.name
        if name in HEADING_TAGS:
            self.real_heading(heading_text(tag), HEADING_TAGS[name])
        elif tag.get("role") == "heading":
            self.real_heading(heading_text(tag), _aria_level(tag))
        elif name == "table":
            self.flush()
            self.table(tag)
        elif name == "dl":
            self.flush()
            self.definition_list(tag)
        elif name == "li":
            self.list_item(tag)
        elif (text := _pseudo_heading(tag)) is not None:
            if starts_item(text):
                self.item_heading(text)
            else:
                self.section_heading(text)
        else:
            return False
        return True

    def list_item(self, li: Tag) -> None:
        """An entry of the agenda when it opens with the item's heading (or, in an `<ol>`,
        with a title: the list numbers it); otherwise a bullet."""
        lead = _lead(li)
        if lead is not None and lead.name not in HEADING_TAGS:
            text = inline_text(lead)
            rest = len(inline_text(li).split()) - len(text.split())
            if rest >= 3 and len(text.split()) <= MAX_HEADING_WORDS:
                if parse_item_heading(text):
                    self.item_heading(text)
                    self.walk(li, skip=lead)
                    self.flush()
                    return
                numbered = li.parent is not None and li.parent.name == "ol"
                if numbered and _is_title_element(lead) and section_name(text) is None:
                    self.item_heading(f"{_position(li)}. {text}")
                    self.walk(li, skip=lead)
                    self.flush()
                    return
        if lead is not None and lead.name in HEADING_TAGS and li.parent is not None:
            text = inline_text(lead)
            if li.parent.name == "ol" and not starts_item(text) and section_name(text) is None:
                self.item_heading(f"{_position(li)}. {text}", HEADING_TAGS[lead.name])
                self.walk(li, skip=lead)
                self.flush()
                return
        self.flush()
        self.buffer.append("• ")
        self.walk(li)
        self.flush()

    # -- fields -----------------------------------------------------------------------------

    def definition_list(self, dl: Tag) -> None:
        fields: list[Field] = []
        label: str | None = None
        for el in dl.find_all(["dt", "dd"]):
            if el.find_parent("dl") is not dl:
                continue
            if el.name == "dt":
                label = inline_text(el)
            elif label is not None:
                value = inline_text(el)
                fields.append(Field(label, value, classify(label, value), el))
            else:
                self.walk(el)
                self.flush()
        if any(f.kind != "field" for f in fields):
            self.items(group_items(fields))
        else:
            for f in fields:
                self.field(f)

    def items(self, groups: list[ItemFields]) -> None:
        self.flush()
        for group in groups:
            if group.is_item:
                previous = self.blocks[-1] if self.blocks and not self.buffer else None
                if not group.title and _is_title_heading(previous):
                    # <h3>Title</h3><dl><dt>Punkt</dt><dd>4</dd>…: the heading gets its number
                    group.title = previous.text
                    self.blocks.pop()
                    self.item_heading(group.heading(), previous.level)
                else:
                    self.item_heading(group.heading())
                    if not group.number:
                        self.unnumbered.add(id(self.blocks[-1]))
            for f in group.fields:
                self.field(f)

    def field(self, f: Field) -> None:
        if f.kind == "case":
            self.paragraph(case_line(f))
        elif f.kind == "section":
            self.section_heading(label_of(f.label))
            if isinstance(f.payload, Tag):
                self.walk(f.payload)
            else:
                self.buffer.append(f.value)
            self.flush()
        elif f.value:
            self.paragraph(f"{label_of(f.label)}: {f.value}")

    # -- tables -----------------------------------------------------------------------------

    def table(self, table: Tag) -> None:
        rows = [
            tr.find_all(["td", "th"], recursive=False)
            for tr in table.find_all("tr")
            if tr.find_parent("table") is table
        ]
        rows = [cells for cells in rows if any(inline_text(c) for c in cells)]
        if not rows:
            return
        if _is_layout(table, rows):
            self.layout_rows(rows)
            return
        # empty cells keep their position, so columns line up with the header (ingest.tables)
        text = "\n".join(" | ".join(inline_text(c) for c in cells) for cells in rows)
        block = Block(text=text, kind="table")
        if fields := _field_rows(rows):
            self.items(group_items(fields))
            return
        start = len(self.blocks)
        level = self.item_level
        if self.item_rows(rows):
            expansion = self.blocks[start:]
            del self.blocks[start:]
            self.item_level = level
            self.item_tables.append((block, expansion))
        self.blocks.append(block)

    def item_rows(self, rows: list[list[Tag]]) -> bool:
        """Items from a table with one row per item that holds their text (a decision
        column); False for any other table, a list of items or cases among them."""
        header = [inline_text(c) for c in rows[0]]
        kinds = item_columns(header)
        body = rows[1:]
        if kinds is None:
            numbered = [number_value(inline_text(r[0])) for r in rows if len(r) >= 2]
            if len(numbered) != len(rows) or len(rows) < 2 or not all(numbered):
                return False
            texts = [r for r in rows if any(len(inline_text(c).split()) >= 5 for c in r[2:])]
            if len(texts) * 2 < len(rows):
                return False  # a list of titles, not the items' text
            kinds, header, body = {0: "number", 1: "title"}, [""] * len(rows[0]), rows
        elif "section" not in kinds.values():
            return False  # a list of items (Nr. | Titel | Sagsnr.), not the items themselves
        for cells in body:
            fields = [
                Field(header[i] if i < len(header) else "", inline_text(c), "field", c)
                for i, c in enumerate(cells)
            ]
            for i, f in enumerate(fields):
                f.kind = kinds.get(i, "field")
                if f.kind == "closed" and classify(f.label, f.value) != "closed":
                    f.kind = "field"
            group = group_items([f for f in fields if f.value])
            self.items(group)
        return True

    def layout_rows(self, rows: list[list[Tag]]) -> None:
        """A table used for layout: each row a title, a field, or cells of text."""
        for cells in rows:
            texts = [inline_text(c) for c in cells]
            if len(cells) >= 2 and (number := number_value(texts[0])) and _short(cells[1]):
                self.item_heading(f"{number}. {texts[1]}")
                for cell in cells[2:]:
                    self.walk(cell)
                    self.flush()
                continue
            if len(cells) >= 2 and is_field_label(texts[0]):
                kind = classify(texts[0], texts[1])
                if kind in ("case", "section") or _short(cells[1]):
                    self.field(Field(texts[0], texts[1], kind, cells[1]))
                    continue
            for cell in cells:
                self.flush()
                self.walk(cell)
                self.flush()

    def finish(self) -> list[Block]:
        self.flush()
        blocks = self.blocks
        if self.item_tables and not any(
            b.kind == "heading" and parse_item_heading(b.text) for b in blocks
        ):
            expanded: list[Block] = []
            tables = {id(table): items for table, items in self.item_tables}
            for block in blocks:
                expanded.extend(tables.get(id(block), [block]))
            blocks = expanded
        if self.unnumbered and not any(
            b.kind == "heading" and parse_item_heading(b.text) for b in blocks
        ):
            # items given by their fields without numbers: numbered in their order
            n = 0
            for i, block in enumerate(blocks):
                if id(block) in self.unnumbered:
                    n += 1
                    blocks[i] = replace(block, text=f"{n}. {block.text}")
        return blocks


def heading_text(tag: Tag) -> str:
    """A heading's text, its number set apart when an element of its own holds it
    (`<span class="nr">4</span><span>Takster</span>` → "4. Takster")."""
    text = inline_text(tag)
    first = next((c for c in tag.children if not (isinstance(c, str) and not c.strip())), None)
    if isinstance(first, Tag) and (number := number_value(inline_text(first))):
        rest = text[len(inline_text(first)) :].strip()
        if rest and not starts_item(text):
            return f"{number}. {rest}"
    return text


def _aria_level(tag: Tag) -> int:
    try:
        return max(1, min(6, int(tag.get("aria-level") or 2)))
    except ValueError:
        return 2


def _marks(tag: Tag) -> str:
    classes = tag.get("class") or []
    return " ".join([tag.get("id") or "", *(classes if isinstance(classes, list) else [classes])])


def _pseudo_heading(tag: Tag) -> str | None:
    """The text of an element set as a heading without being one, when it names an item or
    a section: `<summary>`, a toggle button, a bold line, an element classed as a title."""
    if tag.name not in BLOCK_TAGS and not tag.has_attr(HEADING_MARK) and tag.name != "span":
        return None
    if tag.find(list(STRUCTURE_TAGS)):
        return None  # holds text of its own, not a title
    text = heading_text(tag)
    if not text or len(text.split()) > MAX_HEADING_WORDS:
        return None
    if not _is_title_element(tag):
        return None
    if starts_item(text) or section_name(text) is not None:
        return text
    return None


def _is_title_element(tag: Tag) -> bool:
    return (
        tag.name in ("summary", "strong", "b")
        or tag.has_attr(HEADING_MARK)
        or bool(_TITLE_MARK.search(_marks(tag)))
        or _all_emphasised(tag)
    )


def _all_emphasised(tag: Tag) -> bool:
    """Every word of the element is bold: a heading set by hand."""
    found = False
    for node in tag.descendants:
        if isinstance(node, NavigableString) and not isinstance(node, _SKIP_STRINGS):
            if not node.strip():
                continue
            if not any(p.name in ("strong", "b") for p in node.parents if p is not tag):
                return False
            found = True
    return found


def _lead(li: Tag) -> Tag | None:
    """The list item's first element, when no text comes before it."""
    for child in li.children:
        if isinstance(child, NavigableString):
            if str(child).strip():
                return None
            continue
        if isinstance(child, Tag) and inline_text(child):
            return child
    return None


def _position(li: Tag) -> int:
    """The number an `<ol>` gives the entry (its `start`, an entry's `value`)."""
    parent = li.parent
    try:
        number = int(parent.get("start") or 1) if parent is not None else 1
    except ValueError:
        number = 1
    for sibling in parent.find_all("li", recursive=False) if parent is not None else [li]:
        if sibling.get("value", "").strip().isdigit():
            number = int(sibling["value"])
        if sibling is li:
            return number
        number += 1
    return number


def _is_title_heading(block: Block | None) -> bool:
    return (
        block is not None
        and block.kind == "heading"
        and not starts_item(block.text)
        and section_name(block.text) is None
        and len(block.text.split()) <= MAX_HEADING_WORDS
    )


def _short(cell: Tag) -> bool:
    return len(inline_text(cell).split()) <= MAX_HEADING_WORDS and not cell.find(
        ["p", "div", "ul", "ol", "table", "br", *HEADING_TAGS]
    )


def _is_layout(table: Tag, rows: list[list[Tag]]) -> bool:
    """A table that lays out text rather than holding data: a cell holds headings, lists or
    tables, or a whole text."""
    if table.get("role") == "presentation":
        return True
    for cells in rows:
        for cell in cells:
            if cell.find(["ul", "ol", "table", "dl", *HEADING_TAGS]):
                return True
            if len(cell.find_all(["p", "div"], recursive=False)) >= 2:
                return True  # paragraphs of text, not a value
            if len(inline_text(cell).split()) > LAYOUT_CELL_WORDS:
                return True
    return False


def _field_rows(rows: list[list[Tag]]) -> list[Field] | None:
    """The fields of a two-column table of labels and values that holds an item's fields."""
    if len(rows) < 2 or any(len(cells) != 2 for cells in rows):
        return None
    texts = [(inline_text(a), inline_text(b)) for a, b in rows]
    if sum(is_field_label(label) for label, _ in texts) < max(2, len(rows) // 2):
        return None
    fields = [Field(label, value, classify(label, value), b) for (label, value), (_, b) in
              zip(texts, rows, strict=True)]  # fmt: skip
    if not any(f.kind in ("number", "title", "case") for f in fields):
        return None
    return fields
