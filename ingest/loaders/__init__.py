"""Loaders: one per file format, each turning a file into `SourceDocument`s.

`load_file` picks the loader by extension (and, for JSON, by content) and converts every
library failure into a `FileRejected` with a plain reason.
"""

from __future__ import annotations

from pathlib import Path

from ingest.document import SourceDocument
from ingest.errors import CorruptFile, EmptyDocument, FileRejected, UnsupportedFormat

SUPPORTED_SUFFIXES = {".pdf", ".docx", ".txt", ".md", ".markdown", ".html", ".htm", ".json"}


def load_file(path: Path) -> list[SourceDocument]:
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise UnsupportedFormat(suffix or "ingen filendelse")
    if path.stat().st_size == 0:
        raise EmptyDocument("0 bytes")
    try:
        if suffix == ".pdf":
            from ingest.loaders.pdf import load_pdf

            docs = load_pdf(path)
        elif suffix == ".docx":
            from ingest.loaders.docx import load_docx

            docs = load_docx(path)
        elif suffix in {".html", ".htm"}:
            from ingest.loaders.html import load_html

            docs = load_html(path)
        elif suffix == ".json":
            from ingest.loaders.portal_json import load_portal_json

            docs = load_portal_json(path)
        else:
            from ingest.loaders.text import load_text

            docs = load_text(path)
    except FileRejected:
        raise
    except Exception as exc:  # a library failing on a bad file: reject the file, not the run
        raise CorruptFile(f"{type(exc).__name__}: {exc}"[:200]) from exc
    docs = [d for d in docs if any(b.text.strip() for b in d.blocks)]
    if not docs:
        raise EmptyDocument()
    return docs
