"""One immutable segment of an index snapshot: the read side.

A segment holds a set of passages with everything a question needs besides the query vector:
their vectors (int8 with a per-row scale for the scan, float32 for rescoring the best), BM25
postings, filter columns, texts and metadata, and the vectors of their sentences. It is written
once (`vectorstore.segment_write`) and never changed; snapshots name segments and say which of
their rows are deleted (`vectorstore.snapshot`). Tables a search reads whole (int8 vectors,
filter columns) or bisects (sorted ids, terms, sentence keys) are memory-mapped; tables it reads
a row here and a row there (float32 vectors, texts, ids, postings, sentence vectors) are read
with `pread` (`vectorstore.row_file`). Either way readers in many processes share the pages
through the page cache, and a process holds only what it maps.
"""

from __future__ import annotations

import json
import mmap
from pathlib import Path

import numpy as np

from vectorstore.errors import SnapshotError
from vectorstore.postings import Postings
from vectorstore.records import PassageMetadata, StoredPassage
from vectorstore.row_file import RowFile, TextFile

FORMAT = 3  # 3: segments, int8 scan vectors, own BM25 postings (2: one folder, bm25s)
TEXT_COLUMNS = ("access", "committee", "doc_type", "case_number", "source", "doc_id", "section")
INT_COLUMNS = ("date_ordinal", "chunk_index", "page_start", "page_end")
SENTENCE_DTYPE = np.float16  # sentence vectors are only looked up, a few dozen per question
ROW_SENTENCE_OFFSETS = "row-sentence-offsets.npy"  # per passage row, where its sentences start
ROW_SENTENCES = "row-sentences.npy"  # the rows' sentences, as indices into sentence_keys.npy
SCAN_BLOCK = 512  # rows of int8 vectors converted to float32 at a time (stays in the cache)


def load_mapped(path: Path, random: bool = True) -> np.ndarray:
    """A memory-mapped array; `random`: read in scattered rows, so the kernel is told not to
    read ahead. By default a fault on a mapped file reads up to hundreds of KB around the page
    asked for, which for tables read a row here and a row there (float32 vectors of the
    rescored candidates, sentence vectors, texts, ids) faults in most of the file within a few
    hundred questions: per reader, that was most of its memory."""
    array = np.load(path, mmap_mode="r")
    mapped = getattr(array, "_mmap", None)
    if random and mapped is not None:
        mapped.madvise(mmap.MADV_RANDOM)
    return array


class SentenceTable:
    """Stored sentence vectors by `vectorstore.sentences.sentence_key` (sorted keys, searched by
    bisection), and which of them each passage row has: a merge keeps the sentences of the rows
    it keeps, without splitting their texts again."""

    def __init__(
        self,
        keys: np.ndarray,
        vectors: np.ndarray | RowFile,
        of_rows: tuple[np.ndarray, np.ndarray] | None = None,
    ) -> None:
        self.keys = keys
        self.stored = vectors  # one row per key, in key order
        # (offsets, key indices): row r has keys[indices[offsets[r]:offsets[r + 1]]]; None for a
        # segment written before rows recorded their sentences
        self.of_rows = of_rows

    @classmethod
    def load(cls, folder: Path) -> SentenceTable:
        offsets, indices = folder / ROW_SENTENCE_OFFSETS, folder / ROW_SENTENCES
        return cls(
            load_mapped(folder / "sentence_keys.npy"),
            RowFile(folder / "sentence_vectors.npy"),
            (load_mapped(offsets, False), load_mapped(indices, False))
            if offsets.exists() and indices.exists()
            else None,
        )

    def vectors(self, keys: list[str]) -> dict[str, np.ndarray]:
        """Keys without a vector are left out."""
        if not keys or not len(self.keys):
            return {}
        wanted = np.asarray([k.encode("ascii") for k in keys], dtype=self.keys.dtype)
        pos = np.minimum(np.searchsorted(self.keys, wanted), len(self.keys) - 1)
        hit = self.keys[pos] == wanted
        found = np.asarray(self.stored[pos[hit]], dtype=np.float32)  # float16 on disk
        return dict(zip([k for k, ok in zip(keys, hit, strict=True) if ok], found, strict=True))


class Segment:
    """Read side of one segment folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        try:
            self.manifest = json.loads((self.folder / "manifest.json").read_text("utf-8"))
            if self.manifest.get("format") != FORMAT:
                raise SnapshotError(
                    f"Segment {folder} has format {self.manifest.get('format')}",
                    user_message="Søgeindekset er skrevet af en anden version af Referent; byg "
                    "det igen med `referent index`.",
                )
            self.values: dict[str, list[str]] = self.manifest["columns"]
            # read whole by every search or filter: read ahead as usual
            self.codes = {n: self._load(f"col-{n}.npy", False) for n in TEXT_COLUMNS}
            self.ints = {n: self._load(f"int-{n}.npy", False) for n in INT_COLUMNS}
            self.scan = self._load("vectors-int8.npy", False)
            self.scale = self._load("vector-scale.npy", False)
            self.exact = RowFile(self.folder / "vectors.npy")  # the best candidates' rows
            self.ids = RowFile(self.folder / "chunk_ids.npy")
            self.id_order = self._load("id_order.npy")
            self.sorted_ids = self._load("sorted_ids.npy")
            self.offsets = self._load("offsets.npy")
            self.sentences = SentenceTable.load(self.folder)
            self.postings = Postings(
                terms=self._load("postings-terms.npy"),
                offsets=self._load("postings-offsets.npy"),
                rows=RowFile(self.folder / "postings-rows.npy"),  # a query term's range each
                tf=RowFile(self.folder / "postings-tf.npy"),
                lengths=np.load(self.folder / "postings-lengths.npy"),  # small; read whole
            )
            self._texts = TextFile(self.folder / "passages.jsonl")
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise SnapshotError(f"Cannot read the index segment {folder}: {exc}") from exc

    def _load(self, name: str, random: bool = True) -> np.ndarray:
        return load_mapped(self.folder / name, random)

    @property
    def name(self) -> str:
        return self.folder.name

    def __len__(self) -> int:
        return int(self.manifest["passages"])

    def chunk_id(self, row: int) -> str:
        return self.ids[int(row)].decode("ascii")

    def chunk_ids(self, rows) -> list[str]:
        return [i.decode("ascii") for i in self.ids.take(rows)]

    def rows(self, wanted: np.ndarray) -> np.ndarray:
        """Row of each id in `wanted` (dtype of `ids`), -1 where the segment lacks it."""
        if not len(self):
            return np.full(len(wanted), -1, dtype=np.int64)
        pos = np.minimum(np.searchsorted(self.sorted_ids, wanted), len(self) - 1)
        rows = np.asarray(self.id_order[pos], dtype=np.int64)
        return np.where(self.ids.take(rows) == wanted, rows, -1)

    def record(self, row: int) -> bytes:
        return self._texts.read(int(self.offsets[row]), int(self.offsets[row + 1]))

    def passage(self, row: int) -> StoredPassage:
        record = json.loads(self.record(row))
        return StoredPassage(
            self.chunk_id(row), record["text"], PassageMetadata.from_chroma(record["meta"])
        )

    def approximate_scores(self, query: np.ndarray, out: np.ndarray) -> None:
        """Every row's product with `query` from the int8 vectors, into `out`: converted a
        block at a time (numpy has no fast int8 product) and scaled per row; off from the exact
        product by at most ~0.002 for unit vectors, so the best rows are rescored exactly."""
        n = len(self)
        block = np.empty((min(SCAN_BLOCK, n), self.scan.shape[1]), dtype=np.float32)
        for start in range(0, n, SCAN_BLOCK):
            end = min(n, start + SCAN_BLOCK)
            rows = block[: end - start]
            np.copyto(rows, self.scan[start:end], casting="unsafe")
            np.matmul(rows, query, out=out[start:end])
        out *= self.scale

    def exact_scores(self, query: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """Exact float32 products of these rows (in the order given) with `query`."""
        out = np.zeros(len(rows), dtype=np.float32)
        if len(rows):
            order = np.argsort(rows)  # ascending rows: the mapped file is read forwards
            out[order] = np.asarray(self.exact.take(rows[order]), dtype=np.float32) @ query
        return out
