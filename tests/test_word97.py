"""Word 97 .doc: text from the piece table (synthetic streams), and files named .doc that
are something else (a DOCX, a web page, RTF) read as what they are or rejected plainly."""

from __future__ import annotations

import shutil
import struct

import pytest

from ingest.errors import CorruptFile, EncryptedFile, UnsupportedFormat
from ingest.loaders import load_file
from ingest.loaders.word97 import OLD_WORD, doc_blocks, word97_text
from tests.conftest import DATA

TEXT_AT = 0x800  # where the synthetic WordDocument stream keeps its text


def streams(pieces: list[tuple[str, bool]], ccp_text: int | None = None, flags=0x0200, n_fib=0xC1):
    """A minimal WordDocument stream (FIB + text) and table stream (CLX) for the pieces, each
    (text, compressed): compressed pieces are cp1252 bytes, the others UTF-16."""
    word = bytearray(TEXT_AT)
    struct.pack_into("<HH", word, 0, 0xA5EC, n_fib)
    struct.pack_into("<H", word, 0x0A, flags)
    struct.pack_into("<H", word, 0x20, 14)  # csw: fibRgW is 14 words
    struct.pack_into("<H", word, 0x3E, 22)  # cslw: fibRgLw is 22 longs
    total = sum(len(t) for t, _ in pieces)
    struct.pack_into("<i", word, 0x40 + 12, total if ccp_text is None else ccp_text)
    struct.pack_into("<H", word, 0x98, 93)  # cbRgFcLcb: FibRgFcLcb97
    cps, pcds, cp = [0], b"", 0
    for text, compressed in pieces:
        offset = len(word)
        if compressed:
            word += text.encode("cp1252")
            fc = (offset * 2) | 0x40000000
        else:
            word += text.encode("utf-16-le")
            fc = offset
        cp += len(text)
        cps.append(cp)
        pcds += struct.pack("<HIH", 0, fc, 0)
    plc = struct.pack(f"<{len(cps)}i", *cps) + pcds
    clx = b"\x01" + struct.pack("<h", 2) + b"\x00\x00" + b"\x02" + struct.pack("<I", len(plc)) + plc
    struct.pack_into("<II", word, 0x9A + 33 * 8, 0, len(clx))
    return bytes(word), clx


def test_pieces_in_both_encodings_fields_tables_and_only_the_main_text():
    body = [
        ("Politik for Kultur og Fritid\r", True),
        ("Vision\rSyddjurs skal være et «godt» sted at bo – side \x13 PAGE \x14 3\x15.\r", False),
        ("Navn\x07Rolle\x07\x07Jesper\x07Formand\x07\x07", True),
        ("Sidehoved der ikke er brødtekst\r", True),  # after ccpText: a header, not read
    ]
    ccp = sum(len(t) for t, _ in body[:3])
    raw = word97_text(*streams(body, ccp_text=ccp))
    assert "Sidehoved" not in raw
    blocks = doc_blocks(raw)
    texts = [b.text for b in blocks]
    assert "Syddjurs skal være et «godt» sted at bo – side 3." in texts
    assert not any("PAGE" in t for t in texts), "a field's code is dropped, its result kept"
    (table,) = [b for b in blocks if b.kind == "table"]
    assert table.text == "Navn | Rolle\nJesper | Formand"
    assert blocks[0].text == "Politik for Kultur og Fritid"


def test_old_encrypted_and_broken_word_files_are_rejected_plainly():
    with pytest.raises(UnsupportedFormat) as info:
        word97_text(*streams([("Tekst\r", True)], n_fib=104))  # Word 6/95
    assert info.value.detail == OLD_WORD
    with pytest.raises(EncryptedFile):
        word97_text(*streams([("Tekst\r", True)], flags=0x0200 | 0x0100))
    with pytest.raises(CorruptFile):
        word97_text(b"\x00" * 64, b"")
    word, _ = streams([("Tekst\r", True)])
    with pytest.raises(CorruptFile):
        word97_text(word, b"\x05garbage")  # no piece table where the FIB points


def test_files_named_doc_that_are_something_else(tmp_path):
    docx = tmp_path / "notat.doc"
    shutil.copy(DATA / "memo_with_table.docx", docx)
    assert load_file(docx)[0].source_format == "docx"
    page = tmp_path / "side.doc"
    page.write_text("<html><body><h1>Referat</h1><p>Mødet blev holdt.</p></body></html>")
    assert "Mødet blev holdt." in load_file(page)[0].text
    rtf = tmp_path / "gammel.doc"
    rtf.write_text(r"{\rtf1\ansi Referat}")
    with pytest.raises(UnsupportedFormat) as info:
        load_file(rtf)
    assert "RTF" in info.value.user_message and ".docx eller PDF" in info.value.user_message
    garbage = tmp_path / "skrald.doc"
    garbage.write_bytes(b"\x00\x01 not a document" * 10)
    with pytest.raises(CorruptFile):
        load_file(garbage)


@pytest.mark.corpus
def test_real_word97_policy_reads_like_its_pdf(shared_corpus):
    from ingest.dedup import signature, similarity
    from ingest.passages import prepare_document

    folder = shared_corpus / "os2dagsorden-samples" / "syddjurs_acadre_1863"
    name = "Politik for Kultur og Fritid - Lokalt engagement, Godkendt af byrådet 300409"
    if not (folder / f"{name}.doc").exists():
        pytest.skip("the Syddjurs sample is not in ../shared/corpus")
    (doc,) = load_file(folder / f"{name}.doc")
    assert doc.source_format == "doc"
    assert "Kultur giver puls og liv" in doc.text
    (pdf,) = load_file(folder / f"{name}.pdf")
    a = prepare_document(doc, "a.doc", "h").text
    b = prepare_document(pdf, "a.pdf", "h").text
    assert similarity(signature(a), signature(b)) >= 0.7, "one document in two renditions"
