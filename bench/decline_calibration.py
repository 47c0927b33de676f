"""How the confidence thresholds were chosen: risk–coverage curves on the dev set, per store.

For every question, answer as the assistant does (same retrieval, same sentence choice) and
record the signals the confidence rule reads, per answer attempt. Then sweep the two
thresholds of `ConfidencePolicy` (each a base plus `per_decade` × log10 of the store's passages)
and print, per store:
- the answer threshold's curve: coverage (answerable questions answered) against risk
  (unanswerable questions answered);
- the not-found threshold's curve: answerable questions not found against unanswerable ones;
and the points that meet the targets on every store at once: unanswerable answered ≤ 0.10 with
as many answerable answered as that allows, and answerable not found ≤ 0.03. A store holds the
questions whose gold passages it has, and every unanswerable question.

Usage: python bench/decline_calibration.py --store S [--store M …] [--questions FILE]
       [--dump FILE.json] [--load FILE.json]
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

from assistant.answer import ANSWERED, NOT_FOUND  # noqa: E402
from assistant.assistant import Assistant  # noqa: E402
from assistant.confidence import RANK, ConfidencePolicy, Signals  # noqa: E402
from assistant.evaluate import load_questions  # noqa: E402
from ui.config import load_settings  # noqa: E402
from ui.factory import build_retriever  # noqa: E402

GRID = [round(float(t), 4) for t in np.arange(0.80, 0.92, 0.0025)]
MAX_RISK = 0.10  # unanswerable questions answered
MAX_MISSED = 0.03  # answerable questions not found


def record(store: Path, questions) -> dict:
    retriever = build_retriever(load_settings(store_dir=store))
    assistant = Assistant(retriever)
    sources = list(retriever.snapshot().summary("closed").per_source)
    rows = []
    for q in questions:
        if q.answerable and not any(g["source"] in s for g in q.gold for s in sources):
            continue  # its gold is in another store
        answer = assistant.ask(q.question)
        passes = [s.to_dict() for s in answer.signals]
        rows.append({"id": q.id, "kind": q.kind, "answerable": q.answerable, "passes": passes})
    return {"store": str(store), "passages": len(retriever.snapshot()), "rows": rows}


def tier(policy: ConfidencePolicy, row: dict) -> str:
    """As the assistant decides: the surest tier of its attempts (a second attempt, without
    the question's derived filters, is made only when the first is not answered)."""
    return min((policy.tier(Signals(**p)) for p in row["passes"]), key=RANK.__getitem__)


def shares(policy: ConfidencePolicy, rows: list[dict]) -> dict[str, float]:
    tiers = [(r["answerable"], tier(policy, r)) for r in rows]
    good = [t for a, t in tiers if a]
    bad = [t for a, t in tiers if not a]

    def share(ts, value):
        return float(np.mean([t == value for t in ts])) if ts else 0.0

    return {
        "coverage": share(good, ANSWERED),
        "risk": share(bad, ANSWERED),
        "missed": share(good, NOT_FOUND),
        "unanswerable_not_found": share(bad, NOT_FOUND),
    }


def auc(scores: np.ndarray, answerable: np.ndarray) -> float:
    """Chance that an answerable question scores above an unanswerable one (ties count half)."""
    pos, neg = scores[answerable], scores[~answerable]
    if not len(pos) or not len(neg):
        return float("nan")
    above = (pos[:, None] > neg[None, :]).sum() + 0.5 * (pos[:, None] == neg[None, :]).sum()
    return float(above / (len(pos) * len(neg)))


def separability(stores: list[dict], policy: ConfidencePolicy) -> None:
    print("\nSeparability on the first attempt (AUC): answerable above unanswerable")
    for data in stores:
        first = [Signals(**r["passes"][0]) for r in data["rows"]]
        answerable = np.array([r["answerable"] for r in data["rows"]])
        named = {
            "best sentence cosine": [s.meaning or 0.0 for s in first],
            "best passage cosine": [s.dense for s in first],
            "direct answer cosine": [s.direct_meaning or 0.0 for s in first],
            "squared-IDF coverage": [s.coverage for s in first],
            "answer score": [policy.answer_score(s) or 0.0 for s in first],
            "not-found score": [policy.score(s) or 0.0 for s in first],
        }
        print(f"  {Path(data['store']).name} ({data['passages']} passages)")
        for name, values in named.items():
            print(f"    {name:22s} {auc(np.asarray(values, float), answerable):.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, action="append", default=[])
    parser.add_argument(
        "--questions", type=Path, default=ROOT.parent / "shared" / "eval" / "dev-questions.jsonl"
    )
    parser.add_argument("--dump", type=Path, help="write the signals as JSON")
    parser.add_argument("--load", type=Path, help="read signals written by --dump")
    args = parser.parse_args()
    if args.load:
        stores = json.loads(args.load.read_text(encoding="utf-8"))
    else:
        questions = load_questions(args.questions)
        stores = [record(store, questions) for store in args.store]
    if args.dump:
        args.dump.write_text(json.dumps(stores, ensure_ascii=False), encoding="utf-8")
    default = ConfidencePolicy()
    for data in stores:
        rows = data["rows"]
        n_good = sum(r["answerable"] for r in rows)
        print(f"\n{data['store']}: {data['passages']} passages, {n_good} answerable and "
              f"{len(rows) - n_good} unanswerable questions")  # fmt: skip
        print("  base t | answer threshold at t: coverage  risk | not-found threshold at t: "
              "answerable  unanswerable not found")  # fmt: skip
        for t in GRID:
            a = shares(replace(default, answer_min=t, found_min=0.0), rows)
            f = shares(replace(default, answer_min=9.0, found_min=t), rows)
            marks = " <- answer" if abs(t - default.answer_min) < 1e-9 else ""
            marks += " <- not found" if abs(t - default.found_min) < 1e-9 else ""
            print(f"  {t:.4f} | {a['coverage']:5.2f} {a['risk']:5.2f} | "
                  f"{f['missed']:5.2f} {f['unanswerable_not_found']:5.2f}{marks}")  # fmt: skip
    # the points that hold on every store at once (the policy's defaults are one grid step
    # on the safe side of them)
    answer_min = next(
        (t for t in GRID if all(
            shares(replace(default, answer_min=t, found_min=0.0), d["rows"])["risk"] <= MAX_RISK
            for d in stores)),
        GRID[-1],
    )  # fmt: skip
    found_min = max(
        (t for t in GRID if t <= answer_min and all(
            shares(replace(default, answer_min=9.0, found_min=t), d["rows"])["missed"]
            <= MAX_MISSED for d in stores)),
        default=GRID[0],
    )  # fmt: skip
    print(f"\nChosen on every store: answer_min {answer_min:.4f} (risk <= {MAX_RISK}), "
          f"found_min {found_min:.4f} (answerable not found <= {MAX_MISSED}); "
          f"the policy's defaults: {default.answer_min:.4f}, {default.found_min:.4f}")  # fmt: skip
    chosen = replace(default, answer_min=answer_min, found_min=found_min)
    for data in stores:
        print(f"  {Path(data['store']).name}: {shares(chosen, data['rows'])}")
    separability(stores, default)
    print("\nLeave one kind out: answer_min fitted without a kind, applied to it")
    for data in stores:
        kinds = sorted({r["kind"] for r in data["rows"] if r["answerable"]})
        for kind in kinds:
            fit = [r for r in data["rows"] if r["kind"] != kind]
            t = next((t for t in GRID if shares(replace(chosen, answer_min=t), fit)["risk"]
                      <= MAX_RISK), GRID[-1])  # fmt: skip
            held = [r for r in data["rows"] if r["kind"] == kind]
            got = shares(replace(chosen, answer_min=t), held)
            print(
                f"  {Path(data['store']).name} {kind:12s} t {t:.4f}: answered "
                f"{got['coverage']:.2f}, not found {got['missed']:.2f} of {len(held)}"
            )


if __name__ == "__main__":
    main()
