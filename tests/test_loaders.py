"""Loaders on real files (shared corpus, examples) and purpose-made ones in tests/data."""

from pathlib import Path

import pytest

from ingest.errors import FileRejected
from ingest.loaders import load_file
from ingest.loaders.html_blocks import html_to_blocks, parse_html
from ingest.loaders.text import text_to_blocks
from ingest.passages import prepare_document
from tests.conftest import AARHUS_SMALL, DATA, GREVE_SMALL


def test_inline_tags_join_without_space_block_tags_with_one():
    html = "<div><p>Center for <span>b</span>eskæftigelse</p><div>og <b>Job</b>center</div></div>"
    assert [b.text for b in html_to_blocks(parse_html(html))] == [
        "Center for beskæftigelse",
        "og Jobcenter",
    ]


def test_real_portal_item_with_split_word(shared_corpus):
    (path,) = (shared_corpus / "greve").glob("Klima-, Teknik- og Miljøudvalget_2022-06-02*.json")
    docs = load_file(path)
    text = "\n".join(d.text for d in docs)
    assert "at administration tildeles kompetencen" in text
    assert "a t administration" not in text


def test_portal_meeting_becomes_one_document_per_item(shared_corpus):
    docs = load_file(shared_corpus / "greve" / GREVE_SMALL[0])
    assert len(docs) == 3
    meta = docs[0].metadata
    assert meta["committee"] == "Byråd 2022-2025"
    assert meta["meeting_date"] == "2023-09-27"
    assert meta["item_number"] == "1"
    assert meta["case_number"] == "21-014420"  # the item's SagsNummer
    assert [d.metadata["case_number"] for d in docs] == ["21-014420", "23-010353", "21-013699"]
    closed = [d for d in docs if d.metadata["access"] == "closed"]
    assert len(closed) == 1 and not closed[0].metadata["title"].lower().startswith("lukket")
    sections = {b.section for d in docs for b in d.blocks if b.section}
    assert {"Sagsprocedure", "Resume", "Indstilling"} <= sections
    assert "Fremstilling" not in sections


def test_pdf_pages_headings_and_furniture(shared_corpus):
    docs = load_file(shared_corpus / "aarhus-vejstoej" / "2023-08-MTM-juridisk-notat.pdf")
    doc = docs[0]
    assert doc.pages == 9
    headings = [b.text for b in doc.blocks if b.kind == "heading"]
    assert "1. Indledning" in headings
    text = doc.text
    assert "Side 1 af 9" not in text and "Side 2 af 9" not in text
    assert max(b.page for b in doc.blocks) >= 8
    prepared = prepare_document(doc, "notat.pdf", "h")
    joined = " ".join(p.text for p in prepared.passages)
    assert "Vejloven medfører dog ingen pligt til at etablere" in joined
    assert "foranstaltninger ved eksisterende veje" in joined  # "foranstalt-\nninger" rejoined
    assert all(p.metadata.page_start >= 1 for p in prepared.passages)


def test_pdf_small_real(shared_corpus):
    doc = load_file(shared_corpus / "aarhus-vejstoej" / AARHUS_SMALL)[0]
    assert doc.source_format == "pdf" and doc.pages == 2


def test_seed_text_renditions_clean_to_the_same_words(shared_corpus):
    seeds = sorted((shared_corpus / "seeds").iterdir())
    a, b = (prepare_document(load_file(p)[0], p.name, "h") for p in seeds)
    assert "drøftelse af politikkens formål" in b.text  # PDF rendition, hyphenation undone
    assert a.metadata["meeting_date"] == "2019-12-05"
    assert a.metadata["case_number"] == "00.01.10-P22-1-18"
    assert a.metadata["contact"] == "Morten Sølvberg Dalsgaard"
    assert a.metadata["title"].startswith("Opsamling på temamøde om integration")
    # letterhead fields are metadata and content: the first passage holds them, one per line
    first = a.passages[0].text.split("\n")
    assert "Kontakt: Morten Sølvberg Dalsgaard" in first
    assert "Sagsid: 00.01.10-P22-1-18" in first
    assert not any("Kontakt:" in p.text for p in a.passages[1:])


def test_docx_headings_tables_and_letterhead():
    doc = load_file(DATA / "memo_with_table.docx")[0]
    kinds = [(b.kind, b.level) for b in doc.blocks]
    assert ("heading", 1) in kinds and ("heading", 2) in kinds
    assert any(b.kind == "table" and "Saltning | 2,1 mio. kr." in b.text for b in doc.blocks)
    prepared = prepare_document(doc, "memo_with_table.docx", "h")
    assert prepared.metadata["meeting_date"] == "2025-08-27"
    assert prepared.metadata["case_number"] == "25-004711"
    assert prepared.metadata["doc_type"] == "notat"


def test_cp1252_text_is_decoded():
    doc = load_file(DATA / "cp1252_referat.txt")[0]
    assert "Søndergården" in doc.text and "Ældrerådet" in doc.text


def test_html_page_chrome_is_dropped(tmp_path):
    page = tmp_path / "dagsorden.html"
    page.write_text(
        "<html><head><title>Dagsorden – Byrådet</title><script>x=1</script></head><body>"
        "<nav><a href='/'>Forside</a></nav><div class='cookie-banner'>Vi bruger cookies</div>"
        "<main><h1>Dagsorden</h1><h2>Punkt 1: Budget 2025</h2><p>Byrådet skal godkende "
        "budgettet.</p></main><footer>Kommunen · Rådhuset</footer></body></html>",
        encoding="utf-8",
    )
    doc = load_file(page)[0]
    text = doc.text
    assert "Punkt 1: Budget 2025" in text and "Byrådet skal godkende budgettet." in text
    assert "cookies" not in text and "Forside" not in text and "Rådhuset" not in text
    assert doc.metadata["title"] == "Dagsorden – Byrådet"


REASONS = {
    "encrypted": "Filen er krypteret eller beskyttet med adgangskode.",
    "corrupt": "Filen er beskadiget og kan ikke læses.",
    "empty": "Filen indeholder ingen tekst (tom, eller kun billeder uden tekstlag).",
    "undecodable": "Teksten kunne ikke afkodes (ukendt tegnsæt eller binære data).",
    "unsupported": "Filtypen understøttes ikke.",
    "scanned": "Filen er en scanning uden tekstlag: siderne er billeder, og Referent laver ikke "
    "tekstgenkendelse (OCR) af billeder.",
}


@pytest.mark.parametrize(
    ("name", "code", "detail"),
    [
        ("encrypted.pdf", "encrypted", ""),
        ("corrupt.pdf", "corrupt", "PDF'en er beskadiget og kunne ikke genskabes"),
        ("scanned_no_text.pdf", "scanned", "billeder på 1 af 1 sider, ingen tekst"),
        ("empty.txt", "empty", "0 bytes"),
        ("whitespace_only.txt", "empty", ""),
        ("binary_garbage.txt", "undecodable", "filen ser binær ud"),
        ("unsupported.xlsx", "unsupported", ".xlsx"),
        ("corrupt.docx", "corrupt", "ikke en gyldig DOCX-pakke"),
        ("encrypted.docx", "encrypted", "krypteret, eller en gammel .doc-fil omdøbt til .docx"),
        (
            "not_a_meeting.json",
            "unsupported",
            "JSON-filen er ikke et mødeformat (mangler 'Dagsordenpunkter')",
        ),
        ("invalid.json", "corrupt", "ugyldig JSON: Expecting value: line 1 column 23 (char 22)"),
    ],
)
def test_bad_files_are_rejected_with_a_plain_reason(name, code, detail):
    with pytest.raises(FileRejected) as info:
        load_file(DATA / name)
    assert info.value.code == code
    assert info.value.reason == REASONS[code]  # the Danish reason, without the detail
    assert info.value.detail == detail
    # what the report shows: the reason and the detail, in Danish; the log reads English
    assert info.value.user_message == (f"{REASONS[code]} ({detail})" if detail else REASONS[code])
    assert str(info.value) == (
        f"{type(info.value).technical_message}: {detail}"
        if detail
        else type(info.value).technical_message
    )


def test_every_example_document_loads():
    folder = Path(__file__).resolve().parent.parent / "examples" / "documents"
    files = [p for p in folder.iterdir() if p.is_file()]
    assert len(files) >= 10
    formats = set()
    for path in files:
        docs = load_file(path)
        assert docs, path
        formats.add(docs[0].source_format)
    assert {"pdf", "docx", "txt", "html", "portal-json"} <= formats


def test_text_agenda_item_headings_but_not_numbered_lists():
    text = (
        "5. Lukket: Erstatningssag vedr. faldulykke på fortov\nSagsnr.: 24-002233\n\n"
        "Administrationen indstiller,\n1. at sagen afsluttes\n2. at parterne orienteres.\n\n"
        "3. Udskiftning af vejbelysning til LED, etape 2 – anlægsbevilling\nSagsnr.: 23-011870"
    )
    headings = [b.text for b in text_to_blocks(text) if b.kind == "heading"]
    assert headings == [
        "5. Lukket: Erstatningssag vedr. faldulykke på fortov",
        "3. Udskiftning af vejbelysning til LED, etape 2 – anlægsbevilling",
    ]
