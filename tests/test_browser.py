"""End-to-end: the app under `streamlit run`, driven in Debian's Chromium through Playwright.

The server runs on a free loopback port over a small real store and is stopped by its process
id. Chromium is the system one (/usr/bin/chromium, installed by `make install-test`); Playwright
never downloads a browser here. Set REFERENT_SCREENSHOTS=docs/screenshots to refresh the
README's screenshots.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, ROOT
from tests.servers import free_port
from tests.test_app import CLOSED_MARKERS, CLOSED_QUESTION, build_app_store

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
HEATING = "Hvad har byrådet besluttet om varmen i skolerne?"
PDF_QUESTION = "Hvad koster renoveringen af omklædningsrummene i Lindbæk Hallen?"
UNCERTAIN_QUESTION = "Hvad mener eleverne om varmen i skolerne?"
UPLOAD = EXAMPLES / "Teknik-og-Miljøudvalget_referat_2024-04-03.txt"
WAIT_MS = 120_000


@pytest.fixture(scope="module")
def chromium() -> str:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing; `make install-test` installs Debian's chromium")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    pytest.importorskip("playwright.sync_api")
    return CHROMIUM


@pytest.fixture(scope="module")
def server(tmp_path_factory, embedder, chromium):
    """`streamlit run ui/app.py` over a small store; yields its base URL."""
    root = tmp_path_factory.mktemp("browser")
    store = build_app_store(root, embedder)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("REFERENT_")}
    env.update(
        REFERENT_STORE_DIR=str(store),
        REFERENT_UPLOAD_DIR=str(root / "uploads"),
        REFERENT_CONFIG=str(root / "no-such.toml"),
        HF_HUB_OFFLINE="1",
        STREAMLIT_BROWSER_GATHER_USAGE_STATS="false",
    )
    command = [
        sys.executable, "-m", "streamlit", "run", str(ROOT / "ui" / "app.py"),
        "--server.port", str(port), "--server.address", "127.0.0.1", "--server.headless", "true",
        "--browser.gatherUsageStats", "false", "--client.toolbarMode", "viewer",
        "--server.maxUploadSize", "25", "--theme.base", "light", "--server.fileWatcherType",
        "none",
    ]  # fmt: skip
    log = (root / "streamlit.log").open("wb")
    proc = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=root)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 90
        while True:
            try:
                urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read()
                break
            except OSError:
                if proc.poll() is not None or time.time() > deadline:
                    pytest.fail(f"streamlit did not start: {(root / 'streamlit.log').read_text()}")
                time.sleep(0.5)
        yield url
    finally:
        proc.terminate()  # by its process id
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="module")
def browser(chromium):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=chromium, args=FLAGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1400, "height": 1500}, accept_downloads=True)
    tab = context.new_page()
    tab.set_default_timeout(WAIT_MS)
    tab.goto(server)
    tab.get_by_text("Stil et spørgsmål på almindeligt dansk").wait_for()
    yield tab
    context.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    folder = Path(os.environ.get("REFERENT_SCREENSHOTS") or tmp_path_factory.mktemp("shots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def idle(page) -> None:
    """Wait until the script run is over (Streamlit's running indicator is gone)."""
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=WAIT_MS
    )
    page.wait_for_timeout(400)


def ask(page, question: str) -> None:
    before = page.get_by_test_id("stChatMessage").count()
    box = page.get_by_test_id("stChatInputTextArea")
    box.fill(question)
    box.press("Enter")
    page.get_by_test_id("stChatMessage").nth(before + 1).get_by_text("Kilder").wait_for()
    idle(page)


def go(page, title: str) -> None:
    page.get_by_test_id("stSidebarNav").get_by_text(title, exact=True).click()
    page.get_by_role(
        "heading", name=title if title != "Spørg" else "Spørg i dokumenterne"
    ).wait_for()
    idle(page)


def test_question_answer_cards_briefing_and_docx(page, shots):
    ask(page, HEATING)
    answer = page.get_by_test_id("stChatMessage").nth(1)
    shown = answer.inner_text()
    assert "Byrådet besluttede den 24. marts 2025" in shown
    # the direct answer first, the evidence beneath it, apart
    assert (
        shown.index("Kort svar")
        < shown.index("Byrådet besluttede")
        < shown.index("Fra dokumenterne")
    )
    assert answer.locator("mark").first.is_visible(), "the cited sentence is highlighted"
    cards = answer.get_by_role("button", name="Tilføj til briefing")
    assert cards.count() >= 2
    page.get_by_test_id("stChatMessage").nth(0).scroll_into_view_if_needed()  # question on top
    page.screenshot(path=str(shots / "chat.png"))

    cards.first.click()
    answer.get_by_role("button", name="I briefingen").wait_for()
    idle(page)
    go(page, "Briefing")
    assert page.get_by_role("button", name="Fjern").count() == 1
    page.get_by_placeholder("Din kommentar til kilden").fill("Til budgetmødet.")
    page.get_by_placeholder("Din kommentar til kilden").press("Tab")
    idle(page)
    page.screenshot(path=str(shots / "briefing.png"))
    with page.expect_download() as info:
        page.get_by_role("button", name="Hent som Word (DOCX)").click()
    data = Path(info.value.path()).read_bytes()
    assert info.value.suggested_filename.endswith(".docx")
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode("utf-8")
    assert "Byrådet" in xml and "Til budgetmødet." in xml


def test_an_uncertain_answer_asserts_nothing_and_shows_the_nearest_evidence(page, shots):
    ask(page, UNCERTAIN_QUESTION)
    answer = page.get_by_test_id("stChatMessage").nth(1)
    shown = answer.inner_text()
    assert "Usikkert: jeg fandt ikke et direkte svar på det" in shown and "Kort svar" not in shown
    assert answer.get_by_role("button", name="Tilføj til briefing").count() >= 1
    page.get_by_test_id("stChatMessage").nth(0).scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "chat-usikker.png"))


def test_pdf_card_shows_the_page(page, shots):
    ask(page, PDF_QUESTION)
    answer = page.get_by_test_id("stChatMessage").nth(1)
    answer.get_by_text("Vis hele passagen og siden").first.click()
    image = answer.get_by_test_id("stImage").first
    image.wait_for()
    idle(page)
    image.scroll_into_view_if_needed()
    assert image.locator("img").evaluate("img => img.naturalWidth") > 400
    page.screenshot(path=str(shots / "kilde-side.png"))


def test_upload_then_library(page, shots):
    go(page, "Tilføj dokumenter")
    dropzone = page.locator('[data-testid="stFileUploaderDropzone"]')
    shown = dropzone.evaluate(
        """e => [...e.querySelectorAll("p, [data-testid=stFileUploaderDropzoneInstructions] span")]
                .map(el => getComputedStyle(el, "::after").content).join(" ")"""
    )
    assert "Vælg filer" in shown and "MB pr. fil" in shown, "the upload widget speaks Danish"
    page.locator("input[type=file]").set_input_files(
        [
            {"name": UPLOAD.name, "mimeType": "text/plain", "buffer": UPLOAD.read_bytes()},
            {"name": "regneark.xlsx", "mimeType": "application/vnd.ms-excel", "buffer": b"PK.."},
            {"name": "falsk.pdf", "mimeType": "application/pdf", "buffer": b"ikke en pdf"},
        ]
    )
    page.get_by_role("button", name="Indlæs filerne").click()
    page.get_by_role("heading", name="Resultat").wait_for()
    idle(page)
    page.get_by_text("regneark.xlsx blev afvist").wait_for()
    page.get_by_text("falsk.pdf blev afvist").wait_for()
    page.screenshot(path=str(shots / "upload.png"))

    go(page, "Bibliotek")
    page.get_by_label("Søg i titel og filnavn").fill("Teknik-og-Miljøudvalget_referat")
    page.get_by_label("Søg i titel og filnavn").press("Enter")
    page.get_by_text("1 af 4 filer").wait_for()
    page.get_by_label("Søg i titel og filnavn").fill("")
    page.get_by_label("Søg i titel og filnavn").press("Enter")
    page.get_by_text("4 af 4 filer").wait_for()
    idle(page)
    page.screenshot(path=str(shots / "bibliotek.png"), full_page=True)


def test_public_session_cannot_reach_a_closed_item(page):
    box = page.get_by_test_id("stChatInputTextArea")
    box.fill(CLOSED_QUESTION)
    box.press("Enter")
    page.get_by_test_id("stChatMessage").nth(1).wait_for()
    idle(page)
    text = page.get_by_test_id("stMainBlockContainer").inner_text()
    assert not any(marker in text for marker in CLOSED_MARKERS)
    go(page, "Bibliotek")
    search = page.get_by_label("Søg i titel og filnavn")
    for word in ("erhvervsgrund", "havnevej"):
        search.fill(word)
        search.press("Enter")
        page.get_by_text(re.compile(r"^0 af \d+ filer")).wait_for()
    text = page.get_by_test_id("stMainBlockContainer").inner_text()
    assert not any(marker in text for marker in CLOSED_MARKERS)


def test_a_case_timeline_from_a_card_link_and_the_news_view(page, shots):
    ask(page, "Hvad har byrådet besluttet om varmen i skolerne i 2025?")
    link = page.get_by_role("link", name="24-018452").first
    link.click()
    page.get_by_role("heading", name=re.compile(r"Sag 24-018452")).wait_for()
    idle(page)
    page.get_by_text("Afgjort af Byrådet den 24. marts 2025").wait_for()
    text = page.get_by_test_id("stMainBlockContainer").inner_text()
    assert text.index("Økonomiudvalget") < text.index("24. marts 2025 · Byrådet")
    page.screenshot(path=str(shots / "sager.png"), full_page=True)
    go(page, "Nyt")
    page.get_by_role("button", name=re.compile("Lav referat-overblik")).wait_for()
    text = page.get_by_test_id("stMainBlockContainer").inner_text()
    assert "Byrådet · 24. marts 2025" in text
    assert not any(marker in text for marker in CLOSED_MARKERS)
    page.screenshot(path=str(shots / "nyt.png"), full_page=True)
