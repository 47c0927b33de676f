"""Hybrid retrieval over a small real store built from the project's examples."""

import shutil

import pytest

from assistant.retrieve import Retriever
from ingest.pipeline import Ingestor
from tests.conftest import EXAMPLES
from tests.stores import searcher_for
from vectorstore.catalog import FileCatalog
from vectorstore.chroma import ChromaStore, open_client
from vectorstore.filters import SearchFilters, allowed_access
from vectorstore.hybrid import InvalidQueryError
from vectorstore.snapshots import SnapshotPublisher, SnapshotReader

HEATING = "Varmen i skolerne"


@pytest.fixture
def built(example_searcher):
    return example_searcher


@pytest.fixture
def searcher(example_searcher):
    return example_searcher[0]


def test_hybrid_finds_the_case_and_collapses_copies(searcher):
    result = searcher.search("varmen i skolerne energibesparende tiltag", k=5)
    assert result.hits and HEATING in result.hits[0].metadata.title
    texts = [h.metadata.content_hash for h in result.hits]
    assert len(texts) == len(set(texts)), "identical texts are collapsed into one result"
    copied = [h for h in result.hits if h.also_in]
    assert copied, "the case text copied through three committees lists its other places"
    top = copied[0]
    assert top.metadata.committee == "Byrådet"  # shown from the most recent meeting
    assert {a["committee"] for a in top.also_in} == {"Børne- og Skoleudvalget", "Økonomiudvalget"}
    for hit in result.hits:  # everything a citation needs
        m = hit.metadata
        assert hit.text and m.source and m.title and m.meeting_date and m.case_number


def test_each_mode_ranks_on_its_own(searcher):
    dense = searcher.search("kolde klasselokaler om morgenen", k=3, mode="dense").hits
    bm25 = searcher.search("kolde klasselokaler om morgenen", k=3, mode="bm25").hits
    assert dense and all(h.dense_rank and h.lexical_rank is None for h in dense)
    assert bm25 and all(h.lexical_rank and h.dense_rank is None for h in bm25)


def test_public_callers_never_see_closed_items(built):
    searcher, _, store = built
    closed_ids = set(store.ids_where({"access": "closed"}))
    closed = store.get(sorted(closed_ids))
    assert {p.metadata.title for p in closed} == {
        "Klage over afslag på skoleskift", "Salg af erhvervsgrund i erhvervsområdet Lindbæk Syd"
    }, "the examples contain two closed agenda items"  # fmt: skip
    for passage in closed:
        # the closed item's title and opening words; bm25 finds public passages by the latter
        query = f"{passage.metadata.title} {' '.join(passage.text.split()[:25])}"
        for mode in ("hybrid", "dense", "bm25"):
            staff = searcher.search(query, k=50, mode=mode, filters=SearchFilters(access="closed"))
            assert passage.chunk_id in {h.chunk_id for h in staff.hits}, mode
            public = searcher.search(query, k=50, mode=mode).hits
            assert public, f"{mode}: public passages match the query too"
            assert all(h.metadata.access == "public" for h in public)
            assert not {h.chunk_id for h in public} & closed_ids
            listed = [a["chunk_id"] for h in public for a in h.also_in]
            assert not set(listed) & closed_ids
            assert all(p.metadata.access == "public" for p in store.get(listed))
    assert allowed_access("internal") == ["public", "internal"]


def test_filters_apply_inside_the_query(searcher):
    f = SearchFilters(committee="økonomiudvalget")
    hits = searcher.search("varmen i skolerne", k=10, filters=f).hits
    assert hits and all(h.metadata.committee == "Økonomiudvalget" for h in hits)
    from datetime import date

    f = SearchFilters(date_from=date(2025, 3, 10), date_to=date(2025, 3, 20))
    hits = searcher.search("skolerne", k=10, filters=f).hits
    assert hits and all("2025-03-10" <= h.metadata.meeting_date <= "2025-03-20" for h in hits)
    hits = searcher.search("skolerne", k=10, filters=SearchFilters(doc_type="notat")).hits
    assert hits and all(h.metadata.doc_type == "notat" for h in hits)
    case = searcher.search("varme", k=1).hits[0].metadata.case_number
    hits = searcher.search("budget", k=10, filters=SearchFilters(case_number=case)).hits
    assert hits and all(h.metadata.case_number == case for h in hits)


def test_filters_that_match_nothing_say_why(searcher):
    r = searcher.search("varme", filters=SearchFilters(committee="Skatteudvalget"))
    assert r.hits == [] and "Skatteudvalget" in r.empty_reason
    from datetime import date

    r = searcher.search("varme", filters=SearchFilters(date_from=date(1990, 1, 1),
                                                       date_to=date(1990, 12, 31)))  # fmt: skip
    assert r.hits == [] and "Ingen passager" in r.empty_reason


def test_bad_questions(searcher):
    with pytest.raises(InvalidQueryError):
        searcher.search("   \n ")
    long = searcher.search("varmen i skolerne " * 600, k=3)
    assert long.truncated and long.hits
    english = searcher.search("What was decided about heating in schools?", k=3)
    assert english.hits  # answered from the same index, no crash


def test_the_snapshot_follows_the_store_after_an_ingest(built, embedder):
    searcher, root, store = built
    reader = searcher.snapshots
    first = reader.current()
    assert reader.current() is first  # nothing published since: the same object, no reload
    # a second process would load the published snapshot, never build one
    publisher = SnapshotPublisher(store, reader.root)
    assert not publisher.ensure_current() and publisher.published == 0
    assert len(SnapshotReader(reader.root).current()) == len(first)
    # an ingest holds the writer lock and publishes when done; the next search sees it
    extra = root / "extra"
    extra.mkdir()
    (extra / "snerydning.txt").write_text(
        "Notat om snerydning\n\nVejafdelingen har indkøbt tre nye saltspredere til cykelstierne.",
        encoding="utf-8",
    )
    Ingestor(store, FileCatalog(store.client), publisher=publisher).run([extra])
    assert publisher.published == 1
    hits = searcher.search("saltspredere", k=3, mode="bm25").hits
    assert hits and "saltspredere" in hits[0].text
    assert reader.current() is not first and len(reader.current()) == len(first) + 1
    # the snapshot in use before keeps answering from its own generation
    assert not first.bm25_search("saltspredere", 3)


def test_against_a_chroma_server(chroma_server, tmp_path, embedder):
    client = open_client(url=chroma_server)
    store = ChromaStore(client, embedder)
    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(EXAMPLES / next(p.name for p in EXAMPLES.iterdir() if p.name.startswith("Notat")),
                docs)  # fmt: skip
    report = Ingestor(store, FileCatalog(client)).run([docs])
    assert report.passages > 0 and store.count() == report.passages
    searcher = searcher_for(store, tmp_path / "cache")
    hits = searcher.search("trafiksikkerhed på Møllevej", k=3).hits
    assert hits and hits[0].metadata.source.startswith("Notat")


def test_compound_halves_join_the_index(built):
    from danish.analyzer import DanishAnalyzer, Decompounder

    d = Decompounder(DanishAnalyzer(), {"skole", "vej", "integration", "politik"})
    tokens = d("Integrationspolitikken og skolevejen")
    assert {"integration", "politik", "skol", "vej"} <= set(tokens)
    _, root, store = built
    plain = searcher_for(store, root / "index-plain").snapshots.current()
    split = searcher_for(store, root / "index-split", decompound=True).snapshots.current()
    assert plain.decompounder is None and split.decompounder is not None
    # halves of compounds the examples use, learnt from the examples themselves
    text = "varmestyring i skoletiden"
    assert plain.tokenize(text) == ["varmestyring", "skoletid"]
    assert split.tokenize(text) == ["varmestyring", "skoletid", "varm", "styring", "skol", "tid"]
    # and indexed: more passages hold "styring" once "varmestyring" and "temperaturstyring"
    # count their halves (9 against 6 in the examples)
    assert split.doc_freq("styring") > plain.doc_freq("styring") > 0


def test_the_best_documents_decision_and_summary_come_as_context_not_ranked(searcher):
    hits = searcher.search("kolde klasselokaler ved skoledagens start", k=6).hits
    top = hits[0]
    assert top.metadata.chunk_index > 0, "the question matches the case description"
    assert not any(h.context_of for h in hits), "the search ranks; it brings no context"
    with_context = Retriever(searcher).with_context(hits, SearchFilters())
    assert with_context[0] is top
    assert [h.chunk_id for h in with_context if not h.context_of] == [h.chunk_id for h in hits]
    # the item's opening passage (its decision, summary and recommendation) is in reach:
    # ranked where the search put it, or else brought along as the top passage's context
    opening = next(
        h for h in with_context
        if h.metadata.doc_id == top.metadata.doc_id and h.metadata.chunk_index == 0
    )  # fmt: skip
    assert "Beslutning" in opening.metadata.section and "Indstilling" in opening.metadata.section
    assert opening.context_of in ("", top.chunk_id)
    # the case's decisions at its earlier committees follow the top passage, newest first
    context = [h for h in with_context[1:] if h.context_of == top.chunk_id]
    assert len(context) >= 2 and with_context[1 : 1 + len(context)] == context
    assert all("Beslutning" in h.metadata.section for h in context)
    assert {h.metadata.committee for h in context} == {"Økonomiudvalget", "Børne- og Skoleudvalget"}
    dates = [h.metadata.date_ordinal for h in context]
    assert dates == sorted(dates, reverse=True)
