"""HTML to blocks: the content walked in document order, block elements breaking paragraphs.

Agenda portals mark items and sections in more ways than `<h2>`/`<h3>`, and each becomes the
same heading structure (html_structure): a title element (`<summary>`, a toggle button, a bold
line, an element classed as a title, `role="heading"`) whose text is an item heading or a
section name; a heading whose number is an element of its own; a list entry opening with an
item heading, or an `<ol>` entry opening with a title (numbered by its place); item fields in
definition lists and tables; a table with a row per item holding the items' text, read as the
items when the page has no other item headings; and layout tables, read cell by cell.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from bs4 import NavigableString, PageElement, Tag

from danish.sections import section_name
from ingest.document import Block
from ingest.items import parse_item_heading
from ingest.loaders.html_structure import StructureWriter
from ingest.loaders.html_text import (
    BLOCK_TAGS,
    DROP_TAGS,
    HEADING_TAGS,
    MAX_HEADING_WORDS,
    SKIP_STRINGS,
    heading_text,
    inline_text,
    parse_html,
    starts_item,
)

__all__ = ["HEADING_MARK", "HEADING_TAGS", "html_to_blocks", "inline_text", "parse_html"]
STRUCTURE_TAGS = {"p", "div", "ul", "ol", "li", "table", "dl", "br", "section", "article"}
STRUCTURE_TAGS |= set(HEADING_TAGS)
HEADING_MARK = "data-referent-heading"  # set on a button that toggles an item (html_page)
_TITLE_MARK = re.compile(
    r"(^|[\s_-])(title|titel|heading|overskrift|header|rubrik|caption|punkt-?navn)($|[\s_-])",
    re.IGNORECASE,
)


def html_to_blocks(root: Tag, agenda: bool = True) -> list[Block]:
    """The content's blocks. `agenda=False` reads headings, paragraphs, lists and tables only:
    for HTML whose structure the caller already knows (a portal item's sections)."""
    walker = _Walker(agenda)
    walker.walk(root)
    return walker.finish()


class _Walker(StructureWriter):
    """Walks the content in document order (see html_structure for what it writes)."""

    def __init__(self, agenda: bool = True) -> None:
        super().__init__()
        self.agenda = agenda

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
                if not isinstance(child, SKIP_STRINGS):
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
        if not self.agenda:
            return self.plain(tag)
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

    def plain(self, tag: Tag) -> bool:
        """Headings, list entries and tables as they are, for HTML without agenda layouts."""
        if tag.name in HEADING_TAGS:
            self.heading(inline_text(tag), HEADING_TAGS[tag.name])
        elif tag.name == "table":
            self.flush()
            self.plain_table(tag)
        elif tag.name == "li":
            self.bullet(tag)
        else:
            return False
        return True

    def bullet(self, li: Tag) -> None:
        self.flush()
        self.buffer.append("• ")
        self.walk(li)
        self.flush()

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
        self.bullet(li)

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
        if isinstance(node, NavigableString) and not isinstance(node, SKIP_STRINGS):
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
