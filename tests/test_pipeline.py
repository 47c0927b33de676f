"""Ingest runs on small real subsets, with the real embedder and a real Chroma store."""

import shutil

import pytest

from ingest.pipeline import Ingestor
from tests.conftest import DATA


@pytest.fixture
def ingestor(make_store):
    store, catalog = make_store()
    return Ingestor(store, catalog)


def statuses(report):
    return {f.source: f.status for f in report.files}


def test_ingest_reingest_change_and_prune(ingestor, small_corpus):
    first = ingestor.run([small_corpus])
    st = statuses(first)
    assert not first.failed
    assert st["seeds/001_bb7e3c74077da3a4.txt"] == "alternate"  # the PDF rendition of 000
    assert st["seeds/000_45d4e5fde29ee43a.txt"] == "indexed"
    count = ingestor.store.count()
    assert count == first.passages > 0
    assert first.passages_embedded == first.passages  # no text repeats in this corpus

    closed = ingestor.store.ids_where({"access": "closed"})
    assert closed, "the closed agenda items are stored, marked closed"

    # nothing changed: nothing is re-read, embedded or written
    second = ingestor.run([small_corpus])
    assert set(statuses(second).values()) == {"unchanged"}
    assert second.passages_embedded == 0
    assert ingestor.store.count() == count

    # a changed file replaces its passages; unchanged texts keep their vectors
    pdf = next((small_corpus / "aarhus").iterdir())
    old_ids = set(ingestor.store.ids_where({"source": f"aarhus/{pdf.name}"}))
    shutil.copy(DATA / "valid_two_pages.pdf", pdf)
    third = ingestor.run([small_corpus])
    assert statuses(third)[f"aarhus/{pdf.name}"] == "updated"
    new_ids = set(ingestor.store.ids_where({"source": f"aarhus/{pdf.name}"}))
    assert new_ids and not new_ids & old_ids
    texts = [p.text for p in ingestor.store.get(sorted(new_ids))]
    assert any("cykelstier" in t for t in texts)

    # --prune forgets files that are gone, and promotes an orphaned alternate
    (small_corpus / "seeds" / "000_45d4e5fde29ee43a.txt").unlink()
    pdf.unlink()
    fourth = ingestor.run([small_corpus], prune=True)
    st = statuses(fourth)
    assert st["seeds/000_45d4e5fde29ee43a.txt"] == "pruned"
    assert st[f"aarhus/{pdf.name}"] == "pruned"
    assert st["seeds/001_bb7e3c74077da3a4.txt"] == "indexed"
    assert not ingestor.store.ids_where({"source": "seeds/000_45d4e5fde29ee43a.txt"})
    assert ingestor.store.ids_where({"source": "seeds/001_bb7e3c74077da3a4.txt"})


def test_identical_texts_are_embedded_once(ingestor, tmp_path):
    """The heating case travels through three committees' meetings (three files, not
    alternates): its repeated passages are embedded once and reuse the vector."""
    from tests.conftest import EXAMPLES

    folder = tmp_path / "heating"
    folder.mkdir()
    for prefix in ("Børne- og Skoleudvalget_", "Økonomiudvalget_", "Byrådet_2025"):
        shutil.copy(next(EXAMPLES.glob(f"{prefix}*.json")), folder)
    report = ingestor.run([folder])
    assert set(statuses(report).values()) == {"indexed"}
    stored = ingestor.store.get(ingestor.store.ids_where({"source": {"$ne": ""}}))
    assert report.passages == len(stored) == 27  # 25 before table rows were labelled
    hashes = [p.metadata.embed_hash for p in stored]
    assert report.passages_embedded == len(set(hashes)) == 25
    assert report.passages_reused == report.passages - report.passages_embedded == 2
    repeated = {h for h in hashes if hashes.count(h) > 1}
    copies = [p for p in stored if p.metadata.embed_hash in repeated]
    assert {p.metadata.case_number for p in copies} == {"24-018452"}
    assert len({p.metadata.committee for p in copies}) > 1, "copies from other committees"


def test_bad_files_never_stop_the_run(ingestor, tmp_path):
    folder = tmp_path / "mixed"
    folder.mkdir()
    for name in ["encrypted.pdf", "corrupt.pdf", "empty.txt", "unsupported.xlsx",
                 "binary_garbage.txt", "cp1252_referat.txt", "memo_with_table.docx"]:  # fmt: skip
        shutil.copy(DATA / name, folder / name)
    report = ingestor.run([folder])
    st = statuses(report)
    assert st["cp1252_referat.txt"] == "indexed" and st["memo_with_table.docx"] == "indexed"
    failed = {f.source: f for f in report.failed}
    assert set(failed) == {
        "encrypted.pdf", "corrupt.pdf", "empty.txt", "unsupported.xlsx", "binary_garbage.txt"
    }  # fmt: skip
    assert "krypteret" in failed["encrypted.pdf"].reason
    assert report.ingested_anything


def test_nothing_ingestable_is_reported(ingestor, tmp_path):
    folder = tmp_path / "bad"
    folder.mkdir()
    shutil.copy(DATA / "encrypted.pdf", folder)
    report = ingestor.run([folder])
    assert not report.ingested_anything
    assert ingestor.store.count() == 0


def test_same_bytes_under_another_name_is_an_alternate(ingestor, tmp_path):
    folder = tmp_path / "copies"
    folder.mkdir()
    shutil.copy(DATA / "cp1252_referat.txt", folder / "a.txt")
    shutil.copy(DATA / "cp1252_referat.txt", folder / "b.txt")
    report = ingestor.run([folder])
    assert statuses(report) == {"a.txt": "indexed", "b.txt": "alternate"}


def test_a_copy_at_another_access_level_is_not_hidden_as_an_alternate(make_store, tmp_path):
    from ingest.pipeline import IngestOptions

    store, catalog = make_store()
    closed, public = tmp_path / "closed", tmp_path / "public"
    closed.mkdir()
    public.mkdir()
    shutil.copy(DATA / "cp1252_referat.txt", closed / "a.txt")
    shutil.copy(DATA / "cp1252_referat.txt", public / "b.txt")
    Ingestor(store, catalog, IngestOptions(default_access="closed")).run([closed])
    report = Ingestor(store, catalog).run([public])
    assert statuses(report) == {"b.txt": "indexed"}, "a public reader could not find it"
    again = tmp_path / "again"
    again.mkdir()
    shutil.copy(DATA / "cp1252_referat.txt", again / "c.txt")
    assert statuses(Ingestor(store, catalog).run([again])) == {"c.txt": "alternate"}
