"""What the orphan sweep adds to every ingest run (a benchmark, not a test).

Builds (once) a synthetic store shaped like the corpus store: N passages with real-sized text
and metadata over S sources, every source catalogued; then times `sweep_orphans` (nothing to
remove: the common case) and, for scale, reading the catalog, which every run does already.
Vectors are random and the embedder is a stand-in: nothing here embeds or searches.

Usage: python bench/orphan_sweep.py DIR [--passages 8400] [--sources 207] [--rounds 7]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ingest.orphans import sweep_orphans  # noqa: E402
from vectorstore.catalog import FileCatalog, FileRecord  # noqa: E402
from vectorstore.chroma import ChromaStore, open_client  # noqa: E402
from vectorstore.records import Passage, PassageMetadata  # noqa: E402


class StandIn:
    """The identity a store records; never asked for a vector."""

    embedder_id = model_id = "bench-stand-in"
    prefix_scheme = "e5"
    dimension = 384


def build(store: ChromaStore, catalog: FileCatalog, passages: int, sources: int) -> None:
    rng = np.random.default_rng(0)
    rows = []
    for i in range(passages):
        text = f"Punkt {i} om budget, veje og cykelstier i kommunen. " * 25
        meta = PassageMetadata(
            source=f"greve/møde-{i % sources:04d}.json",
            chunk_id=f"c{i:07d}",
            doc_id=f"d{i % sources}",
            committee="Økonomiudvalget",
            title="Ordinært møde",
            section="Beslutning",
            meeting_date="2023-04-17",
        )
        rows.append(Passage(text=text, embed_text=text, metadata=meta))
    vectors = rng.normal(size=(passages, StandIn.dimension)).astype(np.float32)
    store.upsert(rows, vectors / np.linalg.norm(vectors, axis=1, keepdims=True))
    for s in range(sources):
        source = f"greve/møde-{s:04d}.json"
        catalog.put(FileRecord(source=source, file_hash="0" * 32, n_passages=passages // sources))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--passages", type=int, default=8400)
    parser.add_argument("--sources", type=int, default=207)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    client = open_client(args.folder)
    store, catalog = ChromaStore(client, StandIn()), FileCatalog(client)
    if store.count() == 0:
        build(store, catalog, args.passages, args.sources)
    known = [record.source for record in catalog.all()]
    sweep, read = [], []
    for _ in range(args.rounds):
        t0 = time.perf_counter()
        removed = sweep_orphans(store, catalog, known)
        t1 = time.perf_counter()
        catalog.all()
        sweep.append(t1 - t0)
        read.append(time.perf_counter() - t1)
    print(
        f"{store.count()} passages, {len(known)} catalogued sources, {removed} orphans: "
        f"sweep median {statistics.median(sweep) * 1000:.1f} ms "
        f"(min {min(sweep) * 1000:.1f}); reading the catalog "
        f"{statistics.median(read) * 1000:.1f} ms"
    )


if __name__ == "__main__":
    main()
