"""Index snapshots: published whole or not at all, read by id and mask, access failing closed."""

from __future__ import annotations

import json

import numpy as np
import pytest

from vectorstore.errors import AccessLevelError, IndexMissingError
from vectorstore.filters import SearchFilters, allowed_access
from vectorstore.hybrid import HybridSearcher
from vectorstore.records import Passage, PassageMetadata, stable_hash
from vectorstore.snapshots import CURRENT, SnapshotPublisher, SnapshotReader, current_name


def passage(text: str, source: str, access: str, page: int = 1, **meta) -> Passage:
    m = PassageMetadata(source=source, access=access, page_start=page, page_end=page, **meta)
    m.chunk_id = stable_hash(source, text)
    m.doc_id = stable_hash(source)
    return Passage(text=text, embed_text=text, metadata=m)


@pytest.fixture
def store(make_store, embedder):
    store, _ = make_store()
    rows = [
        passage("Byrådet vedtog budgettet for vejbelysning.", "a.pdf", "public", page=1),
        passage("Lukket punkt om køb af grund ved havnen.", "a.pdf", "closed", page=1),
        passage("Intern drøftelse af personalesagen.", "b.pdf", "internal", page=2),
        passage("Punkt uden gyldigt adgangsniveau om snerydning.", "c.pdf", "hemmelig"),
    ]
    store.upsert(rows, embedder.embed_passages([p.text for p in rows]))
    # a passage written by another client without any access field at all
    raw = passage("Gammel post om saltspredere uden adgangsfelt.", "d.pdf", "public")
    meta = raw.metadata.to_chroma()
    del meta["access"]
    store.collection.upsert(
        ids=[raw.chunk_id], documents=[raw.text], metadatas=[meta],
        embeddings=embedder.embed_passages([raw.text]),
    )  # fmt: skip
    store._bump_generation()
    return store


def test_a_reader_before_any_publish_is_told_what_to_do(tmp_path):
    with pytest.raises(IndexMissingError) as missing:
        SnapshotReader(tmp_path / "index").current()
    assert "referent ingest" in missing.value.user_message


def test_publishing_switches_readers_whole_and_keeps_a_few(store, tmp_path, embedder):
    root = tmp_path / "index"
    publisher = SnapshotPublisher(store, root, keep=2)
    first = publisher.publish()
    reader = SnapshotReader(root)
    old = reader.current()
    assert old.name == first and len(old) == 5 and reader.loads == 1
    assert not publisher.publish_if_stale()  # the store has not changed: nothing to do
    extra = passage("Nyt punkt om cykelstier.", "e.pdf", "public")
    store.upsert([extra], embedder.embed_passages([extra.text]))
    assert publisher.publish_if_stale()
    new = reader.current()
    assert new.name == current_name(root) != first and len(new) == 6 and reader.loads == 2
    assert reader.current() is new  # followed once, not reloaded per question
    assert len(old) == 5 and old.get([extra.chunk_id]) == []  # the old one is unchanged
    publisher.publish()
    publisher.publish()
    kept = sorted(p.name for p in root.iterdir() if p.is_dir() and p.name != "segments")
    assert len(kept) == 2 and first not in kept
    named = {
        s["name"]
        for k in kept
        for s in json.loads((root / k / "manifest.json").read_text())["segments"]
    }
    assert {p.name for p in (root / "segments").iterdir()} == named  # the rest were pruned
    assert old.bm25_search("budgettet", 3), "a pruned snapshot in use keeps its mapped files"


def test_a_writer_failing_midway_leaves_the_last_snapshot_current(store, tmp_path):
    root = tmp_path / "index"
    publisher = SnapshotPublisher(store, root)
    good = publisher.publish()
    (root / ".tmp-99999-deadbeef").mkdir()  # what a writer killed mid-build leaves behind

    real = store.iter_passages

    def broken(*args, **kwargs):
        for n, row in enumerate(real(with_vectors=True)):
            if n == 2:
                raise OSError("disk full")
            yield row

    store.iter_passages = broken
    with pytest.raises(OSError):
        publisher.publish()
    assert current_name(root) == good
    assert (root / CURRENT).read_text() == good
    assert SnapshotReader(root).current().name == good
    assert [p.name for p in root.glob(".tmp-*")] == [".tmp-99999-deadbeef"]
    del store.iter_passages
    publisher.publish()
    assert not list(root.glob(".tmp-*")), "the next publish clears dead writers' folders"


def test_access_fails_closed(store, tmp_path):
    root = tmp_path / "index"
    SnapshotPublisher(store, root).publish()
    searcher = HybridSearcher(store.embedder, SnapshotReader(root))
    snapshot = searcher.snapshots.current()
    every = snapshot.get(snapshot.select(np.ones(len(snapshot), dtype=bool)))
    levels = {p.text.split()[0]: p.metadata.access for p in every}
    # an unknown level and a missing one are recorded as closed; the others as written
    assert levels == {"Byrådet": "public", "Lukket": "closed", "Intern": "internal",
                      "Punkt": "closed", "Gammel": "closed"}  # fmt: skip
    for question in ("snerydning", "saltspredere"):
        for level, visible in (("public", False), ("internal", False), ("closed", True)):
            hits = searcher.search(question, k=5, mode="bm25", filters=SearchFilters(access=level))
            assert any(question in h.text for h in hits.hits) is visible, (question, level)
    for level in ("admin", "", "Public", None):
        with pytest.raises(AccessLevelError):
            allowed_access(level)
        with pytest.raises(AccessLevelError):
            searcher.search("budgettet", filters=SearchFilters(access=level))
    assert snapshot.summary("public").n_passages == 1
    assert snapshot.summary("internal").n_passages == 2
    assert snapshot.summary("closed").n_passages == 5


def test_pages_with_a_closed_passage_stay_hidden(store, tmp_path):
    root = tmp_path / "index"
    SnapshotPublisher(store, root).publish()
    snapshot = SnapshotReader(root).current()
    assert not snapshot.page_allowed("a.pdf", 1, "public")  # shares the page with a closed one
    assert not snapshot.page_allowed("a.pdf", 1, "internal")
    assert snapshot.page_allowed("a.pdf", 1, "closed")
    assert snapshot.page_allowed("b.pdf", 2, "internal")
    assert not snapshot.page_allowed("b.pdf", 2, "public")
    assert not snapshot.page_allowed("b.pdf", 7, "closed")  # no passage on that page


def test_get_keeps_the_order_asked_and_leaves_out_unknown_ids(store, tmp_path):
    root = tmp_path / "index"
    SnapshotPublisher(store, root).publish()
    snapshot = SnapshotReader(root).current()
    ids = snapshot.select(np.ones(len(snapshot), dtype=bool))
    wanted = [ids[3], "0" * 32, ids[0], "not-an-id", ids[2], ids[1] + "ff"]
    got = snapshot.get(wanted)
    assert [p.chunk_id for p in got] == [ids[3], ids[0], ids[2]]
    stored = {p.chunk_id: p for p in store.get(ids)}
    for p in got:
        assert p.text == stored[p.chunk_id].text
        assert p.metadata.source == stored[p.chunk_id].metadata.source
