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
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from assistant.evaluate import is_hit, load_questions  # noqa: E402
from assistant.retrieve import Retriever  # noqa: E402
from ui.config import load_settings  # noqa: E402
from ui.factory import build_retriever  # noqa: E402
from vectorstore import hybrid, postings  # noqa: E402
from vectorstore.filters import SearchFilters  # noqa: E402
from vectorstore.snapshot import Snapshot  # noqa: E402

KIND_HALF = {"decision", "fact", "date", "who", "cross"}
SHIPPED_BM25 = Snapshot.bm25_search


def ranks(retriever: Retriever, questions, k: int, skip=(), rerank=None) -> dict:
    out = {}
    for q in questions:
        found = retriever.for_question(
            q.question, k=max(k, 10), filters=SearchFilters(), skip_derived=skip
        )
        hits = found.result.hits
        if rerank is not None:
            hits = rerank(retriever, q.question, hits, found.filters)
        out[q.id] = next((i for i, h in enumerate(hits[:k], 1) if is_hit(h, q.gold)), None)
    return out


def split_halves(questions) -> dict[str, list]:
    """The two splits of the questions, each into two halves: by id parity and by kind."""
    return {
        "odd ids": [q for q in questions if int(q.id.split("-")[1]) % 2],
        "even ids": [q for q in questions if not int(q.id.split("-")[1]) % 2],
        "kinds A": [q for q in questions if q.kind in KIND_HALF],
        "kinds B": [q for q in questions if q.kind not in KIND_HALF],
    }


def figures(rows: dict, questions) -> dict[str, float]:
    rs = [rows[q.id] for q in questions]
    n = len(rs) or 1
    return {
        "r@1": sum(1 for r in rs if r == 1) / n,
        "r@5": sum(1 for r in rs if r and r <= 5) / n,
        "r@10": sum(1 for r in rs if r and r <= 10) / n,
        "mrr": sum(1 / r for r in rs if r) / n,
    }


def table_header(halves: dict[str, list]) -> str:
    return f"{'variant':42s} | " + " | ".join(f"{h} r@1 r@10 mrr" for h in halves)


def table_row(name: str, rows: dict, questions, halves: dict[str, list]) -> str:
    """One variant's line: R@1, R@10 and MRR per half, then all four figures on every question."""
    cells = []
    for half in halves.values():
        f = figures(rows, half)
        cells.append(f"{f['r@1']:.2f} {f['r@10']:.2f} {f['mrr']:.3f}")
    every = figures(rows, questions)
    overall = (f"all r@1 {every['r@1']:.2f} r@5 {every['r@5']:.2f} "
               f"r@10 {every['r@10']:.2f} mrr {every['mrr']:.3f}")  # fmt: skip
    return f"{name:42s} | " + " | ".join(cells) + f" || {overall}"


def key_moves(retriever: Retriever, question: str, hits: list, filters: SearchFilters) -> list:
    """The step the ranking had before the second stage: the best document's opening passages
    (an item's decision, summary, recommendation) moved up right after its best passage."""
    if not hits:
        return hits
    top = hits[0].metadata.doc_id
    keys = retriever.searcher.opening_passages([top], filters, snapshot=retriever.snapshot())
    keys = {k.chunk_id: k for k in keys}
    present = [h for h in hits if h.chunk_id in keys and h is not hits[0]]
    extra = [k for cid, k in keys.items() if cid not in {h.chunk_id for h in hits}]
    moved = sorted(present + extra, key=lambda h: h.metadata.chunk_index)
    ids = {h.chunk_id for h in moved}
    rest = [h for h in hits[1:] if h.chunk_id not in ids]
    return [hits[0], *moved, *rest]


def feedback_bm25(self, query: str, k: int, mask=None):
    """BM25 with pseudo-relevance feedback (RM3-like): the best 5 passages' 8 top terms by
    tf·idf added with weight 0.2."""
    first = SHIPPED_BM25(self, query, max(k, 5), mask)
    tokens = self.tokenize(query)
    if not first or not tokens:
        return SHIPPED_BM25(self, query, k, mask)
    weights: Counter[str] = Counter()
    for passage in self.get([chunk_id for chunk_id, _ in first[:5]]):
        words = self.tokenize(passage.text)
        for word, n in Counter(words).items():
            if word not in tokens and not word.isdigit():
                weights[word] += n / len(words) * self.idf(word)
    extra = [w for w, _ in weights.most_common(8)]
    parts, corpus = self._lexical
    scores = postings.scores(tokens, parts, self.starts[:-1], self.n_rows, corpus)
    if extra:
        more = postings.scores(extra, parts, self.starts[:-1], self.n_rows, corpus)
        scores = scores + 0.2 * more * (len(tokens) / len(extra))
    if mask is not None:
        scores = np.where(mask, scores, 0.0)
    k = min(k, int((scores > 0).sum()))
    return self._best(scores, k) if k > 0 else []


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument(
        "--questions", type=Path, default=ROOT.parent / "shared" / "eval" / "dev-questions.jsonl"
    )
    parser.add_argument("--k", type=int, default=10)
    args = parser.parse_args()
    questions = [q for q in load_questions(args.questions) if q.answerable]
    halves = split_halves(questions)
    retriever = build_retriever(load_settings(store_dir=args.store))
    searcher = retriever.searcher
    chosen = {
        name: getattr(searcher, name)
        for name in ("rrf_k", "dense_weight", "lexical_weight", "sentence_weight", "rescore")
    }
    collapse = hybrid.collapse_duplicates
    first = {"sentence_weight": 0}  # the first stage alone
    variants: list[tuple[str, dict, tuple, Callable | None]] = [
        ("shipped (two stages)", {}, (), None),
        ("first stage alone", first, (), None),
        ("first stage + key-passage moves (before)", first, (), key_moves),
        ("two stages + key-passage moves", {}, (), key_moves),
        ("sentence weight 0.5", {"sentence_weight": 0.5}, (), None),
        ("sentence weight 2.0", {"sentence_weight": 2.0}, (), None),
        ("second stage over top 20", {"rescore": 20}, (), None),
        ("second stage over top 5", {"rescore": 5}, (), None),
        ("rrf k = 20", {"rrf_k": 20}, (), None),
        ("rrf k = 120", {"rrf_k": 120}, (), None),
        ("dense weight 1.5", {"dense_weight": 1.5}, (), None),
        ("lexical weight 1.5", {"lexical_weight": 1.5}, (), None),
        ("no collapse of copies", {"collapse": False}, (), None),
        ("no filters from the question", {}, ("period", "committee"), None),
        ("BM25 with pseudo-relevance feedback", {"feedback": True}, (), None),
    ]
    print(table_header(halves))
    for name, change, skip, rerank in variants:
        for key, value in chosen.items():
            setattr(searcher, key, change.get(key, value))
        hybrid.collapse_duplicates = (
            collapse if change.get("collapse", True) else (lambda hits, k=None: hits[:k])
        )
        Snapshot.bm25_search = feedback_bm25 if change.get("feedback") else SHIPPED_BM25
        searcher.clear_query_cache()
        rows = ranks(retriever, questions, args.k, skip, rerank)
        print(table_row(name, rows, questions, halves))
    hybrid.collapse_duplicates = collapse
    Snapshot.bm25_search = SHIPPED_BM25


if __name__ == "__main__":
    main()
