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
