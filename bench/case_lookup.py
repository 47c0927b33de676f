"""Case lookup latency on an index snapshot: `find_cases` then `case_history`, as
`referent case` and the app's case page run them (issue 22: p95 ≤ 50 ms at 100k passages).

Only the published snapshot is read (never Chroma), so a store shared read-only can be
measured in place. The per-snapshot case list (`assistant.cases.case_index`) is made once, on
the first lookup; its time is reported apart ("first lookup"), the lookups after it are timed
one by one.

Usage:
  python bench/case_lookup.py --index /work/L100/index-bench-00
  python bench/case_lookup.py --index /work/S21/index-referent-passages --numbers 200 --titles 50
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def lookup(snapshot, query: str, access: str) -> int:
    """One lookup as the command runs it: the candidates, and the history of a sole match
    (of the first, for timing, when there are several)."""
    from assistant.cases import case_history, find_cases

    found = find_cases(snapshot, query, access)
    if not found:
        return 0
    history = case_history(snapshot, found[0].case_number, access)
    return len(history.treatments) if history else 0


def main() -> int:
    from assistant.cases import case_index
    from vectorstore.snapshots import SnapshotReader

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, required=True, help="a store's index folder")
    parser.add_argument("--numbers", type=int, default=200)
    parser.add_argument("--titles", type=int, default=50)
    parser.add_argument("--access", default="public")
    parser.add_argument("--seed", type=int, default=22)
    args = parser.parse_args()

    t0 = time.perf_counter()
    snapshot = SnapshotReader(args.index).current()
    opened = (time.perf_counter() - t0) * 1000
    t1 = time.perf_counter()
    index = case_index(snapshot)
    built = (time.perf_counter() - t1) * 1000

    rng = random.Random(args.seed)
    visible = [i for i, a in enumerate(index.access) if a == "public" or args.access != "public"]
    numbers = sorted({str(index.numbers[i]) for i in visible})
    titles = sorted({str(index.shown[i]) for i in visible if len(str(index.shown[i]).split()) >= 2})
    number_queries = rng.sample(numbers, min(args.numbers, len(numbers)))
    title_queries = [
        " ".join(rng.sample(t.split(), 2))
        for t in rng.sample(titles, min(args.titles, len(titles)))
    ]

    report: dict[str, object] = {
        "index": str(args.index),
        "passages": len(snapshot),
        "case_items": len(index.numbers),
        "cases": len(numbers),
        "open_snapshot_ms": round(opened, 1),
        "first_lookup_case_list_ms": round(built, 1),
        "access": args.access,
    }
    for name, queries in (("number", number_queries), ("title", title_queries)):
        times, steps = [], []
        for query in queries:
            t = time.perf_counter()
            steps.append(lookup(snapshot, query, args.access))
            times.append((time.perf_counter() - t) * 1000)
        report[name] = {
            "queries": len(queries),
            "found": sum(1 for s in steps if s),
            "treatments_median": statistics.median(steps) if steps else 0,
            "p50_ms": round(percentile(times, 0.5), 2),
            "p95_ms": round(percentile(times, 0.95), 2),
            "max_ms": round(max(times), 2),
        }
    print(json.dumps(report, ensure_ascii=False, indent=2))
    worst = max(report["number"]["p95_ms"], report["title"]["p95_ms"])  # type: ignore[index]
    return 0 if worst <= 50 else 1


if __name__ == "__main__":
    raise SystemExit(main())
