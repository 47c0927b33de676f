"""DOCX via python-docx: headings from paragraph styles, tables as rows of cells.

Page headers and footers live outside the body and are not read, which is what we want for
running furniture; the first lines of the body are kept as header text for the letterhead.

A table of contents is told by what Word writes for one (its TOC field, the "toc N" styles, a
content control of the "Table of Contents" gallery) and by the layout rules of ingest.toc (a
contents title over entries with tab leaders): it becomes one "toc" block and the document's
`toc` metadata, never text or a title. Content controls are read like the body around them.

Meeting systems put an item's heading in the first row of a table with its fields under it
("715. Kulturkommune 2017" | "Sagsnr.: | 12/27845"): that row is read as the heading it is
styled as, and label–value rows as one field per line, so the item and its case are found.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ingest.clean import normalize_text
from ingest.doc_title import leading_name, title_from_lines
from ingest.document import Block, SourceDocument
from ingest.errors import CorruptFile, EncryptedFile
from ingest.limits import FileLimits, check_zip
from ingest.toc import find_toc

_HEADING_STYLE = re.compile(r"^(?:heading|overskrift)\s*(\d)$", re.IGNORECASE)
_TOC_STYLE = re.compile(
    r"^(?:toc\s*\d|indholdsfortegnelse\s*\d|toc heading|tocheading|"
    r"overskrift til indholdsfortegnelse)$",
    re.IGNORECASE,
)
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TABLE_LINE = "\x00table"  # stands for a table among the lines: no contents runs across one
TITLE_LINES = 15


@dataclass
class _Unit:
    """A paragraph or a table of the body, in order."""

    text: str  # a paragraph's text with its tabs; TABLE_LINE for a table
    blocks: list[Block] = field(default_factory=list)
    toc: bool = False  # marked as contents by Word itself
    lines: list[str] = field(default_factory=list)  # what it offers a title


def load_docx(path: Path, limits: FileLimits | None = None) -> list[SourceDocument]:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    with path.open("rb") as fh:
        magic = fh.read(8)
    if magic.startswith(b"\xd0\xcf\x11\xe0"):
        # OLE container: an encrypted (password-protected) OOXML file, or a legacy .doc
        raise EncryptedFile("krypteret, eller en gammel .doc-fil omdøbt til .docx")
    check_zip(path, limits or FileLimits())  # python-docx unpacks every part when it opens
    try:
        document = docx.Document(str(path))
    except PackageNotFoundError as exc:
        raise CorruptFile("ikke en gyldig DOCX-pakke") from exc
    units = list(_units(document))
    toc = find_toc(
        [u.text for u in units], forced={i for i, u in enumerate(units) if u.toc and u.text}
    )
    blocks: list[Block] = []
    toc_lines: list[str] = []
    for i, unit in enumerate(units):
        if i in toc.lines:
            if unit.text.strip():
                toc_lines.append(" ".join(unit.text.split()))
            continue
        if toc_lines:
            blocks.append(Block(text="\n".join(toc_lines), kind="toc"))
            toc_lines = []
        blocks.extend(unit.blocks)
    if toc_lines:
        blocks.append(Block(text="\n".join(toc_lines), kind="toc"))
    core_title = normalize_text(document.core_properties.title or "").strip()
    title = core_title or title_from_lines(
        line
        for i, unit in enumerate(units[:TITLE_LINES])
        if i not in toc.lines
        for line in (unit.lines if unit.text == TABLE_LINE else [leading_name(unit.lines)])
    )
    result = SourceDocument(
        blocks=blocks,
        source_format="docx",
        metadata={"title": title} if title else {},
        header_text="\n".join(b.text for b in blocks[:15] if b.kind != "toc"),
    )
    if toc.entries:
        result.metadata["toc"] = toc.metadata()
    result.noted("toc_entries", len(toc.entries))
    return [result]


def _units(document) -> Iterator[_Unit]:
    """The body's paragraphs and tables in order, content controls included."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    fields = _Fields()

    def walk(element, in_toc: bool) -> Iterator[_Unit]:
        for child in element.iterchildren():
            tag = child.tag
            if tag == f"{_W}p":
                paragraph = Paragraph(child, document._body)
                marked = fields.read(child)
                yield _paragraph(paragraph, in_toc or marked)
            elif tag == f"{_W}tbl":
                yield _table(Table(child, document._body))
            elif tag == f"{_W}sdt":
                content = child.find(f"{_W}sdtContent")
                if content is not None:
                    yield from walk(content, in_toc or _toc_gallery(child))

    yield from walk(document.element.body, False)


class _Fields:
    """Word's complex fields across paragraphs: whether a paragraph's text is inside a TOC."""

    def __init__(self) -> None:
        self.stack: list[str] = []

    def read(self, paragraph) -> bool:
        inside = self._in_toc()
        for el in paragraph.iter(f"{_W}fldChar", f"{_W}instrText", f"{_W}t", f"{_W}fldSimple"):
            if el.tag == f"{_W}fldChar":
                kind = el.get(f"{_W}fldCharType")
                if kind == "begin":
                    self.stack.append("")
                elif kind == "end" and self.stack:
                    self.stack.pop()
            elif el.tag == f"{_W}instrText" and self.stack:
                self.stack[-1] += el.text or ""
            elif el.tag == f"{_W}fldSimple":
                inside = inside or _is_toc_field(el.get(f"{_W}instr") or "")
            elif el.text and el.text.strip():
                inside = inside or self._in_toc()
        return inside

    def _in_toc(self) -> bool:
        return any(_is_toc_field(instr) for instr in self.stack)


def _is_toc_field(instr: str) -> bool:
    return instr.strip().upper().startswith("TOC")


def _toc_gallery(sdt) -> bool:
    gallery = sdt.find(f"{_W}sdtPr/{_W}docPartObj/{_W}docPartGallery")
    return gallery is not None and "contents" in (gallery.get(f"{_W}val") or "").lower()


def _style(paragraph) -> str:
    try:
        style = paragraph.style
    except (KeyError, ValueError):
        return ""
    return ((style.name if style is not None else "") or "").strip()


def _heading_level(style: str) -> int:
    match = _HEADING_STYLE.match(style)
    if match:
        return int(match.group(1))
    return 1 if style.lower() in ("title", "titel") else 0


def _tabbed(text: str) -> str:
    """Normalised text that keeps its tabs (a contents line's leader before its page)."""
    parts = [" ".join(normalize_text(part).split()) for part in text.split("\t")]
    return "\t".join(parts).strip("\t ")


def _paragraph(paragraph, toc: bool) -> _Unit:
    style = _style(paragraph)
    text = normalize_text(paragraph.text).strip()
    unit = _Unit(_tabbed(paragraph.text), toc=toc or bool(_TOC_STYLE.match(style)))
    unit.lines = [line for line in text.split("\n") if line.strip()]
    if text:
        level = _heading_level(style)
        kind = "heading" if level else "paragraph"
        unit.blocks.append(Block(text=text, kind=kind, level=level))
    return unit


def _table(table) -> _Unit:
    rows: list[list[tuple[str, object]]] = []
    for row in table.rows:
        cells: list[tuple[str, object]] = []
        previous = None
        for cell in row.cells:
            if cell._tc is previous:  # a merged cell is listed once per grid column
                continue
            previous = cell._tc
            # empty cells keep their position, so columns line up with the header
            cells.append((normalize_text(cell.text).replace("\n", " ").strip(), cell))
        rows.append(cells)
    unit = _Unit(TABLE_LINE)
    unit.lines = [
        line
        for cells in rows
        for text, _ in cells
        for line in normalize_text(text).split("\n")
        if line.strip()
    ]
    heading = _heading_row(rows[0]) if rows else None
    if heading is not None:
        unit.blocks.append(heading)
        rows = rows[1:]
        if rows and all(len(c) == 2 and c[0][0].endswith(":") for c in rows):
            # label–value rows under an item's heading: its fields, one per line
            unit.blocks += [Block(text=f"{c[0][0]} {c[1][0]}".strip()) for c in rows if c[1][0]]
            return unit
    lines = [" | ".join(" ".join(t.split()) for t, _ in cells) for cells in rows]
    lines = [line for line, cells in zip(lines, rows, strict=True) if any(t for t, _ in cells)]
    if lines:
        unit.blocks.append(Block(text="\n".join(lines), kind="table"))
    return unit


def _heading_row(cells: list[tuple[str, object]]) -> Block | None:
    """A table's first row as a heading: one text across the row, styled as a heading."""
    texts = {" ".join(t.split()) for t, _ in cells if t.strip()}
    if len(texts) != 1:
        return None
    paragraphs = [p for _, cell in cells for p in cell.paragraphs if p.text.strip()]
    level = _heading_level(_style(paragraphs[0])) if paragraphs else 0
    return Block(text=texts.pop(), kind="heading", level=level) if level else None
