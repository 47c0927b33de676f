"""Float16 against float32 snapshot vectors: the same retrieval and the same answers?

Copies a store into a temporary folder, publishes two snapshots of it side by side — one as the
release before wrote them (format 1, float32 vectors) and one as this release does (float16) —
and runs the dev questions through the retriever and the assistant (as `ui.factory` builds
them) over each, question by question: recall@10, each question's first gold rank, whether the
top 10 are the same passages in the same order, and whether the answer (confidence, direct
answer, text) is the same. The store given is only read.

Usage:
  python bench/fp16_equivalence.py --store STORE [--questions dev-questions.jsonl]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

QUESTIONS = ROOT.parent / "shared" / "eval" / "dev-questions.jsonl"


HALF_PASSAGES = False  # --half-passages: measure passage vectors in float16 too


def publish(store, root: Path, float32: bool) -> str:
    from vectorstore import snapshot_build
    from vectorstore.snapshots import SnapshotPublisher

    saved = snapshot_build.FORMAT, snapshot_build.SENTENCE_DTYPE, snapshot_build.PASSAGE_DTYPE
    if float32:  # exactly what the previous release wrote: format 1, float32 vectors
        snapshot_build.FORMAT, snapshot_build.SENTENCE_DTYPE = 1, np.float32
    elif HALF_PASSAGES:  # the variant measured and not shipped: passage vectors float16 too
        snapshot_build.PASSAGE_DTYPE = np.float16
    try:
        return SnapshotPublisher(store, root).publish()
    finally:
        (snapshot_build.FORMAT, snapshot_build.SENTENCE_DTYPE,
         snapshot_build.PASSAGE_DTYPE) = saved  # fmt: skip


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
        "vectors": str(retriever.searcher.snapshots.current().vectors.dtype),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--questions", type=Path, default=QUESTIONS)
    parser.add_argument("--keep", type=Path, help="copy the store here (kept) instead of a temp")
    parser.add_argument(
        "--half-passages", action="store_true", help="passage vectors in float16 too (not shipped)"
    )
    args = parser.parse_args()
    global HALF_PASSAGES
    HALF_PASSAGES = args.half_passages
    from assistant.evaluate import load_questions
    from ui.config import load_settings
    from ui.factory import build_store

    questions = load_questions(args.questions)
    with tempfile.TemporaryDirectory(dir=args.keep) as tmp:
        copy = Path(tmp) / "store"
        shutil.copytree(args.store, copy, symlinks=True)
        settings = load_settings(store_dir=copy)
        store = build_store(settings, create=False)
        results = {}
        for label, float32 in (("fp32", True), ("fp16", False)):
            root = Path(tmp) / f"index-{label}"
            t0 = time.perf_counter()
            publish(store, root, float32)
            published = time.perf_counter() - t0
            size = sum(f.stat().st_size for f in root.rglob("*vectors.npy"))
            results[label] = run(settings, store, root, questions)
            r = results[label]
            print(f"{label}: published in {published:.0f} s, vectors {r['vectors']} "
                  f"({size / 2**20:.0f} MiB of passage + sentence vectors); "
                  f"recall@10 {r['recall@10']:.3f}, recall@1 {r['recall@1']:.3f}, "
                  f"MRR {r['mrr']:.3f}")  # fmt: skip
    a, b = results["fp32"], results["fp16"]
    ids = [q.id for q in questions]
    same_rank = [i for i in ids if a["rank"][i] == b["rank"][i]]
    same_top = [i for i in ids if a["top"][i] == b["top"][i]]
    same_set = [i for i in ids if set(a["top"][i]) == set(b["top"][i])]
    same_answer = [i for i in ids if a["answers"][i][:2] == b["answers"][i][:2]]
    same_all = [i for i in ids if a["answers"][i] == b["answers"][i]]
    n = len(ids)
    print(f"\nrecall@10 fp32 {a['recall@10']:.3f} → fp16 {b['recall@10']:.3f} "
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
