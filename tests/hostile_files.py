"""Hostile files made at run time, for tests/test_hostile_input.py and bench/hostile_rss.py:
nothing large is committed."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path


def make_docx(target: Path | io.BytesIO, paragraphs: list[str]) -> Path | io.BytesIO:
    """A small valid DOCX, made with python-docx, written to a file or a buffer."""
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    document.save(target if isinstance(target, io.BytesIO) else str(target))
    return target


def make_docx_bomb(path: Path, unpacked: int, extra_parts: int = 0) -> Path:
    """A valid DOCX whose word/document.xml is padded with `unpacked` bytes of whitespace
    (valid XML, compressing about 1000:1), plus `extra_parts` unreferenced parts as large."""
    buffer = io.BytesIO()
    make_docx(buffer, ["Et helt almindeligt notat om vejstøj."])
    with (
        zipfile.ZipFile(buffer) as source,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as bomb,
    ):
        for info in source.infolist():
            data = source.read(info)
            if info.filename != "word/document.xml":
                bomb.writestr(info.filename, data)
                continue
            head, tail = data.split(b"<w:body>", 1)
            with bomb.open(info.filename, "w", force_zip64=True) as part:
                part.write(head + b"<w:body>")
                write_spaces(part, unpacked)
                part.write(tail)
        for n in range(extra_parts):
            with bomb.open(f"word/media/padding{n}.bin", "w", force_zip64=True) as part:
                write_spaces(part, unpacked)
    return path


def write_spaces(stream, size: int) -> None:
    chunk = b" " * (1 << 20)
    for _ in range(size // len(chunk)):
        stream.write(chunk)
    stream.write(chunk[: size % len(chunk)])
