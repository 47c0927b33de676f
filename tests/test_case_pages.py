"""The Sager and Nyt views of the app (AppTest over the app's small real store)."""

from __future__ import annotations

import re

import pytest

from tests.test_app import CLOSED_MARKERS
from tests.test_app import page_text as app_text

HEATING_CASE = "24-018452"
CLOSED_CASE = "25-001502"  # "Lukket: Salg af erhvervsgrund …" in Økonomiudvalget and Byrådet


def page_text(at) -> str:
    return app_text(at) + "\n" + "\n".join(s.value for s in at.subheader)


def open_page(at, page: str):
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def test_a_case_opens_as_a_timeline_and_a_step_goes_to_the_briefing(app):
    at = open_page(app(), "pages/cases.py")
    at.text_input(key="case_query").input(HEATING_CASE).run()
    assert not at.exception, at.exception
    text = page_text(at)
    assert f"Sag {HEATING_CASE}" in text
    assert "Afgjort af Byrådet den 24. marts 2025" in text
    assert text.index("17. marts 2025 · Økonomiudvalget") < text.index("24. marts 2025 · Byrådet")
    assert re.search(r"Kilde: Byrådet\\?_2025-03-24", text), "each step names its source"
    add = next(b for b in at.button if b.label == "Tilføj til briefing")
    add.click().run()
    assert not at.exception, at.exception
    items = at.session_state["briefing"].items
    assert len(items) == 1 and items[0].citation.case_number == HEATING_CASE


def test_title_words_find_the_case_and_a_public_session_sees_no_closed_one(app):
    at = open_page(app(), "pages/cases.py")
    at.text_input(key="case_query").input("varmen i skolerne").run()
    assert f"Sag {HEATING_CASE}" in page_text(at)
    for query in (CLOSED_CASE, "erhvervsgrund"):
        at.text_input(key="case_query").input(query).run()
        text = page_text(at)
        assert "Ingen sag passer" in text
        assert not any(m in text for m in CLOSED_MARKERS), query


def test_staff_with_closed_access_see_the_closed_case(app, monkeypatch):
    monkeypatch.setenv("REFERENT_ACCESS_LEVEL", "closed")
    at = open_page(app(), "pages/cases.py")
    at.text_input(key="case_query").input(CLOSED_CASE).run()
    assert "Salg af erhvervsgrund" in page_text(at)


def test_news_lists_decisions_per_meeting_and_makes_a_briefing(app):
    at = open_page(app(), "pages/news.py")
    at.date_input(key="news_since").set_value(None).run()
    assert not at.exception, at.exception
    text = page_text(at)
    assert "Byrådet · 24. marts 2025" in text
    assert not any(m in text for m in CLOSED_MARKERS)
    next(b for b in at.button if b.key == "news-all").click().run()
    assert not at.exception, at.exception
    briefing = at.session_state["briefing"]
    assert briefing.title.startswith("Referat-overblik") and len(briefing.items) >= 2
    assert all(i.citation.access == "public" for i in briefing.items)


@pytest.mark.parametrize("page", ["pages/cases.py", "pages/news.py"])
def test_the_views_open_without_a_query(app, page):
    at = open_page(app(), page)
    assert not at.exception


def test_a_case_number_on_a_card_links_to_its_history():
    from assistant.answer import Citation
    from ui.render import meta_html

    c = Citation(1, "x", "f.json", "Godkendt.", "Godkendt.", case_number="24-018452")
    assert '<a href="sager?sag=24-018452" target="_self">24-018452</a>' in meta_html(c)
