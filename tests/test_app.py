"""The Streamlit app's page logic (Streamlit's AppTest) with the real assistant over a small
real store: three example files, one of them a portal meeting with a closed item.
"""

from __future__ import annotations

import shutil
import socket
import statistics
import threading
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, ROOT

APP = str(ROOT / "ui" / "app.py")
APP_FILES = ["Byrådet_2025", "Økonomiudvalget_2025", "Byrådet_referat_2024-10-09.pdf"]
HEATING = "Hvad har byrådet besluttet om varmen i skolerne i 2025?"
CLOSED_QUESTION = "Hvad er besluttet om salg af erhvervsgrund i Lindbæk Syd?"
CLOSED_MARKERS = ("Salg af erhvervsgrund", "Anbefales over for Byrådet", "Havnevej", "fortroligt")
CLOSED_PDF = "fortroligt_notat_havnevej.pdf"


def build_app_store(root: Path, embedder) -> Path:
    """A real store over three example files; returns the store folder."""
    from ingest.pipeline import IngestOptions, Ingestor
    from vectorstore.catalog import FileCatalog
    from vectorstore.chroma import ChromaStore, open_client

    docs = root / "docs"
    docs.mkdir(parents=True)
    for path in EXAMPLES.iterdir():
        if any(path.name.startswith(prefix) for prefix in APP_FILES):
            shutil.copy(path, docs / path.name)
    store_dir = root / "store"
    client = open_client(store_dir)
    store = ChromaStore(client, embedder)
    report = Ingestor(store, FileCatalog(client, "referent-passages-files")).run([docs])
    assert not report.failed and report.documents >= 3
    closed = root / "closed"
    closed.mkdir()
    write_closed_pdf(closed / CLOSED_PDF)
    options = IngestOptions(default_access="closed")
    catalog = FileCatalog(client, "referent-passages-files")
    assert Ingestor(store, catalog, options).run([closed]).documents == 1
    return store_dir


def write_closed_pdf(path: Path) -> None:
    """A one-page memo ingested as closed: its page must never be shown to a public session."""
    import pymupdf

    doc = pymupdf.open()
    page = doc.new_page()
    text = (
        "Notat til Økonomiudvalget den 2. april 2025. Ejendomskøb på Havnevej 7.\n"
        "Kommunen forhandler om køb af ejendommen på Havnevej 7 for 4,2 mio. kr.\n"
        "Sagen behandles for lukkede døre, indtil handlen er på plads."
    )
    page.insert_textbox(pymupdf.Rect(50, 50, 550, 400), text, fontsize=11)
    doc.save(path)


def page_text(at) -> str:
    """Everything the page shows as text: markdown, HTML, captions, alerts, buttons, tables."""
    parts: list[str] = []
    for kind in ("markdown", "caption", "info", "warning", "error", "success"):
        parts += [str(e.value) for e in at.get(kind)]
    parts += [t.value for t in at.title]
    parts += [str(e.proto.body) for e in at.get("html")]
    parts += [b.label for b in at.button]
    parts += [str(o) for s in at.selectbox for o in s.options]
    parts += [d.value.to_csv() for d in at.dataframe]
    return "\n".join(parts)


def ask(at, question: str):
    at.chat_input[0].set_value(question).run()
    assert not at.exception, at.exception
    return at


# -- chat ----------------------------------------------------------------------------------------


def test_answer_with_numbered_source_cards_and_highlight(app):
    at = ask(app(), HEATING)
    text = page_text(at)
    assert "**[1]**" in text, "citation numbers stand out in the answer"
    assert "Byrådet besluttede den 24. marts 2025" in text
    cards = [b for b in at.button if b.label == "Tilføj til briefing"]
    assert cards, "every citation has a source card with an add button"
    html = "\n".join(e.proto.body for e in at.get("html"))
    assert "<mark" in html, "the cited sentence is highlighted"
    assert "Mødedato:" in html and "Udvalg:" in html and "Sagsnr.:" in html
    expanders = [e for e in at.expander if "Vis hele passagen" in e.label]
    assert len(expanders) == len(cards)


def test_derived_filter_is_shown_and_removed_with_one_click(app):
    at = ask(app(), HEATING)
    chip = next(b for b in at.button if b.label.startswith("periode 2025-01-01"))
    chip.click().run()
    assert not at.exception
    text = page_text(at)
    assert "Uden filter fra spørgsmålet: periode." in text
    assert not any(b.label.startswith("periode 2025") for b in at.button)
    turn = at.session_state["turns"][0]
    assert turn.skip_derived == ["period"] and turn.answer
    assert set(turn.answer.derived) == {"committee"}, "the committee named stays a filter"


def test_sidebar_filters_reach_the_assistant(app):
    at = app()
    committees = at.selectbox(key="f_committee")
    assert "Økonomiudvalget" in committees.options
    committees.select("Økonomiudvalget").run()
    ask(at, "Hvad skete der med budgetopfølgningen?")
    answer = at.session_state["turns"][0].answer
    assert answer.citations
    assert all(c.committee == "Økonomiudvalget" for c in answer.citations)
    assert "Dine filtre: udvalg: Økonomiudvalget" in page_text(at)


def test_follow_up_uses_the_conversation(app):
    at = ask(app(), HEATING)
    ask(at, "Og hvad kostede det?")
    turns = at.session_state["turns"]
    assert len(turns) == 2 and turns[1].answer is not None
    assert any("kr." in c.quote for c in turns[1].answer.citations)


def test_empty_and_enormous_questions(app, app_store):
    from ui.config import load_settings
    from ui.session import _backend, settings_key
    from vectorstore.hybrid import MAX_QUERY_CHARS

    at = app()
    ask(at, "   ")
    assert at.session_state["turns"] == []
    ask(at, "varme " * 3000)  # 18 000 characters: cut to the limit, then answered as any other
    turn = at.session_state["turns"][0]
    assert turn.question == ("varme " * 3000)[:MAX_QUERY_CHARS]
    assert turn.error == "" and turn.answer is not None, turn.error
    s = load_settings(store_dir=app_store)
    same = _backend(settings_key(s), s).assistant.ask(turn.question)
    assert (turn.answer.declined, turn.answer.text) == (same.declined, same.text)


def test_missing_store_explains_how_to_add_documents(tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("REFERENT_STORE_DIR", str(tmp_path / "none-yet"))
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception
    assert "referent ingest MAPPE" in page_text(at)
    at.switch_page("pages/library.py").run()
    assert not at.exception
    assert "ingen dokumenter" in page_text(at)
    assert not (tmp_path / "none-yet").exists(), "looking does not create a store"


def test_a_bad_setting_stops_the_app_with_one_danish_line(tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("REFERENT_ACCESS_LEVEL", "admin")
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == [
        "Ugyldig indstilling REFERENT_ACCESS_LEVEL='admin': skal være public, internal eller "
        "closed."
    ]
    assert not at.chat_input, "nothing else of the app runs"
    monkeypatch.delenv("REFERENT_ACCESS_LEVEL")
    config = tmp_path / "referent.toml"
    config.write_text("max_upload_mb = [\n", encoding="utf-8")
    monkeypatch.setenv("REFERENT_CONFIG", str(config))
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    assert len(at.error) == 1 and at.error[0].value.startswith(
        f"Indstillingsfilen {config} er ikke gyldig TOML:"
    )


# -- briefing ------------------------------------------------------------------------------------


def test_briefing_collects_reorders_annotates_removes_and_exports(app):
    at = ask(app(), HEATING)
    for _ in range(2):
        next(b for b in at.button if b.label == "Tilføj til briefing").click().run()
    assert [b.label for b in at.button].count("I briefingen") == 2
    first, second = (i.citation.chunk_id for i in at.session_state["briefing"].items)
    at.switch_page("pages/briefing.py").run()
    assert not at.exception
    at.button(key=f"down-{first}").click().run()
    items = at.session_state["briefing"].items
    assert [i.citation.chunk_id for i in items] == [second, first]
    at.text_area(key=f"note-{first}").input("Bruges i budgetdebatten.").run()
    assert items[1].note == "Bruges i budgetdebatten."
    briefing = at.session_state["briefing"]
    assert "Bruges i budgetdebatten." in briefing.to_markdown()
    assert briefing.docx_bytes()[:2] == b"PK"
    labels = [e.proto.label for e in at.get("download_button")]
    assert labels == ["Hent som Word (DOCX)", "Hent som Markdown"]
    at.button(key=f"rm-{second}").click().run()
    assert [i.citation.chunk_id for i in at.session_state["briefing"].items] == [first]


# -- access --------------------------------------------------------------------------------------


def test_public_session_never_sees_a_closed_item(app):
    at = ask(app(), CLOSED_QUESTION)
    answer = at.session_state["turns"][0].answer
    assert answer.hits and answer.citations, "answered, from what a public reader may see"
    assert all(c.access == "public" for c in answer.citations)
    assert all(h.metadata.access == "public" for h in answer.hits)
    text = page_text(at)
    assert not any(marker in text for marker in CLOSED_MARKERS)
    at.switch_page("pages/library.py").run()
    assert not at.exception
    text = page_text(at)
    assert "Bibliotek" in text and "Byrådet_referat_2024-10-09.pdf" in text
    assert not any(marker in text for marker in CLOSED_MARKERS)


def test_page_image_only_when_every_passage_on_it_is_visible(app_store):
    from ui.config import load_settings
    from ui.session import _backend, page_allowed, settings_key

    s = load_settings(store_dir=app_store)
    found = _backend(settings_key(s), s)
    assert not page_allowed(found, CLOSED_PDF, 1, "public")
    assert page_allowed(found, CLOSED_PDF, 1, "closed")
    assert page_allowed(found, "Byrådet_referat_2024-10-09.pdf", 1, "public")
    assert not page_allowed(found, "Byrådet_referat_2024-10-09.pdf", 99, "closed")


def test_pdf_card_renders_the_page(app):
    at = ask(app(), "Hvad koster renoveringen af omklædningsrummene i Lindbæk Hallen?")
    assert any(e.label == "Vis hele passagen og siden" for e in at.expander)
    assert not at.get("image"), "the page is rendered only when the card is opened"
    for key in [b.key.replace("-add", "-exp") for b in at.button if (b.key or "").endswith("-add")]:
        at.session_state[key] = True  # as if the reader opened every card
    at.run()
    assert not at.exception
    assert at.get("image"), "an opened PDF card shows the page"


def test_staff_login_sees_closed_items_and_logout_forgets_them(app, tmp_path, monkeypatch):
    from ui.auth import add_user

    users = tmp_path / "users.txt"
    add_user(users, "mette", "hemmelig-kode-1", "closed")
    monkeypatch.setenv("REFERENT_USERS_FILE", str(users))
    at = app()
    at.text_input(key="login_name").input("mette")
    at.text_input(key="login_password").input("forkert-kode")
    submit = next(b for b in at.get("button") if b.proto.label == "Log ind")
    submit.click().run()
    assert "Forkert brugernavn eller adgangskode." in page_text(at)
    at.text_input(key="login_name").input("mette")
    at.text_input(key="login_password").input("hemmelig-kode-1")
    next(b for b in at.get("button") if b.proto.label == "Log ind").click().run()
    assert at.session_state["user"] == {"name": "mette", "level": "closed"}
    ask(at, CLOSED_QUESTION)
    assert any(m in page_text(at) for m in CLOSED_MARKERS)
    at.button(key="logout").click().run()
    assert at.session_state["turns"] == []
    assert not any(m in page_text(at) for m in CLOSED_MARKERS)


def test_configured_staff_level(app, monkeypatch):
    monkeypatch.setenv("REFERENT_ACCESS_LEVEL", "closed")
    at = ask(app(), CLOSED_QUESTION)
    assert any(c.access == "closed" for c in at.session_state["turns"][0].answer.citations)
    at.switch_page("pages/library.py").run()
    assert CLOSED_PDF in page_text(at), "staff see closed documents in the library"


# -- uploads -------------------------------------------------------------------------------------


def test_upload_page_checks_ingests_and_reports(app, app_store, tmp_path, monkeypatch):
    monkeypatch.setenv("REFERENT_UPLOAD_DIR", str(tmp_path / "uploads"))
    at = app()
    at.switch_page("pages/upload.py").run()
    good = (EXAMPLES / "Teknik-og-Miljøudvalget_referat_2024-04-03.txt").read_bytes()
    at.file_uploader[0].set_value(
        [
            ("../../Teknik-og-Miljøudvalget_referat_2024-04-03.txt", good, "text/plain"),
            ("tom.txt", b"", "text/plain"),
            ("regneark.xlsx", b"PK\x03\x04data", "application/octet-stream"),
            ("falsk.pdf", b"hello, not a pdf", "application/pdf"),
            ("beskadiget.docx", (ROOT / "tests/data/corrupt.docx").read_bytes(), "x/y"),
        ]
    ).run()
    next(b for b in at.button if b.label == "Indlæs filerne").click().run()
    assert not at.exception, at.exception
    report = at.session_state["upload_report"]
    status = {f.source: (f.status, f.reason) for f in report.files}
    # the file is not in the store yet (not among APP_FILES): it is indexed, not "unchanged"
    day = date.today().isoformat()
    assert status[f"uploads/{day}/Teknik-og-Miljøudvalget_referat_2024-04-03.txt"] == (
        "indexed",
        "",
    )
    assert "tom" in status["tom.txt"][1]
    assert "understøttes ikke" in status["regneark.xlsx"][1]
    assert "ikke en PDF" in status["falsk.pdf"][1]
    assert status[f"uploads/{day}/beskadiget.docx"][0] == "failed"
    saved = sorted(p.name for p in (tmp_path / "uploads" / day).iterdir())
    assert saved == ["Teknik-og-Miljøudvalget_referat_2024-04-03.txt"], "only good files stay"
    assert "Afvist" in page_text(at)
    at.switch_page("pages/library.py").run()
    assert "Teknik-og-Miljøudvalget_referat_2024-04-03.txt" in page_text(at)


def test_upload_checks_and_safe_names(tmp_path):
    from ui.uploads import check_upload, safe_name, save_uploads

    assert safe_name("../../etc/passwd") == "passwd"
    assert safe_name("..\\..\\windows\\evil.pdf") == "evil.pdf"
    assert safe_name(".skjult.txt") == "skjult.txt"
    assert safe_name("a/b/../..") == "dokument"
    assert safe_name("Referat\x00\n<script>.pdf") == "Referat_script_.pdf"
    assert safe_name("Børne- og Skoleudvalget 2025.pdf") == "Børne- og Skoleudvalget 2025.pdf"
    assert len(safe_name("x" * 500 + ".pdf")) <= 120
    mb = 1_000_000
    assert "grænsen er 25 MB" in check_upload("stor.pdf", 30 * mb, b"%PDF-", 25 * mb).reason
    assert check_upload("ok.pdf", 10, b"%PDF-1.7", 25 * mb).ok
    assert not check_upload("x.txt", 10, b"ab\x00cd", 25 * mb).ok
    assert check_upload("politik.doc", 10, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00", 25 * mb).ok
    assert "Word 97" in check_upload("politik.doc", 10, b"%PDF-1.7", 25 * mb).reason

    class Fake:
        def __init__(self, name, data, size=None):
            self.name, self.data, self.size = name, data, len(data) if size is None else size

        def getvalue(self):
            if self.size > 25 * mb:
                raise AssertionError("a huge file is refused before it is read")
            return self.data

    saved, rejected = save_uploads(
        [Fake("../ud.txt", b"Referat"), Fake("kæmpe.pdf", b"", size=10**9)], tmp_path / "u", 25 * mb
    )
    day = date.today().isoformat()
    assert [f.source for f in saved] == [f"uploads/{day}/ud.txt"]
    assert saved[0].path.parent == (tmp_path / "u" / day) and saved[0].uploaded_by == "anonym"
    assert not (tmp_path / "ud.txt").exists()
    assert len(rejected) == 1 and "grænsen" in rejected[0].reason


# -- LLM mode ------------------------------------------------------------------------------------


class _DropsMidAnswer(BaseHTTPRequestHandler):
    """An OpenAI-compatible endpoint that sends one token, then the connection dies."""

    protocol_version = "HTTP/1.1"

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        chunk = (
            b'data: {"id":"x","object":"chat.completion.chunk","created":0,"model":"x",'
            b'"choices":[{"index":0,"delta":{"role":"assistant","content":"Byr\\u00e5det "},'
            b'"finish_reason":null}]}\n\n'
        )
        self.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
        self.wfile.flush()
        self.connection.shutdown(socket.SHUT_RDWR)  # gone before the answer is complete

    def log_message(self, *args):
        pass


def test_llm_endpoint_going_down_mid_answer_falls_back(app, monkeypatch):
    pytest.importorskip("langchain_openai")
    server = ThreadingHTTPServer(("127.0.0.1", 0), _DropsMidAnswer)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        monkeypatch.setenv("REFERENT_LLM", "openai:x")
        monkeypatch.setenv("REFERENT_LLM_BASE_URL", f"http://127.0.0.1:{server.server_port}/v1")
        monkeypatch.setenv("REFERENT_LLM_API_KEY", "test")
        monkeypatch.setenv("REFERENT_LLM_TIMEOUT", "5")
        at = app()
        at.radio(key="mode").set_value("llm").run()
        ask(at, HEATING)
    finally:
        server.shutdown()
    answer = at.session_state["turns"][0].answer
    assert answer.mode == "extractive" and answer.citations
    assert answer.notes[0].startswith("Sprogmodellen kunne ikke svare"), answer.notes
    assert any("Sprogmodellen" in w.value for w in at.warning), "the fallback is explained"
    assert "Byrådet besluttede den 24. marts 2025" in page_text(at)


def test_no_mode_choice_without_a_model(app):
    at = app()
    assert not [r for r in at.radio if r.key == "mode"]


# -- speed ---------------------------------------------------------------------------------------


def test_idle_rerun_is_fast(app):
    at = ask(app(), HEATING)
    next(b for b in at.button if b.label == "Tilføj til briefing").click().run()
    times = []
    for _ in range(5):
        at.run()
        times.append(at.session_state["_script_ms"])
    assert statistics.median(times) < 100, times


# -- staff users ---------------------------------------------------------------------------------


def test_user_add_command_writes_a_hashed_users_file(tmp_path):
    from typer.testing import CliRunner

    from ui.auth import UsersFileError, authenticate, load_users
    from ui.cli import app as cli

    users = tmp_path / "users.txt"
    args = ["user-add", "mette", "--level", "closed", "--users-file", str(users)]
    result = CliRunner().invoke(cli, args, input="hemmelig-kode-1\nhemmelig-kode-1\n")
    assert result.exit_code == 0, result.output
    assert "hemmelig-kode-1" not in users.read_text() and users.stat().st_mode & 0o077 == 0
    assert authenticate(users, "mette", "hemmelig-kode-1").level == "closed"
    assert authenticate(users, "mette", "forkert") is None
    assert authenticate(users, "ukendt", "hemmelig-kode-1") is None
    short = CliRunner().invoke(cli, args, input="kort\nkort\n")
    assert short.exit_code == 2 and "mindst 8 tegn" in short.output
    users.write_text("mette:superuser:scrypt$1$2$3$ab$cd\n")
    with pytest.raises(UsersFileError):
        load_users(users)


# -- several municipalities ------------------------------------------------------------------------


def test_one_app_serves_several_municipalities(app_store, monkeypatch, tmp_path):
    import json

    from streamlit.testing.v1 import AppTest

    from ui.config import load_settings
    from ui.factory import build_ingestor

    note = tmp_path / "nabo"
    note.mkdir()
    (note / "havnebad.txt").write_text(
        "Notat om havnebadet\n\nNabokommunen åbner et nyt havnebad ved Sydhavnen i juni.\n",
        encoding="utf-8",
    )
    settings = load_settings(store_dir=app_store, collection="nabo-passages")
    assert build_ingestor(settings).run([note]).passages == 1
    monkeypatch.setenv("REFERENT_STORE_DIR", str(app_store))
    monkeypatch.setenv(
        "REFERENT_MUNICIPALITIES",
        json.dumps({"Lindbæk": "referent-passages", "Nabokommune": "nabo-passages"}),
    )
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    choice = at.selectbox(key="municipality_choice")
    assert choice.options == ["Lindbæk", "Nabokommune"] and choice.value == "Lindbæk"
    ask(at, HEATING)
    assert "Byrådet besluttede den 24. marts 2025" in page_text(at)
    lindbaek = at.session_state["turns"][0].answer
    assert lindbaek.citations and not lindbaek.declined
    choice.select("Nabokommune").run()
    assert not at.exception and at.session_state["municipality"] == "Nabokommune"
    # a new conversation: Lindbæk's answer is gone (AppTest may submit the last chat input
    # again on this run; if so, it is answered from Nabokommune's documents alone)
    assert all(t.answer is not lindbaek for t in at.session_state["turns"])
    ask(at, "Hvornår åbner havnebadet ved Sydhavnen?")
    turn = at.session_state["turns"][-1]
    assert not turn.answer.declined
    assert {c.source for c in turn.answer.citations} == {"havnebad.txt"}
    ask(at, HEATING)  # the other municipality's documents are not searched
    assert at.session_state["turns"][-1].answer.declined
    assert "1 dokument" in at.session_state["turns"][-1].answer.text
