"""Agenda items inside minutes files: each passage carries its own item, case and access.

The real example minutes (PDF, TXT, HTML) each hold a closed item ("Lukket: …") among public
ones; a public caller must never receive the closed item's text.
"""

import shutil

import pytest

from ingest.document import Block, SourceDocument
from ingest.items import mark_items, parse_item_heading, stricter_access
from ingest.loaders import load_file
from ingest.passages import prepare_document
from ingest.pipeline import Ingestor
from tests.conftest import EXAMPLES
from tests.stores import searcher_for
from vectorstore.catalog import FileCatalog
from vectorstore.chroma import ChromaStore, open_client
from vectorstore.filters import SearchFilters

BYRAADET = "Byrådet_referat_2024-10-09.pdf"
TEKNIK = "Teknik-og-Miljøudvalget_referat_2024-04-03.txt"
KULTUR = "Kultur-og-Fritidsudvalget_dagsorden_2024-11-13.html"
# (file, closed item number, its case number, its title, words from the item's own text)
CLOSED_ITEMS = [
    (BYRAADET, "4", "24-009214", "Køb af ejendommen Stationsvej 12", "Køb af ejendommen"),
    (TEKNIK, "5", "24-002233", "Erstatningssag vedr. faldulykke på fortov", "efterretning"),
    (KULTUR, "5", "24-012941", "Lejeaftale med Lindbæk Rideklub", "Punktet er lukket"),
]


def passages(name: str, default_access: str = "public"):
    (doc,) = load_file(EXAMPLES / name)
    return prepare_document(doc, name, "h", default_access).passages


# -- headings -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("heading", "expected"),
    [
        ("3. Takster 2025", ("3", "Takster 2025", False)),
        (
            "4. Lukket: Køb af ejendommen Stationsvej 12",
            ("4", "Køb af ejendommen Stationsvej 12", True),
        ),
        ("Punkt 3: Takster 2025", ("3", "Takster 2025", False)),
        ("Pkt. 07 – Lukket punkt: Personalesag", ("7", "Personalesag", True)),
        ("12) LUKKET – Grundsalg", ("12", "Grundsalg", True)),
        ("2. Fortroligt: Udbud af rengøring", ("2", "Udbud af rengøring", True)),
        ("6. lukket punkt: Grundsalg", ("6", "Grundsalg", True)),
        ("5. Lukketid for genbrugspladsen", ("5", "Lukketid for genbrugspladsen", False)),
        ("2.1 Økonomi", None),
        ("1. at sagen afsluttes uden erstatning", None),  # a list item read as a heading
        ("Indsatsområde 1: Energi", None),
        ("2025 i tal", None),
    ],
)
def test_item_headings(heading, expected):
    assert parse_item_heading(heading) == expected


def test_numbered_list_in_body_and_memo_sections_are_not_items():
    blocks = [
        Block("Referat", "heading", 1),
        Block("1. at budgettet vedtages"),  # a numbered list in body text
        Block("2. at taksterne godkendes"),
    ]
    assert mark_items(blocks, "referat")[1] == []
    memo = [
        Block("1. Indledning", "heading", 2),
        Block("Notatet beskriver rammerne."),
        Block("2. De juridiske rammer", "heading", 2),
        Block("Se afgørelsen i sagsnummer: 19/17322."),  # a cited case, not the section's own
    ]
    assert mark_items(memo, "notat")[1] == []


def test_item_ends_at_next_item_not_at_a_misread_heading():
    blocks = [
        Block("Referat", "heading", 1),
        Block("1. Lukket: Grundsalg", "heading", 2),
        Block("Sag nr.: 24-1"),
        Block("Beslutning", "heading", 2),  # unnumbered heading at the item's level
        Block("Solgt til højestbydende."),
        Block("2. Meddelelser", "heading", 2),
        Block("Ingen."),
        Block("Bilag", "heading", 1),
        Block("Bilagsliste."),
    ]
    tagged, items = mark_items(blocks, "andet")
    assert [b.item for b in tagged] == [0, 1, 1, 1, 1, 2, 2, 0, 0]
    assert [(i.number, i.case_number, i.closed) for i in items] == [
        ("1", "24-1", True),
        ("2", "", False),
    ]


def test_access_is_never_more_open_than_the_document():
    assert stricter_access("public", "closed") == "closed"
    assert stricter_access("closed", "public") == "closed"
    assert stricter_access("internal", "public") == "internal"
    internal = passages(BYRAADET, default_access="internal")
    assert {p.metadata.access for p in internal} == {"internal", "closed"}


def test_heading_only_closed_item_keeps_its_title_closed_and_apart():
    doc = SourceDocument(
        blocks=[
            Block("Dagsorden", "heading", 1),
            Block("1. Godkendelse af dagsorden", "heading", 2),
            Block("Godkendt."),
            Block("2. Lukket: Personalesag", "heading", 2),
            Block("3. Meddelelser", "heading", 2),
            Block("Borgmesteren orienterede om vinterberedskabet."),
        ],
        source_format="txt",
    )
    found = prepare_document(doc, "dagsorden.txt", "h").passages
    closed = [p for p in found if p.metadata.item_number == "2"]
    assert [p.metadata.access for p in closed] == ["closed"]
    assert all("Personalesag" not in p.text for p in found if p.metadata.access == "public")


# -- the real example minutes -------------------------------------------------------------------


def test_byraadet_items_carry_their_own_case_and_access():
    found = passages(BYRAADET)
    by_item = {}
    for p in found:
        by_item.setdefault(p.metadata.item_number, []).append(p.metadata)
    assert set(by_item) == {"", "1", "2", "3", "4", "5"}
    assert all(m.access == "closed" and m.case_number == "24-009214" for m in by_item["4"])
    assert all(m.item_title == "Køb af ejendommen Stationsvej 12" for m in by_item["4"])
    assert {m.case_number for m in by_item["2"]} == {"24-008830"}
    assert {m.case_number for m in by_item["3"]} == {"24-008831"}
    assert {m.case_number for m in by_item["1"]} == {"22-000391"}
    assert all(m.access == "public" for n, ms in by_item.items() if n != "4" for m in ms)
    # the front page is the document's own: public, and no item's; its table of contents is
    # structure (the document's `toc`), never a passage
    (front,) = by_item[""]
    assert front.case_number == "" and "Indholdsfortegnelse" not in front.section
    assert not any("Indholdsfortegnelse" in p.text for p in found)


@pytest.mark.parametrize("name", [BYRAADET, TEKNIK, KULTUR])
def test_no_passage_spans_two_items(name):
    titles = {
        p.metadata.item_number: p.metadata.item_title
        for p in passages(name)
        if p.metadata.item_number
    }
    assert len(titles) >= 5
    for p in passages(name):
        if p.metadata.item_number:
            others = [t for n, t in titles.items() if n != p.metadata.item_number and t in p.text]
            assert not others, (p.metadata.item_number, others)


@pytest.mark.parametrize(("name", "number", "case", "title", "words"), CLOSED_ITEMS)
def test_closed_item_in_each_format(name, number, case, title, words):
    found = passages(name)
    closed = [p for p in found if p.metadata.access == "closed"]
    assert closed and all(p.metadata.item_number == number for p in closed)
    assert {p.metadata.case_number for p in closed} == {case}
    assert {p.metadata.item_title for p in closed} == {title}
    assert any(words in p.text for p in closed)
    assert not any(p.metadata.item_number == number for p in found if p not in closed)


@pytest.fixture(scope="module")
def minutes_searcher(tmp_path_factory, embedder):
    root = tmp_path_factory.mktemp("minutes")
    docs = root / "docs"
    docs.mkdir()
    for name in (BYRAADET, TEKNIK, KULTUR):
        shutil.copy(EXAMPLES / name, docs / name)
    client = open_client(root / "store")
    store = ChromaStore(client, embedder)
    report = Ingestor(store, FileCatalog(client)).run([docs])
    assert not report.failed
    return searcher_for(store, root / "store" / "bm25"), store


@pytest.mark.parametrize(("name", "number", "case", "title", "words"), CLOSED_ITEMS)
def test_public_search_never_returns_a_closed_item(
    minutes_searcher, name, number, case, title, words
):
    searcher, store = minutes_searcher
    closed_ids = set(store.ids_where({"$and": [{"source": name}, {"access": "closed"}]}))
    assert closed_ids, "the closed item is stored, marked closed"
    query = f"{title} {words}"
    staff = searcher.search(query, k=20, filters=SearchFilters(access="closed")).hits
    assert any(h.chunk_id in closed_ids for h in staff), "staff with access find the item"
    for mode in ("hybrid", "dense", "bm25"):
        public = searcher.search(query, k=50, mode=mode, filters=SearchFilters(access="public"))
        assert public.hits, f"{mode}: the query's other words find public passages"
        for hit in public.hits:
            assert hit.chunk_id not in closed_ids and hit.metadata.access == "public"
            assert not (hit.metadata.source == name and hit.metadata.item_number == number)
            assert not {a["chunk_id"] for a in hit.also_in} & closed_ids
