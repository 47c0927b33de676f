"""Search latency (dense, BM25, hybrid) at the corpus's size and at ~100k passages.

Embedding 100k passages here would take hours, so the large store is built from the corpus
store's already computed vectors and texts: copies under other sources, each vector lightly
perturbed (Gaussian noise, renormalised) and each text with one word dropped, so no copy is an
exact duplicate of another. Questions come from the evaluation set.

Usage: python bench/search_latency.py --store DIR [--questions FILE] [--target 100000]
       [--work DIR]   (the large store is written to --work, default a temporary folder)
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ui.config import load_settings  # noqa: E402
from ui.factory import build_embedder  # noqa: E402
from vectorstore.chroma import ChromaStore, open_client  # noqa: E402
from vectorstore.hybrid import HybridSearcher  # noqa: E402
from vectorstore.lexical import LexicalIndexManager  # noqa: E402
from vectorstore.records import Passage, stable_hash  # noqa: E402


def percentiles(values: list[float]) -> tuple[float, float]:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]
    return statistics.median(ordered), p95


def measure(searcher: HybridSearcher, questions: list[str], label: str) -> None:
    searcher.search("opvarmning", k=10)  # load the BM25 index and warm caches
    print(f"\n{label}: {searcher.store.count()} passages")
    for mode in ("dense", "bm25", "hybrid"):
        totals, embeds = [], []
        for q in questions:
            searcher.clear_query_cache()  # every question embedded, as a new one would be
            t0 = time.perf_counter()
            result = searcher.search(q, k=10, mode=mode)
            totals.append((time.perf_counter() - t0) * 1000)
            embeds.append(result.timings_ms.get("embed", 0.0))
        p50, p95 = percentiles(totals)
        share = sum(embeds) / sum(totals) if sum(totals) else 0.0
        print(f"  {mode:6s} p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  "
              f"(query embedding {share:.0%} of the time)")  # fmt: skip
    rss = psutil.Process(os.getpid()).memory_info().rss / 2**20
    print(f"  process memory (RSS): {rss:.0f} MiB")


def build_large(source: ChromaStore, target: int, folder: Path, embedder) -> ChromaStore:
    rows = list(source.iter_passages(with_vectors=True))
    store = ChromaStore(open_client(folder), embedder, collection="bench-large")
    if store.count() >= target:
        return store
    rng = np.random.default_rng(7)
    copies = -(-target // len(rows))
    print(f"Building {target} passages from {len(rows)} ({copies} copies) in {folder} …")
    t0 = time.perf_counter()
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
            meta.source = f"kopi-{copy:02d}/{m.source}"
            meta.chunk_id = stable_hash(str(copy), m.chunk_id)
            meta.content_hash = stable_hash(str(copy), m.content_hash)
            noisy = vector + rng.normal(0, 0.01, vector.shape)
            vectors.append((noisy / np.linalg.norm(noisy)).astype(np.float32))
            batch.append(Passage(text=text, embed_text=text, metadata=meta))
            made += 1
            if len(batch) == 5000:
                store.upsert(batch, np.stack(vectors))
                batch, vectors = [], []
    if batch:
        store.upsert(batch, np.stack(vectors))
    print(f"  built in {time.perf_counter() - t0:.0f} s")
    return store


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True, help="store built from the corpus")
    parser.add_argument(
        "--questions", type=Path, default=ROOT.parent / "shared" / "eval" / "dev-questions.jsonl"
    )
    parser.add_argument("--target", type=int, default=100_000)
    parser.add_argument("--work", type=Path, help="folder for the large store (kept)")
    args = parser.parse_args()
    questions = [
        json.loads(line)["question"]
        for line in args.questions.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    embedder = build_embedder(load_settings())  # the configured engine (default e5-onnx)
    base = ChromaStore(open_client(args.store, create=False), embedder, create=False)
    with tempfile.TemporaryDirectory() as tmp:
        measure(
            HybridSearcher(base, LexicalIndexManager(base, Path(tmp) / "bm25-base")),
            questions,
            "Corpus store",
        )
        work = args.work or Path(tmp) / "large"
        large = build_large(base, args.target, work, embedder)
        measure(
            HybridSearcher(large, LexicalIndexManager(large, work / "bm25-large")),
            questions,
            f"Large store (~{args.target // 1000}k)",
        )


if __name__ == "__main__":
    main()
