"""Word 97–2003 documents (.doc): the text of the main document, read from the piece table.

A .doc is an OLE compound file; its `WordDocument` stream opens with the FIB, which says
where the piece table (the CLX, in the `0Table` or `1Table` stream) lies and how many
characters the main text has. Each piece is a run of text, stored as cp1252 bytes or UTF-16.
Only the main text is read (not headers, footers, footnotes or comments, which come after it),
as the DOCX loader does. Paragraphs end with CR; table cells with 0x07; a field's code
(`PAGE`, `HYPERLINK "…"`) is dropped and its result kept. Headings are told from the text as
for plain text files (Word 97 styles are not read). See [MS-DOC] 2.5 (FIB) and 2.9.38 (CLX).

Files named .doc that are not Word 97 are common too: a DOCX or an HTML page ("Gem som
webside") is read as what it is; Word 6/95, encrypted and RTF files are rejected plainly.
"""

from __future__ import annotations

import re
import struct
from pathlib import Path

from ingest.document import Block, SourceDocument
from ingest.errors import CorruptFile, EncryptedFile, UnsupportedFormat
from ingest.limits import MB, FileLimits
from ingest.loaders.text import text_to_blocks

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
WORD_IDENT = 0xA5EC
FIRST_WORD97_NFIB = 0x00C0  # Word 97 writes 0x00C1; Word 6/95 wrote 101–106
F_ENCRYPTED, F_WHICH_TABLE, F_OBFUSCATED = 0x0100, 0x0200, 0x8000
LIST_RUN = 3  # short lines in a row that make a list
FC_CLX_INDEX = 33  # fcClx/lcbClx are the 34th pair of FibRgFcLcb97
OLD_WORD = "Word 6/95-format (ældre end Word 97); gem filen som .docx eller PDF"
RTF_AS_DOC = "en RTF-fil med endelsen .doc; gem filen som .docx eller PDF"
NOT_WORD = "ikke et Word-dokument"

_CELL, _FIELD_BEGIN, _FIELD_SEP, _FIELD_END = "\x07", "\x13", "\x14", "\x15"
# characters that stand for objects, not text: pictures, drawn objects, note and comment marks
_OBJECTS = dict.fromkeys(map(ord, "\x01\x02\x03\x04\x05\x08"), None)
_BREAKS = str.maketrans({"\x0b": "\n", "\x0c": "\r", "\x0e": "\r", "\x1e": "-", "\x1f": ""})


def load_doc(path: Path, limits: FileLimits | None = None) -> list[SourceDocument]:
    limits = limits or FileLimits()
    with path.open("rb") as fh:
        head = fh.read(512)
    if head.startswith(b"PK\x03\x04"):  # a DOCX saved with the old extension
        from ingest.loaders.docx import load_docx

        return load_docx(path, limits)
    if _looks_like_html(head):  # Word's "save as web page", named .doc
        from ingest.loaders.html import load_html

        return load_html(path)
    if head.lstrip().startswith(b"{\\rtf"):
        raise UnsupportedFormat(RTF_AS_DOC)
    if not head.startswith(OLE_MAGIC):
        raise CorruptFile(NOT_WORD)
    text = _ole_text(path, limits)
    blocks = doc_blocks(text)
    return [
        SourceDocument(
            blocks=blocks,
            source_format="doc",
            header_text="\n".join(b.text for b in blocks[:15]),
        )
    ]


def _ole_text(path: Path, limits: FileLimits) -> str:
    import olefile

    try:
        ole = olefile.OleFileIO(str(path))
    except OSError as exc:  # olefile raises OSError for files that are not OLE
        raise CorruptFile(str(exc)[:200]) from exc
    with ole:
        if not ole.exists("WordDocument"):
            raise CorruptFile(NOT_WORD)
        size = ole.get_size("WordDocument")
        if size > limits.max_unpacked_mb * MB:
            from ingest.errors import TooLarge

            found = f"WordDocument fylder {size / MB:.0f} MB"
            raise TooLarge("udpakket størrelse", "max_unpacked_mb", limits.max_unpacked_mb, found)
        word = ole.openstream("WordDocument").read()
        table_name = "1Table" if _flags(word) & F_WHICH_TABLE else "0Table"
        if not ole.exists(table_name):
            raise CorruptFile(f"strømmen {table_name} mangler")
        table = ole.openstream(table_name).read()
    return word97_text(word, table)


def word97_text(word: bytes, table: bytes) -> str:
    """The main document's text from the WordDocument and table streams, control marks kept
    (CR ends a paragraph, 0x07 a table cell) for `doc_blocks`."""
    if len(word) < 0x22 or struct.unpack_from("<H", word, 0)[0] != WORD_IDENT:
        raise CorruptFile(NOT_WORD)
    n_fib = struct.unpack_from("<H", word, 2)[0]
    if n_fib < FIRST_WORD97_NFIB:
        raise UnsupportedFormat(OLD_WORD)
    flags = _flags(word)
    if flags & (F_ENCRYPTED | F_OBFUSCATED):
        raise EncryptedFile("Word-dokumentet er beskyttet med adgangskode")
    try:
        # FibBase (32 bytes), then counted arrays: fibRgW (16-bit), fibRgLw (32-bit), fibRgFcLcb
        csw = struct.unpack_from("<H", word, 0x20)[0]
        at = 0x22 + 2 * csw
        cslw = struct.unpack_from("<H", word, at)[0]
        rg_lw = at + 2
        ccp_text = struct.unpack_from("<i", word, rg_lw + 3 * 4)[0]
        at = rg_lw + 4 * cslw
        cb_fc_lcb = struct.unpack_from("<H", word, at)[0]
        if cb_fc_lcb <= FC_CLX_INDEX:
            raise CorruptFile("FIB uden stykketabel")
        fc_clx, lcb_clx = struct.unpack_from("<II", word, at + 2 + 8 * FC_CLX_INDEX)
        pieces = _pieces(table[fc_clx : fc_clx + lcb_clx])
        return _piece_text(word, pieces, max(ccp_text, 0))
    except struct.error as exc:
        raise CorruptFile("Word-dokumentets opbygning er ugyldig") from exc


def _flags(word: bytes) -> int:
    return struct.unpack_from("<H", word, 0x0A)[0] if len(word) >= 0x0C else 0


def _pieces(clx: bytes) -> list[tuple[int, int, int, bool]]:
    """(cp_start, cp_end, byte offset, compressed) for every piece of the piece table."""
    at = 0
    while at < len(clx) and clx[at] == 0x01:  # Prc: property modifiers, skipped
        at += 3 + struct.unpack_from("<h", clx, at + 1)[0]
    if at >= len(clx) or clx[at] != 0x02:
        raise CorruptFile("stykketabellen mangler")
    lcb = struct.unpack_from("<I", clx, at + 1)[0]
    plc = clx[at + 5 : at + 5 + lcb]
    n = (len(plc) - 4) // 12
    if n <= 0:
        raise CorruptFile("stykketabellen er tom")
    cps = struct.unpack_from(f"<{n + 1}i", plc, 0)
    out = []
    for i in range(n):
        fc = struct.unpack_from("<I", plc, 4 * (n + 1) + 8 * i + 2)[0]
        compressed = bool(fc & 0x40000000)
        offset = (fc & 0x3FFFFFFF) // 2 if compressed else fc & 0x3FFFFFFF
        out.append((cps[i], cps[i + 1], offset, compressed))
    return out


def _piece_text(word: bytes, pieces: list[tuple[int, int, int, bool]], limit: int) -> str:
    parts: list[str] = []
    for cp_start, cp_end, offset, compressed in pieces:
        if cp_start >= limit:
            break
        count = min(cp_end, limit) - cp_start
        if count <= 0:
            continue
        if compressed:
            parts.append(word[offset : offset + count].decode("cp1252", errors="replace"))
        else:
            parts.append(word[offset : offset + 2 * count].decode("utf-16-le", errors="replace"))
    return "".join(parts)


def doc_blocks(raw: str) -> list[Block]:
    """Blocks from the main text: table rows as table blocks (cells joined by " | "), the
    paragraphs between them as plain text (headings told as for .txt files)."""
    text = _drop_field_codes(raw).translate(_OBJECTS).translate(_BREAKS)
    blocks: list[Block] = []
    prose: list[str] = []
    rows: list[str] = []

    def flush_prose() -> None:
        if prose:
            blocks.extend(text_to_blocks("\n\n".join(prose)))
            prose.clear()

    def flush_rows() -> None:
        if rows:
            blocks.append(Block(text="\n".join(rows), kind="table"))
            rows.clear()

    for paragraph in text.split("\r"):
        if _CELL in paragraph:  # a table: cells end with 0x07, a row with one more
            flush_prose()
            for row in re.split(r"\x07\x07", paragraph):
                cells = [" ".join(c.split()) for c in row.split(_CELL)]
                if any(cells):
                    rows.append(" | ".join(c for c in cells if c))
            continue
        flush_rows()
        line = " ".join(paragraph.replace("\xa0", " ").split())
        if line:
            prose.append(line)
    flush_prose()
    flush_rows()
    return _lists_not_headings(blocks)


def _lists_not_headings(blocks: list[Block]) -> list[Block]:
    """Three or more short lines in a row are a list (its bullets are formatting, not text
    in a .doc), not a run of headings with nothing under them."""
    out: list[Block] = []
    run: list[Block] = []

    def flush() -> None:
        if len(run) >= LIST_RUN:
            out.append(Block(text="\n".join(b.text for b in run)))
        else:
            out.extend(run)
        run.clear()

    for block in blocks:
        if block.kind == "heading":
            run.append(block)
            continue
        flush()
        out.append(block)
    flush()
    return out


def _drop_field_codes(text: str) -> str:
    """A field is BEGIN code [SEP result] END: keep the result, drop the code (nested too)."""
    out: list[str] = []
    stack: list[bool] = []  # per open field: whether its result has started
    for ch in text:
        if ch == _FIELD_BEGIN:
            stack.append(False)
        elif ch == _FIELD_SEP and stack:
            stack[-1] = True
        elif ch == _FIELD_END and stack:
            stack.pop()
        elif not stack or all(stack):
            out.append(ch)
    return "".join(out)


def _looks_like_html(head: bytes) -> bool:
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return start.startswith((b"<html", b"<!doctype html", b"<?xml")) and b"<html" in head.lower()
