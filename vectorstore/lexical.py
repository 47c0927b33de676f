"""BM25 over Danish Snowball stems (bm25s + PyStemmer), derived from the store.

The index is persisted in a folder beside the store and tagged with the store's generation; it
is rebuilt whenever the store has changed since, so it is never silently out of date. Filter
metadata is kept as arrays beside the index, so filters mask passages before ranking.
"""

from __future__ import annotations

import contextlib
import json
import re
import shutil
import threading
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

META_FIELDS = ("access", "committee", "doc_type", "case_number", "source", "doc_id", "section")
INT_FIELDS = ("date_ordinal", "chunk_index")
_TOKEN = re.compile(r"\w+", re.UNICODE)


class DanishAnalyzer:
    """Lower-case words, Danish stop words removed, Snowball-stemmed."""

    def __init__(self) -> None:
        import Stemmer
        from bm25s.stopwords import STOPWORDS_DANISH

        self._stemmer = Stemmer.Stemmer("danish")
        self._stop = set(STOPWORDS_DANISH)

    def __call__(self, text: str) -> list[str]:
        words = [
            w
            for w in _TOKEN.findall(text.lower())
            if w not in self._stop and (len(w) > 1 or w.isdigit())
        ]
        return self._stemmer.stemWords(words)


class Decompounder:
    """Adds the two halves of Danish compounds ("skolevejen" → "skol", "vej") as extra tokens.

    A word is split where both halves are words or stems the corpus itself uses often enough,
    allowing the linking "s" and "e" ("integration-s-politik"). Built from the indexed texts,
    persisted with the index, applied alike to passages and questions.
    """

    MIN_WORD = 7
    MIN_PART = 3

    def __init__(self, analyzer: DanishAnalyzer, known: set[str]) -> None:
        self.analyzer = analyzer
        self.known = known
        self._cache: dict[str, tuple[str, ...]] = {}

    @classmethod
    def learn(cls, analyzer: DanishAnalyzer, texts: list[str], min_df: int = 3) -> Decompounder:
        df: dict[str, int] = {}
        for text in texts:
            words = set(_TOKEN.findall(text.lower()))
            words |= set(analyzer._stemmer.stemWords(list(words)))
            for w in words:
                df[w] = df.get(w, 0) + 1
        known = {w for w, n in df.items() if n >= min_df and len(w) >= cls.MIN_PART and w.isalpha()}
        return cls(analyzer, known)

    def parts(self, word: str) -> tuple[str, ...]:
        if word in self._cache:
            return self._cache[word]
        found: tuple[str, ...] = ()
        if len(word) >= self.MIN_WORD and word.isalpha():
            for i in range(len(word) - self.MIN_PART, self.MIN_PART - 1, -1):
                left, right = word[:i], word[i:]
                if right not in self.known:
                    continue
                if left in self.known:
                    found = (left, right)
                elif left[-1] in "se" and left[:-1] in self.known and i - 1 >= self.MIN_PART:
                    found = (left[:-1], right)
                if found:
                    break
        stems = tuple(self.analyzer._stemmer.stemWords(list(found))) if found else ()
        self._cache[word] = stems
        return stems

    def __call__(self, text: str) -> list[str]:
        tokens = self.analyzer(text)
        for stem in list(tokens):
            tokens.extend(self.parts(stem))
        return tokens


def lexical_text(title: str, section: str, text: str) -> str:
    return f"{title}\n{section}\n{text}"


@dataclass
class LexicalIndex:
    bm25: object  # bm25s.BM25
    vocab: dict[str, int]
    chunk_ids: list[str]
    meta: dict[str, np.ndarray]
    generation: str
    analyzer: DanishAnalyzer
    decompounder: Decompounder | None = None
    doc_freq: np.ndarray | None = None  # passages per token id, for weighting query terms
    # the passages' vectors in index order: filtered dense search as one masked product (see
    # `dense_search`), because Chroma's metadata-filtered queries grow to ~0.4 s at 100k
    vectors: np.ndarray | None = None

    @cached_property
    def committees(self) -> list[str]:
        """The distinct committee names, found once per index (a scan of every passage costs
        tens of milliseconds at 100k, too much for each question)."""
        return [str(c) for c in np.unique(self.meta["committee"]) if c]

    def idf(self, token: str) -> float:
        """Inverse document frequency; unknown tokens weigh like the rarest."""
        n = len(self.chunk_ids)
        tid = self.vocab.get(token)
        df = int(self.doc_freq[tid]) if tid is not None and self.doc_freq is not None else 0
        return float(np.log(1 + (n - df + 0.5) / (df + 0.5)))

    def tokenize(self, text: str) -> list[str]:
        return self.decompounder(text) if self.decompounder else self.analyzer(text)

    def __len__(self) -> int:
        return len(self.chunk_ids)

    @classmethod
    def build(
        cls, store, analyzer: DanishAnalyzer | None = None, decompound: bool = False
    ) -> LexicalIndex:
        import bm25s
        from bm25s.tokenization import Tokenized

        analyzer = analyzer or DanishAnalyzer()
        generation = store.generation()
        texts: list[str] = []
        chunk_ids: list[str] = []
        columns: dict[str, list] = {name: [] for name in (*META_FIELDS, *INT_FIELDS)}
        vectors: list[np.ndarray] = []
        for passage, vector in store.iter_passages(with_vectors=True):
            m = passage.metadata
            vectors.append(vector)
            texts.append(lexical_text(m.title, m.section, passage.text))
            chunk_ids.append(passage.chunk_id)
            for name in META_FIELDS:
                columns[name].append(getattr(m, name))
            for name in INT_FIELDS:
                columns[name].append(getattr(m, name))
        decompounder = Decompounder.learn(analyzer, texts) if decompound else None
        tokenize = decompounder or analyzer
        vocab: dict[str, int] = {"": 0}
        ids = [[vocab.setdefault(t, len(vocab)) for t in tokenize(text)] for text in texts]
        bm25 = bm25s.BM25()
        if ids:
            bm25.index(Tokenized(ids=ids, vocab=vocab), show_progress=False)
        meta = {
            name: np.asarray(values, dtype=np.int64 if name in INT_FIELDS else str)
            for name, values in columns.items()
        }
        doc_freq = np.zeros(len(vocab), dtype=np.int32)
        for doc in ids:
            doc_freq[np.unique(np.asarray(doc, dtype=np.int64))] += 1 if doc else 0
        matrix = np.asarray(vectors, dtype=np.float32) if vectors else None
        return cls(
            bm25, vocab, chunk_ids, meta, generation, analyzer, decompounder, doc_freq, matrix
        )

    def search(self, query: str, k: int, mask: np.ndarray | None = None) -> list[tuple[str, float]]:
        """(chunk_id, score) best first; only passages allowed by `mask`, only score > 0."""
        if not self.chunk_ids or k <= 0:
            return []
        from bm25s.tokenization import Tokenized

        tokens = [self.vocab[t] for t in self.tokenize(query) if t in self.vocab]
        if not tokens:
            return []
        allowed = int(mask.sum()) if mask is not None else len(self.chunk_ids)
        k = min(k, allowed)
        if k == 0:
            return []
        weights = mask.astype(np.float32) if mask is not None else None
        docs, scores = self.bm25.retrieve(
            Tokenized(ids=[tokens], vocab=self.vocab),
            k=k,
            show_progress=False,
            weight_mask=weights,
            n_threads=1,
        )
        return [
            (self.chunk_ids[int(d)], float(s))
            for d, s in zip(docs[0], scores[0], strict=True)
            if s > 0
        ]

    def select(self, mask: np.ndarray) -> list[str]:
        """Chunk ids of the passages a mask selects (the metadata arrays make masks)."""
        return [self.chunk_ids[i] for i in np.flatnonzero(mask)]

    def dense_search(
        self, vector: np.ndarray, k: int, mask: np.ndarray | None = None
    ) -> list[tuple[str, float]]:
        """(chunk_id, cosine similarity) best first, among the passages `mask` allows.

        Exact search: one product over all vectors, disallowed passages excluded before the
        top k are chosen (vectors are normalised, so the product is the cosine similarity).
        """
        if self.vectors is None or not len(self.chunk_ids) or k <= 0:
            return []
        scores = self.vectors @ vector.astype(np.float32)
        if mask is not None:
            scores = np.where(mask, scores, -np.inf)
        allowed = int(np.isfinite(scores).sum())
        k = min(k, allowed)
        if k == 0:
            return []
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top])]
        return [(self.chunk_ids[i], float(scores[i])) for i in top]

    # -- persistence -------------------------------------------------------------------------

    def save(self, folder: Path) -> None:
        tmp = folder.with_name(folder.name + ".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        if self.chunk_ids:
            self.bm25.save(str(tmp / "bm25"), show_progress=False)
        np.savez(tmp / "meta.npz", **self.meta)
        if self.doc_freq is not None:
            np.save(tmp / "doc_freq.npy", self.doc_freq)
        if self.vectors is not None:
            np.save(tmp / "vectors.npy", self.vectors)
        (tmp / "index.json").write_text(
            json.dumps(
                {
                    "generation": self.generation,
                    "chunk_ids": self.chunk_ids,
                    "vocab": self.vocab,
                    "compound_parts": sorted(self.decompounder.known)
                    if self.decompounder
                    else None,
                },
                ensure_ascii=False,
            ),
            encoding="utf-8",
        )
        shutil.rmtree(folder, ignore_errors=True)
        tmp.rename(folder)  # readers see the old index or the new one, never half of one

    @classmethod
    def load(cls, folder: Path, analyzer: DanishAnalyzer | None = None) -> LexicalIndex | None:
        import bm25s

        try:
            info = json.loads((folder / "index.json").read_text(encoding="utf-8"))
            with np.load(folder / "meta.npz") as npz:
                meta = {name: npz[name] for name in npz.files}
            bm25 = bm25s.BM25()
            if info["chunk_ids"]:
                bm25 = bm25s.BM25.load(str(folder / "bm25"), show_progress=False, verbosity=0)
        except (OSError, ValueError, KeyError):
            return None
        analyzer = analyzer or DanishAnalyzer()
        try:
            doc_freq = np.load(folder / "doc_freq.npy")
        except OSError:
            doc_freq = None
        try:
            vectors = np.load(folder / "vectors.npy")
        except OSError:
            vectors = None
        if info["chunk_ids"] and (
            vectors is None
            or len(vectors) != len(info["chunk_ids"])
            or any(name not in meta for name in (*META_FIELDS, *INT_FIELDS))
        ):
            return None  # an index written by an earlier version: rebuild it
        parts = info.get("compound_parts")
        decompounder = Decompounder(analyzer, set(parts)) if parts is not None else None
        return cls(
            bm25, info["vocab"], info["chunk_ids"], meta, info["generation"], analyzer,
            decompounder, doc_freq, vectors,
        )  # fmt: skip


class LexicalIndexManager:
    """Keeps a store's BM25 index current: loads it, checks it, rebuilds it when stale."""

    def __init__(self, store, folder: Path, decompound: bool = False) -> None:
        self.store = store
        self.folder = Path(folder)
        self.decompound = decompound
        self._index: LexicalIndex | None = None
        self._lock = threading.Lock()
        self._analyzer: DanishAnalyzer | None = None
        self.rebuilds = 0

    def current(self) -> LexicalIndex:
        generation = self.store.generation()
        with self._lock:
            if self._index is not None and self._index.generation == generation:
                return self._index
            if self._analyzer is None:
                self._analyzer = DanishAnalyzer()
            loaded = LexicalIndex.load(self.folder, self._analyzer)
            if (
                loaded is not None
                and loaded.generation == generation
                and (loaded.decompounder is not None) == self.decompound
            ):
                self._index = loaded
                return loaded
            index = LexicalIndex.build(self.store, self._analyzer, self.decompound)
            self.rebuilds += 1
            # a read-only location still gets a correct in-memory index
            with contextlib.suppress(OSError):
                index.save(self.folder)
            self._index = index
            return index
