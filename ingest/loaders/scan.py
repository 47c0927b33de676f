"""Telling a scanned PDF from an empty one, once the PDF loader found no text in it.

A scan has images on its pages and no text layer: its words are there for a reader but not
for Referent, which does no OCR. A PDF with neither (a blank page) is merely empty. The report
counts scans apart (code "scanned"), so a user sees how much of a collection needs OCR.
"""

from __future__ import annotations

from pathlib import Path


def scanned_pages(path: Path) -> str:
    """A Danish note on the image pages of a PDF without text ("billeder på 8 af 8 sider"),
    or "" when no page has an image (or the PDF cannot be read again)."""
    import pymupdf

    try:
        with pymupdf.open(path) as doc:
            total = doc.page_count
            images = sum(1 for page in doc if page.get_images(full=False))
    except Exception:  # the loader has judged the file already; this only refines the reason
        return ""
    if not images:
        return ""
    return f"billeder på {images} af {total} sider, ingen tekst"
