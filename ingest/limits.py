"""Bounded work per file: limits checked before a file is read whole or unpacked.

A 1 MB DOCX can hold a gigabyte of XML, and a text file can be any size: both are refused from
what is cheap to learn (the file's size, the zip's central directory, the PDF's page count)
before any loader decompresses or reads the content. A file over a limit is a `TooLarge`,
which stops that file only. Defaults leave room for real municipal files: minutes PDFs of
several hundred pages, budget books of a thousand, DOCX files with tens of MB of images.

The zip's declared sizes are a safe bound: `zipfile` (which python-docx reads through) never
returns more than a member's declared size, and a member that holds more fails its CRC check.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

from ingest.errors import TooLarge

MB = 1_000_000  # as the upload limit counts
RATIO_FLOOR_MB = 1  # smaller parts are never a threat, however well they compress


@dataclass(frozen=True)
class FileLimits:
    """The most one file may ask of an ingest; every value is in the rejection's reason."""

    max_text_mb: float = 20  # .txt/.md/.html/.json: read whole, so refused by size first
    max_pdf_pages: int = 2000
    max_unpacked_mb: float = 200  # one part of a DOCX (ZIP) unpacked
    max_unpacked_total_mb: float = 500  # all parts of a DOCX unpacked
    max_zip_ratio: float = 100  # unpacked / packed size of a part over RATIO_FLOOR_MB


def check_text_size(path: Path, limits: FileLimits) -> None:
    """Refuse a file read whole into memory when it is over `max_text_mb` on disk."""
    size = path.stat().st_size
    if size > limits.max_text_mb * MB:
        raise TooLarge("filstørrelse", "max_text_mb", limits.max_text_mb, f"{_mb(size)} MB")


def check_zip(path: Path, limits: FileLimits) -> None:
    """Refuse a ZIP package (DOCX) whose parts would unpack too large, from its directory alone.

    A file that is not a ZIP passes: the loader reports it as corrupt in its own words.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError):
        return
    total = 0
    for info in members:
        total += info.file_size
        if info.file_size > limits.max_unpacked_mb * MB:
            found = f"{info.filename} fylder {_mb(info.file_size)} MB udpakket"
            raise TooLarge("udpakket størrelse", "max_unpacked_mb", limits.max_unpacked_mb, found)
        if info.file_size > RATIO_FLOOR_MB * MB:
            ratio = info.file_size / max(info.compress_size, 1)
            if ratio > limits.max_zip_ratio:
                found = f"{info.filename} er komprimeret {ratio:.0f}:1"
                raise TooLarge("komprimeringsgrad", "max_zip_ratio", limits.max_zip_ratio, found)
    if total > limits.max_unpacked_total_mb * MB:
        found = f"{_mb(total)} MB udpakket i alt"
        raise TooLarge(
            "samlet udpakket størrelse",
            "max_unpacked_total_mb",
            limits.max_unpacked_total_mb,
            found,
        )


def check_page_count(pages: int, limits: FileLimits) -> None:
    """Refuse a PDF with more than `max_pdf_pages` pages, before any page's text is read."""
    if pages > limits.max_pdf_pages:
        raise TooLarge("antal sider", "max_pdf_pages", limits.max_pdf_pages, f"{pages} sider")


def _mb(size: int) -> str:
    """Megabytes the Danish way: "1099", "2,5"."""
    value = size / MB
    return f"{value:.0f}" if value >= 10 else f"{value:.1f}".replace(".", ",")
