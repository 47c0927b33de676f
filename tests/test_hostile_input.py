"""Hostile input: files made to exhaust an ingest, refused or reduced with real components.

Each section covers one kind of attack and starts with the helpers that generate its files at
test time (nothing large is committed). Memory and time figures belong in bench/, not here.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from ingest.errors import FileRejected
from ingest.loaders import load_file
from ingest.passages import prepare_document

# == Bounded work per file: size, page and unpacking limits; repeated text (issue 17) ==========

MB = 1_000_000
SENTENCE = "Vejstøjen langs Ringvejen skal måles igen, før byrådet tager stilling til skærmen. "
PARAGRAPH = (
    "Forvaltningen indstiller, at udvalget godkender tidsplanen for støjhandlingsplanen, "
    "og at borgerne på de mest belastede strækninger orienteres skriftligt inden sommerferien."
)


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


def make_pdf(path: Path, pages: int) -> Path:
    """A text PDF with `pages` pages, made with PyMuPDF."""
    import pymupdf

    with pymupdf.open() as doc:
        for n in range(1, pages + 1):
            page = doc.new_page()
            page.insert_text((72, 400), f"Afsnit {n}. {SENTENCE}", fontsize=11)
        doc.save(str(path))
    return path


def rejection(path: Path, limits=None) -> FileRejected:
    with pytest.raises(FileRejected) as info:
        load_file(path, limits) if limits is not None else load_file(path)
    return info.value


def passages_of(path: Path) -> list:
    return [p for doc in load_file(path) for p in prepare_document(doc, path.name, "h").passages]


def test_docx_bomb_is_refused_from_the_zip_directory_with_default_limits(tmp_path):
    bomb = make_docx_bomb(tmp_path / "bomb.docx", 256 << 20)
    assert bomb.stat().st_size < 1 * MB  # a small file on disk
    error = rejection(bomb)
    assert error.code == "too_large"
    assert str(error) == (
        "Filen overskrider grænsen for udpakket størrelse "
        "(word/document.xml fylder 268 MB udpakket; max_unpacked_mb = 200)"
    )


def test_docx_part_compressed_too_well_is_refused(tmp_path):
    bomb = make_docx_bomb(tmp_path / "bomb.docx", 5 * MB)  # under every size limit
    error = rejection(bomb)
    assert error.code == "too_large"
    assert error.reason == "Filen overskrider grænsen for komprimeringsgrad"
    assert error.detail.startswith("word/document.xml er komprimeret ")
    assert error.detail.endswith(":1; max_zip_ratio = 100")


def test_docx_limits_are_the_callers(tmp_path):
    from ingest.limits import FileLimits

    bomb = make_docx_bomb(tmp_path / "bomb.docx", 3 * MB, extra_parts=1)
    loose = FileLimits(max_zip_ratio=10_000)
    assert len(load_file(bomb, loose)[0].blocks) == 1  # a valid DOCX once the limits allow it
    error = rejection(bomb, FileLimits(max_unpacked_mb=2, max_zip_ratio=10_000))
    assert str(error) == (
        "Filen overskrider grænsen for udpakket størrelse "
        "(word/document.xml fylder 3,0 MB udpakket; max_unpacked_mb = 2)"
    )
    with zipfile.ZipFile(bomb) as archive:  # the two padded parts and python-docx's template
        total = sum(info.file_size for info in archive.infolist()) / MB
    assert 6 < total < 7
    error = rejection(bomb, FileLimits(max_unpacked_total_mb=6, max_zip_ratio=10_000))
    assert str(error) == (
        "Filen overskrider grænsen for samlet udpakket størrelse "
        f"({total:.1f} MB udpakket i alt; max_unpacked_total_mb = 6)".replace(".", ",")
    )


def test_pdf_over_the_page_limit_is_refused(tmp_path):
    from ingest.limits import FileLimits

    pdf = make_pdf(tmp_path / "lang.pdf", 6)
    assert load_file(pdf, FileLimits(max_pdf_pages=6))[0].pages == 6
    error = rejection(pdf, FileLimits(max_pdf_pages=5))
    assert error.code == "too_large"
    assert str(error) == "Filen overskrider grænsen for antal sider (6 sider; max_pdf_pages = 5)"


@pytest.mark.parametrize(
    ("name", "body"),
    [
        ("referat.txt", SENTENCE),
        ("notat.md", f"# Notat\n\n{PARAGRAPH}\n\n"),
        ("side.html", f"<p>{PARAGRAPH}</p>\n"),
        ("moede.json", json.dumps({"Navn": PARAGRAPH}) + ",\n"),
    ],
)
def test_files_read_whole_are_refused_by_size_before_reading(tmp_path, name, body):
    from ingest.limits import FileLimits

    path = tmp_path / name
    path.write_text(body * (1_500_000 // len(body.encode())), encoding="utf-8")
    error = rejection(path, FileLimits(max_text_mb=1))
    assert error.code == "too_large"
    assert str(error) == "Filen overskrider grænsen for filstørrelse (1,5 MB; max_text_mb = 1)"


def test_text_over_the_default_size_limit_is_refused(tmp_path):
    path = tmp_path / "en-linje.txt"
    path.write_text(SENTENCE * (21 * MB // len(SENTENCE.encode())), encoding="utf-8")
    error = rejection(path)
    assert error.code == "too_large"
    assert str(error) == "Filen overskrider grænsen for filstørrelse (21 MB; max_text_mb = 20)"


def test_one_sentence_repeated_along_a_5_mb_line_is_one_passage(tmp_path):
    path = tmp_path / "en-linje.txt"
    path.write_text(SENTENCE * (5 * MB // len(SENTENCE.encode())), encoding="utf-8")
    (passage,) = passages_of(path)
    assert passage.text == SENTENCE.strip()


def test_a_paragraph_repeated_10000_times_is_one_passage(tmp_path):
    path = tmp_path / "gentaget.txt"
    path.write_text(f"{PARAGRAPH}\n\n" * 10_000, encoding="utf-8")
    (passage,) = passages_of(path)
    assert passage.text == PARAGRAPH


def test_a_heading_and_paragraph_repeated_are_one_passage(tmp_path):
    path = tmp_path / "gentaget.md"
    path.write_text(f"## Tidsplan\n\n{PARAGRAPH}\n\n" * 5_000 + "## Næste skridt\n\nSlut.\n")
    (passage,) = passages_of(path)  # two small sections, merged as in any document
    assert passage.metadata.section == "Tidsplan / Næste skridt"
    assert passage.text == f"Tidsplan: {PARAGRAPH}\nNæste skridt: Slut."


def test_two_short_lines_alternating_are_a_few_passages(tmp_path):
    """Short lines may repeat with meaning, so each is kept; the chunks they fill repeat, and
    a chunk identical to an earlier one is dropped: full chunks starting with either line,
    and the shorter last one."""
    path = tmp_path / "vekslende.txt"
    path.write_text("Ja tak.\n\nNej tak.\n\n" * 10_000, encoding="utf-8")
    passages = passages_of(path)
    assert [p.text.split("\n")[0] for p in passages] == ["Ja tak.", "Nej tak.", "Ja tak."]
    assert [len(p.text.split()) for p in passages] == [350, 350, 100]


def test_repeated_short_answers_and_decisions_in_different_items_stay(tmp_path):
    """Not every repeat is a copy: a decision under two agenda items, a short answer after two
    questions, and a committee's "• Anbefales" for each of three recommendations keep their
    place (as in Greve's real "Sagens forløb")."""
    minutes = (
        "Referat af Teknik- og Miljøudvalget\n\n"
        "1. Støjhandlingsplan 2024\nSagsnr.: 24-001234\n\n"
        "Spørgsmål: Er Ringvejen med i planen?\n\nSvar: Ja.\n\n"
        "Spørgsmål: Er Søndergade med i planen?\n\nSvar: Ja.\n\n"
        "Sagens forløb\n\n10-10-2023 Plan- og Tryghedsudvalget\n\n"
        + "• Anbefales\n\n"
        * 3
        + "Beslutning\n\nGodkendt.\n\n"
        "2. Takster for vintertjeneste\nSagsnr.: 24-005678\n\n"
        "Beslutning\n\nGodkendt.\n\n"
    )
    path = tmp_path / "referat.txt"
    path.write_text(minutes, encoding="utf-8")
    passages = passages_of(path)
    text = "\n".join(p.text for p in passages)
    assert text.count("Svar: Ja.") == 2
    assert text.count("• Anbefales") == 3
    decided = [p.metadata.item_number for p in passages if "Godkendt." in p.text]
    assert decided == ["1", "2"]


def test_the_ingest_goes_on_after_a_bomb(make_store, tmp_path):
    """The bomb fails with its reason; the files around it are indexed in the same run."""
    from ingest.pipeline import Ingestor

    folder = tmp_path / "upload"
    folder.mkdir()
    make_docx_bomb(folder / "b-bombe.docx", 256 << 20)
    make_docx(folder / "a-notat.docx", [SENTENCE])
    (folder / "c-gentaget.txt").write_text(f"{PARAGRAPH}\n\n" * 10_000, encoding="utf-8")
    store, catalog = make_store()
    report = Ingestor(store, catalog).run([folder])
    results = {f.source: f for f in report.files}
    assert results["b-bombe.docx"].status == "failed"
    assert results["b-bombe.docx"].code == "too_large"
    assert results["b-bombe.docx"].reason == (
        "Filen overskrider grænsen for udpakket størrelse "
        "(word/document.xml fylder 268 MB udpakket; max_unpacked_mb = 200)"
    )
    assert results["a-notat.docx"].status == "indexed"
    assert results["c-gentaget.txt"].status in {"indexed", "alternate"}
    assert store.count() == report.passages == 1 + results["c-gentaget.txt"].passages


def test_ingest_options_carry_the_limits(make_store, tmp_path):
    from ingest.limits import FileLimits
    from ingest.pipeline import IngestOptions, Ingestor

    pdf = make_pdf(tmp_path / "lang.pdf", 3)
    store, catalog = make_store()
    options = IngestOptions(limits=FileLimits(max_pdf_pages=2))
    (result,) = Ingestor(store, catalog, options).run([pdf]).files
    assert (result.status, result.code) == ("failed", "too_large")
    assert result.reason == "Filen overskrider grænsen for antal sider (3 sider; max_pdf_pages = 2)"
