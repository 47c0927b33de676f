"""HTML text: parsing, and an element's text with inline children joined as written.

Portal HTML splits words across inline tags (`<span>b</span>eskæftigelse`), so text is never
joined with a separator between inline children; only block boundaries create breaks.
"""

from __future__ import annotations

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import Comment, Declaration, Doctype, ProcessingInstruction

from ingest.clean import collapse_whitespace, normalize_text
from ingest.items import NUMBER_ONLY, parse_item_heading
from ingest.loaders.html_fields import number_value

BLOCK_TAGS = {
    "p", "div", "section", "article", "main", "ul", "ol", "li", "dl", "dt", "dd", "table",
    "thead", "tbody", "tfoot", "tr", "blockquote", "pre", "address", "figure", "figcaption",
    "hr", "br", "body", "html", "center", "fieldset", "details", "summary", "header", "form",
}  # fmt: skip
HEADING_TAGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
DROP_TAGS = {"script", "style", "noscript", "template", "svg", "iframe", "object", "head"}
SKIP_STRINGS = (Comment, Declaration, Doctype, ProcessingInstruction)
_BREAKS = (BLOCK_TAGS | set(HEADING_TAGS) | {"td", "th"}) - {"html", "body"}
MAX_HEADING_WORDS = 25


def parse_html(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "lxml")


def inline_text(tag: Tag) -> str:
    """Text of an element with inline children joined as written."""
    return collapse_whitespace(normalize_text("".join(_strings(tag))))


def _strings(tag: Tag):
    for node in tag.descendants:
        if isinstance(node, NavigableString) and not isinstance(node, SKIP_STRINGS):
            if node.parent is not None and node.parent.name in DROP_TAGS:
                continue
            yield str(node)
        elif isinstance(node, Tag) and (node.name in _BREAKS):
            yield " "  # a block boundary (a paragraph in a table cell) is never mid-word


def starts_item(text: str) -> bool:
    """An agenda item's heading, or its number alone ("Punkt 4")."""
    return bool(parse_item_heading(text) or NUMBER_ONLY.match(" ".join(text.split())))


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
