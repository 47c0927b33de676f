"""Compact against float32 vectors: the same retrieval and the same answers?

Copies a store into a temporary folder, publishes its snapshot as this release does (passage
vectors scanned as int8 with a scale per row and the best candidates rescored in float32;
sentence vectors stored as float16), and runs the dev questions through the retriever and the
assistant (as `ui.factory` builds them) twice over it: as shipped, and with every vector read in
float32 — a float32 scan of every passage, and sentence vectors from the store (float32) — as
the releases before scored them. Question by question: recall@10, the first gold rank, whether
the top 10 are the same passages in the same order, and whether the answer (confidence, direct
answer, text) is the same. The store given is only read.

Usage:
  python bench/compact_vectors.py --store STORE [--questions dev-questions.jsonl]
"""

from __future__ import annotations

import argparse
import contextlib
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

QUESTIONS = ROOT.parent / "shared" / "eval" / "dev-questions.jsonl"


@contextlib.contextmanager
def float32_everywhere(store):
    """Score as the releases before: every passage's float32 product, float32 sentence
    vectors (the store's own)."""
    from vectorstore.snapshot import Snapshot

    def exact(self, vector):
        query = np.asarray(vector, dtype=np.float32)
        parts = [np.asarray(s.exact, dtype=np.float32) @ query for s in self.segments]  # whole
        return np.concatenate(parts) if parts else np.zeros(0, dtype=np.float32)

    def sentences(self, keys):
        found = store.sentences.vectors(keys)
        return {k: np.asarray(v, dtype=np.float32) for k, v in found.items()}

    saved = Snapshot.approximate_scores, Snapshot.sentence_vectors
    Snapshot.approximate_scores, Snapshot.sentence_vectors = exact, sentences
    try:
        yield
    finally:
        Snapshot.approximate_scores, Snapshot.sentence_vectors = saved


def run(settings, store, root: Path, questions) -> dict:
    from assistant.evaluate import evaluate
    from assistant.retrieve import Retriever
    from ui.factory import build_assistant
    from vectorstore.hybrid import HybridSearcher
    from vectorstore.snapshots import SnapshotReader

    # as build_retriever builds it, over this snapshot folder (no start-up republish)
    retriever = Retriever(HybridSearcher(store.embedder, SnapshotReader(root)))
    assistant = build_assistant(settings, retriever=retriever)
    report = evaluate(retriever, questions, k=10)
    answers = {}
    for q in questions:
        retriever.searcher.clear_query_cache()
        a = assistant.ask(q.question)
        answers[q.id] = (a.confidence, a.direct, a.text, [c.chunk_id for c in a.citations])
    return {
        "recall@10": report.recall(10),
        "recall@1": report.recall(1),
        "mrr": report.mrr(),
        "rank": {r.question.id: r.first_hit_rank for r in report.results},
        "top": {r.question.id: [h.chunk_id for h in r.top[:10]] for r in report.results},
        "answers": answers,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--questions", type=Path, default=QUESTIONS)
    parser.add_argument("--keep", type=Path, help="copy the store here (kept) instead of a temp")
    args = parser.parse_args()
    from assistant.evaluate import load_questions
    from ui.config import load_settings
    from ui.factory import build_store
    from vectorstore.snapshots import SnapshotPublisher

    questions = load_questions(args.questions)
    with tempfile.TemporaryDirectory(dir=args.keep) as tmp:
        copy = Path(tmp) / "store"
        shutil.copytree(args.store, copy, symlinks=True)
        settings = load_settings(store_dir=copy)
        store = build_store(settings, create=False)
        root = Path(tmp) / "index"
        t0 = time.perf_counter()
        SnapshotPublisher(store, root).publish()
        published = time.perf_counter() - t0
        sizes = {p.name: p.stat().st_size for p in root.rglob("*.npy")}
        print(
            f"published in {published:.0f} s; passage vectors: int8 "
            f"{sizes.get('vectors-int8.npy', 0) / 2**20:.0f} MiB scanned, float32 "
            f"{sizes.get('vectors.npy', 0) / 2**20:.0f} MiB read for the best candidates; "
            f"sentence vectors float16 {sizes.get('sentence_vectors.npy', 0) / 2**20:.0f} MiB"
        )
        results = {}
        with float32_everywhere(store):
            results["fp32"] = run(settings, store, root, questions)
        results["compact"] = run(settings, store, root, questions)
        for label, r in results.items():
            print(f"{label}: recall@10 {r['recall@10']:.3f}, recall@1 {r['recall@1']:.3f}, "
                  f"MRR {r['mrr']:.3f}")  # fmt: skip
    a, b = results["fp32"], results["compact"]
    ids = [q.id for q in questions]
    same_rank = [i for i in ids if a["rank"][i] == b["rank"][i]]
    same_top = [i for i in ids if a["top"][i] == b["top"][i]]
    same_set = [i for i in ids if set(a["top"][i]) == set(b["top"][i])]
    same_answer = [i for i in ids if a["answers"][i][:2] == b["answers"][i][:2]]
    same_all = [i for i in ids if a["answers"][i] == b["answers"][i]]
    n = len(ids)
    print(f"\nrecall@10 fp32 {a['recall@10']:.3f} → compact {b['recall@10']:.3f} "
          f"(difference {b['recall@10'] - a['recall@10']:+.3f}; allowed ±0.005)")  # fmt: skip
    print(f"first gold rank the same: {len(same_rank)}/{n}")
    print(f"top 10 the same passages in the same order: {len(same_top)}/{n} "
          f"(same passages in any order {len(same_set)}/{n})")  # fmt: skip
    print(f"same answer (confidence and direct answer): {len(same_answer)}/{n} "
          f"= {len(same_answer) / n:.1%} (needed ≥ 98 %); identical in every field "
          f"(text and citations too): {len(same_all)}/{n}")  # fmt: skip
    for i in ids:
        if i not in same_rank or i not in same_answer:
            direct = "same" if a["answers"][i][1] == b["answers"][i][1] else "differs"
            print(f"  {i}: rank {a['rank'][i]} → {b['rank'][i]}; confidence "
                  f"{a['answers'][i][0]} → {b['answers'][i][0]}; direct {direct}")  # fmt: skip
    for i in ids:
        if i not in same_top and i in same_rank and i in same_answer:
            print(f"  {i}: top 10 order differs below the gold passage; answer unchanged")
    ok = abs(b["recall@10"] - a["recall@10"]) <= 0.005 and len(same_answer) >= 0.98 * n
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
