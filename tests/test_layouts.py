"""Reading layouts: page furniture, tables of contents and doubled text in PDF and DOCX files.

The layouts are written at test time (tests/layouts.py); the real minutes in ../shared/corpus
are read when present. Every rule is checked on its layout, never on one file's words.
"""

import json
import re

import pytest

from ingest.doc_title import title_from_lines
from ingest.doubled import collapse_doubled
from ingest.furniture import Placed, furniture
from ingest.loaders import load_file
from ingest.passages import prepare_document
from ingest.toc import find_toc
from tests.layouts import (
    FOOTER,
    HEADER,
    ITEMS,
    many_items,
    minutes_docx,
    minutes_pdf,
    numbers_table_pdf,
    repeated_heading_pdf,
)

DOTS = re.compile(r"\.{5,}|…{3,}|(?:\. ){4,}")


def read(path):
    (doc,) = load_file(path)
    return doc, prepare_document(doc, path.name, "h")


def assert_minutes_read(doc, prepared, *, pages: bool) -> None:
    """What every rendition of the generated minutes must give."""
    meta = prepared.metadata
    assert meta["meeting_date"] == "2025-03-24" and meta["doc_type"] == "referat"
    assert meta["committee"] == "Byrådet"
    title = str(meta["title"])
    assert title.lower().count("referat") == 1 and "Byrådet" in title, title
    assert "Side" not in title and not DOTS.search(title)
    toc = json.loads(str(doc.metadata["toc"]))
    assert [(e["number"], e["title"]) for e in toc] == [(i.number, i.title) for i in ITEMS]
    if pages:
        assert [e["page"] for e in toc] == list(range(3, 3 + len(ITEMS)))
    assert doc.layout["toc_entries"] == len(ITEMS)
    by_item: dict[str, list] = {}
    for p in prepared.passages:
        text = p.text
        assert not DOTS.search(text) and "Indholdsfortegnelse" not in text, text[:200]
        assert HEADER not in text and FOOTER not in text and not re.search(r"Side \d+ af", text)
        assert (
            not DOTS.search(p.metadata.section) and "Indholdsfortegnelse" not in p.metadata.section
        )
        by_item.setdefault(p.metadata.item_number, []).append(p)
    assert set(by_item) >= {item.number for item in ITEMS}
    for item in ITEMS:
        found = by_item[item.number]
        assert {p.metadata.case_number for p in found} == {item.case}
        assert any(item.words in p.text for p in found)
        others = [i.words for i in ITEMS if i is not item]
        assert not any(w in p.text for p in found for w in others)
    # a table of contents lists every item: no passage of the document does
    assert not any(sum(i.title in p.text for i in ITEMS) >= 3 for p in prepared.passages)


# -- PDF ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("toc", "label", "punkt_style"),
    [
        (
            "dots",
            "inline",
            False,
        ),  # "1. Godkendelse af dagsorden ....... 3", "REFERAT … Side 3 af 7"
        (
            "tabs",
            "footer",
            False,
        ),  # "1." | "Godkendelse af dagsorden" | "3"; "Side 3 af 7" a footer
        ("list", "right", True),  # the item list without a title or pages, "Punkt 2: …" headings
    ],
)
def test_minutes_pdf_furniture_toc_doubled_text_and_items(tmp_path, toc, label, punkt_style):
    path = minutes_pdf(tmp_path / "referat.pdf", toc=toc, label=label, punkt_style=punkt_style)
    doc, prepared = read(path)
    assert_minutes_read(doc, prepared, pages=toc != "list")
    assert doc.layout["furniture_lines"] >= 2 * doc.pages  # a header and a footer on each page
    assert any(b.kind == "toc" for b in doc.blocks)
    assert doc.layout["doubled_runs"] >= 2 * len(ITEMS)  # headings and decisions drawn twice
    text = "\n".join(p.text for p in prepared.passages)
    assert "Beslutning Beslutning" not in text and "Godkendt. Godkendt." not in text
    assert "Godkendelse af dagsorden Godkendelse af dagsorden" not in text
    assert text.count("Godkendt.") == len(ITEMS)
    headings = [b.text for b in doc.blocks if b.kind == "heading"]
    assert not any(h.split() == h.split()[: len(h.split()) // 2] * 2 for h in headings)


def test_long_minutes_items_running_on_and_contents_over_two_pages(tmp_path):
    items = many_items(40)
    path = minutes_pdf(tmp_path / "referat.pdf", items=items, label="right", page_per_item=False)
    doc, prepared = read(path)
    assert doc.pages >= 25
    toc = json.loads(str(doc.metadata["toc"]))
    assert [(e["number"], e["title"]) for e in toc] == [(i.number, i.title) for i in items]
    assert prepared.metadata["title"] == "REFERAT – Byrådet"
    by_item: dict[str, set[str]] = {}
    for p in prepared.passages:
        assert HEADER not in p.text and not DOTS.search(p.text) and "Side " not in p.text
        by_item.setdefault(p.metadata.item_number, set()).add(p.metadata.case_number)
    assert {n: cases for n, cases in by_item.items() if n} == {i.number: {i.case} for i in items}
    sections = {s for p in prepared.passages for s in p.metadata.section.split(" / ")}
    assert not any(i.title in s for i in items for s in sections)


def test_front_page_label_and_value_in_two_columns_are_one_line(tmp_path):
    doc, prepared = read(minutes_pdf(tmp_path / "referat.pdf"))
    assert "Mødedato: Mandag d. 24. marts 2025" in prepared.passages[0].text
    assert HEADER not in doc.header_text.split("\n")[0]  # the front page first, the header once
    assert doc.header_text.count(HEADER) <= 1


def test_single_layer_pdf_collapses_nothing(tmp_path):
    doc, prepared = read(minutes_pdf(tmp_path / "referat.pdf", doubled=False))
    assert doc.layout.get("doubled_runs", 0) == 0
    assert_minutes_read(doc, prepared, pages=True)


def test_heading_that_opens_every_page_is_text_not_furniture(tmp_path):
    doc, prepared = read(repeated_heading_pdf(tmp_path / "politik.pdf", pages_n=6))
    sections = [b.text for b in doc.blocks if b.kind == "heading"]
    assert sections.count("Vi vil:") == 6
    assert doc.layout["furniture_lines"] == 6  # the running header, once per page
    assert prepared.metadata["title"] == "Politik for Kultur og Fritid"  # from that header
    assert not any("Politik for Kultur og Fritid" in p.text for p in prepared.passages)


def test_rows_of_labels_and_numbers_are_a_table_not_contents(tmp_path):
    doc, prepared = read(numbers_table_pdf(tmp_path / "noegletal.pdf"))
    assert "toc" not in doc.metadata and not doc.layout.get("toc_entries")
    text = " ".join(p.text for p in prepared.passages)
    assert "Antal pladser i vuggestuer 120" in text and "Antal ansatte pædagoger 12" in text


def test_one_page_pdf_loses_its_page_label(tmp_path):
    import pymupdf

    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    page.insert_text((72, 120), "Notat om vejbelysning", fontsize=16, fontname="hebo")
    page.insert_text((72, 150), "Belysningen skiftes til LED i 2026.", fontsize=10)
    page.insert_text((280, 810), "Side 1 af 1", fontsize=8)
    path = tmp_path / "notat.pdf"
    doc.save(path)
    loaded, prepared = read(path)
    assert "Side 1 af 1" not in loaded.text and loaded.layout["furniture_lines"] == 1
    assert prepared.metadata["title"] == "Notat om vejbelysning"


# -- DOCX ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("toc", ["field", "sdt", "plain"])
def test_minutes_docx_table_of_contents_is_structure(tmp_path, toc):
    doc, prepared = read(minutes_docx(tmp_path / "referat.docx", toc=toc))
    assert_minutes_read(doc, prepared, pages=True)
    assert prepared.metadata["title"] == "Referat – Byrådet"


# -- the rules, one by one ----------------------------------------------------------------------


def test_toc_lines_by_leader_title_and_relisted_items():
    lines = [
        "Indholdsfortegnelse",
        "Punkt nr.\tSide",
        "1. Godkendelse af dagsorden ............ 3",
        "2. Budget 2026 - første",  # a title wrapped onto the line with its page
        "behandling\t4",
        "1. Godkendelse af dagsorden",
        "Sagsnr.: 25-000101",
    ]
    toc = find_toc(lines)
    assert toc.lines == {0, 1, 2, 3, 4}
    assert [(e.number, e.title, e.page) for e in toc.entries] == [
        ("1", "Godkendelse af dagsorden", 3),
        ("2", "Budget 2026 - første behandling", 4),
    ]
    listed = ["2. Takster 2026", "3. Lokalplan", "Tekst.", "2. Takster 2026", "Mere tekst."]
    assert find_toc([*listed, "3. Lokalplan"]).lines == {0, 1}  # listed, then the items
    assert not find_toc(listed).lines  # "3. Lokalplan" never comes back: a list, not contents


def test_toc_is_not_a_numbered_list_or_a_table_of_counts():
    body = ["Udvalget indstiller,", "1. at budgettet vedtages,", "2. at taksterne godkendes."]
    assert not find_toc(body).lines
    counts = ["Antal pladser\t120", "Antal ansatte\t45", "Antal dagplejere\t87"]
    assert not find_toc(counts, pages=[2, 2, 2], page_count=10).lines
    pages_back = ["Indledning\t1", "Formål\t2", "Økonomi\t3"]
    assert not find_toc(pages_back, pages=[5, 5, 5], page_count=10).lines  # points backwards
    assert find_toc(pages_back, pages=[1, 1, 1], page_count=10).lines == {0, 1, 2}


@pytest.mark.parametrize(
    ("line", "once"),
    [
        ("Godkendelse af dagsorden Godkendelse af dagsorden", "Godkendelse af dagsorden"),
        ("Beslutning Beslutning", "Beslutning"),
        ("Takster Takster 2026 2026", "Takster 2026"),
        ("BBeesslluuttnniinngg", "Beslutning"),
        ("det var meget, meget godt", "det var meget, meget godt"),
        ("ja ja", "ja ja"),
        ("Punkt 2 Punkt 3", "Punkt 2 Punkt 3"),
    ],
)
def test_doubled_runs_collapse_only_when_the_whole_line_is_doubled(line, once):
    assert collapse_doubled(line) == once


def test_furniture_by_repetition_position_and_space():
    def page(n: int) -> list[Placed]:
        return [
            Placed(f"REFERAT Byrådet d. 24. marts 2025 Side {n} af 5", 0.05, 0.06),
            Placed("Beslutning", 0.12, 0.135),  # a heading opening the page: text right under it
            Placed(f"Tekst {n} om sagen", 0.135, 0.15),  # the same on every page, digits aside
            Placed(["Først", "Dernæst", "Så", "Til sidst", "Endelig"][n - 1], 0.15, 0.165),
            Placed(str(n), 0.95, 0.96),  # a bare page number at the bottom edge
        ]

    found = furniture([page(n) for n in range(1, 6)])
    assert all(marked == {0, 4} for marked in found)
    single = furniture([[Placed("12", 0.5, 0.51), Placed("Side 1 af 1", 0.95, 0.96)]])
    assert single == [{1}]  # a lone number mid-page is a table's cell


def test_title_from_lines():
    assert title_from_lines(["Referat", "Byrådet", "Mandag d. 24. marts 2025"]) == (
        "Referat – Byrådet"
    )
    assert title_from_lines(["Dato: 3. april 2024", "Side 1 af 3", "Notat om støj"]) == (
        "Notat om støj"
    )
    assert title_from_lines(["Indholdsfortegnelse", "Vi vil:", "Kulturpolitik"]) == "Kulturpolitik"


# -- the real minutes in ../shared/corpus ---------------------------------------------------------


def test_real_minutes_pdf_furniture_toc_and_items(shared_corpus):
    path = shared_corpus / "os2dagsorden-samples/ballerup_edoc_2012-12-04"
    doc, prepared = read(path / "Sundheds- og Forebyggelsesudvalget.pdf")
    assert prepared.metadata["title"] == "Referat – Sundheds- og Forebyggelsesudvalget"
    toc = json.loads(str(doc.metadata["toc"]))
    assert [e["number"] for e in toc] == [str(n) for n in range(1, 9)]
    assert toc[5]["title"].endswith("ældre") and toc[5]["page"] == 10  # wrapped onto two lines
    assert doc.layout["furniture_lines"] >= 4 * doc.pages
    items = [p.metadata.item_number for p in prepared.passages]
    assert set(items) >= {str(n) for n in range(1, 9)}
    assert sum(bool(n) for n in items) >= 0.8 * len(items)
    assert not any("Dato: 04.12.2012" in p.text for p in prepared.passages)
    (single,) = load_file(path / "1552816.PDF")  # one item's own PDF
    assert prepare_document(single, "1552816.PDF", "h").metadata["title"] == (
        "8. Evaluering af rygestopkurser"
    )


@pytest.mark.parametrize("suffix", [".pdf", ".docx"])
def test_real_minutes_with_contents_in_both_renditions(shared_corpus, suffix):
    path = (
        shared_corpus / "os2dagsorden-samples/syddjurs_acadre_1863" / f"Ekstraordinært PUK{suffix}"
    )
    doc, prepared = read(path)
    assert prepared.metadata["title"] == "Referat – Udvalget for plan, udvikling og kultur (PUK)"
    toc = json.loads(str(doc.metadata["toc"]))
    assert [(e["number"], e["page"]) for e in toc] == [("715", 2)]
    assert not any(
        DOTS.search(p.text) or "Indholdsfortegnelse" in p.text for p in prepared.passages
    )
    items = {(p.metadata.item_number, p.metadata.case_number) for p in prepared.passages}
    assert ("715", "12/27845") in items


def test_bullet_lines_in_a_bold_font_are_list_items_not_headings(tmp_path):
    import pymupdf

    path = tmp_path / "begrundelse.pdf"
    doc = pymupdf.open()
    page = doc.new_page()
    y = 72
    page.insert_text((72, y), "Begrundelse", fontsize=16, fontname="hebo")
    body = "Vejen bør etableres af følgende grunde, som Byrådet har lagt vægt på i sin vurdering."
    for line in [body] * 3:
        y += 18
        page.insert_text((72, y), line, fontsize=10, fontname="helv")
    bullets = ["› Vejen vil sikre en god infrastruktur i området", "› Støjen håndteres med volde"]
    for line in bullets:
        y += 18
        page.insert_text((72, y), line, fontsize=10, fontname="hebo")
    doc.save(path)
    headings = [b.text for b in read(path)[0].blocks if b.kind == "heading"]
    assert headings == ["Begrundelse"]
