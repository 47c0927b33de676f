"""One immutable, memory-mapped index snapshot of a store generation.

A snapshot holds everything a question needs besides the query vector: the passages' vectors
(for exact filtered dense search), the BM25 index, the filter columns, and the passages' texts
and metadata. It is written once on the write side (`vectorstore.snapshot_build`) and never
changed, so one snapshot object can be handed down through a whole answer, and readers in many
processes share its pages through the page cache instead of each holding a copy.
"""

from __future__ import annotations

import json
import mmap
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from danish.analyzer import DanishAnalyzer, Decompounder
from vectorstore.errors import SnapshotError
from vectorstore.filters import ResolvedFilters, SearchFilters, allowed_access, resolve
from vectorstore.records import PassageMetadata, StoredPassage

FORMAT = 2  # 2: sentence vectors stored as float16 (1: float32)
READABLE = (1, 2)  # formats this release reads; an older one is republished by the next writer
# vectors on disk; every score is computed in float32. Passage vectors stay float32: numpy
# upcasts float16 one element at a time, which made dense search at 100k passages 4× slower
# (bench/fp16_equivalence.py, README); sentence vectors are only looked up, a few dozen per
# question, and are the larger table in a real store
PASSAGE_DTYPE = np.float32
SENTENCE_DTYPE = np.float16
SCORE_BLOCK = 2048  # rows of float16 vectors upcast at a time (3 MiB, stays in the cache)
TEXT_COLUMNS = ("access", "committee", "doc_type", "case_number", "source", "doc_id", "section")
INT_COLUMNS = ("date_ordinal", "chunk_index", "page_start", "page_end")


@dataclass
class Summary:
    """What the passages one access level may see cover: for coverage notes and the library."""

    n_passages: int = 0
    n_documents: int = 0
    committees: list[str] = field(default_factory=list)
    documents_per_committee: dict[str, int] = field(default_factory=dict)
    doc_types: list[str] = field(default_factory=list)
    first: date | None = None
    last: date | None = None
    per_source: dict[str, dict[str, Any]] = field(default_factory=dict)


class SentenceTable:
    """The stored vectors of a snapshot's sentences, by `vectorstore.sentences.sentence_key`
    (sorted keys, searched by bisection); also read alone by the next publish."""

    def __init__(self, folder: Path) -> None:
        self._keys = np.load(folder / "sentence_keys.npy", mmap_mode="r")
        self._vectors = np.load(folder / "sentence_vectors.npy", mmap_mode="r")

    def vectors(self, keys: list[str]) -> dict[str, np.ndarray]:
        """Keys without a vector are left out (a store from before sentence vectors has none)."""
        if not keys or not len(self._keys):
            return {}
        wanted = np.asarray([k.encode("ascii") for k in keys], dtype=self._keys.dtype)
        pos = np.minimum(np.searchsorted(self._keys, wanted), len(self._keys) - 1)
        hit = self._keys[pos] == wanted
        return {
            key: np.asarray(self._vectors[p], dtype=np.float32)  # float16 on disk: upcast
            for key, p, ok in zip(keys, pos, hit, strict=True)
            if ok
        }


class Snapshot:
    """Read side of one snapshot folder; every file is opened (mapped) when it is loaded, so a
    snapshot pruned from disk later keeps working for the questions still using it."""

    def __init__(self, folder: Path, analyzer: DanishAnalyzer | None = None) -> None:
        import bm25s

        self.folder = Path(folder)
        try:
            self.manifest = json.loads((self.folder / "manifest.json").read_text("utf-8"))
            if self.manifest.get("format") not in READABLE:
                raise SnapshotError(
                    f"Snapshot {folder} has format {self.manifest.get('format')}",
                    user_message="Søgeindekset er skrevet af en anden version af Referent; byg "
                    "det igen med `referent index`.",
                )
            self._values: dict[str, list[str]] = self.manifest["columns"]
            self._codes = {n: self._load(f"col-{n}.npy") for n in TEXT_COLUMNS}
            self._ints = {n: self._load(f"int-{n}.npy") for n in INT_COLUMNS}
            self.vectors = self._load("vectors.npy")
            self._ids = self._load("chunk_ids.npy")
            self._id_order = self._load("id_order.npy")
            self._sorted_ids = self._load("sorted_ids.npy")
            self._offsets = self._load("offsets.npy")
            self.doc_freq = self._load("doc_freq.npy")
            self.sentences = SentenceTable(self.folder)
            self.vocab: dict[str, int] = json.loads((self.folder / "vocab.json").read_text("utf-8"))
            with (self.folder / "passages.jsonl").open("rb") as fh:
                size = (self.folder / "passages.jsonl").stat().st_size
                self._texts = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) if size else b""
            if size:
                self._texts.madvise(mmap.MADV_RANDOM)  # a few passages per answer, scattered
            self.bm25 = (
                bm25s.BM25.load(str(self.folder / "bm25"), mmap=True, show_progress=False)
                if len(self)
                else None
            )
        except (OSError, ValueError, KeyError) as exc:
            raise SnapshotError(f"Cannot read the index snapshot {folder}: {exc}") from exc
        self.analyzer = analyzer or DanishAnalyzer()
        parts = self.manifest.get("compound_parts")
        self.decompounder = Decompounder(self.analyzer, set(parts)) if parts is not None else None
        self._summaries: dict[str, Summary] = {}
        self._codebooks: dict[str, dict[str, int]] = {}

    def _load(self, name: str) -> np.ndarray:
        return np.load(self.folder / name, mmap_mode="r")

    # -- identity -----------------------------------------------------------------------------

    @property
    def name(self) -> str:
        return self.folder.name

    @property
    def store_generation(self) -> str:
        """The store generation this snapshot was built from."""
        return str(self.manifest["store_generation"])

    def __len__(self) -> int:
        return int(self.manifest["passages"])

    # -- columns (the `vectorstore.filters.Columns` protocol) ---------------------------------

    def values(self, name: str) -> list[str]:
        return self._values[name]

    def isin(self, name: str, values: list[str]) -> np.ndarray:
        index = self._codebooks.get(name)
        if index is None:  # value → code, made once per column (the snapshot never changes)
            index = self._codebooks[name] = {v: i for i, v in enumerate(self._values[name])}
        codes = [index[v] for v in values if v in index]
        return np.isin(self._codes[name], np.asarray(codes, dtype=np.int32))

    def ints(self, name: str) -> np.ndarray:
        return self._ints[name]

    def codes(self, name: str) -> np.ndarray:
        """A text column's dictionary codes, one per row (`values(name)[code]` is the text):
        for grouping rows by a column without making its strings."""
        return self._codes[name]

    def column(self, name: str, rows: np.ndarray) -> np.ndarray:
        """A text column's values at these rows."""
        return np.asarray(self._values[name], dtype=object)[self._codes[name][rows]]

    @cached_property
    def committees(self) -> list[str]:
        return [c for c in self._values["committee"] if c]

    # -- filters --------------------------------------------------------------------------------

    def resolve(self, filters: SearchFilters) -> ResolvedFilters:
        """Filters (access included) resolved against this snapshot; `.keep` is the mask."""
        return resolve(filters, self)

    def access_mask(self, access: str) -> np.ndarray:
        return self.isin("access", allowed_access(access))

    # -- terms ----------------------------------------------------------------------------------

    def tokenize(self, text: str) -> list[str]:
        return self.decompounder(text) if self.decompounder else self.analyzer(text)

    def idf(self, token: str) -> float:
        """Inverse document frequency; unknown tokens weigh like the rarest."""
        n = len(self)
        tid = self.vocab.get(token)
        df = int(self.doc_freq[tid]) if tid is not None and tid < len(self.doc_freq) else 0
        return float(np.log(1 + (n - df + 0.5) / (df + 0.5)))

    # -- passages -------------------------------------------------------------------------------

    def chunk_id(self, row: int) -> str:
        return self._ids[row].decode("ascii")

    def rows(self, chunk_ids: list[str]) -> list[int]:
        """Rows of these ids, in the order asked; unknown ids are left out."""
        width = self._ids.dtype.itemsize
        # an id longer than any stored one is unknown (numpy would cut it to a stored prefix)
        known = [c.encode("ascii", "replace") for c in chunk_ids if len(c) <= width]
        if not known or not len(self):
            return []
        wanted = np.asarray(known, dtype=self._ids.dtype)
        order = self._id_order
        pos = np.minimum(np.searchsorted(self._sorted_ids, wanted), len(order) - 1)
        rows = order[pos]
        return [int(r) for r, w in zip(rows, wanted, strict=True) if self._ids[r] == w]

    def get(self, chunk_ids: list[str]) -> list[StoredPassage]:
        """Passages by id, in the order asked; unknown ids are left out."""
        return [self.passage(row) for row in self.rows(chunk_ids)]

    def passage(self, row: int) -> StoredPassage:
        start, end = int(self._offsets[row]), int(self._offsets[row + 1])
        record = json.loads(self._texts[start:end])
        return StoredPassage(
            self.chunk_id(row), record["text"], PassageMetadata.from_chroma(record["meta"])
        )

    def sentence_vectors(self, keys: list[str]) -> dict[str, np.ndarray]:
        return self.sentences.vectors(keys)

    def select(self, mask: np.ndarray) -> list[str]:
        return [self.chunk_id(int(i)) for i in np.flatnonzero(mask)]

    # -- search ---------------------------------------------------------------------------------

    def dense_search(
        self, vector: np.ndarray, k: int, mask: np.ndarray | None = None
    ) -> list[tuple[str, float]]:
        """(chunk_id, cosine) best first among the rows `mask` allows: exact search, one product
        over the mapped vectors (normalised, so the product is the cosine)."""
        if not len(self) or k <= 0:
            return []
        scores = self.scores(vector)
        if mask is not None:
            scores = np.where(mask, scores, -np.inf)
        k = min(k, int(np.isfinite(scores).sum()))
        if k <= 0:
            return []
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top])]
        return [(self.chunk_id(int(i)), float(scores[i])) for i in top]

    def scores(self, vector: np.ndarray) -> np.ndarray:
        """Every row's product with `vector`, in float32. Float16 vectors are upcast a block at
        a time (numpy has no fast float16 product, and a whole float32 copy would undo the
        halved memory); the products are then exact float32 ones of the stored vectors."""
        query = np.asarray(vector, dtype=np.float32)
        if self.vectors.dtype == np.float32:  # a format-1 snapshot
            return self.vectors @ query
        n = len(self.vectors)
        out = np.empty(n, dtype=np.float32)
        block = np.empty((min(SCORE_BLOCK, n), self.vectors.shape[1]), dtype=np.float32)
        for start in range(0, n, SCORE_BLOCK):
            end = min(n, start + SCORE_BLOCK)
            rows = block[: end - start]
            np.copyto(rows, self.vectors[start:end], casting="same_kind")
            np.matmul(rows, query, out=out[start:end])
        return out

    def bm25_search(
        self, query: str, k: int, mask: np.ndarray | None = None
    ) -> list[tuple[str, float]]:
        """(chunk_id, BM25 score) best first; only rows `mask` allows, only score > 0."""
        if self.bm25 is None or k <= 0:
            return []
        from bm25s.tokenization import Tokenized

        tokens = [self.vocab[t] for t in self.tokenize(query) if t in self.vocab]
        if not tokens:
            return []
        k = min(k, int(mask.sum()) if mask is not None else len(self))
        if k == 0:
            return []
        docs, scores = self.bm25.retrieve(
            Tokenized(ids=[tokens], vocab=self.vocab),
            k=k,
            show_progress=False,
            weight_mask=mask.astype(np.float32) if mask is not None else None,
            n_threads=1,
        )
        return [
            (self.chunk_id(int(d)), float(s))
            for d, s in zip(docs[0], scores[0], strict=True)
            if s > 0
        ]

    # -- summaries ------------------------------------------------------------------------------

    def summary(self, access: str) -> Summary:
        """What this access level may see; computed once per level (the snapshot never
        changes)."""
        if access not in self._summaries:
            self._summaries[access] = self._summarise(self.access_mask(access))
        return self._summaries[access]

    def _summarise(self, keep: np.ndarray) -> Summary:
        if not keep.any():
            return Summary()
        rows = np.flatnonzero(keep)
        source = self.column("source", rows)
        doc_id = self.column("doc_id", rows)
        committee = self.column("committee", rows)
        doc_type = self.column("doc_type", rows)
        ordinals = np.asarray(self._ints["date_ordinal"][rows])
        dated = ordinals[ordinals > 0]
        docs = Counter(str(c) for c in dict(zip(doc_id, committee, strict=True)).values() if c)
        per_source: dict[str, dict[str, Any]] = {}
        for src, did, com, kind, ordinal in zip(
            source, doc_id, committee, doc_type, ordinals, strict=True
        ):
            row = per_source.setdefault(
                src, {"docs": {}, "passages": 0, "committees": set(), "doc_types": set()}
            )
            row["passages"] += 1
            row["docs"][did] = (com, int(ordinal))
            if com:
                row["committees"].add(com)
            if kind:
                row["doc_types"].add(kind)
        return Summary(
            n_passages=int(rows.size),
            n_documents=len(set(doc_id)),
            committees=sorted({c for c in committee if c}),
            documents_per_committee=dict(docs),
            doc_types=sorted({d for d in doc_type if d}),
            first=date.fromordinal(int(dated.min())) if dated.size else None,
            last=date.fromordinal(int(dated.max())) if dated.size else None,
            per_source=per_source,
        )

    def page_allowed(self, source: str, page: int, access: str) -> bool:
        """Whether every passage on a PDF page is one `access` may see (a page image shows the
        whole page, so one closed passage on it keeps the image hidden)."""
        on_page = (
            self.isin("source", [source])
            & (self._ints["page_start"] <= page)
            & (self._ints["page_end"] >= page)
        )
        if not on_page.any():
            return False
        return bool(self.access_mask(access)[on_page].all())
