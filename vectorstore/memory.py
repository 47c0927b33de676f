"""A passage store in memory: the `PassageStore` protocol over dicts, for fast tests.

It keeps what `ChromaStore` keeps (text, the flat metadata, one vector per passage, the
sentence vectors) and behaves as it does where callers can tell (tests/store_contract.py runs
one contract against both): upserts replace, reads fail closed on an unknown access level,
`where` filters take Chroma's operators, and every write changes the generation. There is one
client, this object, and nothing is persisted.

A snapshot of it is published like any store's:
`SnapshotPublisher(store, folder).publish()`, then `SnapshotReader(folder).current()`.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Iterable, Iterator, Sequence
from typing import Any

import numpy as np

from vectorstore.journal import JournaledWrites
from vectorstore.protocols import Embedder
from vectorstore.records import Passage, PassageMetadata, StoredPassage

_COMPARE = {
    "$eq": lambda a, b: a == b,
    "$ne": lambda a, b: a != b,
    "$in": lambda a, b: a in b,
    "$nin": lambda a, b: a not in b,
    "$gt": lambda a, b: a is not None and a > b,
    "$gte": lambda a, b: a is not None and a >= b,
    "$lt": lambda a, b: a is not None and a < b,
    "$lte": lambda a, b: a is not None and a <= b,
}


def matches(meta: dict[str, Any], where: dict[str, Any]) -> bool:
    """Whether flat metadata satisfies a Chroma `where` filter: one field (a value, or one of
    `$eq $ne $in $nin $gt $gte $lt $lte`), or `$and` / `$or` over filters. Anything else is a
    ValueError, as Chroma refuses it."""
    if len(where) != 1:
        raise ValueError(f"Expected where to have exactly one operator, got {where}")
    ((key, condition),) = where.items()
    if key in ("$and", "$or"):
        results = [matches(meta, part) for part in condition]
        return all(results) if key == "$and" else any(results)
    if not isinstance(condition, dict):
        condition = {"$eq": condition}
    if len(condition) != 1 or next(iter(condition)) not in _COMPARE:
        raise ValueError(f"Expected one where operator of {sorted(_COMPARE)}, got {condition}")
    ((op, value),) = condition.items()
    return bool(_COMPARE[op](meta.get(key), value))


class MemorySentenceVectors:
    """One vector per sentence key, in a dict."""

    def __init__(self) -> None:
        self._rows: dict[str, tuple[str, np.ndarray]] = {}

    def count(self) -> int:
        return len(self._rows)

    def vectors(self, keys: Iterable[str]) -> dict[str, np.ndarray]:
        return {k: self._rows[k][1].copy() for k in dict.fromkeys(keys) if k in self._rows}

    def missing(self, keys: Iterable[str]) -> list[str]:
        return [k for k in dict.fromkeys(keys) if k not in self._rows]

    def add(self, keys: Sequence[str], texts: Sequence[str], vectors: np.ndarray) -> None:
        if len(keys) != len(vectors) or len(keys) != len(texts):
            raise ValueError("one key, text and vector per sentence is required")
        for key, text, vector in zip(keys, texts, vectors, strict=True):
            self._rows[key] = (text, np.array(vector, dtype=np.float32))

    def sweep(self, keep: set[str]) -> int:
        stale = [k for k in self._rows if k not in keep]
        for key in stale:
            del self._rows[key]
        return len(stale)


class MemoryStore(JournaledWrites):
    """Passages with their vectors and metadata, in a dict (insertion order kept)."""

    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder
        self.sentences = MemorySentenceVectors()
        self._rows: dict[str, tuple[str, dict[str, Any], np.ndarray]] = {}
        self._dimension: int | None = None
        self._generation = ""
        self._sentences_complete = False

    def generation(self) -> str:
        return self._generation

    def _new_generation(self) -> tuple[str, str]:
        found, self._generation = self._generation, uuid.uuid4().hex
        return found, self._generation

    def sentences_complete(self) -> bool:
        return self._sentences_complete

    def mark_sentences_complete(self) -> None:
        self._sentences_complete = True

    # -- writing ---------------------------------------------------------------------------

    def upsert(self, passages: Sequence[Passage], vectors: np.ndarray) -> None:
        if len(passages) != len(vectors):
            raise ValueError("one vector per passage is required")
        if not passages:
            return
        ids = [p.chunk_id for p in passages]
        if len(set(ids)) != len(ids):
            raise ValueError("a chunk id appears twice in one upsert")
        matrix = np.asarray(vectors, dtype=np.float32)
        dim = int(matrix.shape[1])
        if self._dimension is not None and dim != self._dimension:
            raise ValueError(f"the store holds {self._dimension}-dimensional vectors, not {dim}")
        with self._journaled(ids):
            self._dimension = dim
            for passage, vector in zip(passages, matrix, strict=True):
                self._rows[passage.chunk_id] = (
                    passage.text, passage.metadata.to_chroma(), vector.copy()
                )  # fmt: skip

    def delete_ids(self, ids: Iterable[str]) -> None:
        ids = list(ids)
        if not ids:
            return
        with self._journaled(ids):
            for chunk_id in ids:
                self._rows.pop(chunk_id, None)

    def delete_source(self, source: str) -> int:
        ids = self.ids_where({"source": source})
        self.delete_ids(ids)
        return len(ids)

    # -- reading ---------------------------------------------------------------------------

    def count(self) -> int:
        return len(self._rows)

    def ids_where(self, where: dict[str, Any]) -> list[str]:
        return [cid for cid, (_, meta, _) in self._rows.items() if matches(meta, where)]

    def ids_outside(self, sources: Collection[str]) -> list[str]:
        keep = set(sources)
        return [cid for cid, (_, meta, _) in self._rows.items() if meta.get("source") not in keep]

    def _stored(self, chunk_id: str) -> StoredPassage:
        text, meta, _ = self._rows[chunk_id]
        return StoredPassage(chunk_id, text, PassageMetadata.from_chroma(meta))

    def get(self, ids: Sequence[str]) -> list[StoredPassage]:
        return [self._stored(i) for i in ids if i in self._rows]

    def get_with_vectors(self, ids: Sequence[str]) -> list[tuple[StoredPassage, np.ndarray]]:
        return [(self._stored(i), self._rows[i][2].copy()) for i in ids if i in self._rows]

    def iter_passages(
        self, where: dict[str, Any] | None = None, with_vectors: bool = False
    ) -> Iterator[tuple[StoredPassage, np.ndarray | None]]:
        for chunk_id in list(self._rows):  # a copy: the caller may write while reading
            row = self._rows.get(chunk_id)
            if row is None or (where is not None and not matches(row[1], where)):
                continue
            yield self._stored(chunk_id), (row[2].copy() if with_vectors else None)

    def vectors_for_embed_hashes(self, hashes: Iterable[str]) -> dict[str, np.ndarray]:
        wanted = set(hashes)
        found: dict[str, np.ndarray] = {}
        for _, meta, vector in self._rows.values():
            if meta.get("embed_hash") in wanted:
                found.setdefault(meta["embed_hash"], vector.copy())
        return found
