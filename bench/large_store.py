"""Large stores for the benchmarks, made from the corpus store's computed vectors and texts.

Embedding 100k passages here would take hours, so a large collection is made of copies of the
corpus store's passages under other sources: each vector lightly perturbed (Gaussian noise,
renormalised) and each text with one word dropped, so no copy is an exact duplicate of another.
Several collections in one store stand for several municipalities on one Chroma server.

The search's second stage reads the vectors of the passages' sentences, so the copies get those
too, into the collection's sentence collection as the ingest writes them; without them the
stage finds nothing and the benchmark would leave its cost out. Nothing is embedded: a copy's
sentence with the same text as a corpus sentence has the same key, so it shares that stored
vector (one record per distinct text, as in any store); a sentence the dropped word changed gets
the vector of the original's sentence at its position, perturbed like the passage vectors.
The word is dropped within its line, since a passage's sentences (headings, table rows,
bullets) are read line by line.

Usage: python bench/large_store.py --store CORPUS_STORE --out DIR [--target 100000]
       [--collections 1]   (collections are named bench-00, bench-01, …)
       [--index-only]      (only their index snapshots, for readers: no Chroma collections)
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ui.config import load_settings  # noqa: E402
from ui.factory import build_embedder  # noqa: E402
from vectorstore.chroma import ChromaStore, open_client  # noqa: E402
from vectorstore.records import Passage, StoredPassage, stable_hash  # noqa: E402
from vectorstore.sentences import passage_sentences, sentence_key  # noqa: E402

BATCH = 5000
NOISE = 0.01  # per dimension: a copy's vector keeps a cosine of about 0.98 to its original
_WORD = re.compile(r"\S+[^\S\n]*")  # a word and the spaces after it, never a line break


def collection_name(i: int) -> str:
    return f"bench-{i:02d}"


def perturb(vector: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A unit vector near `vector`: close enough to keep its meaning, apart from its original."""
    noisy = vector + rng.normal(0, NOISE, vector.shape)
    return (noisy / np.linalg.norm(noisy)).astype(np.float32)


def drop_word(text: str, rng: np.random.Generator) -> str:
    """The text without one of its words (texts of three words or fewer are kept whole)."""
    words = list(_WORD.finditer(text))
    if len(words) <= 3:
        return text
    word = words[rng.integers(len(words))]
    return text[: word.start()] + text[word.end() :]


def sentence_keys(passage: StoredPassage) -> list[str]:
    """The keys of the passage's sentences, in order: what a snapshot stores vectors for."""
    return [sentence_key(s) for _, s in passage_sentences(passage.text, passage.metadata.section)]


def copy_sentences(
    original: Sequence[str],
    text: str,
    section: str,
    stored: dict[str, np.ndarray],
    rng: np.random.Generator,
) -> Iterator[tuple[str, str, np.ndarray]]:
    """(key, sentence, vector) for the sentences of a copy's `text`, given the sentence keys of
    its `original` in `passage_sentences` order; a sentence without a vector to start from (its
    original's was never stored) is left out, as the second stage leaves it out."""
    for i, (_, sentence) in enumerate(passage_sentences(text, section)):
        key = sentence_key(sentence)
        if key in stored:
            yield key, sentence, stored[key]
        elif original and original[min(i, len(original) - 1)] in stored:
            yield key, sentence, perturb(stored[original[min(i, len(original) - 1)]], rng)


def copies(
    rows: list[tuple[StoredPassage, np.ndarray]],
    target: int,
    seed: int,
    stored: dict[str, np.ndarray],
) -> Iterator[tuple[Passage, np.ndarray, list[tuple[str, str, np.ndarray]]]]:
    """`target` perturbed copies of `rows` (passage, vector): (passage, vector, its sentences'
    (key, text, vector) derived from `stored`, the corpus's sentence vectors by key)."""
    rng = np.random.default_rng(seed)
    n_copies = -(-target // len(rows))
    originals = [sentence_keys(passage) for passage, _ in rows]
    made = 0
    for copy in range(n_copies):
        for (passage, vector), original in zip(rows, originals, strict=True):
            if made >= target:
                return
            m = passage.metadata
            text = drop_word(passage.text, rng)
            meta = type(m)(**m.to_chroma())
            tag = f"{seed}-{copy}"
            meta.source = f"kopi-{seed:02d}-{copy:02d}/{m.source}"
            meta.chunk_id = stable_hash(tag, m.chunk_id)
            meta.content_hash = stable_hash(tag, m.content_hash)
            meta.doc_id = stable_hash(tag, m.doc_id)
            sentences = list(copy_sentences(original, text, m.section, stored, rng))
            copy_of = Passage(text=text, embed_text=text, metadata=meta)
            yield copy_of, perturb(vector, rng), sentences
            made += 1


def build_copies(
    rows: list[tuple[StoredPassage, np.ndarray]],
    target: int,
    store: ChromaStore,
    seed: int,
    stored: dict[str, np.ndarray],
) -> None:
    """Fill `store` with `target` perturbed copies of `rows` (passage, vector), and its sentence
    collection with the copies' sentence vectors derived from `stored` (the corpus's, by key)."""
    batch: list[Passage] = []
    vectors: list[np.ndarray] = []
    sentences: dict[str, tuple[str, np.ndarray]] = {}  # key → (text, vector), to be written
    written: set[str] = set()  # sentence keys already in the collection
    for passage, vector, copied in copies(rows, target, seed, stored):
        vectors.append(vector)
        batch.append(passage)
        for key, sentence, sentence_vector in copied:
            if key not in written:
                sentences.setdefault(key, (sentence, sentence_vector))
        if len(batch) == BATCH:
            store.upsert(batch, np.stack(vectors))
            write_sentences(store, sentences, written)
            batch, vectors = [], []
    if batch:
        store.upsert(batch, np.stack(vectors))
    write_sentences(store, sentences, written)
    store.mark_sentences_complete()  # as an ingest leaves it: every sentence has its vector


def write_index(
    rows: list[tuple[StoredPassage, np.ndarray]],
    target: int,
    folder: Path,
    seed: int,
    stored: dict[str, np.ndarray],
    model_id: str,
) -> None:
    """The index folder of a collection of copies, written directly as a snapshot of one
    segment, without a Chroma collection behind it (`--index-only`): for measuring readers,
    which only load snapshots, at sizes a Chroma build here would take hours to reach."""
    from vectorstore.snapshot_build import new_name, write_snapshot
    from vectorstore.snapshots import CURRENT

    vectors: dict[str, np.ndarray] = {}

    def passages():
        for passage, vector, copied in copies(rows, target, seed, stored):
            for key, _, sentence_vector in copied:
                vectors.setdefault(key, sentence_vector)
            yield StoredPassage(passage.chunk_id, passage.text, passage.metadata), vector

    name = new_name("index-only")

    def lookup(keys: list[str]) -> dict[str, np.ndarray]:
        return {k: vectors[k] for k in keys if k in vectors}

    write_snapshot(
        passages(), folder / name, "index-only", {"model_id": model_id}, sentences=lookup
    )
    (folder / CURRENT).write_text(name, encoding="utf-8")


def write_sentences(
    store: ChromaStore, pending: dict[str, tuple[str, np.ndarray]], written: set[str]
) -> None:
    """Write the pending sentence vectors (emptying `pending`) the way the ingest does."""
    if not pending:
        return
    keys = list(pending)
    store.sentences.add(
        keys, [pending[k][0] for k in keys], np.stack([pending[k][1] for k in keys])
    )
    written.update(keys)
    pending.clear()


def load_corpus(corpus: Path, embedder):
    """The corpus store's (passage, vector) rows and its sentence vectors by key."""
    base = ChromaStore(open_client(corpus, create=False), embedder, create=False)
    rows = list(base.iter_passages(with_vectors=True))
    stored = base.sentences.vectors(k for passage, _ in rows for k in sentence_keys(passage))
    if not stored:
        raise SystemExit(f"{corpus} holds no sentence vectors: run an ingest on it first.")
    return rows, stored


def build(corpus: Path, out: Path, target: int, collections: int, embedder) -> list[str]:
    """The collections' names; each is built unless it holds `target` passages and sentence
    vectors (one built before the copies had sentence vectors is built again, in place)."""
    rows, stored = load_corpus(corpus, embedder)
    client = open_client(out)
    names = []
    for i in range(collections):
        name = collection_name(i)
        names.append(name)
        store = ChromaStore(client, embedder, collection=name)
        if store.count() >= target and store.sentences.count():
            continue  # a collection built before it had sentence vectors is built again
        t0 = time.perf_counter()
        print(f"Building {name}: {target} passages from {len(rows)} …", flush=True)
        build_copies(rows, target, store, seed=i, stored=stored)
        print(
            f"  built in {time.perf_counter() - t0:.0f} s: {store.count():,} passages, "
            f"{store.sentences.count():,} sentence vectors",
            flush=True,
        )
    return names


def build_indexes(corpus: Path, out: Path, target: int, collections: int, embedder) -> None:
    rows, stored = load_corpus(corpus, embedder)
    for i in range(collections):
        folder = out / f"index-{collection_name(i)}"
        if (folder / "CURRENT").exists():
            continue
        t0 = time.perf_counter()
        folder.mkdir(parents=True, exist_ok=True)
        write_index(rows, target, folder, i, stored, embedder.model_id)
        print(f"{folder}: {target:,} passages in {time.perf_counter() - t0:.0f} s", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True, help="store built from the corpus")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--target", type=int, default=100_000)
    parser.add_argument("--collections", type=int, default=1)
    parser.add_argument(
        "--index-only", action="store_true",
        help="write each collection's index snapshot directly, with no Chroma collection",
    )  # fmt: skip
    args = parser.parse_args()
    embedder = build_embedder(load_settings())
    if args.index_only:
        build_indexes(args.store, args.out, args.target, args.collections, embedder)
    else:
        build(args.store, args.out, args.target, args.collections, embedder)


if __name__ == "__main__":
    main()
