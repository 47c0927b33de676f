"""Index ablation: the ranking's choices made when the index is built, each changed alone and
judged like bench/ranking_ablation.py (its `ranks`, `figures` and halves, imported).

Why: ranking_ablation.py switches the steps taken at question time; three choices live in the
index itself and need another index to be tested:

  titles out of BM25       BM25 indexes `lexical_text(title, section, text)`
                           (vectorstore/lexical.py). Variant: the shipped snapshot rewritten with
                           BM25 over the passage text alone; same passage and sentence vectors.
  titles out of embedding  passages are embedded as "title – section\\ntext" (ingest/passages.py).
                           Variant: passage vectors embedded from the text alone by the
                           configured embedder; BM25 and sentence vectors unchanged. The vectors
                           are cached by text in WORK/titles-out-of-embedding/text-*.npy: the
                           first run embeds ~6,000 texts (~20 min on two cores), a rerun none.
  passage size             chunks are packed to 150–350 words (REFERENT_CHUNK_MIN_WORDS /
                           _MAX_WORDS). Variants: whole stores re-ingested with other sizes,
                           built beforehand (below) and given as --sized NAME=STORE.

A choice earns its place only if the shipped index beats its variant on both halves of both
splits (id parity, question kind). Caveat for passage size: a hit counts when its source is the
gold source and its text contains the gold phrase, so larger passages contain the phrase more
easily (their recall is flattered) and smaller ones less easily.

The two title variants are written from the shipped store's current snapshot (its passages,
vectors and sentence vectors) into --work, with a control rebuilt the same way with nothing
changed (it must rank exactly like the shipped snapshot). No store is opened or written: every
index is read through its published snapshot (an ingest publishes one; `referent index`
otherwise), and query vectors come from the configured embedder, checked against each
snapshot's model.

Building a passage-size store: copy the shipped store (never ingest into it) and re-ingest the
copy from the same folders, run from the same directory as the original ingest. The chunk
sizes are part of the pipeline's options signature, so every file is re-chunked; passage vectors
are reused for identical embed texts and sentence vectors by sentence (both are in the copy),
so mostly the new passages are embedded (~20 min each on two cores):

    cp -a /work/S /work/ablate-small
    cd /work && REFERENT_CHUNK_MIN_WORDS=80 REFERENT_CHUNK_MAX_WORDS=200 nice -n 15 \\
        referent ingest shared/corpus/greve shared/corpus/aarhus-vejstoej shared/corpus/seeds \\
        --store /work/ablate-small --json
    (and /work/ablate-large with 250 / 500)

Usage: python bench/index_ablation.py --store S --work DIR [--sized NAME=STORE ...]
           [--no-reembed] [--questions FILE] [--k 10]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.evaluate import load_questions  # noqa: E402
from assistant.retrieve import Retriever  # noqa: E402
from bench.ranking_ablation import (  # noqa: E402
    figures,
    ranks,
    split_halves,
    table_header,
    table_row,
)
from ui.config import load_settings  # noqa: E402
from ui.factory import build_embedder, index_folder  # noqa: E402
from vectorstore.embeddings import ReferentEmbeddings  # noqa: E402
from vectorstore.hybrid import HybridSearcher  # noqa: E402
from vectorstore.lexical import lexical_text  # noqa: E402
from vectorstore.records import StoredPassage, stable_hash  # noqa: E402
from vectorstore.snapshot import Snapshot  # noqa: E402
from vectorstore.snapshot_build import LexicalText, write_snapshot  # noqa: E402
from vectorstore.snapshots import CURRENT, SnapshotReader  # noqa: E402

VARIANT_NAME = "snapshot"  # the one snapshot in a variant's index folder
STAMP = "variant.json"  # which source snapshot a variant was written from
CONTROL = "shipped, rewritten (control)"  # must rank exactly like the shipped snapshot
SAVE_EVERY = 60.0  # seconds between saves of the re-embedded vectors


def retriever_on(root: Path, embedder: ReferentEmbeddings) -> Retriever:
    """Retrieval as the assistant runs it, on the current snapshot of the index folder `root`."""
    return Retriever(HybridSearcher(embedder, SnapshotReader(root)))


def current_snapshot(root: Path, model_id: str) -> Snapshot:
    snapshot = SnapshotReader(root).current()
    built_with = snapshot.manifest["identity"].get("model_id")
    if built_with != model_id:
        sys.exit(f"{snapshot.folder} holds vectors of {built_with!r}; the embedder is {model_id!r}")
    return snapshot


def stored_passages(snapshot: Snapshot) -> Iterator[tuple[StoredPassage, np.ndarray]]:
    for row in snapshot.live_rows():
        yield snapshot.passage(int(row)), snapshot.vector(int(row))


def text_alone(title: str, section: str, text: str) -> str:
    """The BM25 text of the variant: the passage without its title and heading."""
    return text


def is_current(root: Path, source: Snapshot) -> bool:
    """Whether the index folder `root` holds a variant written from this source snapshot."""
    stamp = root / STAMP
    if not (root / CURRENT).exists() or not stamp.exists():
        return False
    return json.loads(stamp.read_text("utf-8"))["source"] == str(source.folder)


def publish_variant(
    source: Snapshot,
    root: Path,
    lexical: LexicalText = lexical_text,
    vectors: np.ndarray | None = None,
) -> None:
    """Write `source` again into the index folder `root`, its BM25 text made by `lexical` and
    (when given) other passage vectors, one per row."""
    root.mkdir(parents=True, exist_ok=True)
    (root / STAMP).unlink(missing_ok=True)
    (root / CURRENT).unlink(missing_ok=True)
    shutil.rmtree(root / VARIANT_NAME, ignore_errors=True)
    rows = stored_passages(source)
    if vectors is not None:
        rows = ((p, vectors[i]) for i, (p, _) in enumerate(rows))
    write_snapshot(
        rows,
        root / VARIANT_NAME,
        source.store_generation,
        source.manifest["identity"],
        decompound=source.manifest.get("compound_parts") is not None,
        sentences=source.sentence_vectors,
        lexical=lexical,
    )
    (root / CURRENT).write_text(VARIANT_NAME, encoding="utf-8")
    (root / STAMP).write_text(json.dumps({"source": str(source.folder)}), encoding="utf-8")


def load_vectors(folder: Path) -> dict[str, np.ndarray]:
    """Cached vectors by text hash. Both files only grow, in the same order, so a run stopped
    between the two writes leaves a common prefix that is still right."""
    try:
        keys = np.load(folder / "text-keys.npy")
        vectors = np.load(folder / "text-vectors.npy")
    except OSError:
        return {}
    n = min(len(keys), len(vectors))
    return {k.decode("ascii"): vectors[i] for i, k in enumerate(keys[:n])}


def save_vectors(folder: Path, found: dict[str, np.ndarray]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    arrays = {
        "text-vectors.npy": np.stack(list(found.values())).astype(np.float32),
        "text-keys.npy": np.asarray([k.encode("ascii") for k in found], dtype="S32"),
    }
    for name, array in arrays.items():
        tmp = folder / f".{name}.tmp"
        with tmp.open("wb") as fh:
            np.save(fh, array)
        os.replace(tmp, folder / name)


def text_vectors(
    source: Snapshot, embedder: ReferentEmbeddings, folder: Path, batch: int
) -> np.ndarray:
    """One vector per row of `source`, embedded from the passage text alone. Passages that had
    no header (embed hash = hash of the text) keep their stored vector; every other distinct
    text is embedded once, cached in `folder` (a rerun, or one cut short, embeds only what is
    missing)."""
    passages = [source.passage(int(row)) for row in source.live_rows()]
    found = load_vectors(folder)
    for row, p in enumerate(passages):
        if p.metadata.embed_hash == stable_hash(p.text):
            found.setdefault(p.metadata.embed_hash, np.asarray(source.vectors[row]))
    todo = list({h: p.text for p in passages if (h := stable_hash(p.text)) not in found}.items())
    print(f"re-embedding {len(todo)} of {len(passages)} passage texts", file=sys.stderr)
    start = saved = time.perf_counter()
    for i in range(0, len(todo), batch):
        part = todo[i : i + batch]
        vectors = embedder.embed_passages([text for _, text in part])
        found.update((h, v) for (h, _), v in zip(part, vectors, strict=True))
        if time.perf_counter() - saved > SAVE_EVERY:
            save_vectors(folder, found)
            saved = time.perf_counter()
            done = i + len(part)
            rate = done / (saved - start)
            print(f"  {done}/{len(todo)}, {rate:.1f}/s", file=sys.stderr)
    save_vectors(folder, found)
    return np.stack([found[stable_hash(p.text)] for p in passages])


def mean_words(snapshot: Snapshot) -> float:
    n = len(snapshot) or 1
    return sum(len(p.text.split()) for p, _ in stored_passages(snapshot)) / n


def verdict(name: str, rows: dict, shipped: dict, halves: dict[str, list]) -> str:
    """Whether the variant beats the shipped index on all four halves (by MRR@k), loses on all
    four (the shipped choice helps on both halves of both splits), or neither."""
    mrr = {h: figures(rows, qs)["mrr"] - figures(shipped, qs)["mrr"] for h, qs in halves.items()}
    r1 = {h: figures(rows, qs)["r@1"] - figures(shipped, qs)["r@1"] for h, qs in halves.items()}
    if all(d < 0 for d in mrr.values()):
        word = "shipped better on both halves of both splits"
    elif all(d > 0 for d in mrr.values()):
        word = "variant better on both halves of both splits"
    else:
        word = "neither is better on both halves of both splits"
    deltas = ", ".join(f"{h} {mrr[h]:+.3f}/{r1[h]:+.2f}" for h in halves)
    return f"{name}: MRR/R@1 vs shipped {deltas} -> {word}"


def sized_store(spec: str) -> tuple[str, Path]:
    name, sep, path = spec.partition("=")
    if not sep or not name or not path:
        raise argparse.ArgumentTypeError(f"expected NAME=STORE, got {spec!r}")
    return name, Path(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--store", type=Path, required=True, help="the shipped store (read only)")
    parser.add_argument(
        "--work", type=Path, required=True, help="where the variant snapshots are written"
    )
    parser.add_argument(
        "--sized",
        type=sized_store,
        action="append",
        default=[],
        metavar="NAME=STORE",
        help="a store re-ingested with other chunk sizes",
    )
    parser.add_argument(
        "--no-reembed", action="store_true", help="leave out the variant that re-embeds passages"
    )
    parser.add_argument("--batch", type=int, default=32, help="texts per embedding call")
    parser.add_argument(
        "--questions", type=Path, default=ROOT.parent / "shared" / "eval" / "dev-questions.jsonl"
    )
    parser.add_argument("--k", type=int, default=10)
    args = parser.parse_args()
    work = args.work.resolve()
    if work.is_relative_to(args.store.resolve()):
        sys.exit("--work must be outside the store: the shipped store is only read")
    questions = [q for q in load_questions(args.questions) if q.answerable]
    halves = split_halves(questions)

    settings = load_settings(store_dir=args.store)
    embedder = build_embedder(settings)
    shipped_root = index_folder(settings)
    shipped = current_snapshot(shipped_root, embedder.model_id)
    roots: dict[str, Path] = {"shipped": shipped_root}
    written = [  # name, folder, BM25 text, re-embedded vectors
        (CONTROL, work / "control", lexical_text, False),
        ("titles out of BM25", work / "titles-out-of-bm25", text_alone, False),
        ("titles out of embedding", work / "titles-out-of-embedding", lexical_text, True),
    ]
    for name, root, lexical, reembed in written:
        if reembed and args.no_reembed:
            continue
        if not is_current(root, shipped):
            start = time.perf_counter()
            vectors = text_vectors(shipped, embedder, root, args.batch) if reembed else None
            publish_variant(shipped, root, lexical, vectors)
            print(f"{name}: built in {time.perf_counter() - start:.0f} s ({root})", file=sys.stderr)
        roots[name] = root
    for name, store in args.sized:
        roots[f"passage size {name}"] = index_folder(load_settings(store_dir=store))

    sizes: dict[str, str] = {}
    results: dict[str, dict] = {}
    print(table_header(halves))
    for name, root in roots.items():
        snapshot = current_snapshot(root, embedder.model_id)
        sizes[name] = f"{len(snapshot)} passages, mean {mean_words(snapshot):.0f} words"
        results[name] = ranks(retriever_on(root, embedder), questions, args.k)
        if name != CONTROL:
            print(table_row(name, results[name], questions, halves))
    print()
    control = results.pop(CONTROL)
    differ = [q.id for q in questions if control[q.id] != results["shipped"][q.id]]
    print(f"control (shipped snapshot rewritten unchanged): {len(differ)} questions rank "
          f"differently{': ' + ', '.join(differ) if differ else ''}")  # fmt: skip
    for name, rows in results.items():
        if name != "shipped":
            print(verdict(name, rows, results["shipped"], halves))
    print()
    for name in results:
        print(f"{name}: {sizes[name]}")
    if args.sized:
        print("(passage size: a hit needs the gold phrase in its text, which a larger passage "
              "contains more easily: recall flatters larger passages)")  # fmt: skip


if __name__ == "__main__":
    main()
