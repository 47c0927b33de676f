"""HTML to blocks: inline elements join without a space, block elements break paragraphs.

Portal HTML splits words across inline tags (`<span>b</span>eskæftigelse`), so text is never
joined with a separator between inline children; only block boundaries create breaks.
"""

from __future__ import annotations

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import Comment, Declaration, Doctype, ProcessingInstruction

from ingest.clean import collapse_whitespace, normalize_text
from ingest.document import Block

BLOCK_TAGS = {
    "p", "div", "section", "article", "main", "ul", "ol", "li", "dl", "dt", "dd", "table",
    "thead", "tbody", "tfoot", "tr", "blockquote", "pre", "address", "figure", "figcaption",
    "hr", "br", "body", "html", "center", "fieldset", "details", "summary",
}  # fmt: skip
HEADING_TAGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
DROP_TAGS = {"script", "style", "noscript", "template", "svg", "iframe", "object", "head"}
_SKIP_STRINGS = (Comment, Declaration, Doctype, ProcessingInstruction)


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
        elif isinstance(node, Tag) and node.name == "br":
            yield " "


def html_to_blocks(root: Tag) -> list[Block]:
    blocks: list[Block] = []
    buffer: list[str] = []

    def flush() -> None:
        text = collapse_whitespace(normalize_text("".join(buffer)))
        buffer.clear()
        if text:
            blocks.append(Block(text=text))

    def walk(node: Tag) -> None:
        for child in node.children:
            if isinstance(child, NavigableString):
                if not isinstance(child, _SKIP_STRINGS):
                    buffer.append(str(child))
                continue
            if not isinstance(child, Tag) or child.name in DROP_TAGS:
                continue
            name = child.name
            if name in HEADING_TAGS:
                flush()
                text = inline_text(child)
                if text:
                    blocks.append(Block(text=text, kind="heading", level=HEADING_TAGS[name]))
            elif name == "table":
                flush()
                blocks.extend(_table_blocks(child))
            elif name == "li":
                flush()
                buffer.append("• ")
                walk(child)
                flush()
            elif name in BLOCK_TAGS:
                flush()
                walk(child)
                flush()
            else:
                walk(child)

    walk(root)
    flush()
    return blocks


def _table_blocks(table: Tag) -> list[Block]:
    rows = []
    for tr in table.find_all("tr"):
        # empty cells keep their position, so columns line up with the header (ingest.tables)
        cells = [inline_text(c) for c in tr.find_all(["td", "th"], recursive=False)]
        if any(cells):
            rows.append(" | ".join(cells))
    return [Block(text="\n".join(rows), kind="table")] if rows else []
