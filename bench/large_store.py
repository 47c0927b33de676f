"""Large stores for the benchmarks, made from the corpus store's computed vectors and texts.

Embedding 100k passages here would take hours, so a large collection is made of copies of the
corpus store's passages under other sources: each vector lightly perturbed (Gaussian noise,
renormalised) and each text with one word dropped, so no copy is an exact duplicate of another.
Several collections in one store stand for several municipalities on one Chroma server.

Usage: python bench/large_store.py --store CORPUS_STORE --out DIR [--target 100000]
       [--collections 1]   (collections are named bench-00, bench-01, …)
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ui.config import load_settings  # noqa: E402
from ui.factory import build_embedder  # noqa: E402
from vectorstore.chroma import ChromaStore, open_client  # noqa: E402
from vectorstore.records import Passage, stable_hash  # noqa: E402

BATCH = 5000


def collection_name(i: int) -> str:
    return f"bench-{i:02d}"


def build_copies(rows, target: int, store: ChromaStore, seed: int) -> None:
    """Fill `store` with `target` perturbed copies of `rows` (passage, vector)."""
    rng = np.random.default_rng(seed)
    copies = -(-target // len(rows))
    batch: list[Passage] = []
    vectors: list[np.ndarray] = []
    made = 0
    for copy in range(copies):
        for passage, vector in rows:
            if made >= target:
                break
            m = passage.metadata
            words = passage.text.split()
            if len(words) > 3:
                del words[rng.integers(len(words))]
            text = " ".join(words)
            meta = type(m)(**m.to_chroma())
            tag = f"{seed}-{copy}"
            meta.source = f"kopi-{seed:02d}-{copy:02d}/{m.source}"
            meta.chunk_id = stable_hash(tag, m.chunk_id)
            meta.content_hash = stable_hash(tag, m.content_hash)
            meta.doc_id = stable_hash(tag, m.doc_id)
            noisy = vector + rng.normal(0, 0.01, vector.shape)
            vectors.append((noisy / np.linalg.norm(noisy)).astype(np.float32))
            batch.append(Passage(text=text, embed_text=text, metadata=meta))
            made += 1
            if len(batch) == BATCH:
                store.upsert(batch, np.stack(vectors))
                batch, vectors = [], []
    if batch:
        store.upsert(batch, np.stack(vectors))


def build(corpus: Path, out: Path, target: int, collections: int, embedder) -> list[str]:
    """The collections' names; each is built only when it holds fewer than `target` passages."""
    base = ChromaStore(open_client(corpus, create=False), embedder, create=False)
    rows = list(base.iter_passages(with_vectors=True))
    client = open_client(out)
    names = []
    for i in range(collections):
        name = collection_name(i)
        names.append(name)
        store = ChromaStore(client, embedder, collection=name)
        if store.count() >= target:
            continue
        t0 = time.perf_counter()
        print(f"Building {name}: {target} passages from {len(rows)} …", flush=True)
        build_copies(rows, target, store, seed=i)
        print(f"  built in {time.perf_counter() - t0:.0f} s", flush=True)
    return names


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True, help="store built from the corpus")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--target", type=int, default=100_000)
    parser.add_argument("--collections", type=int, default=1)
    args = parser.parse_args()
    embedder = build_embedder(load_settings())
    build(args.store, args.out, args.target, args.collections, embedder)


if __name__ == "__main__":
    main()
