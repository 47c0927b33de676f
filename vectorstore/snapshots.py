"""A store's index snapshots on disk: published atomically by writers, followed by readers.

Layout of the index folder:

    .lock            a file lock: one writer at a time, across processes
    .tmp-<pid>-<id>  a snapshot being written (its own folder per writer)
    <name>/          complete snapshots, named so that newer sort later
    CURRENT          the name of the snapshot in use, replaced atomically

A writer builds a snapshot in its own temporary folder, fsyncs it, renames it into place and
only then replaces CURRENT (write, fsync, rename). A reader follows CURRENT: it sees the old
snapshot or the new one, never a half-written one, and a writer killed at any point leaves the
last published snapshot in use. Readers never build; they only load what a writer published.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from danish.analyzer import DanishAnalyzer
from vectorstore import writer_lock
from vectorstore.errors import IndexMissingError, SnapshotError, WriterBusyError
from vectorstore.protocols import PassageStore
from vectorstore.snapshot import FORMAT, SentenceTable, Snapshot
from vectorstore.snapshot_build import fsync_path, write_snapshot, write_synced
from vectorstore.writer_lock import OnWait

CURRENT = "CURRENT"
KEEP = 3  # published snapshots kept on disk (readers still on an older one keep its mapping)


def current_name(root: Path) -> str | None:
    try:
        return (root / CURRENT).read_text(encoding="utf-8").strip() or None
    except OSError:
        return None


class SnapshotPublisher:
    """The write side: the writer lock (held by an ingest for its whole run, see
    `ingest.pipeline.Ingestor.run`) and publishing a new snapshot when the writing is done."""

    def __init__(
        self,
        store: PassageStore,
        root: Path,
        decompound: bool = False,
        keep: int = KEEP,
        wait: float | None = None,
        on_wait: OnWait | None = None,
    ) -> None:
        self.store = store
        self.root = Path(root)
        self.decompound = decompound
        self.keep = keep
        # how long a blocking `locked()` waits for another writer before WriterBusyError
        # (None: as long as it takes), and whom to tell once that it waits
        self.wait = wait
        self.on_wait = on_wait
        self._thread_lock = threading.RLock()
        self._depth = 0
        self._fh = None
        self.published = 0

    # -- the writer lock ------------------------------------------------------------------------

    @contextlib.contextmanager
    def locked(self, blocking: bool = True) -> Iterator[bool]:
        """Hold the writer lock (re-entrant within this object); yields whether it is held.

        Blocking, it waits at most `self.wait` seconds for another writer, then raises
        WriterBusyError; non-blocking, it yields False at once when the lock is taken."""
        timeout = -1 if self.wait is None else self.wait
        if not self._thread_lock.acquire(blocking=blocking, timeout=timeout if blocking else -1):
            if blocking:
                raise WriterBusyError(os.getpid(), float(timeout), str(self.root))
            yield False
            return
        try:
            if self._depth == 0:
                self.root.mkdir(parents=True, exist_ok=True)
                path = self.root / ".lock"
                fh = path.open("a+", encoding="utf-8")
                try:
                    held = writer_lock.try_lock(fh)
                    if not held and blocking:
                        writer_lock.acquire(fh, path, self.wait, self.on_wait)
                        held = True
                except BaseException:
                    fh.close()
                    raise
                if not held:
                    fh.close()
                    yield False
                    return
                with contextlib.suppress(OSError):  # the pid is for messages only
                    writer_lock.record_holder(fh)
                self._fh = fh
            self._depth += 1
            try:
                yield True
            finally:
                self._depth -= 1
                if self._depth == 0 and self._fh is not None:
                    writer_lock.release(self._fh)
                    self._fh = None
        finally:
            self._thread_lock.release()

    # -- publishing -----------------------------------------------------------------------------

    def is_stale(self) -> bool:
        name = current_name(self.root)
        if name is None:
            return True
        try:
            manifest = _manifest(self.root / name)
        except (OSError, ValueError):
            return True
        # a snapshot of an older format (float32 vectors) is rebuilt once in the current one
        return manifest.get("format", 0) < FORMAT or str(manifest.get("store_generation")) != str(
            self.store.generation()
        )

    def publish_if_stale(self) -> bool:
        with self.locked():
            if not self.is_stale():
                return False
            self.publish()
            return True

    def ensure_current(self) -> bool:
        """At start-up: publish when there is no snapshot or it is older than the store,
        unless another process holds the writer lock (it publishes when done)."""
        if not self.is_stale():
            return False
        with self.locked(blocking=False) as held:
            return bool(held) and self.publish_if_stale()

    def publish(self) -> str:
        """Build a snapshot of the store as it is now and make it the current one."""
        with self.locked():
            generation = self.store.generation()
            tmp = self.root / f".tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}"
            try:
                write_snapshot(
                    self.store.iter_passages(with_vectors=True),
                    tmp,
                    generation,
                    {"model_id": self.store.embedder.model_id},
                    self.decompound,
                    _analyzer(),
                    self._sentence_lookup(),
                )
                name = f"{time.time_ns():020d}-{generation[:12] or 'empty'}"
                tmp.rename(self.root / name)
                fsync_path(self.root)
                pointer = self.root / f".{CURRENT}-{uuid.uuid4().hex[:8]}"
                write_synced(pointer, name)
                os.replace(pointer, self.root / CURRENT)
                fsync_path(self.root)
            finally:
                shutil.rmtree(tmp, ignore_errors=True)
            self.published += 1
            self._prune(name)
            return name

    def _sentence_lookup(self):
        """Sentence vectors from the snapshot in use where it has them (most sentences are
        unchanged between generations), the rest from the store; None when the store has
        none (a store from before sentence vectors)."""
        if not self.store.sentences.count():
            return None
        previous = None
        name = current_name(self.root)
        if name is not None:
            with contextlib.suppress(OSError, ValueError):
                previous = SentenceTable(self.root / name)

        def lookup(keys: list[str]) -> dict[str, np.ndarray]:
            found = previous.vectors(keys) if previous is not None else {}
            found.update(self.store.sentences.vectors([k for k in keys if k not in found]))
            return found

        return lookup

    def _prune(self, current: str) -> None:
        """Older snapshots beyond `keep`, and temporary folders of writers that died."""
        names = sorted(p.name for p in self.root.iterdir() if p.is_dir() and p.name[0].isdigit())
        for name in names[: -self.keep]:
            if name != current:
                shutil.rmtree(self.root / name, ignore_errors=True)
        for tmp in self.root.glob(".tmp-*"):
            shutil.rmtree(tmp, ignore_errors=True)  # we hold the lock: no live writer owns it
        for pointer in self.root.glob(f".{CURRENT}-*"):
            pointer.unlink(missing_ok=True)


def _manifest(folder: Path) -> dict:
    return json.loads((folder / "manifest.json").read_text("utf-8"))


_ANALYZER: DanishAnalyzer | None = None


def _analyzer() -> DanishAnalyzer:
    global _ANALYZER
    if _ANALYZER is None:
        _ANALYZER = DanishAnalyzer()
    return _ANALYZER


class SnapshotReader:
    """The read side: the current snapshot, loaded once per published name. Checking for a
    newer one reads one small file; nothing is built here."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self._snapshot: Snapshot | None = None
        self._lock = threading.Lock()
        self.loads = 0

    def current(self) -> Snapshot:
        name = current_name(self.root)
        snapshot = self._snapshot
        if snapshot is not None and (name is None or snapshot.name == name):
            return snapshot  # CURRENT unreadable for a moment: keep the one in use
        if name is None:
            raise IndexMissingError(f"No index snapshot is published in {self.root}")
        with self._lock:
            if self._snapshot is None or self._snapshot.name != name:
                try:
                    self._snapshot = Snapshot(self.root / name, _analyzer())
                except SnapshotError:
                    if self._snapshot is None:
                        raise
                    return self._snapshot  # pruned under us: a newer CURRENT follows
                self.loads += 1
            return self._snapshot
