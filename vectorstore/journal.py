"""The ids a store changed since the index snapshot in use: what the next publish must read.

A store notes the ids of an upsert or a delete here *before* it writes them (write-ahead), so
a writer killed between the store write and the publish leaves them for the next publish,
which reads just those passages back from the store (present: written into a new segment;
absent: deleted) instead of the whole collection. Noting an id that was then never written
costs one needless read. The journal lives in the index folder, whose writer lock every
writer holds, and is cleared once a snapshot that includes the changes is current.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

NAME = "changes.log"
WRITE = "#write "  # a line recording one write's generations (no chunk id starts with "#")


class ChangeJournal:
    def __init__(self, root: Path) -> None:
        self.path = Path(root) / NAME

    def note(self, ids: Iterable[str]) -> None:
        """Append ids, durably, before the store writes them."""
        self._append("".join(f"{i}\n" for i in ids if i and "\n" not in i))

    def _append(self, lines: str) -> None:
        if not lines:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, lines.encode("utf-8"))
            os.fsync(fd)
        finally:
            os.close(fd)

    def wrote(self, before: str, after: str) -> None:
        """Record that a write took the store from generation `before` to `after`."""
        self._append(f"{WRITE}{before} {after}\n")

    def continuous(self, start: str, end: str) -> bool:
        """Whether the noted writes are all that happened between the store generations
        `start` (the current snapshot's) and `end` (the store's now): each write began where
        the one before it ended. A write by anyone not noting here (another host writing to
        the same Chroma server, another tool) breaks the chain, and so does a writer killed
        between its write and this record: the publisher then builds from scratch."""
        at = start
        for line in self._lines():
            if line.startswith(WRITE):
                before, _, after = line[len(WRITE) :].partition(" ")
                if before != at:
                    return False
                at = after
        return at == end

    def ids(self) -> list[str]:
        """Every id noted since the last clear, once, in the order first noted; a line cut short
        by a crash is an id that was never written, so it is read like any other."""
        return list(dict.fromkeys(line for line in self._lines() if not line.startswith("#")))

    def _lines(self) -> list[str]:
        try:
            text = self.path.read_text("utf-8", errors="replace")
        except FileNotFoundError:
            return []
        return [line for line in text.splitlines() if line]

    def clear(self) -> None:
        self.path.unlink(missing_ok=True)


class JournaledWrites:
    """What a store does for the journal a publisher attaches to it (`store.journal`): a write
    runs inside `_journaled(ids)`, which notes the ids before it and records the generations it
    went between after it (without a journal, it only changes the generation). A store says how
    it replaces its generation (`_new_generation`)."""

    journal: ChangeJournal | None = None

    def generation(self) -> str:
        raise NotImplementedError

    def _new_generation(self) -> tuple[str, str]:
        """Give the store a new generation; (the one found just before, the new one)."""
        raise NotImplementedError

    @contextmanager
    def _journaled(self, ids: Iterable[str]) -> Iterator[None]:
        """Around one write of these ids: noted before, the generation changed after (not
        when the write fails). The generation recorded as the write's start is the one found
        just before it is replaced, not the one at the start: another client's write meanwhile
        must break the chain."""
        noted = self.journal is not None
        if noted:
            self.journal.note(ids)
        yield
        self._bump_generation(noted)

    def _bump_generation(self, noted: bool = False) -> None:
        found, after = self._new_generation()
        if noted and self.journal is not None:
            self.journal.wrote(found, after)
