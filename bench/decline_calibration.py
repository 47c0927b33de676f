"""How the decline thresholds were chosen: signals per question, and a grid of thresholds.

For every question of a set, retrieve as the assistant does and record the two signals the
decline policy reads: how much of the question the best passages cover (IDF-weighted), and the
best dense similarity. Then print, for a grid of thresholds, the share of unanswerable questions
declined and of answerable questions wrongly declined.

Usage: python bench/decline_calibration.py --store DIR [--questions FILE]
"""

from __future__ import annotations

import argparse
import itertools
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.assistant import Assistant  # noqa: E402
from assistant.decline import DeclinePolicy  # noqa: E402
from assistant.evaluate import load_questions  # noqa: E402
from ui.config import load_settings  # noqa: E402
from ui.factory import build_retriever  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument(
        "--questions", type=Path, default=ROOT.parent / "shared" / "eval" / "dev-questions.jsonl"
    )
    args = parser.parse_args()
    retriever = build_retriever(load_settings(store_dir=args.store))
    assistant = Assistant(retriever)
    index = retriever.index()
    rows = []
    for q in load_questions(args.questions):
        hits = retriever.for_question(q.question, k=assistant.k).result.hits
        hits = retriever.with_case_decisions(hits, None)
        _, _, coverage = assistant.composer.compose(q.question, hits, index)
        dense = max((h.dense_score or 0.0) for h in hits[:3]) if hits else 0.0
        rows.append((q, coverage, dense, hits))
        print(f"{q.id} {q.kind:12s} coverage {coverage:.2f} dense {dense:.3f}")
    answerable = [r for r in rows if r[0].answerable]
    unanswerable = [r for r in rows if not r[0].answerable]
    print("\nmin_coverage weak_coverage min_dense | declined(unanswerable) wrongly(answerable)")
    default = DeclinePolicy()
    for lo, weak, dense in itertools.product(
        [0.1, 0.15, 0.2, 0.25, 0.3], [0.4, 0.5, 0.6, 0.7], [0.86, 0.87, 0.88, 0.89]
    ):
        policy = DeclinePolicy(min_coverage=lo, weak_coverage=weak, min_dense=dense)

        good = sum(policy.should_decline(r[3], r[1]) for r in unanswerable)
        bad = sum(policy.should_decline(r[3], r[1]) for r in answerable)
        good, bad = good / max(1, len(unanswerable)), bad / max(1, len(answerable))
        mark = " <- default" if (lo, weak, dense) == (
            default.min_coverage, default.weak_coverage, default.min_dense
        ) else ""  # fmt: skip
        print(f"{lo:12.2f} {weak:13.2f} {dense:9.2f} | {good:22.2f} {bad:19.2f}{mark}")


if __name__ == "__main__":
    main()
