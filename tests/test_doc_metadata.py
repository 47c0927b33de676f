"""A document's committee, date and type from what it says of itself; item sections in every
system's names; item headings in the shapes text and PDF/DOCX blocks give them.

Explicit cues decide; running text never sets a meeting's committee or any document's type, and
a field no cue gives stays empty and is shown as "ukendt".
"""

from __future__ import annotations

from datetime import date

import pytest

from danish.committees import committee_names
from danish.doc_types import read_doc_type, title_doc_type
from danish.sections import decision_maker, section_name, split_label
from ingest.document import Block, SourceDocument
from ingest.items import join_item_headings, mark_items, parse_item_heading
from ingest.loaders import load_file
from ingest.loaders.text import text_to_blocks
from ingest.passages import prepare_document


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Referat – Teknisk Udvalg – 12. marts 2025", ["Teknisk Udvalg"]),
        ("TEKNISK UDVALG", ["Teknisk Udvalg"]),
        ("Magistratens møde", ["Magistraten"]),
        ("Regionsrådet den 4. februar", ["Regionsrådet"]),
        ("Kommunalbestyrelsens beslutning", ["Kommunalbestyrelsen"]),
        ("Borgerrepræsentationen", ["Borgerrepræsentationen"]),
        (
            "Udvalget for plan, udvikling og kultur (PUK)",
            ["Udvalget for Plan, Udvikling og Kultur"],
        ),
        ("UDVALGET FOR BØRN OG UNGE", ["Udvalget for Børn og Unge"]),
        ("Udvalget for Teknik og Miljø har besluttet", ["Udvalget for Teknik og Miljø"]),
        ("Social- og Sundhedsudvalgets møde", ["Social- og Sundhedsudvalget"]),
        ("Klima-, Teknik- og Miljøudvalget", ["Klima-, Teknik- og Miljøudvalget"]),
        ("Byrådet og Økonomiudvalget", ["Byrådet", "Økonomiudvalget"]),
        ("sagen sendes til fagudvalget og udvalget for at sikre", []),
        ("byrådsmedlem og magistratsafdeling", []),
        ("Byråd og udvalg – Teknisk Udvalg", ["Teknisk Udvalg"]),  # a site's section name
    ],
)
def test_committee_names_in_every_shape(text, expected):
    assert [name for _, name in committee_names(text)] == expected


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Forslag til Klimapolitik 2025-2030 – i høring", "politik"),
        ("Høringssvar fra Ældrerådet", "høringssvar"),
        ("Støjhandlingsplan 2024-2028", "plan"),
        ("Bilag 2: Kort over området", "bilag"),
        ("Politiske dagsordener og referater", ""),  # a portal's name for its pages
        ("Arbejdsoplæg til Udvalget for Plan, Udvikling og Kultur", ""),  # no plan
        ("Sager på vej", ""),
        ("1. Godkendelse af dagsorden", ""),
    ],
)
def test_type_words_in_a_title(title, expected):
    assert title_doc_type(title) == expected


def test_weak_cues_never_decide_the_type():
    lines = ["Sager på vej", "Ny klimapolitik – forventes behandlet i juni",
             "Strategi for cykelstier – forventes behandlet i august"]  # fmt: skip
    assert read_doc_type("Sager på vej", lines, "sager_paa_vej") == ""
    assert read_doc_type("Vejstøj", ["Vejstøj", "Dette notat samler op på"], "x") == "notat"
    assert read_doc_type("Vejstøj", ["NOTAT", "Vejstøj"], "x") == "notat"
    assert read_doc_type("Møde", ["Åbent referat"], "x") == "referat"
    assert read_doc_type("Møde", [], "Teknisk-Udvalg_dagsorden_2025-03-12") == "dagsorden"


def prepare_text(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    (doc,) = load_file(path)
    return prepare_document(doc, name, "h")


def test_a_committees_minutes_are_not_the_councils(tmp_path):
    text = (
        "Referat\n\nTeknisk Udvalg\n\nMødedato: 12. marts 2025\n\n"
        "1. Trafikplan\nSagsnr.: 25-1422\n\nIndstilling:\nPlanen indstilles til Byrådet. Byrådet "
        "skal vedtage den, og Byrådet har afsat midlerne.\n\nBeslutning:\nAnbefales.\n"
    )
    meta = prepare_text(tmp_path, "referat.txt", text).metadata
    assert (meta["committee"], meta["meeting_date"], meta["doc_type"]) == (
        "Teknisk Udvalg",
        "2025-03-12",
        "referat",
    )


def test_a_field_no_cue_gives_stays_empty(tmp_path):
    text = (
        "Dagsorden\n\n1. Trafikplan\nSagsnr.: 25-1422\n\nIndstilling:\nPlanen indstilles til "
        "Byrådet, og Byrådet skal vedtage den.\n"
    )
    meta = prepare_text(tmp_path, "x.txt", text).metadata
    assert meta["doc_type"] == "dagsorden"
    assert meta["committee"] == "" and meta["meeting_date"] == ""  # not "Byrådet", not a guess
    memo = prepare_text(tmp_path, "y.txt", "Notat om cykelstier\n\nByrådet ønsker flere stier.")
    assert memo.metadata["committee"] == "Byrådet"  # a memo's weak cue is still a cue


def test_a_publication_date_is_not_the_meeting_date(tmp_path):
    text = (
        "Offentliggjort den 14. marts 2025\n\nTeknisk Udvalg\n\nReferat fra mødet den 12. marts "
        "2025\n\n1. Trafikplan\nSagsnr.: 25-1422\n\nBeslutning:\nGodkendt.\n"
    )
    assert prepare_text(tmp_path, "r.txt", text).metadata["meeting_date"] == "2025-03-12"


def test_minutes_say_their_committee_and_date_in_every_decision(tmp_path):
    # one item of a meeting, printed alone (as eDoc does): no letterhead, only the item
    text = (
        "8.\nEvaluering af rygestopkurser\nSagsnr.: 2010-3082\n\nSammendrag\n\nKurserne blev "
        "afholdt i 2011, og Kommunalbestyrelsen den 30. januar 2012 fik en status.\n\n"
        "Sundheds- og Forebyggelsesudvalgets beslutning den 04.12.2012 Punkt 8\n"
        "Taget til efterretning\n"
    )
    found = prepare_text(tmp_path, "1552816.txt", text)
    meta = found.metadata
    assert (meta["committee"], meta["meeting_date"], meta["doc_type"]) == (
        "Sundheds- og Forebyggelsesudvalget",
        "2012-12-04",
        "referat",
    )
    assert meta["title"] == "Evaluering af rygestopkurser"
    decision = [p for p in found.passages if "Taget til efterretning" in p.text]
    assert decision and all(p.metadata.section == "Beslutning" for p in decision)
    assert {p.metadata.item_number for p in found.passages} == {"8"}


@pytest.mark.parametrize(
    ("heading", "expected"),
    [
        ("Beslutning", "Beslutning"),
        ("Beslutning:", "Beslutning"),
        ("Udvalgets beslutning", "Beslutning"),
        ("Beslutning i Byrådet den 24. marts 2025", "Beslutning"),
        ("Beslutning Teknisk Udvalg den 12-03-2025", "Beslutning"),
        ("Sundheds- og Forebyggelsesudvalgets beslutning den 04.12.2012 Punkt 1", "Beslutning"),
        ("Administrationens indstilling", "Indstilling"),
        ("Indstilling fra direktionen", "Indstilling"),
        ("Resumé", "Resumé"),
        ("Sagsbeskrivelse", "Sagsbeskrivelse"),
        ("Sagens forløb", "Sagens forløb"),
        ("Økonomiske konsekvenser og finansiering", "Økonomiske konsekvenser og finansiering"),
        ("Høring", "Høring"),
        ("Bilag", "Bilag"),
        ("Beslutningstema", "Beslutningstema"),  # what is to be decided: no decision
        ("Beslutningen træffes af", "Beslutningen træffes af"),
        ("Indstillingen godkendt", None),  # a decision's text
        ("Godkendelse af dagsorden", None),
    ],
)
def test_section_names_in_every_systems_variant(heading, expected):
    assert section_name(heading) == expected


def test_who_decided_and_when_and_labels_split_off():
    assert decision_maker("Beslutning i Udvalget for plan, udvikling og kultur (PUK) den "
                          "10-04-2013") == ("Udvalget for Plan, Udvikling og Kultur",
                                            date(2013, 4, 10))  # fmt: skip
    assert decision_maker("Udvalgets beslutning") == ("", None)
    assert split_label("Beslutning: Godkendt.") == ("Beslutning", "Beslutning", "Godkendt.")
    assert split_label(
        "Økonomiudvalgets beslutning den 04.12.2012 Punkt 1 Taget til efterretning"
    ) == ("Økonomiudvalgets beslutning den 04.12.2012 Punkt 1", "Beslutning",
          "Taget til efterretning")  # fmt: skip
    assert split_label("Dato: 5. marts 2025") is None
    assert split_label("Sagen afgøres i: Byrådet") is None  # a field, not a section


@pytest.mark.parametrize(
    ("heading", "expected"),
    [
        ("Sag nr. 5 – Salg af grund", ("5", "Salg af grund", False)),
        ("Dagsordenpunkt 3: Takster", ("3", "Takster", False)),
        ("Punkt nr. 12 Lukket: Personalesag", ("12", "Personalesag", True)),
        ("4.Godkendelse af dagsorden", ("4", "Godkendelse af dagsorden", False)),
        ("Sag nr.: 24-009214", None),  # a case number
        ("Sag nr. 24/1234", None),
        ("2.1 Økonomi", None),
    ],
)
def test_more_item_heading_shapes(heading, expected):
    assert parse_item_heading(heading) == expected


def test_text_item_headings_split_over_two_lines_and_before_a_section():
    text = (
        "Punkt 4\nGodkendelse af regnskab\nSag nr.: 25-0004\n\n"
        "Sag nr. 5 Salg af grund til erhverv i Nordområdet ved motorvejen\nResumé:\nTekst.\n\n"
        "4.\nat sagen afsluttes\n"
    )
    headings = [b.text for b in text_to_blocks(text) if b.kind == "heading"]
    assert headings == [
        "Punkt 4 Godkendelse af regnskab",
        "Sag nr. 5 Salg af grund til erhverv i Nordområdet ved motorvejen",
    ]


def test_pdf_and_docx_item_layouts_become_item_headings():
    edoc = [  # eDoc prints the number on a line of its own above the title
        Block("1."), Block("Meddelelser", "heading", 2), Block("Sagsnr.: 2011-29298"),
    ]  # fmt: skip
    first = join_item_headings(edoc)[0]
    assert (first.kind, first.text) == ("heading", "1. Meddelelser")
    acadre = [  # Acadre sets the item heading and its fields in one table
        Block("715. Kulturkommune 2017\nSagsnr.: | 12/27845\nSagen afgøres i: | Udvalget", "table"),
        Block("Resumé", "heading", 2),
        Block("Tekst."),
    ]
    joined = join_item_headings(acadre)
    assert [(b.kind, b.text, b.level) for b in joined[:3]] == [
        ("heading", "715. Kulturkommune 2017", 1),
        ("paragraph", "Sagsnr.: 12/27845", 0),
        ("paragraph", "Sagen afgøres i: Udvalget", 0),
    ]
    _, items = mark_items(joined, "")
    assert [(i.number, i.case_number) for i in items] == [("715", "12/27845")]


def test_unnumbered_items_told_by_their_case_lines_and_bare_numbers_in_a_run():
    blocks = [
        Block("Dagsorden", "heading", 1),
        Block("Godkendelse af dagsorden", "heading", 2), Block("Sagsnr.: 25-1"), Block("Ok."),
        Block("Trafikplan", "heading", 2), Block("Sagsnr.: 25-2"), Block("Tekst."),
    ]  # fmt: skip
    _, items = mark_items(blocks, "dagsorden")
    assert [(i.number, i.title, i.case_number) for i in items] == [
        ("1", "Godkendelse af dagsorden", "25-1"),
        ("2", "Trafikplan", "25-2"),
    ]
    bare = [Block("4 Takster", "heading", 2), Block("Tekst."), Block("5 Vinter", "heading", 2)]
    assert [i.number for i in mark_items(bare, "referat")[1]] == ["4", "5"]
    alone = [Block("100 års jubilæum", "heading", 2), Block("Tekst.")]
    assert mark_items(alone, "referat")[1] == []


def test_numbered_memo_sections_are_still_not_items():
    memo = SourceDocument(
        blocks=[
            Block("Notat", "heading", 1),
            Block("1. Indledning", "heading", 2),
            Block("Notatet beskriver baggrunden."),
            Block("2. Vurdering", "heading", 2),
            Block("Administrationen vurderer sagen."),
        ],
        source_format="txt",
    )
    found = prepare_document(memo, "notat.txt", "h")
    assert not any(p.metadata.item_number for p in found.passages)


def test_unknown_committee_and_date_are_shown_as_unknown():
    from assistant.answer import Citation
    from ui.render import card_meta

    card = dict(card_meta(Citation(n=1, chunk_id="x", source="a.txt", quote="q", text="q")))
    assert card["Udvalg"] == "ukendt" and card["Mødedato"] == "ukendt"
    known = Citation(
        n=1, chunk_id="x", source="a", quote="q", text="q", committee="Teknisk Udvalg",
        meeting_date="2025-03-12",
    )  # fmt: skip
    assert dict(card_meta(known))["Udvalg"] == "Teknisk Udvalg"


# -- the real documents of other systems (../shared/corpus) --------------------------------


def _prepared(path):
    (doc,) = load_file(path)
    return prepare_document(doc, path.name, "h")


@pytest.mark.corpus
def test_edoc_minutes_pdf_has_its_items(shared_corpus):
    folder = shared_corpus / "os2dagsorden-samples" / "ballerup_edoc_2012-12-04"
    found = _prepared(folder / "Sundheds- og Forebyggelsesudvalget.pdf")
    meta = found.metadata
    assert (meta["committee"], meta["meeting_date"], meta["doc_type"]) == (
        "Sundheds- og Forebyggelsesudvalget",
        "2012-12-04",
        "referat",
    )
    cases = {p.metadata.item_number: p.metadata.case_number for p in found.passages}
    assert cases.get("2") == "2012-28504" and cases.get("8") == "2010-3082"
    assert len([n for n in cases if n]) >= 8
    decisions = [p for p in found.passages if "beslutning den 04.12.2012" in p.text]
    assert decisions and all("Beslutning" in p.metadata.section for p in decisions)
    item = _prepared(folder / "1552816.PDF")  # the same item printed alone
    assert item.metadata["title"].endswith("Evaluering af rygestopkurser")
    assert item.metadata["committee"] == "Sundheds- og Forebyggelsesudvalget"
    assert item.metadata["meeting_date"] == "2012-12-04"
    assert {p.metadata.item_number for p in item.passages} == {"8"}


@pytest.mark.corpus
def test_acadre_minutes_name_their_committee(shared_corpus):
    folder = shared_corpus / "os2dagsorden-samples" / "syddjurs_acadre_1863"
    minutes = _prepared(folder / "Ekstraordinært PUK.docx")
    assert minutes.metadata["committee"] == "Udvalget for Plan, Udvikling og Kultur"
    items = {(p.metadata.item_number, p.metadata.case_number) for p in minutes.passages}
    assert ("715", "12/27845") in items
    paper = next(folder.glob("Kulturkommune 2017*.docx"))
    meta = _prepared(paper).metadata
    assert meta["committee"] == "Udvalget for Plan, Udvikling og Kultur"  # the file's name
    assert meta["doc_type"] == "andet"  # "politik" in its text names no type


def test_unnumbered_items_told_by_their_sections_in_minutes():
    blocks = [
        Block("Referat", "heading", 1),
        Block("Deltagere", "heading", 2), Block("Alle mødte."),
        Block("Trafikplan", "heading", 2), Block("Indstilling", "heading", 3), Block("At."),
        Block("Beslutning", "heading", 3), Block("Godkendt."),
        Block("Eventuelt", "heading", 2), Block("Intet."),
        Block("Vinter", "heading", 2), Block("Beslutning", "heading", 3), Block("Vedtaget."),
    ]  # fmt: skip
    _, items = mark_items(blocks, "referat")
    assert [(i.number, i.title) for i in items] == [
        ("1", "Trafikplan"), ("2", "Eventuelt"), ("3", "Vinter"),
    ]  # fmt: skip
    assert mark_items(blocks, "notat")[1] == []  # a memo's chapters are no items


def test_item_headings_a_pdf_reader_took_for_paragraphs():
    blocks = [
        Block("Referat", "heading", 1),
        Block("1. Godkendelse af dagsorden"), Block("Sagsnr.: 25-1"), Block("Godkendt."),
        Block("2. Takster 2025 Sagsnr.: 25-2 Taksterne stiger med 3 pct."),
        Block("3. at taksterne offentliggøres"),  # a numbered list line, no case line
    ]  # fmt: skip
    _, items = mark_items(blocks, "referat")
    assert [(i.number, i.title, i.case_number) for i in items] == [
        ("1", "Godkendelse af dagsorden", "25-1"),
        ("2", "Takster 2025", "25-2"),
    ]


def test_the_table_of_contents_names_unnumbered_item_headings(tmp_path):
    text = (
        "Referat\n\nIndholdsfortegnelse\n"
        "1. Godkendelse af dagsorden .......... 2\n2. Trafikplan 2025 .......... 3\n"
        "3. Lukket: Grundsalg .......... 4\n\n"
        "Godkendelse af dagsorden\n\nDagsordenen blev godkendt uden bemærkninger af nogen art.\n\n"
        "Trafikplan 2025\n\nPlanen blev vedtaget med stemmerne fra alle partier i udvalget.\n\n"
        "Grundsalg\n\nGrunden blev solgt til højestbydende efter udbuddet i foråret.\n"
    )
    found = prepare_text(tmp_path, "referat.txt", text)
    items = {
        (p.metadata.item_number, p.metadata.item_title, p.metadata.access) for p in found.passages
    }
    assert items == {
        ("1", "Godkendelse af dagsorden", "public"),
        ("2", "Trafikplan 2025", "public"),
        ("3", "Grundsalg", "closed"),  # the contents say it is closed; the heading does not
    }
