"""The seams of the store layer, as Protocols: what ingest, search and answers rely on.

`ChromaStore` and the embedders implement them; a test or a deployment can hand in another
implementation (a different vector database, a GPU embedder) without subclassing ours.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Sequence
from typing import Any, Protocol, runtime_checkable

import numpy as np

from vectorstore.records import Passage, StoredPassage


@runtime_checkable
class Embedder(Protocol):
    """One model's vectors for passages and queries, with the identity a store records."""

    embedder_id: str
    prefix_scheme: str

    @property
    def model_id(self) -> str: ...

    @property
    def dimension(self) -> int: ...

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray: ...

    def embed_query_array(self, text: str) -> np.ndarray: ...

    def count_tokens(self, text: str) -> int: ...


@runtime_checkable
class SentenceVectorStore(Protocol):
    """Vectors of the sentences answers quote, keyed by `sentences.sentence_key`."""

    def count(self) -> int: ...

    def vectors(self, keys: Iterable[str]) -> dict[str, np.ndarray]: ...

    def missing(self, keys: Iterable[str]) -> list[str]: ...

    def add(self, keys: Sequence[str], texts: Sequence[str], vectors: np.ndarray) -> None: ...

    def sweep(self, keep: set[str]) -> int: ...


@runtime_checkable
class PassageStore(Protocol):
    """Where passages, their vectors and their sentence vectors are kept (the write side and
    the source of index snapshots; questions are answered from snapshots)."""

    embedder: Embedder
    sentences: SentenceVectorStore
    # where the store notes ids before it writes them (`vectorstore.journal`); the index
    # publisher sets it, and a store without one makes every publish a full build
    journal: Any

    def generation(self) -> str:
        """Changes whenever passages are written or deleted, by any client."""
        ...

    def count(self) -> int: ...

    def upsert(self, passages: Sequence[Passage], vectors: np.ndarray) -> None: ...

    def delete_ids(self, ids: Iterable[str]) -> None: ...

    def delete_source(self, source: str) -> int: ...

    def ids_where(self, where: dict[str, Any]) -> list[str]: ...

    def ids_outside(self, sources: Collection[str]) -> list[str]:
        """Ids of the passages whose source is none of `sources` (orphans of the catalog)."""
        ...

    def get(self, ids: Sequence[str]) -> list[StoredPassage]: ...

    def get_with_vectors(self, ids: Sequence[str]) -> list[tuple[StoredPassage, np.ndarray]]:
        """Passages and their vectors by id (what an index publish reads of a change)."""
        ...

    def iter_passages(
        self, where: dict[str, Any] | None = None, with_vectors: bool = False
    ) -> Iterator[tuple[StoredPassage, np.ndarray | None]]: ...

    def vectors_for_embed_hashes(self, hashes: Iterable[str]) -> dict[str, np.ndarray]: ...

    def sentences_complete(self) -> bool: ...

    def mark_sentences_complete(self) -> None: ...
