"""Writes index snapshots (the write side): a snapshot folder names segments and their
deletions; the segments themselves are written by `vectorstore.segment_write`.

Everything goes into folders the caller names (temporary ones; `vectorstore.snapshots` renames
them into place), every file fsynced, `manifest.json` last.
"""

from __future__ import annotations

import json
import time
import uuid
from pathlib import Path

import numpy as np

from danish.analyzer import DanishAnalyzer, Decompounder
from vectorstore.lexical import lexical_text
from vectorstore.segment import FORMAT
from vectorstore.segment_write import (
    LexicalText,
    SentenceLookup,
    Tokenize,
    fsync_path,
    write_segment,
    write_synced,
)
from vectorstore.snapshot import SEGMENTS

__all__ = [
    "LexicalText",
    "fsync_path",
    "new_name",
    "write_manifest",
    "write_snapshot",
    "write_synced",
]


def new_name(suffix: str = "") -> str:
    """A folder name that sorts after every earlier one."""
    return f"{time.time_ns():020d}-{suffix or uuid.uuid4().hex[:8]}"


class FullTokenizer:
    """The tokeniser of a build from scratch: the analyzer, with compound halves learned from
    the texts when asked (`parts` then holds them for the manifest)."""

    def __init__(self, analyzer: DanishAnalyzer, decompound: bool) -> None:
        self.analyzer = analyzer
        self.decompound = decompound
        self.parts: list[str] | None = None

    def __call__(self, texts: list[str]) -> Tokenize:
        if not self.decompound:
            return self.analyzer
        decompounder = Decompounder.learn(self.analyzer, texts)
        self.parts = sorted(decompounder.known)
        return decompounder


def write_manifest(
    folder: Path,
    store_generation: str,
    identity: dict[str, str],
    segments: list[tuple[str, int, np.ndarray | None]],
    compound_parts: list[str] | None,
) -> None:
    """A snapshot folder naming `segments` ((name, rows, deleted rows or None) in order)."""
    folder.mkdir(parents=True)
    entries = []
    for name, rows, deleted in segments:
        if deleted is not None and len(deleted):
            path = folder / f"deleted-{name}.npy"
            with path.open("wb") as fh:
                np.save(fh, np.unique(np.asarray(deleted, dtype=np.int32)))
                fh.flush()
            fsync_path(path)
        entries.append({
            "name": name, "rows": int(rows),
            "deleted": len(np.unique(deleted)) if deleted is not None else 0,
        })  # fmt: skip
    manifest = {
        "format": FORMAT,
        "store_generation": store_generation,
        "passages": sum(e["rows"] - e["deleted"] for e in entries),
        "identity": identity,
        "segments": entries,
        "compound_parts": compound_parts,
    }
    write_synced(folder / "manifest.json", json.dumps(manifest, ensure_ascii=False))
    fsync_path(folder)


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
    """A snapshot of one segment holding `passages` ((StoredPassage, vector) pairs), in
    `folder` (its segment beside it, in `folder.parent / "segments"`); returns the number of
    passages. For tests and benchmarks; a store's snapshots are published by
    `vectorstore.snapshots.SnapshotPublisher`."""
    tokenizer = FullTokenizer(analyzer or DanishAnalyzer(), decompound)
    name = new_name()
    segment = Path(folder).parent / SEGMENTS / name
    segment.parent.mkdir(parents=True, exist_ok=True)
    n = write_segment(passages, segment, tokenizer, sentences, lexical)
    write_manifest(Path(folder), store_generation, identity, [(name, n, None)], tokenizer.parts)
    return n
