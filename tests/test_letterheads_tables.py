"""Letterheads and tables are content: a memo's "Kontakt: …" and a table's rows are in the
passages, are sentences an answer may quote, and are found by meaning (issue 18)."""

from __future__ import annotations

import shutil

import pytest

import ingest.passages
from assistant.assistant import Assistant
from assistant.retrieve import Retriever
from ingest.document import Block, SourceDocument
from ingest.loaders import load_file
from ingest.passages import prepare_document
from ingest.pipeline import Ingestor
from ingest.tables import label_table
from tests.conftest import EXAMPLES
from tests.stores import searcher_for
from vectorstore.sentences import passage_sentences, sentence_key

MEMO = "Notat_borgerhenvendelser_Møllevej_2025-08-27.docx"
SEED_NOTE = "000_45d4e5fde29ee43a.txt"  # the text rendition of the integration note
MEMO_ROWS = [
    "Afsender: Forældre til elever på Engparkens Skole | Antal: 6 | "
    "Hovedtema: For høj fart, utryg krydsning ved Skolestien",
    "Afsender: Skolebestyrelsen ved Engparkens Skole | Antal: 1 | "
    "Hovedtema: Ønske om cykelsti og 40 km/t-zone",
    "Afsender: Naboer på Møllevej | Antal: 3 | Hovedtema: Parkering, støj og adgang til egen "
    "indkørsel",
    "Afsender: Lokal vognmand | Antal: 1 | Hovedtema: Bekymring for hævede flader og lastbiltrafik",
]


def quotable(prepared) -> list[str]:
    return [s for p in prepared.passages for _, s in passage_sentences(p.text, p.metadata.section)]


def prepared_file(path):
    (doc,) = load_file(path)
    return prepare_document(doc, path.name, "h")


def test_the_seed_notes_letterhead_is_in_its_first_passage_and_quotable(shared_corpus):
    note = prepared_file(shared_corpus / "seeds" / SEED_NOTE)
    assert note.metadata["contact"] == "Morten Sølvberg Dalsgaard"  # metadata still reads it
    assert "Kontakt: Morten Sølvberg Dalsgaard" in note.passages[0].text.split("\n")
    assert "Kontakt: Morten Sølvberg Dalsgaard" in quotable(note)
    assert sum("Kontakt:" in p.text for p in note.passages) == 1, "once, where the note has it"


def test_the_memos_letterhead_and_table_rows_are_quotable_sentences():
    memo = prepared_file(EXAMPLES / MEMO)
    first = memo.passages[0].text.split("\n")
    assert "Kontakt: Sidsel Abildgaard, trafikplanlægger, siab@lindbaek.dk" in first
    assert "Sagsnr.: 24-004719" in first and memo.metadata["case_number"] == "24-004719"
    sentences = quotable(memo)
    for row in MEMO_ROWS:
        assert row in sentences  # each row whole, its cells led by the header's labels
    assert "Afsender | Antal | Hovedtema" not in "\n".join(p.text for p in memo.passages)
    assert all(len(p.text.split()) <= 350 for p in memo.passages)


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        # a header row labels the rows; a row short of cells (a blank last cell) still lines up
        ("Afsender | Antal\nNaboer | 3\nI alt | ", "Afsender: Naboer | Antal: 3\nAfsender: I alt"),
        # a caption above the header stays a line of its own
        ("Tabel 1: Svar\nEmne | Svar\nTrafik | 12", "Tabel 1: Svar\nEmne: Trafik | Svar: 12"),
        # a blank header cell over the rows' labels (a stub column)
        (" | 2024 | 2025\nDrift | 1,2 | 1,4", "Drift | 2024: 1,2 | 2025: 1,4"),
        # no header: a first row with a number, or opening with a date, is data
        ("Rådhuset | 1.067\nPlejehjem | 177", "Rådhuset | 1.067\nPlejehjem | 177"),
        ("Udbud | 15. januar\nTilbud | 1. marts", "Udbud | 15. januar\nTilbud | 1. marts"),
        # rows whose cells do not line up with the header are not mislabelled
        ("Navn | Tal | Tema\nSkole | 2 | Fart\nSum 2", "Navn: Skole | Tal: 2 | Tema: Fart\nSum 2"),
    ],
)  # fmt: skip
def test_table_rows_are_labelled_by_a_header_row(table, expected):
    assert label_table(table) == expected


def test_letterhead_fields_stay_where_the_document_has_them():
    """Fields in the head of a memo are kept; an empty field and an agenda item's own
    case-number line (its metadata) are not repeated as text."""
    blocks = [
        Block("Dato: 3. marts 2025"),
        Block("Kontakt: Anne Holm, vejingeniør"),
        Block("Fax:"),
        Block("Referat af mødet i udvalget", kind="heading", level=1),
        Block("Udvalget mødtes på rådhuset og behandlede to sager om veje og stier."),
        Block("1. Cykelsti på Skolevej", kind="heading", level=2),
        Block("Sagsnr.: 25-000123"),
        Block("Udvalget godkendte projektet for en cykelsti på Skolevej. " * 3),
        Block("2. Vejbelysning", kind="heading", level=2),
        Block("Sagsnr.: 25-000456"),
        Block("Kontakt: Bo Lund, driftsleder"),
        Block("Udvalget tog orienteringen om vejbelysningen til efterretning. " * 3),
    ]
    doc = SourceDocument(blocks, "txt")
    prepared = prepare_document(doc, "referat.txt", "h", min_words=10, max_words=60)
    texts = [p.text for p in prepared.passages]
    assert texts[0].startswith("Dato: 3. marts 2025\nKontakt: Anne Holm, vejingeniør\n")
    assert not any("Fax" in t or "Sagsnr." in t for t in texts)
    assert sum("Kontakt: Bo Lund, driftsleder" in t for t in texts) == 1  # a field in an item
    assert {p.metadata.case_number for p in prepared.passages} >= {"25-000123", "25-000456"}


# -- a real store: found by meaning, and quoted by the assistant -----------------------------


@pytest.fixture(scope="module")
def memo_store(tmp_path_factory, embedder, shared_corpus):
    """The seeds' note, the Møllevej memo and the three meetings of the heating case."""
    from vectorstore.catalog import FileCatalog
    from vectorstore.chroma import ChromaStore, open_client

    root = tmp_path_factory.mktemp("letterheads")
    docs = root / "docs"
    shutil.copytree(shared_corpus / "seeds", docs)
    for prefix in ("Børne- og Skoleudvalget_", "Økonomiudvalget_", "Byrådet_2025", "Notat_"):
        shutil.copy(next(EXAMPLES.glob(f"{prefix}*")), docs)
    client = open_client(root / "store")
    store = ChromaStore(client, embedder)
    report = Ingestor(store, FileCatalog(client)).run([docs])
    assert not report.failed and store.sentences_complete()
    return store, searcher_for(store, root / "index")


def test_the_letterhead_passage_is_found_by_meaning(memo_store):
    _, searcher = memo_store
    hits = searcher.search("kontaktperson opsamling integration", k=3).hits
    assert any(
        h.metadata.source == SEED_NOTE and "Kontakt: Morten Sølvberg Dalsgaard" in h.text
        for h in hits
    ), [(h.metadata.source, h.text[:60]) for h in hits]


def test_letterhead_lines_and_rows_have_sentence_vectors(memo_store):
    store, _ = memo_store
    lines = ["Kontakt: Morten Sølvberg Dalsgaard", *MEMO_ROWS]
    assert store.sentences.missing({sentence_key(s): s for s in lines}) == []


def test_who_wrote_in_cites_the_memos_table_passage(memo_store):
    _, searcher = memo_store
    answer = Assistant(Retriever(searcher)).ask("Hvem har skrevet til kommunen om Møllevej?")
    assert not answer.declined, answer.signals
    cited = [c for c in answer.citations if c.source == MEMO]
    assert any(MEMO_ROWS[0] in c.text for c in cited), [c.text[:80] for c in cited]


# "Hvem klagede over Møllevej?" finds the memo, but its words ("klagede") are far from the
# memo's ("henvendelser", "skrevet til kommunen"): the best sentence's cosine is 0.837 (a row),
# the not-found score 0.850 against a threshold of 0.8725 on this 32-passage store, so it is
# declined. No rule of sentence choice reaches it; a better embedder or query expansion might.
# Strict: when it starts passing, the mark must go.
@pytest.mark.parametrize(
    ("question", "expected", "source"),
    [
        ("Hvem er kontaktperson for opsamlingen fra integrationsmødet?",
         ["Kontakt: Morten Sølvberg Dalsgaard"], SEED_NOTE),
        pytest.param("Hvem klagede over Møllevej?", MEMO_ROWS, MEMO, marks=pytest.mark.xfail(
            strict=True, reason="the rows are found, but no sentence choice picks one yet")),
    ],
)  # fmt: skip
def test_who_questions_quote_the_letterhead_or_a_row(memo_store, question, expected, source):
    _, searcher = memo_store
    answer = Assistant(Retriever(searcher)).ask(question)
    assert not answer.declined, answer.signals
    quotes = [c.quote for c in answer.citations if c.source == source]
    assert any(line in quote for quote in quotes for line in expected), (answer.text, quotes)


# -- re-ingest after the pipeline changed: only changed texts are embedded --------------------


def test_reingest_after_the_change_embeds_only_changed_passages_and_sentences(
    make_store, tmp_path, monkeypatch
):
    """A store built by the previous version (letterhead lines dropped, rows unlabelled) is
    processed again under the new PIPELINE_VERSION; vectors are reused by embed hash."""
    docs = tmp_path / "docs"
    docs.mkdir()
    for prefix in ("Notat_", "Teknik-og-Miljøudvalget_referat", "Ældrerådet_"):
        shutil.copy(next(EXAMPLES.glob(f"{prefix}*")), docs)
    store, catalog = make_store()
    with monkeypatch.context() as old:
        old.setattr(ingest.passages, "keep_letterhead", _previous_letterhead)
        old.setattr(ingest.passages, "label_table", lambda text: text)
        old.setattr("ingest.pipeline.PIPELINE_VERSION", "6")
        Ingestor(store, catalog).run([docs])
    before = _stored(store)
    report = Ingestor(store, catalog).run([docs])
    after = _stored(store)
    assert {r.status for r in report.files} == {"updated"}
    changed = set(after) - set(before)  # embed hashes of passages whose embedded text changed
    assert 0 < len(changed) < len(after), "the memos changed, the minutes' items did not"
    assert report.passages_embedded == len(changed)
    new_sentences = _sentence_keys(after) - _sentence_keys(before)
    assert new_sentences, "the letterhead lines and table rows are new sentences"
    assert report.sentences_embedded == len(new_sentences)


def _previous_letterhead(blocks):
    from ingest.metadata import is_letterhead_line

    return [b for b in blocks if not (b.kind != "heading" and is_letterhead_line(b.text))]


def _stored(store) -> dict[str, tuple[str, str]]:
    return {p.metadata.embed_hash: (p.text, p.metadata.section) for p, _ in store.iter_passages()}


def _sentence_keys(passages: dict[str, tuple[str, str]]) -> set[str]:
    from ingest.sentence_index import sentence_texts

    return set(sentence_texts(passages.values()))
