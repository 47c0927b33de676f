"""Meeting-portal and other web pages: keep headings and agenda items, drop page chrome."""

from __future__ import annotations

import re
from pathlib import Path

from ingest.document import SourceDocument
from ingest.loaders.html_blocks import html_to_blocks, inline_text, parse_html
from ingest.loaders.text import decode_bytes

CHROME_TAGS = ["nav", "header", "footer", "aside", "form", "button", "menu", "dialog"]
CHROME_PATTERN = re.compile(
    r"(^|[\s_-])(nav|navbar|navigation|menu|breadcrumbs?|cookie\w*|consent|banner|footer|"
    r"header|sidebar|skip-link|share|social)($|[\s_-])",
    re.IGNORECASE,
)


def load_html(path: Path) -> list[SourceDocument]:
    soup = parse_html(decode_bytes(path.read_bytes()))
    title = inline_text(soup.title) if soup.title else ""
    for tag in soup.find_all(CHROME_TAGS):
        tag.decompose()
    for tag in soup.find_all(attrs={"role": re.compile("navigation|banner|contentinfo")}):
        tag.decompose()
    for tag in soup.find_all(True):
        if tag.decomposed or tag.attrs is None:
            continue
        marks = " ".join([tag.get("id") or "", *(tag.get("class") or [])])
        if marks.strip() and CHROME_PATTERN.search(marks):
            tag.decompose()
    root = soup.find("main") or soup.find("article") or soup.body or soup
    blocks = html_to_blocks(root)
    return [
        SourceDocument(
            blocks=blocks,
            source_format="html",
            metadata={"title": title} if title else {},
            header_text="\n".join(b.text for b in blocks[:12]),
        )
    ]
