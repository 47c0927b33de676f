"""Writes index segments (the write side): a new one from passages, or one merged from others.

Everything goes into a folder the caller names (a temporary one; `vectorstore.snapshots`
renames it into place), every file fsynced, `manifest.json` last: a segment folder with a
manifest is complete.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np

from vectorstore.lexical import lexical_text
from vectorstore.postings import build_postings, merge_postings
from vectorstore.records import StoredPassage
from vectorstore.segment import (
    FORMAT,
    INT_COLUMNS,
    ROW_SENTENCE_OFFSETS,
    ROW_SENTENCES,
    SENTENCE_DTYPE,
    TEXT_COLUMNS,
    Segment,
    SentenceTable,
)
from vectorstore.sentences import passage_sentences, sentence_key

SentenceLookup = Callable[[list[str]], dict[str, np.ndarray]]
LexicalText = Callable[[str, str, str], str]  # (title, section, text) → the text BM25 indexes
Tokenize = Callable[[str], list[str]]
# given every lexical text of the segment, the tokeniser to index them with (a full build may
# learn compound parts from them first)
Tokenizer = Callable[[list[str]], Tokenize]


def write_segment(
    passages: Iterable[tuple[StoredPassage, np.ndarray]],
    folder: Path,
    tokenizer: Tokenizer,
    sentences: SentenceLookup | None = None,
    lexical: LexicalText = lexical_text,
    dimension: int = 0,
) -> int:
    """Write a segment of `passages` ((StoredPassage, vector) pairs) into `folder`; returns the
    number of passages. `sentences` gives the stored vectors of sentence keys: the segment
    carries those of its passages' sentences, so answers never read the store's."""
    folder.mkdir(parents=True)
    values: dict[str, dict[str, int]] = {n: {} for n in TEXT_COLUMNS}
    codes: dict[str, list[int]] = {n: [] for n in TEXT_COLUMNS}
    ints: dict[str, list[int]] = {n: [] for n in INT_COLUMNS}
    ids: list[str] = []
    texts: list[str] = []
    vectors: list[np.ndarray] = []
    offsets = [0]
    keys: dict[str, None] = {}
    row_keys: list[list[str]] = []  # each passage's sentence keys
    with (folder / "passages.jsonl").open("wb") as out:
        for passage, vector in passages:
            m = passage.metadata  # access already fails closed (PassageMetadata.from_chroma)
            for name in TEXT_COLUMNS:
                value = str(getattr(m, name) or "")
                codes[name].append(values[name].setdefault(value, len(values[name])))
            for name in INT_COLUMNS:
                ints[name].append(int(getattr(m, name) or 0))
            ids.append(passage.chunk_id)
            if sentences is not None:
                mine = dict.fromkeys(
                    sentence_key(sentence)
                    for _, sentence in passage_sentences(passage.text, m.section)
                )
                keys.update(mine)
                row_keys.append(list(mine))
            texts.append(lexical(m.title, m.section, passage.text))
            vectors.append(np.asarray(vector, dtype=np.float32))
            record = json.dumps({"text": passage.text, "meta": m.to_chroma()}, ensure_ascii=False)
            data = record.encode("utf-8") + b"\n"
            out.write(data)
            offsets.append(offsets[-1] + len(data))
        _sync(out)
    tokenize = tokenizer(texts)
    postings = build_postings([tokenize(text) for text in texts])
    dim = int(vectors[0].shape[0]) if vectors else dimension
    found = sentences(list(keys)) if sentences is not None and keys else {}
    sentence_keys = np.asarray(sorted(k.encode("ascii") for k in found), dtype="S24")
    sentence_vectors = [found[k.decode("ascii")] for k in sentence_keys]
    at = {k.decode("ascii"): i for i, k in enumerate(sentence_keys)}
    of_rows = [[at[k] for k in mine if k in at] for mine in row_keys]
    _write(
        folder,
        matrix=np.stack(vectors) if vectors else np.zeros((0, dim), dtype=np.float32),
        ids=ids,
        offsets=np.asarray(offsets, dtype=np.int64),
        columns={n: (list(values[n]), np.asarray(codes[n], dtype=np.int32)) for n in TEXT_COLUMNS},
        ints={n: np.asarray(ints[n], dtype=np.int32) for n in INT_COLUMNS},
        postings=postings,
        sentence_keys=sentence_keys,
        sentence_vectors=np.stack(sentence_vectors) if sentence_vectors else np.zeros((0, dim)),
        of_rows=_csr(of_rows) if sentences is not None else None,
    )
    return len(ids)


def _csr(lists: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
    """(offsets, values) of a list of lists."""
    offsets = np.zeros(len(lists) + 1, dtype=np.int64)
    offsets[1:] = np.cumsum([len(values) for values in lists])
    return offsets, np.asarray([v for values in lists for v in values], dtype=np.int32)


def _entries(offsets: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(positions into a CSR's values of these rows' entries, in order; each row's count)."""
    starts = np.asarray(offsets[rows], dtype=np.int64)
    counts = np.asarray(offsets[rows + 1], dtype=np.int64) - starts
    within = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    return np.repeat(starts, counts) + within, counts


def merge_segments(parts: list[tuple[Segment, np.ndarray | None]], folder: Path) -> int:
    """Write one segment of the live rows of `parts` ((segment, live mask or None) pairs), in
    their order, without re-reading the store or re-analysing any text: columns, postings and
    texts are copied and renumbered. Sentence vectors are kept for the sentences of the rows
    kept (all of a part's, for a part written before rows recorded their sentences)."""
    folder.mkdir(parents=True)
    kept = [np.flatnonzero(live) if live is not None else np.arange(len(s)) for s, live in parts]
    n = sum(len(k) for k in kept)
    dim = max((int(s.exact.shape[1]) for s, _ in parts), default=0)
    offsets = [0]
    with (folder / "passages.jsonl").open("wb") as out:
        for (segment, _), rows in zip(parts, kept, strict=True):
            for row in rows:
                data = segment.record(int(row))
                out.write(data)
                offsets.append(offsets[-1] + len(data))
        _sync(out)
    columns = {}
    for name in TEXT_COLUMNS:
        merged: dict[str, int] = {}
        codes = []
        for (segment, _), rows in zip(parts, kept, strict=True):
            remap = np.asarray(
                [merged.setdefault(v, len(merged)) for v in segment.values[name]], dtype=np.int32
            )
            codes.append(remap[np.asarray(segment.codes[name])[rows]] if len(remap) else
                         np.zeros(len(rows), dtype=np.int32))  # fmt: skip
        columns[name] = (list(merged), _join(codes, np.int32))
    renumbered = []
    start = 0
    for (segment, _), rows in zip(parts, kept, strict=True):
        new_row = np.full(len(segment), -1, dtype=np.int64)
        new_row[rows] = np.arange(start, start + len(rows))
        renumbered.append((segment.postings, new_row))
        start += len(rows)
    sentence_keys, sentence_vectors, of_rows = _merge_sentences(
        [s.sentences for s, _ in parts], kept, dim
    )
    _write(
        folder,
        matrix=_join(
            [s.exact.take(rows) for (s, _), rows in zip(parts, kept, strict=True)],
            np.float32,
            (0, dim),
        ),
        ids=[i for (s, _), rows in zip(parts, kept, strict=True) for i in s.chunk_ids(rows)],
        offsets=np.asarray(offsets, dtype=np.int64),
        columns=columns,
        ints={
            name: _join(
                [np.asarray(s.ints[name])[rows] for (s, _), rows in zip(parts, kept, strict=True)],
                np.int32,
            )
            for name in INT_COLUMNS
        },
        postings=merge_postings(renumbered, n),
        sentence_keys=sentence_keys.astype("S24"),
        sentence_vectors=sentence_vectors,
        of_rows=of_rows,
    )
    return n


def _merge_sentences(tables: list[SentenceTable], kept: list[np.ndarray], dim: int):
    """(sorted keys, their vectors, each kept row's sentences as a CSR or None): the sentences
    of the kept rows only, so a replaced passage's sentences leave with it."""
    picked = []  # per part: (row entries as local key indices, rows' counts) or None
    keys, source, local = [], [], []
    for i, (table, rows) in enumerate(zip(tables, kept, strict=True)):
        if table.of_rows is None:
            wanted = np.arange(len(table.keys))  # which of its sentences rows have: unknown
            picked.append(None)
        else:
            offsets, indices = table.of_rows
            at, counts = _entries(offsets, rows)
            entries = np.asarray(indices[at], dtype=np.int64) if len(at) else np.zeros(0, int)
            wanted = np.unique(entries)
            picked.append((entries, counts))
        keys.append(np.asarray(table.keys)[wanted] if len(wanted) else np.zeros(0, "S24"))
        source.append(np.full(len(wanted), i))
        local.append(wanted)
    all_keys = _join(keys, "S24")
    source_of = _join(source, np.int64)
    local_of = _join(local, np.int64)
    sentence_keys, first = np.unique(all_keys, return_index=True)
    vectors = np.zeros((len(first), dim), dtype=SENTENCE_DTYPE)
    for i, table in enumerate(tables):
        mine = source_of[first] == i
        if mine.any():
            vectors[mine] = table.stored.take(local_of[first][mine])
    if any(p is None for p in picked):
        return sentence_keys, vectors, None
    values, counts = [], []
    for table, (entries, row_counts) in zip(tables, picked, strict=True):
        named = np.asarray(table.keys)[entries] if len(entries) else np.zeros(0, "S24")
        values.append(np.searchsorted(sentence_keys, named))
        counts.append(row_counts)
    offsets = np.zeros(sum(len(c) for c in counts) + 1, dtype=np.int64)
    offsets[1:] = np.cumsum(_join(counts, np.int64))
    return sentence_keys, vectors, (offsets, _join(values, np.int32))


def _join(arrays: list[np.ndarray], dtype, empty_shape=(0,)) -> np.ndarray:
    arrays = [a for a in arrays if len(a)]
    return np.concatenate(arrays).astype(dtype) if arrays else np.zeros(empty_shape, dtype=dtype)


def quantize(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """int8 rows and the per-row scale that restores them (row ≈ int8 × scale)."""
    peak = np.abs(matrix).max(axis=1) if len(matrix) else np.zeros(0, dtype=np.float32)
    scale = np.where(peak > 0, peak / 127.0, 1.0).astype(np.float32)
    return np.round(matrix / scale[:, None]).astype(np.int8), scale


def _write(folder: Path, *, matrix, ids, offsets, columns, ints, postings, sentence_keys,
           sentence_vectors, of_rows=None) -> None:  # fmt: skip
    id_array = np.asarray(
        [i.encode("ascii") for i in ids], dtype=f"S{max(map(len, ids), default=1)}"
    )
    order = np.argsort(id_array, kind="stable").astype(np.int64)
    scan, scale = quantize(matrix)
    arrays = {
        "vectors.npy": matrix.astype(np.float32),
        "vectors-int8.npy": scan,
        "vector-scale.npy": scale,
        "chunk_ids.npy": id_array,
        "id_order.npy": order,
        "sorted_ids.npy": id_array[order],
        "offsets.npy": offsets,
        "sentence_keys.npy": sentence_keys,
        "sentence_vectors.npy": np.asarray(sentence_vectors).astype(SENTENCE_DTYPE),
        **{f"col-{n}.npy": codes for n, (_, codes) in columns.items()},
        **{f"int-{n}.npy": values for n, values in ints.items()},
        **{f"postings-{n}.npy": array for n, array in postings.items()},
    }
    if of_rows is not None:
        arrays[ROW_SENTENCE_OFFSETS], arrays[ROW_SENTENCES] = of_rows
    for name, array in arrays.items():
        with (folder / name).open("wb") as fh:
            np.save(fh, array)
            _sync(fh)
    manifest = {
        "format": FORMAT,
        "passages": len(ids),
        "dimension": int(matrix.shape[1]) if matrix.ndim == 2 else 0,
        "scan_dtype": "int8",
        "sentence_vector_dtype": np.dtype(SENTENCE_DTYPE).name,
        "columns": {n: values for n, (values, _) in columns.items()},
    }
    write_synced(folder / "manifest.json", json.dumps(manifest, ensure_ascii=False))
    fsync_path(folder)


def write_synced(path: Path, text: str) -> None:
    """A text file written and fsynced (before it is renamed into place or relied on)."""
    with path.open("w", encoding="utf-8") as fh:
        fh.write(text)
        _sync(fh)


def _sync(fh) -> None:
    fh.flush()
    os.fsync(fh.fileno())


def fsync_path(path: Path) -> None:
    """fsync a file or a folder (a folder's entries: renames and new files in it)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
