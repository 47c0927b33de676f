"""Stored vectors of the sentences answers may quote, next to the passage collection.

The extractive composer scores candidate sentences by meaning. Embedding them per question
would cost a second per answer; they are embedded once, at ingest, and kept in a second
collection of the same store, keyed by the hash of the sentence text (`sentence_key`): a
sentence repeated across passages is one record, and a reader finds a passage's vectors from
its text alone. Sentences no passage holds any more are swept after deletions.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

from vectorstore.chroma_collection import open_collection
from vectorstore.errors import StoreUnavailableError

_PAGE = 500  # ids per `get`: well inside SQLite's variable limit


class SentenceVectors:
    """One vector per distinct sentence text, in the collection `<passages>-sentences`."""

    def __init__(self, client, name: str, identity: dict[str, str], create: bool = True) -> None:
        self.name = name
        try:
            self.collection = open_collection(client, name, identity, create)
        except StoreUnavailableError:
            if create:
                raise
            self.collection = None  # a store from before sentence vectors: none stored
            return
        self.max_batch = int(client.get_max_batch_size())

    def count(self) -> int:
        return int(self.collection.count()) if self.collection is not None else 0

    def vectors(self, keys: Iterable[str]) -> dict[str, np.ndarray]:
        """The stored vectors of these sentence keys; keys without one are left out."""
        wanted = list(dict.fromkeys(keys))
        found: dict[str, np.ndarray] = {}
        if self.collection is None or not wanted:
            return found
        for start in range(0, len(wanted), _PAGE):
            got = self.collection.get(ids=wanted[start : start + _PAGE], include=["embeddings"])
            for key, vec in zip(got["ids"], got["embeddings"], strict=True):
                found[key] = np.asarray(vec, dtype=np.float32)
        return found

    def missing(self, keys: Iterable[str]) -> list[str]:
        """The keys that have no stored vector yet, in their first order."""
        wanted = list(dict.fromkeys(keys))
        if self.collection is None:
            return wanted
        present: set[str] = set()
        for start in range(0, len(wanted), _PAGE):
            got = self.collection.get(ids=wanted[start : start + _PAGE], include=[])
            present.update(got["ids"])
        return [k for k in wanted if k not in present]

    def add(self, keys: Sequence[str], texts: Sequence[str], vectors: np.ndarray) -> None:
        if len(keys) != len(vectors) or len(keys) != len(texts):
            raise ValueError("one key, text and vector per sentence is required")
        for start in range(0, len(keys), self.max_batch):
            end = start + self.max_batch
            self.collection.upsert(
                ids=list(keys[start:end]),
                embeddings=vectors[start:end],
                documents=list(texts[start:end]),
            )

    def sweep(self, keep: set[str]) -> int:
        """Delete the vectors of sentences not in `keep` (no passage holds them any more)."""
        if self.collection is None:
            return 0
        stale: list[str] = []
        offset = 0
        while True:
            got = self.collection.get(include=[], limit=5000, offset=offset)
            stale.extend(k for k in got["ids"] if k not in keep)
            if len(got["ids"]) < 5000:
                break
            offset += 5000
        for start in range(0, len(stale), self.max_batch):
            self.collection.delete(ids=stale[start : start + self.max_batch])
        return len(stale)
