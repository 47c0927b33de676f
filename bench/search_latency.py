"""Search latency and reader memory (dense, BM25, hybrid) on index snapshots.

Each measurement runs in fresh reader processes that only load published snapshots, as app
workers do: RSS counts every resident page (shared ones included), PSS splits shared pages
among the processes mapping them, USS is what the process alone adds. Two readers of the same
store run at the same time to show what a second worker adds.

Large collections come from bench/large_store.py (copies of the corpus store's passages);
several collections in one store stand for several municipalities on one Chroma server.

Hybrid search includes its second stage (the best passages rescored by their best sentence),
which reads sentence vectors from the snapshot; a store without them skips the stage silently
and would look faster than it is. So the stage's own time is reported beside the hybrid
figures, with the share of results that got a sentence score, and a measurement where the stage
scored none is flagged and ends the run with status 1.

Usage:
  python bench/search_latency.py --store CORPUS_STORE                 # the corpus store
  python bench/search_latency.py --store LARGE --collections 1         # bench-00 (100k)
  python bench/search_latency.py --store LARGE --collections 1 --updates 20   # + write side
  python bench/search_latency.py --store LARGE --collections 10 --serve-all   # 10 × 100k
  python bench/search_latency.py --store INDEXES --collections 10 --serve-all --index-only
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

QUESTIONS = ROOT.parent / "shared" / "eval" / "dev-questions.jsonl"


def percentiles(values: list[float]) -> tuple[float, float]:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]
    return statistics.median(ordered), p95


def memory() -> dict[str, float]:
    import psutil

    info = psutil.Process(os.getpid()).memory_full_info()
    return {name: getattr(info, name) / 2**20 for name in ("rss", "pss", "uss")}


def reader(args) -> None:
    """One reader process: open the collections, search every question in every mode."""
    from ui.config import load_settings
    from ui.factory import build_retriever, index_folder, shared_embedder
    from vectorstore.hybrid import HybridSearcher
    from vectorstore.snapshots import SnapshotReader

    questions = [
        json.loads(line)["question"]
        for line in args.questions.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    t0 = time.perf_counter()
    searchers = []
    for name in args.collection:  # as the app opens a municipality: one model for all
        settings = load_settings(store_dir=args.store, collection=name)
        if args.index_only:  # snapshots written without a Chroma collection (large_store.py)
            snapshots = SnapshotReader(index_folder(settings))
            searchers.append(HybridSearcher(shared_embedder(settings), snapshots))
        else:
            searchers.append(build_retriever(settings).searcher)
    for searcher in searchers:
        searcher.search("opvarmning", k=10)  # load the snapshot, warm the caches
    opened = time.perf_counter() - t0
    passages = sum(len(s.snapshots.current()) for s in searchers)
    segments = sum(len(s.snapshots.current().segments) for s in searchers)
    out: dict = {"passages": passages, "collections": len(searchers), "open_s": opened,
                 "segments": segments}  # fmt: skip
    for mode in ("dense", "bm25", "hybrid"):
        totals, embeds, stage = [], [], []
        hits = scored = 0
        for i, q in enumerate(questions * args.rounds):
            searcher = searchers[i % len(searchers)]  # one municipality per question
            searcher.clear_query_cache()  # every question embedded, as a new one would be
            t1 = time.perf_counter()
            result = searcher.search(q, k=10, mode=mode)
            totals.append((time.perf_counter() - t1) * 1000)
            embeds.append(result.timings_ms.get("embed", 0.0))
            if "sentences" in result.timings_ms:
                stage.append(result.timings_ms["sentences"])
            hits += len(result.hits)
            scored += sum(h.sentence_score is not None for h in result.hits)
        p50, p95 = percentiles(totals)
        out[mode] = {"p50": p50, "p95": p95, "embed_share": sum(embeds) / sum(totals)}
        if mode == "hybrid":
            out["second_stage"] = second_stage(stage, hits, scored)
    if args.barrier:  # memory once every peer has measured: all mappings are alive
        barrier = Path(args.barrier)
        (barrier / f"{os.getpid()}.done").touch()
        deadline = time.time() + 900
        while len(list(barrier.glob("*.done"))) < args.peers and time.time() < deadline:
            time.sleep(0.2)
    out["memory_mib"] = memory()
    sys.stdout.write(json.dumps(out) + "\n")
    if args.barrier:
        time.sleep(2)  # stay mapped while the peer reads its memory


def second_stage(times: list[float], hits: int, scored: int) -> dict[str, float | None]:
    """The second stage's share of hybrid search: its time (None when it never ran: switched
    off) and the share of results it gave a sentence score (0 when no vectors were found)."""
    p50, p95 = percentiles(times) if times else (None, None)
    return {"p50": p50, "p95": p95, "scored_share": scored / hits if hits else 0.0}


def spawn(args, collections: list[str], barrier: Path | None = None) -> subprocess.Popen:
    command = [sys.executable, __file__, "--reader", "--store", str(args.store),
               "--questions", str(args.questions), "--rounds", str(args.rounds)]  # fmt: skip
    for name in collections:
        command += ["--collection", name]
    if args.index_only:
        command.append("--index-only")
    if barrier:
        command += ["--barrier", str(barrier), "--peers", "2"]
    return subprocess.Popen(command, stdout=subprocess.PIPE, text=True)


def report(label: str, result: dict) -> bool:
    """Print one reader's figures; False when hybrid search ran without its second stage."""
    m = result["memory_mib"]
    print(f"\n{label}: {result['passages']:,} passages in {result['collections']} collection(s), "
          f"{result['segments']} segment(s), opened in {result['open_s']:.1f} s")  # fmt: skip
    for mode in ("dense", "bm25", "hybrid"):
        r = result[mode]
        print(f"  {mode:6s} p50 {r['p50']:6.1f} ms  p95 {r['p95']:6.1f} ms  "
              f"(query embedding {r['embed_share']:.0%} of the time)")  # fmt: skip
    stage = result["second_stage"]
    if stage["p50"] is not None:
        print(f"    its second stage p50 {stage['p50']:5.1f} ms  p95 {stage['p95']:5.1f} ms  "
              f"(sentence scores on {stage['scored_share']:.0%} of the results)")  # fmt: skip
    print(f"  memory: RSS {m['rss']:.0f} MiB, PSS {m['pss']:.0f} MiB, USS {m['uss']:.0f} MiB")
    if stage["scored_share"] == 0:
        print("  WARNING: the second stage found no sentence vectors in this store, so the hybrid "
              "figures leave it out (a large store made before bench/large_store.py wrote them: "
              "build it again)")  # fmt: skip
        return False
    return True


def publish(args, collections: list[str]) -> None:
    """The write side, in this process: a snapshot for every collection that lacks one."""
    from ui.config import load_settings
    from ui.factory import build_publisher, build_store

    for name in collections:
        settings = load_settings(store_dir=args.store, collection=name)
        publisher = build_publisher(settings, build_store(settings, create=False))
        t0 = time.perf_counter()
        if publisher.publish_if_stale():
            print(f"published the snapshot of {name} in {time.perf_counter() - t0:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--questions", type=Path, default=QUESTIONS)
    parser.add_argument(
        "--collections", type=int, default=0, help="bench-00 … of a large store (0: its own)"
    )
    parser.add_argument(
        "--serve-all", action="store_true", help="also one reader serving every collection"
    )
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument(
        "--index-only", action="store_true",
        help="the collections are index snapshots only (bench/large_store.py --index-only)",
    )  # fmt: skip
    parser.add_argument(
        "--updates", type=int, default=0,
        help="then N ingests of 50 passages into the first collection: time until found, "
        "search over 1 + 10 segments, merge time (bench/segment_updates.py)",
    )  # fmt: skip
    parser.add_argument("--reader", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--collection", action="append", help=argparse.SUPPRESS)
    parser.add_argument("--barrier", help=argparse.SUPPRESS)
    parser.add_argument("--peers", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.reader:
        reader(args)
        return
    from bench.large_store import collection_name
    from ui.config import Settings

    names = (
        [collection_name(i) for i in range(args.collections)]
        if args.collections
        else [Settings().collection]
    )
    if not args.index_only:
        publish(args, names)
    one = json.loads(spawn(args, names[:1]).communicate()[0])
    complete = report("One reader", one)
    with tempfile.TemporaryDirectory() as barrier:
        # the two measure at the same time, sharing the machine's cores
        pair = [spawn(args, names[:1], Path(barrier)) for _ in range(2)]
        results = [json.loads(p.communicate()[0]) for p in pair]
    for i, result in enumerate(results, start=1):
        complete &= report(f"Reader {i} of 2 running together", result)
    if args.updates:
        from bench import segment_updates

        def after_ten(segments: int) -> None:
            nonlocal complete
            several = json.loads(spawn(args, names[:1]).communicate()[0])
            complete &= report(f"One reader after ten ingests ({segments} segments)", several)
            ratio = several["hybrid"]["p95"] / one["hybrid"]["p95"]
            print(f"  hybrid p95 against one segment: {ratio:.2f}×")

        segment_updates.report(
            segment_updates.run(args.store, names[0], args.updates, after_ten), percentiles
        )
    if args.serve_all and len(names) > 1:
        complete &= report(f"One reader serving all {len(names)} collections", json.loads(
            spawn(args, names).communicate()[0]))  # fmt: skip
    if not complete:
        sys.exit(1)


if __name__ == "__main__":
    main()
