"""PDF via PyMuPDF: page-aware paragraphs and headings from the text layer.

The page is read as visual lines with one layer of text (ingest.loaders.pdf_lines); running
headers, footers and page labels are removed by position and repetition (ingest.furniture); a
table of contents becomes one "toc" block and the document's `toc` metadata (ingest.toc), never
text. Headings are told from body text by font size and weight, a larger size or a bold line of
a larger size being the higher level. The title is the PDF's own when it names the document,
else the first page's largest heading (ingest.doc_title). What was removed or recognised is
counted in `SourceDocument.layout`.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from ingest.clean import furniture_key, is_page_label, normalize_text
from ingest.doc_title import leading_name, title_from_lines
from ingest.document import Block, SourceDocument
from ingest.errors import CorruptFile, EmptyDocument, EncryptedFile
from ingest.furniture import Placed, furniture
from ingest.limits import FileLimits, check_page_count
from ingest.loaders.pdf_lines import Row, page_rows
from ingest.toc import find_toc

# a bullet glyph opening the line ("› Vejens …", "• At …"): a list item, never a heading
_BULLET = re.compile(r"^[•›»▪■□●○◦►▶➢➤✓✔·*–-]\s")
HEADING_STEP = 1.5  # points above the body size that make a line a heading by size alone
MAX_HEADING_WORDS = 20
MAX_BOLD_HEADING_WORDS = 14
HEADER_PAGES = 2  # pages whose text is the header text for metadata


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
        pages: list[list[Row]] = []
        doubled = 0
        for number, page in enumerate(doc, start=1):
            rows, n = page_rows(page, number)
            pages.append(rows)
            doubled += n
        pdf_title = (doc.metadata or {}).get("title") or ""
        page_count = doc.page_count
    if not any(row.text for rows in pages for row in rows):
        if "repair" in pymupdf.TOOLS.mupdf_warnings().lower():
            raise CorruptFile("PDF'en er beskadiget og kunne ikke genskabes")
        raise EmptyDocument("ingen tekst i PDF'en (måske en scannet fil uden tekstlag)")
    marked = furniture([[_placed(row) for row in rows] for rows in pages])
    body = [row for p, rows in enumerate(pages) for i, row in enumerate(rows) if i not in marked[p]]
    removed = [pages[p][i].plain for p in range(len(pages)) for i in sorted(marked[p])]
    toc = find_toc([row.text for row in body], [row.page for row in body], page_count)
    blocks = _blocks(body, toc.lines)
    running = _running_lines(removed)
    title = _title(pdf_title, blocks) or title_from_lines(running)
    result = SourceDocument(
        blocks=blocks,
        source_format="pdf",
        metadata={"title": title} if title else {},
        header_text=_header_text(body, toc.lines, running),
        pages=page_count,
    )
    if toc.entries:
        result.metadata["toc"] = toc.metadata()
    result.noted("furniture_lines", len(removed))
    result.noted("toc_entries", len(toc.entries))
    result.noted("doubled_runs", doubled)
    return [result]


def _placed(row: Row) -> Placed:
    h, w = row.page_height, row.page_width
    return Placed(row.plain, row.y0 / h, row.y1 / h, row.x0 / w, row.x1 / w)


def _useful_title(title: str) -> bool:
    t = title.strip().lower()
    return (
        len(t.split()) >= 3
        and not t.endswith((".docx", ".doc", ".pdf"))
        and not t.startswith("microsoft")
    )


def _title(pdf_title: str, blocks: list[Block]) -> str:
    """The PDF's own title when it names the document, else the first page's main heading.

    The main heading is the first at the page's highest level, with the headings of that level
    right after it (a title set on several lines); a bare type word ("Referat") takes the next
    heading, the meeting's name, with it (ingest.doc_title). A page with no title of its own
    leaves it to the running header, which names the document or meeting (see load_pdf).
    """
    if _useful_title(pdf_title):
        return normalize_text(pdf_title).strip()
    first_page = min((b.page for b in blocks if b.kind != "toc"), default=0)
    page = [b for b in blocks if b.page == first_page and b.kind not in ("toc", "table")]
    levels = [b.level for b in page if b.kind == "heading"]
    if levels:
        start = next(
            n for n, b in enumerate(page) if b.kind == "heading" and b.level == min(levels)
        )
        end = start
        while end < len(page) and page[end].kind == "heading" and page[end].level == min(levels):
            end += 1
        main = leading_name("\n".join(b.text for b in page[start:end]).split("\n"))
        after = [leading_name(b.text.split("\n")) for b in page[end:] if b.kind == "heading"]
        if title := title_from_lines([main, *after]):
            return title
    return title_from_lines(leading_name(b.text.split("\n")) for b in page)


def _running_lines(removed: list[str]) -> list[str]:
    """Each running header or footer once (page numbers aside), without the page labels."""
    once: dict[str, str] = {}
    for line in removed:
        if not is_page_label(line):
            once.setdefault(furniture_key(line), line)
    return list(once.values())


def _header_text(body: list[Row], toc: set[int], running: list[str]) -> str:
    """The first pages' text for metadata, then each running header once (the meeting's name
    and date may be written nowhere else), without the table of contents."""
    lines = [row.plain for i, row in enumerate(body) if row.page <= HEADER_PAGES and i not in toc]
    return "\n".join(lines + running)


def _continues(previous: Row, line: Row) -> bool:
    """Whether a text block goes on from the previous one (a sentence or word cut by a break)."""
    if not previous.text:
        return False
    if previous.text.endswith(("-", "\u2010")):
        return True
    return not previous.text.endswith((".", "!", "?", ":", ";")) and line.text[:1].islower()


def _band(size: float) -> float:
    return round(size * 2) / 2


def _levels(lines: list[Row], toc: set[int]) -> dict[int, int]:
    """Heading level per line index (absent: body text), from font sizes and weight."""
    sizes: Counter[float] = Counter()
    for i, ln in enumerate(lines):
        if ln.text and i not in toc:
            sizes[ln.size] += len(ln.text)
    if not sizes:
        return {}
    body_size = sizes.most_common(1)[0][0]
    big = sorted({_band(ln.size) for ln in lines if ln.size >= body_size + HEADING_STEP})[::-1]
    bold = sorted(
        {
            _band(ln.size)
            for ln in lines
            if ln.bold and body_size - 0.5 <= ln.size < body_size + HEADING_STEP
        }
    )[::-1]
    levels: dict[int, int] = {}
    for i, ln in enumerate(lines):
        text = ln.plain
        if i in toc or not text or not ln.horizontal or len(text.split()) > MAX_HEADING_WORDS:
            continue
        if text.endswith((".", ",", ";")) or not any(ch.isalpha() for ch in text):
            continue
        if _BULLET.match(text):
            continue  # a list item: body text, however it is set
        band = _band(ln.size)
        if ln.size >= body_size + HEADING_STEP:
            levels[i] = big.index(band) + 1
        elif ln.bold and band in bold and len(text.split()) <= MAX_BOLD_HEADING_WORDS:
            levels[i] = len(big) + bold.index(band) + 1
    return levels


def _blocks(lines: list[Row], toc: set[int]) -> list[Block]:
    """Paragraphs, headings and tables of contents from the lines."""
    levels = _levels(lines, toc)
    blocks: list[Block] = []
    current: list[Row] = []
    current_kind, current_level = "paragraph", 0

    def flush() -> None:
        nonlocal current, current_kind, current_level
        if current:
            blocks.append(
                Block(
                    text="\n".join(ln.plain for ln in current),
                    kind=current_kind,
                    level=current_level,
                    page=current[0].page,
                    page_end=current[-1].page,
                )
            )
        current, current_kind, current_level = [], "paragraph", 0

    previous: Row | None = None
    for i, ln in enumerate(lines):
        if not ln.text:
            if current_kind != "toc":
                flush()
            previous = ln
            continue
        level = levels.get(i, 0)
        kind = "toc" if i in toc else "heading" if level else "paragraph"
        new_block = previous is not None and (
            ln.block != previous.block or ln.page != previous.page
        )
        boundary = (
            previous is None
            or kind != current_kind
            or level != current_level
            or (
                kind != "toc"
                and new_block
                and (level or current_level or not _continues(previous, ln))
            )
        )
        if boundary:
            flush()
            current_kind, current_level = kind, level
        current.append(ln)
        previous = ln
    flush()
    return blocks
