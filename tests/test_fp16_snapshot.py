"""Compact vectors: snapshots store sentence vectors as float16 (passage vectors stay float32:
upcasting float16 in numpy made dense search 4× slower at 100k) and score in float32; a float16
passage matrix is scored block by block; a snapshot of the release before (format 1, all
float32) is still read, and republished once."""

from __future__ import annotations

import json

import numpy as np
import pytest

from vectorstore import snapshot_build
from vectorstore.errors import SnapshotError
from vectorstore.records import PassageMetadata, StoredPassage, stable_hash
from vectorstore.snapshot import FORMAT, READABLE, Snapshot
from vectorstore.snapshot_build import write_snapshot
from vectorstore.snapshots import SnapshotPublisher, SnapshotReader, current_name

DIM = 64


def rows(n: int, seed: int = 3) -> list[tuple[StoredPassage, np.ndarray]]:
    rng = np.random.default_rng(seed)
    vectors = rng.normal(size=(n, DIM)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    out = []
    for i, vector in enumerate(vectors):
        m = PassageMetadata(source=f"s{i % 7}.txt", access="public", chunk_index=i)
        m.chunk_id = stable_hash("s", str(i))
        m.doc_id = stable_hash(m.source)
        out.append((StoredPassage(m.chunk_id, f"Punkt {i} om vej nummer {i % 13}.", m), vector))
    return out


def sentence_lookup(keys: list[str]) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(len(keys))
    return {k: rng.normal(size=DIM).astype(np.float32) for k in keys}


def write(folder, data, float32: bool = False, monkeypatch=None, half: bool = False):
    """A snapshot of `data`; `float32`: as the release before wrote it (format 1); `half`:
    passage vectors in float16 too (the variant measured and not shipped)."""
    if float32:
        monkeypatch.setattr(snapshot_build, "FORMAT", 1)
        monkeypatch.setattr(snapshot_build, "SENTENCE_DTYPE", np.float32)
    if half:
        monkeypatch.setattr(snapshot_build, "PASSAGE_DTYPE", np.float16)
    write_snapshot(data, folder, "g1", {"model_id": "test"}, sentences=sentence_lookup)
    if float32:
        monkeypatch.undo()
    return Snapshot(folder)


def test_sentence_vectors_round_trip_as_float16_and_are_read_as_float32(tmp_path):
    data = rows(50)
    snap = write(tmp_path / "s", data)
    manifest = json.loads((tmp_path / "s" / "manifest.json").read_text("utf-8"))
    assert manifest["format"] == FORMAT == 2 and manifest["vector_dtype"] == "float32"
    assert manifest["sentence_vector_dtype"] == "float16"
    assert snap.vectors.dtype == np.float32
    stored = np.load(tmp_path / "s" / "sentence_vectors.npy")
    assert stored.dtype == np.float16 and len(stored)
    for passage, vector in data:
        row = snap.rows([passage.chunk_id])[0]
        assert np.array_equal(snap.vectors[row], vector)
    keys = [k.decode("ascii") for k in np.load(tmp_path / "s" / "sentence_keys.npy")]
    found = snap.sentence_vectors(keys)
    assert set(found) == set(keys)
    for key, vector in found.items():
        assert vector.dtype == np.float32
        assert np.array_equal(vector, stored[keys.index(key)].astype(np.float32))
    # scores are float32 products of the stored vectors
    query = data[0][1]
    exact = snap.vectors.astype(np.float32) @ query
    assert snap.scores(query).dtype == np.float32
    assert np.allclose(snap.scores(query), exact, atol=1e-6)


def test_a_float16_passage_matrix_finds_the_same_passages_as_float32(tmp_path, monkeypatch):
    data = rows(5000, seed=11)
    half = write(tmp_path / "fp16", data, monkeypatch=monkeypatch, half=True)
    monkeypatch.undo()
    full = write(tmp_path / "fp32", data, float32=True, monkeypatch=monkeypatch)
    assert full.vectors.dtype == np.float32 and half.vectors.dtype == np.float16
    rng = np.random.default_rng(5)
    mask = rng.random(len(data)) < 0.7
    same = 0
    for i in range(40):  # questions near a passage, as real ones are
        query = data[i * 97][1] + rng.normal(scale=0.15, size=DIM).astype(np.float32)
        query /= np.linalg.norm(query)
        exact = full.vectors @ query
        for m in (None, mask):
            a, b = half.dense_search(query, 10, m), full.dense_search(query, 10, m)
            assert a[0][0] == b[0][0]
            same += [c for c, _ in a] == [c for c, _ in b]
            # where the order differs, it is between passages whose exact (float32) cosines
            # are closer than float16 can tell: position by position the exact scores match
            got = [float(exact[full.rows([c])[0]]) for c, _ in a]
            assert np.allclose(got, [s for _, s in b], atol=2e-4)
            assert np.allclose([s for _, s in a], [s for _, s in b], atol=2e-4)
    assert same >= 76, f"top-10 lists identical for {same} of 80 searches"


def test_a_float32_snapshot_of_the_release_before_is_read_then_republished(
    make_store, embedder, tmp_path, monkeypatch
):
    from tests.test_snapshots import passage

    store, _ = make_store()
    texts = ["Byrådet vedtog budgettet for vejbelysning.", "Snerydning på cykelstier."]
    ps = [passage(t, f"{i}.pdf", "public") for i, t in enumerate(texts)]
    store.upsert(ps, embedder.embed_passages(texts))
    root = tmp_path / "index"
    monkeypatch.setattr(snapshot_build, "FORMAT", 1)
    monkeypatch.setattr(snapshot_build, "SENTENCE_DTYPE", np.float32)
    publisher = SnapshotPublisher(store, root)
    old = publisher.publish()
    monkeypatch.undo()
    snap = SnapshotReader(root).current()  # read as it is: no crash, float32 scores
    assert snap.name == old and snap.vectors.dtype == np.float32
    query = embedder.embed_query("budget for vejbelysning")
    assert snap.dense_search(query, 1)[0][0] == ps[0].chunk_id
    assert publisher.is_stale(), "an older format is stale even for an unchanged store"
    assert publisher.ensure_current()  # start-up republishes it once, in format 2
    new = SnapshotReader(root).current()
    assert new.name == current_name(root) != old and new.manifest["format"] == FORMAT
    assert new.dense_search(query, 1)[0][0] == ps[0].chunk_id
    assert not publisher.is_stale() and not publisher.ensure_current()


def test_a_snapshot_of_an_unknown_format_is_refused(tmp_path):
    write(tmp_path / "s", rows(5))
    path = tmp_path / "s" / "manifest.json"
    manifest = json.loads(path.read_text("utf-8"))
    assert 1 in READABLE and FORMAT in READABLE
    for fmt in (FORMAT + 1, 0, None):
        manifest["format"] = fmt
        path.write_text(json.dumps(manifest), "utf-8")
        with pytest.raises(SnapshotError) as refused:
            Snapshot(tmp_path / "s")
        assert "referent index" in refused.value.user_message


def test_an_empty_snapshot_still_searches(tmp_path):
    snap = write(tmp_path / "s", [])
    assert snap.dense_search(np.ones(DIM, dtype=np.float32), 5) == []
