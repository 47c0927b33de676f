"""Hostile input (issue 17): files made to exhaust an ingest or to reach what it must not read,
refused, skipped, reduced or cleaned up, with real components.

Each section covers one kind of attack and starts with the helpers that generate its files at
test time (nothing large is committed). Memory and time figures belong in bench/, not here.
Uploads that would replace a document are in tests/test_uploads.py, markup posing as citations
in tests/test_markup_injection.py, a writer waiting for another in tests/test_writer_wait.py.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ingest.discover import (
    HIDDEN_DIR,
    HIDDEN_FILE,
    LINK_HIDDEN,
    LINK_LOOP,
    LINK_OUTSIDE,
    LINK_SKIPPED,
)
from ingest.errors import FileRejected
from ingest.loaders import load_file
from ingest.passages import prepare_document
from ingest.pipeline import IngestOptions, Ingestor
from tests.conftest import ROOT
from tests.hostile_files import make_docx, make_docx_bomb
from ui.cli import app

# == Bounded work per file: size, page and unpacking limits; repeated text (issue 17) ==========

MB = 1_000_000
SENTENCE = "Vejstøjen langs Ringvejen skal måles igen, før byrådet tager stilling til skærmen. "
PARAGRAPH = (
    "Forvaltningen indstiller, at udvalget godkender tidsplanen for støjhandlingsplanen, "
    "og at borgerne på de mest belastede strækninger orienteres skriftligt inden sommerferien."
)


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
    assert error.user_message == (
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
    assert error.user_message == (
        "Filen overskrider grænsen for udpakket størrelse "
        "(word/document.xml fylder 3,0 MB udpakket; max_unpacked_mb = 2)"
    )
    with zipfile.ZipFile(bomb) as archive:  # the two padded parts and python-docx's template
        total = sum(info.file_size for info in archive.infolist()) / MB
    assert 6 < total < 7
    error = rejection(bomb, FileLimits(max_unpacked_total_mb=6, max_zip_ratio=10_000))
    assert error.user_message == (
        "Filen overskrider grænsen for samlet udpakket størrelse "
        f"({total:.1f} MB udpakket i alt; max_unpacked_total_mb = 6)".replace(".", ",")
    )


def test_pdf_over_the_page_limit_is_refused(tmp_path):
    from ingest.limits import FileLimits

    pdf = make_pdf(tmp_path / "lang.pdf", 6)
    assert load_file(pdf, FileLimits(max_pdf_pages=6))[0].pages == 6
    error = rejection(pdf, FileLimits(max_pdf_pages=5))
    assert error.code == "too_large"
    assert (
        error.user_message
        == "Filen overskrider grænsen for antal sider (6 sider; max_pdf_pages = 5)"
    )


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
    assert (
        error.user_message == "Filen overskrider grænsen for filstørrelse (1,5 MB; max_text_mb = 1)"
    )


def test_text_over_the_default_size_limit_is_refused(tmp_path):
    path = tmp_path / "en-linje.txt"
    path.write_text(SENTENCE * (21 * MB // len(SENTENCE.encode())), encoding="utf-8")
    error = rejection(path)
    assert error.code == "too_large"
    assert (
        error.user_message == "Filen overskrider grænsen for filstørrelse (21 MB; max_text_mb = 20)"
    )


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


# == Links, hidden files, fifos and orphaned passages (safety) ====================================
#
# A folder to ingest may hold a symbolic link to /etc/passwd or to a file outside it, a `.git`
# folder, a fifo; a run killed between writing a file's passages and recording the file leaves
# passages no catalog record owns. Helpers of this section are prefixed `safety_`.

SAFETY_SECRET = "kodeordet til serverrummet er blåbærgrød"
SAFETY_NOTE = "Udvalget drøftede vejbelysning og cykelstier på mødet i marts."
safety_runner = CliRunner()


def safety_folder(tmp_path: Path) -> Path:
    """`docs/` with one ordinary note, a secret outside it and links out to it (and to
    /etc/passwd when it exists)."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(f"Fortroligt.\n\n{SAFETY_SECRET}.\n", encoding="utf-8")
    docs = tmp_path / "docs"
    (docs / "sub").mkdir(parents=True)
    (docs / "note.txt").write_text(SAFETY_NOTE + "\n", encoding="utf-8")
    (docs / "secret.txt").symlink_to(outside / "secret.txt")
    (docs / "sub" / "relative.txt").symlink_to(Path("..") / ".." / "outside" / "secret.txt")
    if Path("/etc/passwd").is_file():
        (docs / "p.txt").symlink_to("/etc/passwd")
    return docs


def safety_results(report) -> dict[str, tuple[str, str]]:
    return {f.source: (f.status, f.reason) for f in report.files}


def safety_texts(store) -> str:
    return "\n".join(p.text for p, _ in store.iter_passages())


def test_links_out_of_the_folder_are_skipped_reported_and_not_searchable(make_store, tmp_path):
    docs = safety_folder(tmp_path)
    store, catalog = make_store()
    report = Ingestor(store, catalog).run([docs])
    results = safety_results(report)
    assert results["note.txt"][0] == "indexed"
    assert results["secret.txt"] == ("skipped", LINK_SKIPPED)
    assert results["sub/relative.txt"] == ("skipped", LINK_SKIPPED)
    if (docs / "p.txt").is_symlink():
        assert results["p.txt"] == ("skipped", LINK_SKIPPED)
    texts = safety_texts(store)
    assert SAFETY_NOTE in texts
    assert "blåbærgrød" not in texts and "nologin" not in texts and "root:" not in texts
    hits = store.dense_search("kodeordet til serverrummet", k=5)
    assert [hit.metadata.source for hit, _ in hits] == ["note.txt"]


def test_follow_symlinks_reads_links_inside_and_still_refuses_links_out(make_store, tmp_path):
    docs = safety_folder(tmp_path)
    (docs / "real").mkdir()
    (docs / "real" / "plan.txt").write_text("Planen for skolebusser i 2025.\n", encoding="utf-8")
    (docs / "a-real").symlink_to("real", target_is_directory=True)
    (docs / "z-plan.txt").symlink_to(Path("real") / "plan.txt")
    (docs / "z-real").symlink_to("real", target_is_directory=True)  # read already, via a-real
    (docs / "real" / "up").symlink_to("..", target_is_directory=True)  # a loop
    (docs / "hidden.txt").symlink_to(Path(".git") / "config")
    (docs / ".git").mkdir()
    (docs / ".git" / "config").write_text("[remote] url = hemmelig\n", encoding="utf-8")
    store, catalog = make_store()
    options = IngestOptions(follow_symlinks=True)
    results = safety_results(Ingestor(store, catalog, options).run([docs]))
    # links inside the folder are read; the same bytes twice are recorded as copies of one file
    assert results["a-real/plan.txt"][0] == "indexed"
    assert results["real/plan.txt"][0] == "alternate"
    assert results["z-plan.txt"][0] == "alternate"
    assert results["z-real/"] == ("skipped", LINK_LOOP)
    assert results["real/up/"] == results["a-real/up/"] == ("skipped", LINK_LOOP)
    assert results["secret.txt"] == ("skipped", LINK_OUTSIDE)
    assert results["sub/relative.txt"] == ("skipped", LINK_OUTSIDE)
    if (docs / "p.txt").is_symlink():
        assert results["p.txt"] == ("skipped", LINK_OUTSIDE)
    assert results["hidden.txt"] == ("skipped", LINK_HIDDEN)
    texts = safety_texts(store)
    assert "blåbærgrød" not in texts and "hemmelig" not in texts and "nologin" not in texts


def test_a_link_given_as_the_path_is_followed_only_when_asked(make_store, tmp_path):
    docs = safety_folder(tmp_path)
    alias = tmp_path / "alias"
    alias.symlink_to(docs, target_is_directory=True)
    store, catalog = make_store()
    first = Ingestor(store, catalog).run([alias, docs / "secret.txt"])
    assert safety_results(first) == {
        str(alias): ("skipped", LINK_SKIPPED),
        str(docs / "secret.txt"): ("skipped", LINK_SKIPPED),
    }
    followed = Ingestor(store, catalog, IngestOptions(follow_symlinks=True)).run([alias])
    assert safety_results(followed)["note.txt"][0] == "indexed"
    # without the flag the link is skipped again, and --prune does not empty the folder behind it
    again = Ingestor(store, catalog).run([alias], prune=True)
    assert not [f for f in again.files if f.status == "pruned"]
    assert store.ids_where({"source": "note.txt"})


def test_hidden_files_and_folders_are_reported_once_each(make_store, tmp_path):
    docs = tmp_path / "docs"
    (docs / ".git" / "objects").mkdir(parents=True)
    (docs / ".git" / "config").write_text("[core]\n", encoding="utf-8")
    (docs / ".git" / "objects" / "ab").write_text("blob\n", encoding="utf-8")
    (docs / "sub").mkdir()
    (docs / ".skjult.txt").write_text("Skjult notat om budgettet.\n", encoding="utf-8")
    (docs / "..dotdot.txt").write_text("Endnu et skjult notat.\n", encoding="utf-8")
    (docs / "sub" / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    (docs / "note.txt").write_text(SAFETY_NOTE + "\n", encoding="utf-8")
    store, catalog = make_store()
    report = Ingestor(store, catalog).run([docs])
    skipped = {f.source: f.reason for f in report.files if f.status == "skipped"}
    assert skipped == {
        ".git/": HIDDEN_DIR,
        ".skjult.txt": HIDDEN_FILE,
        "..dotdot.txt": HIDDEN_FILE,
        "sub/.DS_Store": HIDDEN_FILE,
    }
    assert report.summary()["skipped"] == 4 and report.summary()["indexed"] == 1


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no fifos on this system")
def test_a_fifo_is_skipped_without_being_opened(make_store, tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "note.txt").write_text(SAFETY_NOTE + "\n", encoding="utf-8")
    os.mkfifo(docs / "pipe.txt")  # opening it for reading would block this test forever
    os.mkfifo(tmp_path / "given.txt")
    store, catalog = make_store()
    report = Ingestor(store, catalog).run([docs, tmp_path / "given.txt"])
    results = safety_results(report)
    assert results["note.txt"][0] == "indexed"
    assert results["pipe.txt"][0] == "skipped" and "fifo" in results["pipe.txt"][1]
    assert results[str(tmp_path / "given.txt")][0] == "skipped"


def test_cli_follow_symlinks_flag_and_skipped_table(tmp_path):
    docs = safety_folder(tmp_path)
    (docs / "z-note.txt").symlink_to("note.txt")
    store = tmp_path / "store"
    plain = safety_runner.invoke(app, ["ingest", str(docs), "--store", str(store)])
    assert plain.exit_code == 0, plain.output
    assert "Sprunget over (ikke læst)" in plain.stdout and "z-note.txt" in plain.stdout
    assert "Forældreløse passager fjernet" in plain.stdout
    followed = safety_runner.invoke(
        app, ["ingest", str(docs), "--store", str(store), "--follow-symlinks", "--json"]
    )
    assert followed.exit_code == 0, followed.output
    files = {f["source"]: f for f in json.loads(followed.stdout)["files"]}
    assert files["z-note.txt"]["status"] == "alternate"
    assert (files["secret.txt"]["status"], files["secret.txt"]["reason"]) == (
        "skipped",
        LINK_OUTSIDE,
    )
    found = safety_runner.invoke(
        app, ["search", "kodeordet til serverrummet", "--store", str(store), "--json"]
    )
    assert {hit["source"] for hit in json.loads(found.stdout)} == {"note.txt"}


# -- orphaned passages: a run killed between a file's passages and its catalog record ----------

SAFETY_KILLED = "Notat om saltspredere: kommunen har købt fire nye saltspredere til vinteren."


def safety_kill_mid_file(store_dir: Path, folder: Path) -> None:
    """Run `referent ingest` in a child that SIGKILLs itself at the first catalog write: the
    file's passages and sentence vectors are in the store, its record is not (as after a kill
    at the worst moment); no `finally`, no snapshot publish."""
    code = (
        "import os, signal, sys\n"
        "from vectorstore.catalog import FileCatalog\n"
        "FileCatalog.put = lambda self, record: os.kill(os.getpid(), signal.SIGKILL)\n"
        "from ui.cli import app\n"
        "app(['ingest', sys.argv[1], '--store', sys.argv[2]])\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(folder), str(store_dir)],
        cwd=ROOT,
        env=dict(os.environ),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == -signal.SIGKILL, done.stderr
    # the next command is a new process: this one must not use Chroma state cached from before
    from chromadb.api.shared_system_client import SharedSystemClient

    SharedSystemClient.clear_system_cache()


def safety_open(store_dir: Path):
    from ui.config import load_settings
    from ui.factory import build_catalog, build_store

    store = build_store(load_settings(store_dir=store_dir), create=False)
    return store, build_catalog(load_settings(store_dir=store_dir), store)


def safety_killed_store(tmp_path: Path) -> tuple[Path, Path]:
    """A store holding `base/keep.txt` properly and `extra/saltspredere.txt`'s passages as
    orphans; returns (store folder, the folder of the killed run)."""
    store_dir = tmp_path / "store"
    base = tmp_path / "base"
    base.mkdir()
    (base / "keep.txt").write_text(SAFETY_NOTE + "\n", encoding="utf-8")
    ok = safety_runner.invoke(app, ["ingest", str(base), "--store", str(store_dir)])
    assert ok.exit_code == 0, ok.output
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "saltspredere.txt").write_text(SAFETY_KILLED + "\n", encoding="utf-8")
    safety_kill_mid_file(store_dir, extra)
    store, catalog = safety_open(store_dir)
    assert store.ids_where({"source": "saltspredere.txt"}), "the killed run wrote passages"
    assert catalog.get("saltspredere.txt") is None, "…but never recorded the file"
    return store_dir, extra


def safety_search_sources(store_dir: Path, question: str) -> set[str]:
    found = safety_runner.invoke(app, ["search", question, "--store", str(store_dir), "--json"])
    assert found.exit_code == 0, found.output
    return {hit["source"] for hit in json.loads(found.stdout)}


def test_orphans_of_a_killed_run_are_swept_by_the_next_ingest(tmp_path, model_folder):
    store_dir, extra = safety_killed_store(tmp_path)
    assert "saltspredere.txt" in safety_search_sources(store_dir, "saltspredere")
    (extra / "saltspredere.txt").unlink()  # the file is gone: nothing would ever clean up
    store, _ = safety_open(store_dir)
    sentences_before = store.sentences.count()
    rerun = safety_runner.invoke(
        app, ["ingest", str(tmp_path / "base"), "--store", str(store_dir), "--json"]
    )
    assert rerun.exit_code == 0, rerun.output
    store, _ = safety_open(store_dir)
    assert not store.ids_where({"source": "saltspredere.txt"})
    assert store.count() == 1
    summary = json.loads(rerun.stdout)["summary"]
    assert summary["unchanged"] == 1 and summary["orphan_passages"] == 1
    # the orphans' sentence vectors went too, and the run published a snapshot without them
    from ingest.sentence_index import all_sentences
    from ui.config import load_settings
    from ui.factory import build_publisher

    assert store.sentences.count() == len(all_sentences(store)) < sentences_before
    assert not build_publisher(load_settings(store_dir=store_dir), store).is_stale()
    assert "saltspredere.txt" not in safety_search_sources(store_dir, "saltspredere")


def test_orphans_are_swept_by_prune_and_a_present_file_is_completed(tmp_path, model_folder):
    store_dir, extra = safety_killed_store(tmp_path)
    # the file is still there: the next run ingests it afresh, nothing is counted as orphaned
    again = safety_runner.invoke(app, ["ingest", str(extra), "--store", str(store_dir), "--json"])
    assert again.exit_code == 0, again.output
    adopted = json.loads(again.stdout)
    assert adopted["summary"]["indexed"] == 1
    assert adopted["timings"]["passages_embedded"] == 0, "the orphans' vectors are reused"
    store, catalog = safety_open(store_dir)
    assert catalog.get("saltspredere.txt") is not None
    assert len(store.ids_where({"source": "saltspredere.txt"})) == 1

    # killed again on a second file, which is then deleted: --prune removes its passages
    (extra / "vinter.txt").write_text("Vintertjenesten rydder cykelstier først.\n", "utf-8")
    safety_kill_mid_file(store_dir, extra)
    (extra / "vinter.txt").unlink()
    pruned = safety_runner.invoke(
        app, ["ingest", str(extra), "--store", str(store_dir), "--prune", "--json"]
    )
    assert pruned.exit_code == 0, pruned.output
    store, _ = safety_open(store_dir)
    assert not store.ids_where({"source": "vinter.txt"})
    assert store.count() == 2
    assert "vinter.txt" not in safety_search_sources(store_dir, "vintertjenesten cykelstier")
    summary = json.loads(pruned.stdout)["summary"]
    assert summary["orphan_passages"] == 1 and summary["unchanged"] == 1
    assert adopted["summary"]["orphan_passages"] == 0, "an adopted file's passages are no orphans"


def test_orphans_of_a_file_later_recorded_as_a_copy_are_swept(tmp_path, model_folder):
    store_dir, extra = safety_killed_store(tmp_path)
    # another rendition of the note, read first by the next run: the killed file becomes its
    # alternate, and an alternate owns no passages
    (extra / "a-saltspredere.txt").write_text(SAFETY_KILLED + " Godkendt.\n", encoding="utf-8")
    run = safety_runner.invoke(app, ["ingest", str(extra), "--store", str(store_dir), "--json"])
    assert run.exit_code == 0, run.output
    report = json.loads(run.stdout)
    statuses = {f["source"]: f["status"] for f in report["files"]}
    assert statuses == {"a-saltspredere.txt": "indexed", "saltspredere.txt": "alternate"}
    store, _ = safety_open(store_dir)
    assert not store.ids_where({"source": "saltspredere.txt"})
    assert report["summary"]["orphan_passages"] == 1
    found = safety_search_sources(store_dir, "saltspredere")
    assert "a-saltspredere.txt" in found and "saltspredere.txt" not in found
