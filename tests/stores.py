"""Searchers and snapshots over stores for tests, published the way an ingest publishes them."""

from __future__ import annotations

from pathlib import Path

from ingest import sentence_index
from ingest.report import IngestReport
from tests.fakes import HashEmbedder
from vectorstore.hybrid import HybridSearcher
from vectorstore.memory import MemoryStore
from vectorstore.protocols import Embedder, PassageStore
from vectorstore.records import Passage
from vectorstore.snapshot import Snapshot
from vectorstore.snapshots import SnapshotPublisher, SnapshotReader


def searcher_for(store, folder: Path, decompound: bool = False, **options) -> HybridSearcher:
    """A hybrid searcher over `store`, its index snapshot published into `folder` when missing
    or older than the store; it embeds questions with the store's embedder."""
    SnapshotPublisher(store, folder, decompound).publish_if_stale()
    return HybridSearcher(store.embedder, SnapshotReader(folder), **options)


def memory_store(passages: list[Passage], embedder: Embedder | None = None) -> MemoryStore:
    """A MemoryStore holding `passages` as an ingest stores them: each embedded once, and
    the vectors of their sentences (by `embedder`; `HashEmbedder`, no model, by default)."""
    store = MemoryStore(embedder or HashEmbedder())
    store.upsert(passages, store.embedder.embed_passages([p.embed_text for p in passages]))
    sentence_index.complete(store, IngestReport(), swept=False)
    return store


def snapshot_of(store: PassageStore, folder: Path) -> Snapshot:
    """The snapshot of `store` as it is now, published into `folder` as a writer publishes it:
    `snapshot_of(memory_store(passages), tmp_path / "index")`."""
    SnapshotPublisher(store, folder).publish()
    return SnapshotReader(folder).current()
