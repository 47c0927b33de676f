"""One store contract (tests/store_contract.py), three stores: Chroma embedded, Chroma as a
server, and the in-memory store fast tests use instead of either.

Chroma runs with pages and batches of a few rows, so every read and write of the contract goes
through its paging (`get` in pages, scans in pages, `$nin` lists too long for one query, upserts
in batches): the paths a real store of 100k passages takes, with a handful."""

from __future__ import annotations

import uuid

import pytest

from tests.fakes import HashEmbedder
from tests.store_contract import DIM, PassageStoreContract
from vectorstore.memory import MemoryStore


class TestMemoryStore(PassageStoreContract):
    @pytest.fixture
    def store(self):
        return MemoryStore(HashEmbedder(DIM))


@pytest.fixture
def small_pages(monkeypatch):
    """Chroma's page sizes and the longest `$nin` list, a few rows each."""
    import vectorstore.chroma as chroma
    import vectorstore.sentence_vectors as sentence_vectors

    monkeypatch.setattr(chroma, "_GET_PAGE", 4)
    monkeypatch.setattr(chroma, "_SCAN_PAGE", 5)
    monkeypatch.setattr(chroma, "_NIN_LIMIT", 3)
    monkeypatch.setattr(sentence_vectors, "_PAGE", 2)


def small_batches(store):
    store.max_batch_size = 3
    store.sentences.max_batch = 2
    return store


class TestChromaEmbedded(PassageStoreContract):
    @pytest.fixture
    def reopen(self, tmp_path):
        from vectorstore.chroma import ChromaStore, open_client

        return lambda: small_batches(
            ChromaStore(open_client(tmp_path / "chroma"), HashEmbedder(DIM))
        )

    @pytest.fixture
    def store(self, reopen, small_pages):
        return reopen()


class TestChromaServer(PassageStoreContract):
    @pytest.fixture
    def reopen(self, module_chroma_server):
        from vectorstore.chroma import ChromaStore, open_client

        name = f"contract-{uuid.uuid4().hex[:12]}"  # one server, a collection per test
        return lambda: small_batches(
            ChromaStore(open_client(url=module_chroma_server), HashEmbedder(DIM), name)
        )

    @pytest.fixture
    def store(self, reopen, small_pages):
        return reopen()


def test_a_memory_stores_snapshot_serves_search(tmp_path):
    """What fast tests of the answer stages build on: a MemoryStore filled as an ingest fills
    a store, its snapshot published as a writer publishes it, searched without Chroma."""
    from tests.store_contract import ROADS, SCHOOLS, make_passages
    from tests.stores import memory_store, searcher_for, snapshot_of
    from vectorstore.filters import SearchFilters

    store = memory_store(
        make_passages("a.txt", SCHOOLS, access="public")
        + make_passages("b.txt", ROADS, access="closed")
    )
    snapshot = snapshot_of(store, tmp_path / "index")
    assert len(snapshot) == 5 and snapshot.store_generation == store.generation()
    searcher = searcher_for(store, tmp_path / "index")
    question = "Hvornår lukkes vejen om vinteren?"
    assert searcher.search(question, k=1, filters=SearchFilters(access="closed")).hits[0].text == (
        "Vejen lukkes om vinteren."
    )
    assert "Vejen lukkes om vinteren." not in [h.text for h in searcher.search(question).hits]


def test_the_answer_path_runs_on_a_memory_store(tmp_path, embedder):
    """With the real embedder (meanings for the sentence choice), a question is answered."""
    from assistant.assistant import Assistant
    from assistant.retrieve import Retriever
    from tests.store_contract import ROADS, SCHOOLS, make_passages
    from tests.stores import memory_store, searcher_for

    decided = make_passages("a.txt", SCHOOLS, access="public")
    store = memory_store(
        decided + make_passages("b.txt", ROADS, access="public", section="Sagsfremstilling"),
        embedder,
    )
    answer = Assistant(Retriever(searcher_for(store, tmp_path / "index"))).ask(
        "Hvad besluttede byrådet om varmen i skolerne?"
    )
    assert answer.confidence == "answered"
    assert answer.citations[0].chunk_id == decided[0].chunk_id


def test_a_write_by_another_client_during_ours_breaks_the_journals_chain(tmp_path):
    """Another host writing to the same collection while our write runs: our record must not
    claim the generations run unbroken from where ours began, or the next publish would read
    only our ids and miss its passages."""
    from tests.store_contract import ROADS, SCHOOLS, make_passages, write
    from vectorstore.chroma import ChromaStore, open_client
    from vectorstore.journal import ChangeJournal

    ours = small_batches(ChromaStore(open_client(tmp_path / "chroma"), HashEmbedder(DIM)))
    other = ChromaStore(open_client(tmp_path / "chroma"), HashEmbedder(DIM))
    ours.journal = ChangeJournal(tmp_path / "index")
    start = ours.generation()
    theirs = make_passages("b.txt", ROADS)
    upsert = ours.collection.upsert

    def interleaved(**batch):  # the other host writes between two of our batches
        upsert(**batch)
        if not other.get([theirs[0].chunk_id]):
            write(other, theirs)

    ours.collection.upsert = interleaved
    write(ours, make_passages("a.txt", SCHOOLS))
    assert len(other.get([p.chunk_id for p in theirs])) == len(theirs)
    assert not ours.journal.continuous(start, ours.generation())
    assert theirs[0].chunk_id not in ours.journal.ids()  # what the publisher must not trust
