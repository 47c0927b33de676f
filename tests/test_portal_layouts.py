"""Item structure and metadata from the layouts agenda portals and text minutes use.

Every passage must carry its own item's number, title, case number and section, and the
document the committee, date and type the page itself states (tests/portal_pages.py).
"""

from __future__ import annotations

import pytest

from ingest.loaders import load_file
from ingest.passages import prepare_document
from tests.portal_pages import LAYOUTS, Page


def prepared(page: Page, tmp_path):
    path = tmp_path / page.name
    path.write_text(page.text, encoding="utf-8")
    (doc,) = load_file(path)
    return doc, prepare_document(doc, page.name, "h")


@pytest.mark.parametrize("layout", LAYOUTS, ids=lambda f: f.__name__)
def test_the_document_says_its_committee_date_and_type(layout, tmp_path):
    page = layout()
    _, found = prepared(page, tmp_path)
    meta = found.metadata
    assert (meta["committee"], meta["meeting_date"], meta["doc_type"]) == (
        page.committee,
        page.date,
        page.doc_type,
    )


@pytest.mark.parametrize("layout", LAYOUTS, ids=lambda f: f.__name__)
def test_each_passage_carries_its_own_item_and_section(layout, tmp_path):
    page = layout()
    _, found = prepared(page, tmp_path)
    owners = {s.text: (item, s) for item in page.items for s in item.sections}
    seen: set[str] = set()
    for passage in found.passages:
        m = passage.metadata
        held = [(item, s) for text, (item, s) in owners.items() if text in passage.text]
        if not held:
            continue
        assert len({item.number for item, _ in held}) == 1, passage.text
        item = held[0][0]
        where = f"{page.name} item {item.number}: {passage.text[:80]!r}"
        assert (m.item_number, m.item_title, m.case_number) == (
            item.number,
            item.title,
            item.case,
        ), where
        assert m.access == ("closed" if item.closed else "public"), where
        sections = m.section.split(" / ")
        for _, section in held:
            assert section.name in sections, (where, m.section)
        seen.update(s.text for _, s in held)
    assert seen == set(owners), f"texts not found in any item's passage: {set(owners) - seen}"


@pytest.mark.parametrize("layout", LAYOUTS, ids=lambda f: f.__name__)
def test_no_chrome_and_no_other_committee(layout, tmp_path):
    page = layout()
    doc, found = prepared(page, tmp_path)
    text = "\n".join(p.text for p in found.passages)
    assert "Vi bruger cookies" not in text and "Rådhuspladsen" not in text
    assert "Byrådet – referater" not in text  # the site menu
    assert all(p.metadata.committee == page.committee for p in found.passages)
    if page.name.endswith(".html") or page.name.endswith(".htm"):
        assert doc.layout.get("html_items") or page.items


def test_a_deeply_nested_page_is_read(tmp_path):
    depth = 3000  # more than Python's recursion limit: containers are entered without it
    page = tmp_path / "dyb.html"
    page.write_text(
        f"<html><body>{'<div>' * depth}<h2>1. Takster</h2><p>Sagsnr.: 25-1</p>"
        f"<p>Taksterne stiger.</p>{'</div>' * depth}</body></html>",
        encoding="utf-8",
    )
    (doc,) = load_file(page)
    assert [b.text for b in doc.blocks] == ["1. Takster", "Sagsnr.: 25-1", "Taksterne stiger."]


def test_a_list_of_cases_on_the_way_is_no_agenda_and_no_policy(tmp_path):
    rows = "".join(
        f"<tr><td>{n}</td><td>{title}</td><td>{when}</td></tr>"
        for n, title, when in [
            (1, "Ny klimapolitik", "juni 2025"),
            (2, "Strategi for cykelstier", "august 2025"),
            (3, "Trafikpolitik – revision", "oktober 2025"),
        ]
    )
    page = tmp_path / "sager_paa_vej.html"
    page.write_text(
        "<html><head><title>Sager på vej – Teknisk Udvalg</title></head><body><main>"
        "<h1>Sager på vej</h1><p>Oversigten viser sager, som forventes forelagt udvalget, "
        "herunder ny politik og strategi på området.</p><table><tr><th>Nr.</th><th>Sag</th>"
        f"<th>Forventet behandling</th></tr>{rows}</table></main></body></html>",
        encoding="utf-8",
    )
    (doc,) = load_file(page)
    found = prepare_document(doc, page.name, "h")
    assert found.metadata["doc_type"] == "andet"
    assert found.metadata["committee"] == "Teknisk Udvalg"
    assert not any(p.metadata.item_number for p in found.passages)


def test_a_page_whose_title_names_no_meeting_is_named_by_it(tmp_path):
    from tests.portal_pages import edoc_form_table, sbsys_definition_lists

    titles = {
        layout.__name__: prepared(layout(), tmp_path)[1].metadata["title"]
        for layout in (edoc_form_table, sbsys_definition_lists)
    }
    assert titles == {
        "edoc_form_table": "Magistraten – referat 3. februar 2025",  # <title>Publicering
        "sbsys_definition_lists": "Regionsrådet – dagsorden 4. februar 2025",  # Mødeplatform
    }
