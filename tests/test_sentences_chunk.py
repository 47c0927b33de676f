from danish.sentences import split_sentences
from ingest.chunk import chunk_document
from ingest.document import Block, SourceDocument
from vectorstore.sentences import passage_sentences


def test_sentences_respect_danish_abbreviations_and_dates():
    text = (
        "Byrådet besluttede den 5. december 2019 at give 140.000 kr. til bl.a. skolerne. "
        "Det skete jf. planen. Næste sætning! Udgiften var 5,8 mio. kr. Der er behov for mere."
    )
    assert split_sentences(text) == [
        "Byrådet besluttede den 5. december 2019 at give 140.000 kr. til bl.a. skolerne.",
        "Det skete jf. planen.",
        "Næste sætning!",
        "Udgiften var 5,8 mio. kr.",
        "Der er behov for mere.",
    ]


def words(n: int, word: str = "Ord") -> str:
    return " ".join(f"{word}{i}." if i % 12 == 11 or i == n - 1 else f"{word}{i}" for i in range(n))


def portal_doc() -> SourceDocument:
    blocks = [
        Block("Beslutning", "heading", 3, section="Beslutning"),
        Block("Godkendt.", section="Beslutning"),
        Block("Sagsprocedure", "heading", 3, section="Sagsprocedure"),
        Block("Byrådet.", section="Sagsprocedure"),
        Block("Resume", "heading", 3, section="Resume"),
        Block(words(60, "Tekst"), section="Resume"),
        Block("Sagsbeskrivelse", "heading", 3, section="Sagsbeskrivelse"),
        Block("Baggrund", "heading", 4, section="Sagsbeskrivelse"),
        Block(words(500, "Sag"), section="Sagsbeskrivelse"),
        Block(words(200, "Mere"), section="Sagsbeskrivelse"),
    ]
    return SourceDocument(blocks=blocks, source_format="portal-json")


def test_decision_stands_alone_and_small_sections_merge():
    chunks = chunk_document(portal_doc(), min_words=150, max_words=350)
    assert chunks[0].section == "Beslutning"
    assert chunks[0].text == "Godkendt."
    assert chunks[1].section == "Sagsprocedure / Resume"
    assert chunks[1].text.startswith("Sagsprocedure: Byrådet.\nResume: Tekst0")


def test_a_decision_joins_the_recommendation_it_decides_on():
    doc = portal_doc()
    doc.blocks[4:4] = [
        Block("Indstilling", "heading", 3, section="Indstilling"),
        Block("Administrationen indstiller, at forslaget godkendes.", section="Indstilling"),
    ]
    chunks = chunk_document(doc, min_words=150, max_words=350)
    assert chunks[0].section == "Beslutning / Sagsprocedure / Indstilling / Resume"
    assert chunks[0].text.startswith("Beslutning: Godkendt.\nSagsprocedure: Byrådet.\n")
    assert "Indstilling: Administrationen indstiller" in chunks[0].text
    assert chunks[1].section == "Sagsbeskrivelse"
    doc.blocks[5] = Block(words(349, "Indstil"), section="Indstilling")
    apart = chunk_document(doc, min_words=150, max_words=350)
    assert apart[0].text == "Godkendt.", "joined only when both fit in one chunk"


def test_long_sections_are_split_at_sentences_within_bounds():
    chunks = chunk_document(portal_doc(), min_words=150, max_words=350)
    body = [c for c in chunks if c.section == "Sagsbeskrivelse"]
    assert len(body) >= 2
    assert all(c.words <= 350 for c in body)
    assert all(c.text.rstrip().endswith(".") for c in body[:-1])  # cut at sentence ends
    assert "Baggrund" in body[0].text  # a sub-heading stays with the text it introduces
    total = sum(len(c.text.split()) for c in body)
    assert total == 1 + 500 + 200  # nothing lost or duplicated


def test_heading_path_and_pages_follow_the_document():
    blocks = [
        Block("Juridisk notat", "heading", 1, page=1),
        Block("1. Indledning", "heading", 2, page=1),
        Block(words(200), page=1),
        Block("2. Rammer", "heading", 2, page=2),
        Block(words(200), page=2, page_end=3),
    ]
    chunks = chunk_document(SourceDocument(blocks=blocks, source_format="pdf"))
    assert [c.heading_path for c in chunks] == [
        "Juridisk notat > 1. Indledning",
        "Juridisk notat > 2. Rammer",
    ]
    assert [(c.page_start, c.page_end) for c in chunks] == [(1, 1), (2, 3)]


def test_a_heading_with_a_colon_leads_its_lines_as_any_heading_does():
    text = (
        "Notat: Borgerhenvendelser om Møllevej: Til: Teknik- og Miljøudvalget\nFra: Vej og Trafik"
    )
    pairs = passage_sentences(text, "Notat: Borgerhenvendelser om Møllevej / Baggrund")
    heading = "Notat: Borgerhenvendelser om Møllevej"
    assert pairs == [
        (heading, heading),
        (heading, "Til: Teknik- og Miljøudvalget"),
        (heading, "Fra: Vej og Trafik"),
    ]
