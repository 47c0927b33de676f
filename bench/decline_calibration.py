"""How the decline rule was chosen: its signals per question, and a calibration curve.

For every question of a set, answer as the assistant does (same retrieval, same composer) and
record what the decline policy reads: the best meaning (cosine of the best sentence of the top
passages), the squared-IDF coverage of the best passage, and whether the answer holds the kind
of value asked for. Then sweep the meaning threshold and print, for each point, the share of
unanswerable questions declined and of answerable ones wrongly declined (the curve), and the
same under leave-one-kind-out, to see whether a point holds for kinds it was not chosen on.

Usage: python bench/decline_calibration.py --store DIR [--questions FILE] [--dump FILE.json]
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.assistant import Assistant  # noqa: E402
from assistant.decline import DeclinePolicy  # noqa: E402
from assistant.evaluate import load_questions  # noqa: E402
from ui.config import load_settings  # noqa: E402
from ui.factory import build_retriever  # noqa: E402

GRID = [round(float(t), 4) for t in np.arange(0.82, 0.90, 0.0025)]


def signals(assistant: Assistant, questions) -> list[dict]:
    rows = []
    for q in questions:
        passes = assistant.ask(q.question).signals
        rows.append({"id": q.id, "kind": q.kind, "answerable": q.answerable, "passes": passes})
        first = passes[0]
        print(
            f"{q.id} {q.kind:12s} meaning {first['meaning'] or 0:.3f} coverage "
            f"{first['coverage']:.2f} value {'y' if first['has_value'] else 'n'}"
            + (" (+ a pass without the question's filters)" if len(passes) > 1 else "")
        )
    return rows


def declines(policy: DeclinePolicy, row: dict) -> bool:
    """As the assistant decides: declined when every pass it made declines."""
    return all(policy.declines(p) for p in row["passes"])


def rates(rows: list[dict], policy: DeclinePolicy) -> tuple[float, float]:
    good = [declines(policy, r) for r in rows if not r["answerable"]]
    bad = [declines(policy, r) for r in rows if r["answerable"]]
    return float(np.mean(good)) if good else 0.0, float(np.mean(bad)) if bad else 0.0


def auc(scores: np.ndarray, answerable: np.ndarray) -> float:
    """Chance that an answerable question scores above an unanswerable one (ties count half)."""
    pos, neg = scores[answerable], scores[~answerable]
    if not len(pos) or not len(neg):
        return float("nan")
    above = (pos[:, None] > neg[None, :]).sum() + 0.5 * (pos[:, None] == neg[None, :]).sum()
    return float(above / (len(pos) * len(neg)))


def best_decline(scores: np.ndarray, answerable: np.ndarray, wrongly: float = 0.05) -> float:
    """The most unanswerable questions one threshold on `scores` declines while declining at
    most `wrongly` of the answerable ones: what the signal alone could reach."""
    best = 0.0
    for t in np.unique(scores):
        declined = scores < t
        if declined[answerable].mean() <= wrongly:
            best = max(best, float(declined[~answerable].mean()))
    return best


def separability(rows: list[dict], policy: DeclinePolicy) -> None:
    """How well each signal alone, and the policy's score, tells answerable from not."""
    first = [r["passes"][0] for r in rows]
    answerable = np.array([r["answerable"] for r in rows])
    named = {
        "best sentence cosine": [p["meaning"] or 0.0 for p in first],
        "best passage cosine": [p["dense"] for p in first],
        "squared-IDF coverage": [p["coverage"] for p in first],
        "the policy's score": [policy.score(p) or 0.0 for p in first],
    }
    print("\nSeparability on the first pass: AUC | declined at <= 0.05 wrongly, one threshold")
    for name, values in named.items():
        scores = np.asarray(values, dtype=float)
        reach = best_decline(scores, answerable)
        print(f"  {name:22s} {auc(scores, answerable):.3f} | {reach:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument(
        "--questions", type=Path, default=ROOT.parent / "shared" / "eval" / "dev-questions.jsonl"
    )
    parser.add_argument("--dump", type=Path, help="write the signals as JSON")
    args = parser.parse_args()
    assistant = Assistant(build_retriever(load_settings(store_dir=args.store)))
    rows = signals(assistant, load_questions(args.questions))
    if args.dump:
        args.dump.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    default = assistant.decline
    n = rows[0]["passes"][0]["passages"] if rows else 1
    rise = default.threshold(n) - default.min_score
    print(f"\nThe store holds {n} passages: threshold = min_score + {rise:.4f}")
    print("The curve: min_score | unanswerable declined | answerable wrongly declined")
    for threshold in GRID:
        good, bad = rates(rows, replace(default, min_score=float(threshold)))
        mark = " <- default" if abs(threshold - default.min_score) < 1e-9 else ""
        print(f"  {threshold:.4f} | {good:5.2f} | {bad:5.2f}{mark}")
    separability(rows, default)
    print("\nLeave one kind out: the threshold that keeps wrongly declined <= 0.05 on the other")
    print("kinds, applied to the kind left out (unanswerable questions stay in every fit)")
    kinds = sorted({r["kind"] for r in rows if r["answerable"]})
    for kind in kinds:
        fit = [r for r in rows if r["kind"] != kind]
        best = max(
            (t for t in GRID if rates(fit, replace(default, min_score=float(t)))[1] <= 0.05),
            default=GRID[0],
        )
        held = [r for r in rows if r["kind"] == kind]
        _, bad = rates(held, replace(default, min_score=float(best)))
        print(f"  {kind:12s} threshold {best:.4f}: wrongly declined {bad:.2f} of {len(held)}")


if __name__ == "__main__":
    main()
