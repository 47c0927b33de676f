"""DOCX via python-docx: headings from paragraph styles, tables as rows of cells.

Page headers and footers live outside the body and are not read, which is what we want for
running furniture; the first lines of the body are kept as header text for the letterhead.
"""

from __future__ import annotations

import re
from pathlib import Path

from ingest.clean import normalize_text
from ingest.document import Block, SourceDocument
from ingest.errors import CorruptFile, EncryptedFile
from ingest.limits import FileLimits, check_zip

_HEADING_STYLE = re.compile(r"^(?:heading|overskrift)\s*(\d)$", re.IGNORECASE)


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
    blocks: list[Block] = []
    for item in document.iter_inner_content():
        if hasattr(item, "rows"):
            rows = []
            for row in item.rows:
                cells: list[str] = []
                previous = None
                for cell in row.cells:
                    if cell._tc is previous:  # a merged cell is listed once per grid column
                        continue
                    previous = cell._tc
                    # empty cells keep their position, so columns line up with the header
                    cells.append(normalize_text(cell.text).replace("\n", " ").strip())
                if any(cells):
                    rows.append(" | ".join(cells))
            if rows:
                blocks.append(Block(text="\n".join(rows), kind="table"))
            continue
        text = normalize_text(item.text).strip()
        if not text:
            continue
        style = (item.style.name if item.style is not None else "") or ""
        match = _HEADING_STYLE.match(style.strip())
        if match or style.lower() == "title":
            level = int(match.group(1)) if match else 1
            blocks.append(Block(text=text, kind="heading", level=level))
        else:
            blocks.append(Block(text=text))
    title = (document.core_properties.title or "").strip()
    return [
        SourceDocument(
            blocks=blocks,
            source_format="docx",
            metadata={"title": title} if title else {},
            header_text="\n".join(b.text for b in blocks[:15]),
        )
    ]
