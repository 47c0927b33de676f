"""Stand-ins for tests that need an `Embedder` but not a model's meaning."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np


class HashEmbedder:
    """An `Embedder` without a model: each word (lower-cased) adds ±1 in a slot chosen by its
    hash, and the vector is normalised, so texts sharing words are near and the same text
    always gets the same vector. A query is embedded as a passage is."""

    embedder_id = "test-hash-words"
    prefix_scheme = "none"

    def __init__(self, dimension: int = 16) -> None:
        self._dimension = dimension

    @property
    def model_id(self) -> str:
        return f"test-hash-words-{self._dimension}"

    @property
    def dimension(self) -> int:
        return self._dimension

    def _vector(self, text: str) -> np.ndarray:
        vector = np.zeros(self._dimension, dtype=np.float32)
        for word in text.lower().split() or [""]:
            digest = hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest()
            slot = int.from_bytes(digest[:4], "little") % self._dimension
            vector[slot] += 1.0 if digest[4] & 1 else -1.0
        norm = float(np.linalg.norm(vector))
        if norm == 0.0:  # words that cancel out: a fixed direction, never a zero vector
            vector[0], norm = 1.0, 1.0
        return vector / norm

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self._dimension), dtype=np.float32)
        return np.stack([self._vector(t) for t in texts])

    def embed_query_array(self, text: str) -> np.ndarray:
        return self._vector(text)

    def count_tokens(self, text: str) -> int:
        return len(text.split())
