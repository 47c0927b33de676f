"""Writing blocks with one heading structure, and reading item fields and tables into it.

Whatever shape a portal gives an item (a heading, a row of a table, a group of fields), it is
written as the same blocks: the item's heading ("4. Takster 2025"), its case line ("Sagsnr.:
…"), its sections as headings over their text. An item heading made here takes the level of
the page's other item headings, or the level below the last ordinary heading; a section
heading the level below its item. Item fields are read by their labels (html_fields).
"""

from __future__ import annotations

from bs4 import Tag

from danish.sections import section_name
from ingest.clean import collapse_whitespace, normalize_text
from ingest.document import Block
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
from ingest.loaders.html_text import HEADING_TAGS, MAX_HEADING_WORDS, inline_text, starts_item

LAYOUT_CELL_WORDS = 60  # a cell this long holds a text, not a value
LAYOUT_TEXT_WORDS = 20  # paragraphs in a cell, this long together: a text


class StructureWriter:
    """Blocks written in document order; `walk` (the subclass's) reads an element's content."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.buffer: list[str] = []
        self.context_level = 1  # the last heading that is neither an item nor a section
        self.item_level = 0  # the level item headings are given (0: none seen yet)
        self.item_tables: list[tuple[Block, list[Block]]] = []  # a table and its items
        self.unnumbered: set[int] = set()  # id() of item headings made without a number

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

    def walk(self, node: Tag, skip: Tag | None = None) -> None:
        raise NotImplementedError

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

    def plain_table(self, table: Tag) -> None:
        rows = []
        for tr in table.find_all("tr"):
            # empty cells keep their position, so columns line up with the header
            cells = [inline_text(c) for c in tr.find_all(["td", "th"], recursive=False)]
            if any(cells):
                rows.append(" | ".join(cells))
        if rows:
            self.blocks.append(Block(text="\n".join(rows), kind="table"))

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
            paragraphs = [p for p in cell.find_all(["p", "div"], recursive=False) if inline_text(p)]
            if len(paragraphs) >= 2 and len(inline_text(cell).split()) >= LAYOUT_TEXT_WORDS:
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
