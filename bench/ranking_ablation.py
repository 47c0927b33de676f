"""Ranking ablation: each step of the ranking switched off alone, judged on held-out halves.

For the dev set, retrieval as the assistant runs it (`Retriever.for_question`) is measured with
the shipped configuration and with one step changed at a time, and with a candidate second
stage that rescores the results by their best sentences (the sentence vectors stored at ingest).
Every variant is reported on two splits of the questions, each into two halves: by question id
parity, and by kind (decision, fact, date, who, cross vs paraphrase, status, outcome, why). A
step earns its place only if it helps on both halves of both splits.

Steps that need a new index (titles and headings in the indexed text, passage size) are not
switched here: they need a re-ingest per variant.

Usage: python bench/ranking_ablation.py --store S [--questions FILE] [--k 10]
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.evaluate import is_hit, load_questions  # noqa: E402
from assistant.retrieve import Retriever  # noqa: E402
from ui.config import load_settings  # noqa: E402
from ui.factory import build_retriever  # noqa: E402
from vectorstore import hybrid  # noqa: E402
from vectorstore.filters import SearchFilters  # noqa: E402
from vectorstore.sentences import passage_sentences, sentence_key  # noqa: E402

KIND_HALF = {"decision", "fact", "date", "who", "cross"}


def ranks(retriever: Retriever, questions, k: int, skip=(), rerank=None) -> dict:
    out = {}
    for q in questions:
        found = retriever.for_question(
            q.question, k=max(k, 10), filters=SearchFilters(), skip_derived=skip
        )
        hits = found.result.hits
        if rerank is not None:
            hits = rerank(retriever, q.question, hits)
        out[q.id] = next((i for i, h in enumerate(hits[:k], 1) if is_hit(h, q.gold)), None)
    return out


def figures(rows: dict, questions) -> dict[str, float]:
    rs = [rows[q.id] for q in questions]
    n = len(rs) or 1
    return {
        "r@1": sum(1 for r in rs if r == 1) / n,
        "r@5": sum(1 for r in rs if r and r <= 5) / n,
        "r@10": sum(1 for r in rs if r and r <= 10) / n,
        "mrr": sum(1 / r for r in rs if r) / n,
    }


def sentence_stage(weight: float, with_passage: bool) -> Callable:
    """The candidate second stage: each result rescored by its best sentence's cosine to the
    question (title-like lines left out; with `with_passage`, the passage's own cosine when
    higher), added with `weight` to the fused score, both scaled to 0–1 over the results."""

    def rerank(retriever: Retriever, question: str, hits: list) -> list:
        if not hits:
            return hits
        index = retriever.snapshot()
        query = retriever.searcher.query_vector(question)
        keys = [
            [sentence_key(s) for _, s in passage_sentences(h.text, h.metadata.section)
             if s.strip()[-1:] in ".!?" or len(s.split()) >= 12]
            for h in hits
        ]  # fmt: skip
        vectors = index.sentence_vectors([k for ks in keys for k in ks])
        cosine = {k: float(v @ query) for k, v in vectors.items()}
        best = []
        for ks, hit in zip(keys, hits, strict=True):
            values = [cosine[k] for k in ks if k in cosine]
            if with_passage and hit.dense_score is not None:
                values.append(hit.dense_score)
            best.append(max(values, default=np.nan))
        best = np.array(best)
        if np.isnan(best).all():
            return hits
        best = np.nan_to_num(best, nan=float(np.nanmin(best)))
        fused = np.array([h.score for h in hits])
        combined = unit(fused) + weight * unit(best)
        return [hits[i] for i in sorted(range(len(hits)), key=lambda i: (-combined[i], i))]

    return rerank


def unit(values: np.ndarray) -> np.ndarray:
    span = values.max() - values.min()
    return (values - values.min()) / span if span > 0 else np.zeros_like(values)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument(
        "--questions", type=Path, default=ROOT.parent / "shared" / "eval" / "dev-questions.jsonl"
    )
    parser.add_argument("--k", type=int, default=10)
    args = parser.parse_args()
    questions = [q for q in load_questions(args.questions) if q.answerable]
    halves = {
        "odd ids": [q for q in questions if int(q.id.split("-")[1]) % 2],
        "even ids": [q for q in questions if not int(q.id.split("-")[1]) % 2],
        "kinds A": [q for q in questions if q.kind in KIND_HALF],
        "kinds B": [q for q in questions if q.kind not in KIND_HALF],
    }
    retriever = build_retriever(load_settings(store_dir=args.store))
    searcher = retriever.searcher
    chosen = {
        name: getattr(searcher, name)
        for name in ("rrf_k", "dense_weight", "lexical_weight", "expand_documents")
    }
    collapse = hybrid.collapse_duplicates
    stage = sentence_stage
    variants: list[tuple[str, dict, tuple, Callable | None]] = [
        ("shipped", {}, (), None),
        ("no key-passage moves", {"expand_documents": 0}, (), None),
        ("rrf k = 20", {"rrf_k": 20}, (), None),
        ("rrf k = 120", {"rrf_k": 120}, (), None),
        ("dense weight 1.5", {"dense_weight": 1.5}, (), None),
        ("lexical weight 1.5", {"lexical_weight": 1.5}, (), None),
        ("no collapse of copies", {"collapse": False}, (), None),
        ("no filters from the question", {}, ("period", "committee"), None),
        ("+ sentence stage 1.0", {}, (), stage(1.0, False)),
        ("no moves + sentence stage 1.0", {"expand_documents": 0}, (), stage(1.0, False)),
        ("no moves + sentence stage 0.5 (+passage)", {"expand_documents": 0}, (), stage(0.5, True)),
    ]
    header = " | ".join(f"{h} r@1 r@10 mrr" for h in halves)
    print(f"{'variant':36s} | {header}")
    for name, change, skip, rerank in variants:
        for key, value in chosen.items():
            setattr(searcher, key, change.get(key, value))
        hybrid.collapse_duplicates = (
            collapse if change.get("collapse", True) else (lambda hits, k: hits[:k])
        )
        searcher.clear_query_cache()
        rows = ranks(retriever, questions, args.k, skip, rerank)
        cells = []
        for half in halves.values():
            f = figures(rows, half)
            cells.append(f"{f['r@1']:.2f} {f['r@10']:.2f} {f['mrr']:.3f}")
        every = figures(rows, questions)
        overall = (f"all r@1 {every['r@1']:.2f} r@5 {every['r@5']:.2f} "
                   f"r@10 {every['r@10']:.2f} mrr {every['mrr']:.3f}")  # fmt: skip
        print(f"{name:36s} | " + " | ".join(cells) + f" || {overall}")
    hybrid.collapse_duplicates = collapse


if __name__ == "__main__":
    main()
