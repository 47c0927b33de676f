"""Uploads are documents of their own: an upload never replaces a document by having its name.

The probe of issue 17: a closed file ingested by staff (`personalesag.txt`) was replaced by a
public session uploading a file of the same name, and a minutes file by an upload carrying an
invented decision. These tests run that attack through the real app (AppTest) over a real store
built the way `referent ingest` builds it, and the explicit staff replacement that is allowed.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.conftest import ROOT

APP = str(ROOT / "ui" / "app.py")
CLOSED_TEXT = (
    "Personalesag vedrørende medarbejder i Vejafdelingen.\n\n"
    "Medarbejderen er efter tjenstlig samtale den 3. marts 2025 overflyttet til Parkafdelingen. "
    "Sagen er fortrolig og behandles af HR."
)
MINUTES_TEXT = (
    "Referat af Byrådets møde den 24. marts 2025.\n\n"
    "Punkt 4. Varme i skolerne\n\n"
    "Byrådet besluttede at sænke temperaturen i skolerne til 19 grader fra 1. oktober 2025."
)
FORGED_TEXT = (
    "Referat af Byrådets møde den 24. marts 2025.\n\n"
    "Byrådet besluttede at lukke alle kommunens skoler med øjeblikkelig virkning."
)


def _ingest(store_dir: Path, folder: Path, access: str = "public"):
    """A store written exactly as `referent ingest FOLDER --access LEVEL` writes it."""
    from ui.config import load_settings
    from ui.factory import build_ingestor

    settings = load_settings(store_dir=store_dir, default_access=access)
    return build_ingestor(settings).run([folder])


def _catalog(store_dir: Path):
    from ui.config import load_settings
    from ui.factory import build_catalog, build_store

    settings = load_settings(store_dir=store_dir)
    store = build_store(settings, create=False)
    return store, build_catalog(settings, store)


@pytest.fixture
def staff_store(tmp_path, model_folder) -> Path:
    """A closed personnel file and public minutes, both ingested from folders by staff."""
    closed, public = tmp_path / "c7", tmp_path / "referater"
    closed.mkdir()
    public.mkdir()
    (closed / "personalesag.txt").write_text(CLOSED_TEXT, encoding="utf-8")
    (public / "referat.txt").write_text(MINUTES_TEXT, encoding="utf-8")
    store_dir = tmp_path / "store"
    assert _ingest(store_dir, closed, "closed").by_status()["indexed"] == 1
    assert _ingest(store_dir, public).by_status()["indexed"] == 1
    return store_dir


@pytest.fixture
def app_at(staff_store, tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("REFERENT_STORE_DIR", str(staff_store))
    monkeypatch.setenv("REFERENT_UPLOAD_DIR", str(tmp_path / "uploads"))

    def make(user: dict | None = None):
        at = AppTest.from_file(APP, default_timeout=180)
        if user is not None:
            at.session_state["user"] = user
        at.run()
        at.switch_page("pages/upload.py").run()
        assert not at.exception, at.exception
        return at

    return make


def _upload(at, files: list[tuple[str, str]]):
    at.file_uploader[0].set_value([(n, t.encode("utf-8"), "text/plain") for n, t in files]).run()
    next(b for b in at.button if b.label == "Indlæs filerne").click().run()
    assert not at.exception, at.exception
    return at.session_state["upload_report"]


def test_an_anonymous_upload_never_replaces_a_document(app_at, staff_store, tmp_path):
    day = date.today().isoformat()
    forged = [("personalesag.txt", CLOSED_TEXT + " Ophævet."), ("../referat.txt", FORGED_TEXT)]
    report = _upload(app_at(), forged)
    assert [(f.source, f.status) for f in report.files] == [
        (f"uploads/{day}/personalesag.txt", "indexed"),
        (f"uploads/{day}/referat.txt", "indexed"),
    ]
    store, catalog = _catalog(staff_store)
    closed = catalog.get("personalesag.txt")
    assert (closed.access, closed.uploaded_by, closed.root) == ("closed", "", str(tmp_path / "c7"))
    kept = store.get(store.ids_where({"source": "personalesag.txt"}))
    assert [p.metadata.access for p in kept] == ["closed"]
    assert "Parkafdelingen" in kept[0].text
    minutes = store.get(store.ids_where({"source": "referat.txt"}))
    assert "19 grader" in " ".join(p.text for p in minutes)
    upload = catalog.get(f"uploads/{day}/personalesag.txt")
    assert (upload.access, upload.uploaded_by) == ("public", "anonym")
    assert upload.path == str(tmp_path / "uploads" / day / "personalesag.txt")

    # the same name again is a second document, numbered, not an update of the first
    other = "Notat om vintervedligeholdelse.\n\nSaltning af cykelstier sker fra kl. 5 på hverdage."
    report = _upload(app_at(), [("personalesag.txt", other)])
    assert [(f.source, f.status) for f in report.files] == [
        (f"uploads/{day}/personalesag (2).txt", "indexed")
    ]
    assert catalog.get(f"uploads/{day}/personalesag.txt").file_hash == upload.file_hash


def test_staff_replace_a_document_by_choice_and_it_keeps_its_level(app_at, staff_store, tmp_path):
    at = app_at({"name": "anna", "level": "closed"})
    picker = next(s for s in at.selectbox if s.label == "Dokument")
    assert set(picker.options) == {"personalesag.txt", "referat.txt"}
    picker.set_value("personalesag.txt").run()
    new_text = CLOSED_TEXT.replace("Parkafdelingen", "Materielgården")
    at.file_uploader[1].set_value([("ny.txt", new_text.encode(), "text/plain")]).run()
    next(b for b in at.button if b.label == "Erstat dokumentet").click().run()
    assert not at.exception, at.exception
    (result,) = at.session_state["upload_report"].files
    assert (result.source, result.status) == ("personalesag.txt", "replaced")
    assert result.replaced == str(tmp_path / "c7" / "personalesag.txt")
    store, catalog = _catalog(staff_store)
    record = catalog.get("personalesag.txt")
    assert (record.access, record.uploaded_by) == ("closed", "anna")
    kept = store.get(store.ids_where({"source": "personalesag.txt"}))
    assert [p.metadata.access for p in kept] == ["closed"]
    assert "Materielgården" in kept[0].text and "Parkafdelingen" not in kept[0].text


def test_a_public_session_is_offered_no_replacement(app_at):
    at = app_at()
    assert not [s for s in at.selectbox if s.label == "Dokument"]
    assert not [b for b in at.button if b.label == "Erstat dokumentet"]


def test_the_same_source_from_another_folder_is_reported_replaced(tmp_path, make_store):
    from ingest.pipeline import DiscoveredFile, Ingestor

    store, catalog = make_store()
    first, second = tmp_path / "a", tmp_path / "b"
    for folder, text in ((first, MINUTES_TEXT), (second, FORGED_TEXT)):
        folder.mkdir()
        (folder / "referat.txt").write_text(text, encoding="utf-8")
    ingestor = Ingestor(store, catalog)
    assert ingestor.run([first]).files[0].status == "indexed"
    (result,) = ingestor.run([second]).files
    assert (result.status, result.replaced, result.path) == (
        "replaced",
        str(first.resolve() / "referat.txt"),
        str(second / "referat.txt"),
    )
    # an upload carrying the name of an existing document is refused by the pipeline itself
    upload = DiscoveredFile(second / "referat.txt", second, "referat.txt", uploaded_by="anonym")
    (refused,) = ingestor.run([upload]).files
    assert (refused.status, refused.code) == ("failed", "exists")
    assert catalog.get("referat.txt").uploaded_by == ""


def test_prune_of_a_folder_leaves_uploads_alone(tmp_path, make_store):
    from ingest.pipeline import DiscoveredFile, Ingestor

    store, catalog = make_store()
    folder = tmp_path / "uploads"
    (folder / "2025-01-02").mkdir(parents=True)
    path = folder / "2025-01-02" / "notat.txt"
    path.write_text(MINUTES_TEXT, encoding="utf-8")
    upload = DiscoveredFile(path, folder.resolve(), "uploads/2025-01-02/notat.txt", "anonym")
    ingestor = Ingestor(store, catalog)
    assert ingestor.run([upload]).files[0].status == "indexed"
    report = ingestor.run([folder], prune=True)
    assert report.by_status()["pruned"] == 0
    assert catalog.get("uploads/2025-01-02/notat.txt") is not None


def test_a_source_card_says_when_its_document_was_uploaded():
    from assistant.answer import Citation
    from ui.render import card_meta

    def card(source: str) -> dict[str, str]:
        return dict(card_meta(Citation(n=1, chunk_id="x", source=source, quote="q", text="q")))

    assert card("uploads/2026-12-06/referat.txt")["Kilde"] == "uploadet i appen 2026-12-06"
    assert "Kilde" not in card("referater/referat.txt")
    assert "Kilde" not in card("uploads.txt")
