"""PDF via PyMuPDF: page-aware paragraphs and headings from the text layer.

Headings are told from body text by font size and weight; running headers, footers and page
labels are dropped (repeated margin lines, "Side 2 af 9"); superscript footnote markers are
removed from the running text.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ingest.clean import furniture_key, furniture_keys, is_page_label, normalize_text
from ingest.document import Block, SourceDocument
from ingest.errors import CorruptFile, EmptyDocument, EncryptedFile
from ingest.limits import FileLimits, check_page_count

TOP_MARGIN = 0.25  # share of the page height where running headers live
BOTTOM_MARGIN = 0.12
BOLD_FLAG = 16


@dataclass
class _Line:
    text: str
    size: float
    bold: bool
    page: int
    block: int
    y_share: float  # vertical position as a share of page height

    @property
    def in_margin(self) -> bool:
        return self.y_share < TOP_MARGIN or self.y_share > 1 - BOTTOM_MARGIN


def load_pdf(path: Path, limits: FileLimits | None = None) -> list[SourceDocument]:
    import pymupdf

    pymupdf.TOOLS.mupdf_warnings()  # clear warnings left by earlier files
    try:
        doc = pymupdf.open(path)
    except Exception as exc:
        raise CorruptFile(str(exc)[:200]) from exc
    with doc:
        if doc.needs_pass or doc.is_encrypted:
            raise EncryptedFile()
        check_page_count(doc.page_count, limits or FileLimits())
        if doc.page_count == 0:
            raise CorruptFile("PDF'en har ingen sider")
        pages = [_page_lines(page, number) for number, page in enumerate(doc, start=1)]
        title = (doc.metadata or {}).get("title") or ""
        page_count = doc.page_count
    all_lines = [line for page in pages for line in page]
    if not any(line.text.strip() for line in all_lines):
        if "repair" in pymupdf.TOOLS.mupdf_warnings().lower():
            raise CorruptFile("PDF'en er beskadiget og kunne ikke genskabes")
        raise EmptyDocument("ingen tekst i PDF'en (måske en scannet fil uden tekstlag)")
    header_text = "\n".join(line.text for line in all_lines if line.page <= 2)
    furniture = furniture_keys([[ln.text for ln in page if ln.in_margin] for page in pages])
    body = [
        ln
        for ln in all_lines
        if not is_page_label(ln.text) and not (ln.in_margin and furniture_key(ln.text) in furniture)
    ]
    blocks = _blocks(body)
    metadata = {"title": normalize_text(title).strip()} if _useful_title(title) else {}
    return [
        SourceDocument(
            blocks=blocks,
            source_format="pdf",
            metadata=metadata,
            header_text=header_text,
            pages=page_count,
        )
    ]


def _useful_title(title: str) -> bool:
    t = title.strip().lower()
    return (
        len(t.split()) >= 3
        and not t.endswith((".docx", ".doc", ".pdf"))
        and not t.startswith("microsoft")
    )


def _page_lines(page, number: int) -> list[_Line]:
    height = page.rect.height or 1.0
    lines: list[_Line] = []
    data = page.get_text("dict", sort=False)
    for block_no, block in enumerate(data["blocks"]):
        if block.get("type") != 0:
            continue
        for line in block["lines"]:
            spans = line["spans"]
            sizes = [s["size"] for s in spans if s["text"].strip()]
            if not sizes:
                # an empty line separates paragraphs inside a block
                lines.append(_Line("", 0.0, False, number, block_no, line["bbox"][1] / height))
                continue
            body = max(sizes)
            text = "".join(
                s["text"]
                for s in spans
                # superscript footnote markers: small digits inside a larger line
                if not (s["size"] < body * 0.8 and s["text"].strip().isdigit())
            )
            bold = all(s["flags"] & BOLD_FLAG for s in spans if s["text"].strip())
            text = normalize_text(text)
            lines.append(
                _Line(text, round(body, 1), bold, number, block_no, line["bbox"][1] / height)
            )
    return lines


def _continues(previous: _Line, line: _Line) -> bool:
    """Whether a text block goes on from the previous one (a sentence or word cut by a break)."""
    if not previous.text:
        return False
    if previous.text.endswith(("-", "\u2010")):
        return True
    return not previous.text.endswith((".", "!", "?", ":", ";")) and line.text[:1].islower()


def _blocks(lines: list[_Line]) -> list[Block]:
    sizes: Counter[float] = Counter()
    for ln in lines:
        if ln.text:
            sizes[ln.size] += len(ln.text)
    if not sizes:
        return []
    body_size = sizes.most_common(1)[0][0]
    heading_sizes = sorted({ln.size for ln in lines if ln.size >= body_size + 1.5}, reverse=True)

    def heading_level(ln: _Line) -> int:
        if not ln.text or len(ln.text.split()) > 20 or ln.text.endswith((".", ",", ";")):
            return 0
        if ln.size in heading_sizes:
            return heading_sizes.index(ln.size) + 1
        if ln.bold and ln.size >= body_size - 0.5 and len(ln.text.split()) <= 14:
            return len(heading_sizes) + 1
        return 0

    blocks: list[Block] = []
    current: list[_Line] = []
    current_level = 0

    def flush() -> None:
        nonlocal current, current_level
        if current:
            text = "\n".join(ln.text for ln in current)
            kind = "heading" if current_level else "paragraph"
            blocks.append(
                Block(
                    text=text,
                    kind=kind,
                    level=current_level,
                    page=current[0].page,
                    page_end=current[-1].page,
                )
            )
        current, current_level = [], 0

    previous: _Line | None = None
    for ln in lines:
        if not ln.text:
            flush()
            previous = ln
            continue
        level = heading_level(ln)
        new_block = previous is not None and (
            ln.block != previous.block or ln.page != previous.page
        )
        boundary = (
            previous is None
            or level != current_level
            or (new_block and (level or current_level or not _continues(previous, ln)))
        )
        if boundary:
            flush()
            current_level = level
        current.append(ln)
        previous = ln
    flush()
    return blocks
