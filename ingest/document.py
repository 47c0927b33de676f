"""What loaders produce: a document as an ordered list of structural blocks plus metadata.

Loaders keep structure (headings, paragraphs, tables, pages) and leave cleaning, metadata
extraction and chunking to later stages, so every format shares one path from here on.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Block:
    text: str
    kind: str = "paragraph"  # paragraph | heading | table | toc (a table of contents: not text)
    level: int = 0  # heading level (1 = top); 0 for body blocks
    page: int = 0  # 1-based page; 0 when the format has no pages
    page_end: int = 0  # last page, when a paragraph runs onto the next page
    section: str = ""  # set by loaders that know the section (portal items)
    item: int = 0  # 1-based agenda item within the file (see ingest.items); 0 outside items


@dataclass
class SourceDocument:
    """One document: a whole file, or one agenda item of a portal meeting file."""

    blocks: list[Block]
    source_format: str
    metadata: dict[str, str | int] = field(default_factory=dict)
    # Distinguishes documents that may share text but are distinct records (an agenda item at
    # one meeting vs. the same text at another). Empty for plain files, whose identity is their
    # text, so two renditions of one text are recognised as one document.
    identity: str = ""
    header_text: str = ""  # raw text of the first page(s), for metadata extraction
    pages: int = 0
    # what reading the layout recognised or removed, for the per-file structure report:
    # counts under names such as "furniture_lines", "toc_entries", "doubled_runs"
    layout: dict[str, int] = field(default_factory=dict)

    def noted(self, what: str, n: int = 1) -> None:
        """Count something the layout held that is not text (a running header, a TOC line)."""
        if n:
            self.layout[what] = self.layout.get(what, 0) + n

    @property
    def text(self) -> str:
        return "\n\n".join(b.text for b in self.blocks)
