"""Writes an index snapshot of a store (the write side: after an ingest or an upload).

Everything goes into a folder the caller names (a temporary one; `vectorstore.snapshots`
renames it into place), every file fsynced before the caller publishes it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import numpy as np

from danish.analyzer import DanishAnalyzer, Decompounder
from vectorstore.lexical import lexical_text
from vectorstore.sentences import passage_sentences, sentence_key
from vectorstore.snapshot import (
    FORMAT,
    INT_COLUMNS,
    PASSAGE_DTYPE,
    SENTENCE_DTYPE,
    TEXT_COLUMNS,
)

SentenceLookup = Callable[[list[str]], dict[str, np.ndarray]]
LexicalText = Callable[[str, str, str], str]  # (title, section, text) → the text BM25 indexes


def write_snapshot(
    passages,
    folder: Path,
    store_generation: str,
    identity: dict[str, str],
    decompound: bool = False,
    analyzer: DanishAnalyzer | None = None,
    sentences: SentenceLookup | None = None,
    lexical: LexicalText = lexical_text,
) -> int:
    """Write the snapshot of `passages` ((StoredPassage, vector) pairs) into `folder`; returns
    the number of passages. `sentences` gives the stored vectors of sentence keys: the
    snapshot carries those of its passages' sentences, so answers never read the store's.
    `lexical` makes the text BM25 indexes (another one only in bench/index_ablation.py)."""
    import bm25s
    from bm25s.tokenization import Tokenized

    analyzer = analyzer or DanishAnalyzer()
    folder.mkdir(parents=True)
    values: dict[str, dict[str, int]] = {n: {} for n in TEXT_COLUMNS}
    codes: dict[str, list[int]] = {n: [] for n in TEXT_COLUMNS}
    ints: dict[str, list[int]] = {n: [] for n in INT_COLUMNS}
    ids: list[str] = []
    texts: list[str] = []
    vectors: list[np.ndarray] = []
    offsets = [0]
    keys: dict[str, None] = {}
    dim = 0
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
                for _, sentence in passage_sentences(passage.text, m.section):
                    keys.setdefault(sentence_key(sentence))
            texts.append(lexical(m.title, m.section, passage.text))
            vector = np.asarray(vector, dtype=np.float32)
            dim = dim or int(vector.shape[0])
            vectors.append(vector)
            record = json.dumps({"text": passage.text, "meta": m.to_chroma()}, ensure_ascii=False)
            data = record.encode("utf-8") + b"\n"
            out.write(data)
            offsets.append(offsets[-1] + len(data))
        _sync(out)

    decompounder = Decompounder.learn(analyzer, texts) if decompound else None
    tokenize = decompounder or analyzer
    vocab: dict[str, int] = {"": 0}
    token_ids = [[vocab.setdefault(t, len(vocab)) for t in tokenize(text)] for text in texts]
    if token_ids:
        bm25 = bm25s.BM25()
        bm25.index(Tokenized(ids=token_ids, vocab=vocab), show_progress=False)
        bm25.save(str(folder / "bm25"), show_progress=False)
    doc_freq = np.zeros(len(vocab), dtype=np.int32)
    for doc in token_ids:
        if doc:
            doc_freq[np.unique(np.asarray(doc, dtype=np.int64))] += 1

    id_array = np.asarray(
        [i.encode("ascii") for i in ids], dtype=f"S{max(map(len, ids), default=1)}"
    )
    order = np.argsort(id_array, kind="stable").astype(np.int64)
    found = sentences(list(keys)) if sentences is not None and keys else {}
    sentence_keys = np.asarray(sorted(k.encode("ascii") for k in found), dtype="S24")
    arrays = {
        "vectors.npy": (np.stack(vectors) if vectors else np.zeros((0, dim))).astype(PASSAGE_DTYPE),
        "chunk_ids.npy": id_array,
        "id_order.npy": order,
        "sorted_ids.npy": id_array[order],
        "offsets.npy": np.asarray(offsets, dtype=np.int64),
        "doc_freq.npy": doc_freq,
        "sentence_keys.npy": sentence_keys,
        "sentence_vectors.npy": (
            np.stack([found[k.decode("ascii")] for k in sentence_keys])
            if len(sentence_keys)
            else np.zeros((0, dim))
        ).astype(SENTENCE_DTYPE),
        **{f"col-{n}.npy": np.asarray(codes[n], dtype=np.int32) for n in TEXT_COLUMNS},
        **{f"int-{n}.npy": np.asarray(ints[n], dtype=np.int64) for n in INT_COLUMNS},
    }
    for name, array in arrays.items():
        with (folder / name).open("wb") as fh:
            np.save(fh, array)
            _sync(fh)
    _write_json(folder / "vocab.json", vocab)
    manifest = {
        "format": FORMAT,
        "store_generation": store_generation,
        "passages": len(ids),
        "dimension": dim,
        "vector_dtype": np.dtype(PASSAGE_DTYPE).name,
        "sentence_vector_dtype": np.dtype(SENTENCE_DTYPE).name,
        "identity": identity,
        "columns": {n: list(values[n]) for n in TEXT_COLUMNS},
        "compound_parts": sorted(decompounder.known) if decompounder else None,
    }
    _write_json(folder / "manifest.json", manifest)  # last: a folder with it is complete
    if (folder / "bm25").is_dir():  # bm25s writes its own files: synced here
        for file in (folder / "bm25").iterdir():
            fsync_path(file)
        fsync_path(folder / "bm25")
    fsync_path(folder)
    return len(ids)


def _write_json(path: Path, data) -> None:
    write_synced(path, json.dumps(data, ensure_ascii=False))


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
