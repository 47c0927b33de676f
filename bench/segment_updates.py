"""The write side of search_latency.py: how soon an ingest's passages are found, and what the
segments it leaves cost readers.

On one collection of a store: a full build (`referent index`), then rounds that each write 50
new passages (copies of stored ones with a marker word no other passage has, with their stored
vectors: embedding is part of the ingest, before its end) and do what `Ingestor.run` does at its
end (publish what changed under the writer lock, then start a background merge when one is
due). A round's time runs from the end of the store writes until a reader in this process,
following CURRENT like any reader, finds the marker by BM25. After ten rounds the snapshot is
one base segment and ten small ones: the caller measures search there. At the end every segment
is merged into one (timed: the merge at this size), and the added passages are deleted and
merged away again, so the store is left as it was.
"""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

import numpy as np

PER_ROUND = 50
SOURCE = "bench-updates/round-{:03d}.txt"


def run(store_dir: Path, collection: str, rounds: int, after_ten) -> dict:
    """Measure; `after_ten()` is called once the snapshot holds 1 + 10 segments."""
    from ui.config import load_settings
    from ui.factory import build_publisher, build_store, index_folder
    from vectorstore.records import Passage
    from vectorstore.snapshots import SnapshotReader

    settings = load_settings(store_dir=store_dir, collection=collection)
    store = build_store(settings, create=False)
    publisher = build_publisher(settings, store)
    leftovers = [i for r in range(1000) for i in store.ids_where({"source": SOURCE.format(r)})]
    store.delete_ids(leftovers)  # of an earlier run that died
    out: dict = {"passages": store.count()}
    t0 = time.perf_counter()
    publisher.publish()
    out["full_build_s"] = time.perf_counter() - t0
    reader = SnapshotReader(index_folder(settings))
    base = reader.current()
    template = store.get_with_vectors([base.chunk_id(row) for row in range(PER_ROUND)])
    times, segments, added = [], [], []
    for r in range(rounds):
        marker = f"fyrtaarn{r:03d}maaling"  # one word, in no other passage
        rows, vectors = [], []
        for j, (p, vector) in enumerate(template):
            meta = replace(p.metadata, chunk_id=f"bench-update-{r:03d}-{j:02d}",
                           source=SOURCE.format(r), doc_id=f"bench-update-{r:03d}")  # fmt: skip
            rows.append(Passage(text=f"{p.text} {marker}", embed_text=p.text, metadata=meta))
            vectors.append(vector)
        store.upsert(rows, np.stack(vectors))
        added += [p.chunk_id for p in rows]
        start = time.perf_counter()  # the end of the ingest's writes
        with publisher.locked():
            publisher.publish_if_stale()
        publisher.merge_soon()
        while not reader.current().bm25_search(marker, 1):
            time.sleep(0.02)
        times.append(time.perf_counter() - start)
        segments.append(len(reader.current().segments))
        if r == 9:
            if publisher.merger is not None:
                publisher.merger.join()
            after_ten(len(reader.current().segments))
    if publisher.merger is not None:
        publisher.merger.join()
    out["findable_s"] = times
    out["segments"] = segments
    t0 = time.perf_counter()
    publisher.merge(everything=True)
    out["merge_s"] = time.perf_counter() - t0
    out["merged_passages"] = len(reader.current())
    store.delete_ids(added)
    publisher.publish_if_stale()
    publisher.merge(everything=True)
    out["restored_segments"] = len(reader.current().segments)
    return out


def report(result: dict, percentiles) -> None:
    p50, p95 = percentiles(result["findable_s"])
    n = len(result["findable_s"])
    print(f"\nWrite side on {result['passages']:,} passages:")
    print(f"  full build (referent index): {result['full_build_s']:.1f} s")
    print(f"  an ingest's {PER_ROUND} new passages found by a reader, {n} rounds: "
          f"p50 {p50:.2f} s  p95 {p95:.2f} s  max {max(result['findable_s']):.2f} s")  # fmt: skip
    print(f"  segments after each round: {result['segments']}")
    print(f"  merging every segment into one at {result['merged_passages']:,} passages: "
          f"{result['merge_s']:.1f} s")  # fmt: skip
