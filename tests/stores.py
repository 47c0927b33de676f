"""Searchers over real stores for tests: the snapshot published the way an ingest publishes it."""

from __future__ import annotations

from pathlib import Path

from vectorstore.hybrid import HybridSearcher
from vectorstore.snapshots import SnapshotPublisher, SnapshotReader


def searcher_for(store, folder: Path, decompound: bool = False, **options) -> HybridSearcher:
    """A hybrid searcher over `store`, its index snapshot published into `folder` when missing
    or older than the store; it embeds questions with the store's embedder."""
    SnapshotPublisher(store, folder, decompound).publish_if_stale()
    return HybridSearcher(store.embedder, SnapshotReader(folder), **options)
