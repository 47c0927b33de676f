"""Loaders: one per file format, each turning a file into `SourceDocument`s.

`load_file` picks the loader by extension (and, for JSON and XML, by content) and converts
every library failure into a `FileRejected` with a plain reason. Files over the `FileLimits`
are refused before they are read whole or unpacked (see ingest.limits). A PDF without text
whose pages are images is reported as a scan (`ScannedDocument`), apart from empty files.
"""

from __future__ import annotations

from pathlib import Path

from ingest.document import SourceDocument
from ingest.errors import (
    CorruptFile,
    EmptyDocument,
    FileRejected,
    ScannedDocument,
    UnsupportedFormat,
)
from ingest.limits import FileLimits, check_text_size
from ingest.loaders.scan import scanned_pages

SUPPORTED_SUFFIXES = {
    ".pdf", ".docx", ".doc", ".txt", ".md", ".markdown", ".html", ".htm", ".json", ".xml"
}  # fmt: skip
READ_WHOLE_SUFFIXES = SUPPORTED_SUFFIXES - {".pdf", ".docx", ".doc"}  # read into memory at once


def load_file(path: Path, limits: FileLimits | None = None) -> list[SourceDocument]:
    """The file's documents; a `FileRejected` when it cannot or may not be ingested."""
    limits = limits or FileLimits()
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise UnsupportedFormat(suffix or "ingen filendelse")
    if path.stat().st_size == 0:
        raise EmptyDocument("0 bytes")
    if suffix in READ_WHOLE_SUFFIXES:
        check_text_size(path, limits)
    try:
        if suffix == ".pdf":
            from ingest.loaders.pdf import load_pdf

            docs = load_pdf(path, limits)
        elif suffix == ".docx":
            from ingest.loaders.docx import load_docx

            docs = load_docx(path, limits)
        elif suffix in {".html", ".htm"}:
            from ingest.loaders.html import load_html

            docs = load_html(path)
        elif suffix == ".json":
            from ingest.loaders.portal_json import load_portal_json

            docs = load_portal_json(path)
        elif suffix == ".xml":
            from ingest.loaders.exports import load_export

            docs = load_export(path)
        elif suffix == ".doc":
            from ingest.loaders.word97 import load_doc

            docs = load_doc(path, limits)
        else:
            from ingest.loaders.text import load_text

            docs = load_text(path)
    except EmptyDocument as exc:
        if suffix == ".pdf" and (scanned := scanned_pages(path)):
            raise ScannedDocument(scanned) from exc
        raise
    except FileRejected:
        raise
    except Exception as exc:  # a library failing on a bad file: reject the file, not the run
        raise CorruptFile(f"{type(exc).__name__}: {exc}"[:200]) from exc
    docs = [d for d in docs if any(b.text.strip() for b in d.blocks)]
    if not docs:
        raise EmptyDocument()
    return docs
