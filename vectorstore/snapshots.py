"""A store's index snapshots on disk: published atomically by writers, followed by readers.

Layout of the index folder:

    .lock            a file lock: one writer at a time, across processes
    changes.log      ids the store changed since the current snapshot (`vectorstore.journal`)
    segments/<name>/ immutable segments (`vectorstore.segment`), shared by snapshots
    .tmp-<pid>-<id>  a segment or snapshot being written (its own folder per writer)
    <name>/          complete snapshots (a manifest naming segments, and deletion lists),
                     named so that newer sort later
    CURRENT          the name of the snapshot in use, replaced atomically

A writer writes segments and a snapshot in temporary folders, fsyncs them, renames them into
place and only then replaces CURRENT (write, fsync, rename). A reader follows CURRENT: it sees
the old snapshot or the new one, never a half-written one, and a writer killed at any point
leaves the last published snapshot in use. Readers never build; they only load what a writer
published.

After an ingest, a publish reads back only the passages the journal names and adds them as a
small segment, with deletion lists for the rows they replace (seconds at any store size). When
small segments or deleted rows pass a threshold (`merge_plan`), a merge folds segments into one
(numpy copies, no text analysed again) and publishes, in the background under the writer lock;
readers never wait for it. `referent index` (`publish`) builds one segment from the whole store.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from danish.analyzer import DanishAnalyzer
from vectorstore import writer_lock
from vectorstore.errors import IndexMissingError, SnapshotError, WriterBusyError
from vectorstore.journal import ChangeJournal
from vectorstore.protocols import PassageStore
from vectorstore.segment import FORMAT
from vectorstore.segment_write import merge_segments, write_segment
from vectorstore.snapshot import SEGMENTS, Snapshot
from vectorstore.snapshot_build import (
    FullTokenizer,
    fsync_path,
    new_name,
    write_manifest,
    write_synced,
)
from vectorstore.writer_lock import OnWait

log = logging.getLogger(__name__)

CURRENT = "CURRENT"
KEEP = 3  # published snapshots kept on disk (readers still on an older one keep its mapping)
MAX_SMALL = 10  # segments after the first before they are merged into one
SMALL_SHARE = 0.25  # ... or when they hold this share of the first segment's rows
DELETED_SHARE = 0.2  # deleted rows (of all rows) before everything is merged
FULL_SHARE = 0.5  # a journal naming this share of the passages: build from scratch instead


def current_name(root: Path) -> str | None:
    try:
        return (root / CURRENT).read_text(encoding="utf-8").strip() or None
    except OSError:
        return None


def merge_plan(manifest: dict) -> tuple[int, int] | None:
    """The run of segments [start, end) a merge should fold into one, or None.

    Everything when deleted rows pass DELETED_SHARE of all rows, or the small segments (all
    after the first) together pass SMALL_SHARE of the first; only the small ones when there
    are more than MAX_SMALL of them (the first, large one is then not rewritten)."""
    segments = manifest.get("segments", [])
    if len(segments) < 2 and not any(s["deleted"] for s in segments):
        return None
    rows = sum(s["rows"] for s in segments)
    deleted = sum(s["deleted"] for s in segments)
    small = sum(s["rows"] for s in segments[1:])
    if rows and deleted / rows > DELETED_SHARE:
        return (0, len(segments))
    if len(segments) > 1 and small > SMALL_SHARE * max(1, segments[0]["rows"]):
        return (0, len(segments))
    if len(segments) - 1 > MAX_SMALL:
        return (1, len(segments))
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
        self.merger: threading.Thread | None = None  # the last background merge
        # the store notes the ids it writes here, for the next publish (`update`); a store
        # already noting for another index folder keeps doing so, and this one builds whole
        self.journal = ChangeJournal(self.root) if hasattr(store, "journal") else None
        if self.journal is not None:
            theirs = store.journal
            if theirs is None or theirs.path == self.journal.path:
                store.journal = self.journal
            else:
                self.journal = None

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
        # a snapshot of an older format is rebuilt once in the current one
        return manifest.get("format", 0) != FORMAT or str(manifest.get("store_generation")) != str(
            self.store.generation()
        )

    def publish_if_stale(self) -> bool:
        with self.locked():
            if not self.is_stale():
                return False
            self.update()
            return True

    def ensure_current(self) -> bool:
        """At start-up: publish when there is no snapshot or it is older than the store,
        unless another process holds the writer lock (it publishes when done)."""
        if not self.is_stale():
            return False
        with self.locked(blocking=False) as held:
            return bool(held) and self.publish_if_stale()

    def publish(self) -> str:
        """Build a snapshot of the store as it is now, in one segment, and make it current."""
        with self.locked():
            generation = self.store.generation()
            tokenizer = FullTokenizer(_analyzer(), self.decompound)
            segment = self._write_segment(
                lambda folder: write_segment(
                    self.store.iter_passages(with_vectors=True),
                    folder,
                    tokenizer,
                    self._sentence_lookup(self._current()),
                    dimension=self.store.embedder.dimension,
                )
            )
            name = self._publish_manifest(generation, [segment], tokenizer.parts)
            self._clear_journal()
            return name

    def update(self) -> str:
        """Publish what changed since the current snapshot: the passages the journal names,
        read back from the store into a new segment, with deletion lists for the rows they
        replace. A full build when that cannot be known (no snapshot of this format, or a write
        the journal did not see: `ChangeJournal.continuous`) or is no cheaper (the journal names
        more than FULL_SHARE of the passages)."""
        with self.locked():
            current = self._current()
            changed = self.journal.ids() if self.journal is not None else []
            generation = self.store.generation()
            if (
                current is None
                or not changed
                or len(changed) > FULL_SHARE * max(len(current), 1)
                or not self.journal.continuous(current.store_generation, generation)
            ):
                return self.publish()
            present = self.store.get_with_vectors(changed)
            entries = self._entries(current)
            for i, _, gone in current.by_segment(current.rows(changed)):  # changed ids' rows
                name, n, deleted = entries[i]
                entries[i] = (name, n, gone if deleted is None else np.union1d(deleted, gone))
            if present:
                entries.append(self._write_segment(
                    lambda folder: write_segment(
                        present, folder, lambda _texts: current.tokenize,
                        self._sentence_lookup(current), dimension=self.store.embedder.dimension,
                    )
                ))  # fmt: skip
            parts = current.manifest.get("compound_parts")
            name = self._publish_manifest(generation, entries, parts)
            self._clear_journal()
            return name

    def merge_due(self) -> bool:
        current = current_name(self.root)
        if current is None:
            return False
        try:
            return merge_plan(_manifest(self.root / current)) is not None
        except (OSError, ValueError, KeyError):
            return False

    def merge(self, everything: bool = False) -> str | None:
        """Fold the segments `merge_plan` names (`everything`: all of them, dropping deleted
        rows) into one and publish; None when there is nothing to merge."""
        with self.locked():
            current = self._current()
            if current is None:
                return None
            plan = (0, len(current.segments)) if everything else merge_plan(current.manifest)
            whole = len(current.segments) < 2 and current.live_mask is None
            if plan is None or (everything and whole):
                return None
            start, end = plan
            entries = self._entries(current)
            parts = list(zip(current.segments[start:end], current.live[start:end], strict=True))
            merged = self._write_segment(lambda folder: merge_segments(parts, folder))
            entries[start:end] = [merged]
            return self._publish_manifest(
                current.store_generation, entries, current.manifest.get("compound_parts")
            )

    def merge_soon(self) -> threading.Thread | None:
        """Merge in a background thread when a merge is due: it waits for the writer lock (the
        caller's ingest still holds it), merges and publishes; readers go on meanwhile. A
        failed merge is logged and left for the next ingest (the published snapshot stays)."""
        if not self.merge_due():
            return None

        def run() -> None:
            try:
                self.merge()
            except Exception:  # a merge is an optimisation; never fatal
                log.exception("Merging index segments in %s failed", self.root)

        self.merger = threading.Thread(target=run, name="referent-merge")
        self.merger.start()
        return self.merger

    # -- the steps --------------------------------------------------------------------------------

    def _current(self) -> Snapshot | None:
        name = current_name(self.root)
        if name is None:
            return None
        try:
            snapshot = Snapshot(self.root / name, _analyzer())
        except SnapshotError:
            return None  # another format, or damaged: the caller builds from scratch
        if snapshot.manifest.get("identity", {}).get("model_id") != self.store.embedder.model_id:
            return None
        return snapshot

    @staticmethod
    def _entries(snapshot: Snapshot) -> list[tuple[str, int, np.ndarray | None]]:
        """(name, rows, deleted rows or None) of each segment: what a manifest is written of."""
        return [
            (s.name, len(s), None if live is None else np.flatnonzero(~live))
            for s, live in zip(snapshot.segments, snapshot.live, strict=True)
        ]

    def _write_segment(self, write) -> tuple[str, int, None]:
        """Run `write(folder)` into a temporary folder and rename it into the segments."""
        self.root.mkdir(parents=True, exist_ok=True)
        tmp = self.root / f".tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        try:
            rows = write(tmp)
            name = new_name()
            (self.root / SEGMENTS).mkdir(exist_ok=True)
            tmp.rename(self.root / SEGMENTS / name)
            fsync_path(self.root / SEGMENTS)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        return name, rows, None

    def _publish_manifest(self, generation: str, entries, compound_parts) -> str:
        # a segment none of whose rows is live any more is left out (pruned with the rest)
        entries = [e for e in entries if e[1] > (0 if e[2] is None else len(np.unique(e[2])))]
        tmp = self.root / f".tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        try:
            identity = {"model_id": self.store.embedder.model_id}
            write_manifest(tmp, generation, identity, entries, compound_parts)
            name = new_name(generation[:12] or "empty")
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

    def _clear_journal(self) -> None:
        """The current snapshot holds every change noted: the journal starts over."""
        if self.journal is not None:
            self.journal.clear()

    def _sentence_lookup(self, current: Snapshot | None):
        """Sentence vectors from the snapshot in use where it has them (most sentences are
        unchanged between generations), the rest from the store; None when the store has
        none (a store from before sentence vectors)."""
        if not self.store.sentences.count():
            return None

        def lookup(keys: list[str]) -> dict[str, np.ndarray]:
            found = current.sentence_vectors(keys) if current is not None else {}
            found.update(self.store.sentences.vectors([k for k in keys if k not in found]))
            return found

        return lookup

    def _prune(self, current: str) -> None:
        """Older snapshots beyond `keep`, segments none of the kept ones names, and temporary
        folders of writers that died (we hold the lock: no live writer owns them)."""
        names = sorted(p.name for p in self.root.iterdir() if p.is_dir() and p.name[0].isdigit())
        kept = set(names[-self.keep :]) | {current}
        for name in names:
            if name not in kept:
                shutil.rmtree(self.root / name, ignore_errors=True)
        used: set[str] = set()
        for name in kept:
            with contextlib.suppress(OSError, ValueError, KeyError):
                used |= {s["name"] for s in _manifest(self.root / name).get("segments", [])}
        if (self.root / SEGMENTS).is_dir():
            for segment in (self.root / SEGMENTS).iterdir():
                if segment.name not in used:
                    shutil.rmtree(segment, ignore_errors=True)
        for tmp in self.root.glob(".tmp-*"):
            shutil.rmtree(tmp, ignore_errors=True)
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
                    known = (
                        {seg.name: seg for seg in self._snapshot.segments} if self._snapshot else {}
                    )  # segments both snapshots name are mapped once
                    self._snapshot = Snapshot(self.root / name, _analyzer(), known)
                except SnapshotError:
                    if self._snapshot is None:
                        raise
                    return self._snapshot  # pruned under us: a newer CURRENT follows
                self.loads += 1
            return self._snapshot
