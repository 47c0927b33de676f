"""Near-duplicate renditions: the same document as DOCX and as PDF, or re-typed.

A MinHash of word 3-gram shingles estimates the overlap of two texts cheaply; two plain files
whose texts overlap by `threshold` or more are one document in two renditions. Structured
records (agenda items) are never compared: an item copied to the next committee is a new record.
"""

from __future__ import annotations

import re
import zlib

import numpy as np

NUM_HASHES = 64
_PRIME = (1 << 61) - 1
_rng = np.random.default_rng(20191203)
_A = _rng.integers(1, _PRIME, NUM_HASHES, dtype=np.uint64)
_B = _rng.integers(0, _PRIME, NUM_HASHES, dtype=np.uint64)
_TOKEN = re.compile(r"\w+")


def shingles(text: str, size: int = 3) -> set[int]:
    words = _TOKEN.findall(text.lower())
    if len(words) < size:
        return {zlib.crc32(" ".join(words).encode())} if words else set()
    return {
        zlib.crc32(" ".join(words[i : i + size]).encode()) for i in range(len(words) - size + 1)
    }


def signature(text: str) -> np.ndarray:
    values = np.fromiter(shingles(text), dtype=np.uint64)
    if values.size == 0:
        return np.full(NUM_HASHES, np.iinfo(np.uint64).max, dtype=np.uint64)
    # (a*x + b) mod p, in uint64 with wrap-around: a stable family of hash functions
    hashed = (values[None, :] * _A[:, None] + _B[:, None]) % np.uint64(_PRIME)
    return hashed.min(axis=1)


def signature_hex(sig: np.ndarray) -> str:
    return sig.astype(">u8").tobytes().hex()


def signature_from_hex(value: str) -> np.ndarray | None:
    try:
        sig = np.frombuffer(bytes.fromhex(value), dtype=">u8").astype(np.uint64)
    except ValueError:
        return None
    return sig if sig.size == NUM_HASHES else None


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of the two shingle sets."""
    return float(np.mean(a == b))
