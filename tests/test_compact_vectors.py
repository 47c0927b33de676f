"""Compact vectors: segments scan int8 passage vectors (one byte per dimension and a scale per
row) and rescore the best candidates with the float32 ones, so dense search returns exactly
the float32 top k; sentence vectors are stored as float16 and scored in float32. A snapshot of
an older format is refused with a message, and republished once at start-up."""

from __future__ import annotations

import json

import numpy as np
import pytest

from vectorstore.errors import SnapshotError
from vectorstore.records import PassageMetadata, StoredPassage, stable_hash
from vectorstore.segment import FORMAT
from vectorstore.segment_write import quantize
from vectorstore.snapshot import SEGMENTS, Snapshot
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


def write(folder, data) -> Snapshot:
    write_snapshot(data, folder, "g1", {"model_id": "test"}, sentences=sentence_lookup)
    return Snapshot(folder)


def segment_folder(snap: Snapshot):
    return snap.folder.parent / SEGMENTS / snap.segments[0].name


def test_int8_rows_restore_the_vectors_within_half_a_step():
    matrix = np.stack([v for _, v in rows(200)])
    scan, scale = quantize(matrix)
    assert scan.dtype == np.int8 and scale.dtype == np.float32
    assert np.abs(scan.astype(np.float32) * scale[:, None] - matrix).max() <= scale.max() / 2 + 1e-7
    zero = quantize(np.zeros((1, DIM), dtype=np.float32))
    assert zero[1][0] == 1.0 and not zero[0].any()  # an all-zero row divides by nothing


def test_vectors_round_trip_and_sentence_vectors_are_float16(tmp_path):
    data = rows(50)
    snap = write(tmp_path / "s", data)
    folder = segment_folder(snap)
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    assert manifest["format"] == FORMAT == 3 and manifest["scan_dtype"] == "int8"
    assert np.load(folder / "vectors-int8.npy").dtype == np.int8
    for passage, vector in data:
        assert np.array_equal(snap.vector(snap.rows([passage.chunk_id])[0]), vector)
    stored = np.load(folder / "sentence_vectors.npy")
    assert stored.dtype == np.float16 and len(stored)
    keys = [k.decode("ascii") for k in np.load(folder / "sentence_keys.npy")]
    found = snap.sentence_vectors(keys)
    assert set(found) == set(keys)
    for key, vector in found.items():
        assert vector.dtype == np.float32
        assert np.array_equal(vector, stored[keys.index(key)].astype(np.float32))
    exact = np.stack([v for _, v in data]) @ data[0][1]
    approx = snap.approximate_scores(data[0][1])
    assert approx.dtype == np.float32 and np.abs(approx - exact).max() < 0.01


def test_dense_search_returns_the_exact_float32_top_k(tmp_path):
    """The int8 scan only picks candidates: results and scores are those of a float32 scan."""
    data = rows(5000, seed=11)
    snap = write(tmp_path / "s", data)
    matrix = np.stack([v for _, v in data])
    ids = [p.chunk_id for p, _ in data]
    rng = np.random.default_rng(5)
    mask = rng.random(len(data)) < 0.7
    for i in range(40):  # questions near a passage, as real ones are
        query = data[i * 97][1] + rng.normal(scale=0.15, size=DIM).astype(np.float32)
        query /= np.linalg.norm(query)
        exact = matrix @ query
        for m in (None, mask):
            allowed = np.where(m, exact, -np.inf) if m is not None else exact
            best = np.argsort(-allowed, kind="stable")[:10]
            got = snap.dense_search(query, 10, m)
            assert [c for c, _ in got] == [ids[j] for j in best]
            assert np.allclose([s for _, s in got], exact[best], atol=1e-6)


def test_a_snapshot_of_the_release_before_is_refused_then_republished(
    make_store, embedder, tmp_path
):
    from tests.test_snapshots import passage

    store, _ = make_store()
    texts = ["Byrådet vedtog budgettet for vejbelysning.", "Snerydning på cykelstier."]
    ps = [passage(t, f"{i}.pdf", "public") for i, t in enumerate(texts)]
    store.upsert(ps, embedder.embed_passages(texts))
    root = tmp_path / "index"
    old = root / "01796597728832594532-a080e2ed1eff"  # what format 2 wrote: one folder
    old.mkdir(parents=True)
    (old / "manifest.json").write_text(json.dumps({"format": 2, "store_generation": "x"}))
    (root / "CURRENT").write_text(old.name)
    with pytest.raises(SnapshotError) as refused:
        SnapshotReader(root).current()
    assert "referent index" in refused.value.user_message
    publisher = SnapshotPublisher(store, root)
    assert publisher.is_stale(), "an older format is stale even for an unchanged store"
    assert publisher.ensure_current()  # start-up republishes it once, in this format
    new = SnapshotReader(root).current()
    assert new.name == current_name(root) != old.name and new.manifest["format"] == FORMAT
    query = embedder.embed_query("budget for vejbelysning")
    assert new.dense_search(query, 1)[0][0] == ps[0].chunk_id
    assert not publisher.is_stale() and not publisher.ensure_current()


def test_a_snapshot_of_an_unknown_format_is_refused(tmp_path):
    write(tmp_path / "s", rows(5))
    path = tmp_path / "s" / "manifest.json"
    manifest = json.loads(path.read_text("utf-8"))
    for fmt in (FORMAT + 1, 0, None):
        manifest["format"] = fmt
        path.write_text(json.dumps(manifest), "utf-8")
        with pytest.raises(SnapshotError) as refused:
            Snapshot(tmp_path / "s")
        assert "referent index" in refused.value.user_message


def test_an_empty_snapshot_still_searches(tmp_path):
    snap = write(tmp_path / "s", [])
    assert snap.dense_search(np.ones(DIM, dtype=np.float32), 5) == []
    assert snap.bm25_search("vej", 5) == [] and len(snap) == 0
