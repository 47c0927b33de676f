"""Meeting-portal and other web pages: keep headings and agenda items, drop page chrome.

The page's own description (title, `<h1>`, breadcrumb trail, meeting header; see html_page)
opens the header text the metadata is read from, before the content's first blocks. The
address the page declares for itself (canonical link, `og:url`) is its `url`.
"""

from __future__ import annotations

from pathlib import Path

from ingest.document import SourceDocument
from ingest.items import parse_item_heading
from ingest.loaders.html_blocks import html_to_blocks, parse_html
from ingest.loaders.html_page import (
    content_root,
    declared_url,
    mark_toggles,
    page_cues,
    page_title,
    remove_chrome,
)
from ingest.loaders.text import decode_bytes
from vectorstore.records import safe_url

HEAD_BLOCKS = 12


def load_html(path: Path) -> list[SourceDocument]:
    soup = parse_html(decode_bytes(path.read_bytes()))
    title = page_title(soup)
    url = safe_url(declared_url(soup))  # only an absolute http(s) address the page gives
    cues = page_cues(soup)
    mark_toggles(soup)
    remove_chrome(soup)
    blocks = html_to_blocks(content_root(soup))
    opening = [b.text for b in blocks[:HEAD_BLOCKS]]
    doc = SourceDocument(
        blocks=blocks,
        source_format="html",
        metadata={k: v for k, v in (("title", title), ("url", url)) if v},
        header_text="\n".join(dict.fromkeys([*cues, *opening])),
    )
    # item headings the page gave, in whatever shape: for the per-file structure report
    items = [b for b in blocks if b.kind == "heading" and parse_item_heading(b.text)]
    doc.noted("html_items", len(items))
    return [doc]
