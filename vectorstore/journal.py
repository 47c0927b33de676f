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
from collections.abc import Iterable
from pathlib import Path

NAME = "changes.log"


class ChangeJournal:
    def __init__(self, root: Path) -> None:
        self.path = Path(root) / NAME

    def note(self, ids: Iterable[str]) -> None:
        """Append ids, durably, before the store writes them."""
        lines = "".join(f"{i}\n" for i in ids if i and "\n" not in i)
        if not lines:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, lines.encode("utf-8"))
            os.fsync(fd)
        finally:
            os.close(fd)

    def ids(self) -> list[str]:
        """Every id noted since the last clear, once, in the order first noted; a line cut short
        by a crash is an id that was never written, so it is read like any other."""
        try:
            text = self.path.read_text("utf-8", errors="replace")
        except FileNotFoundError:
            return []
        return list(dict.fromkeys(line for line in text.splitlines() if line))

    def clear(self) -> None:
        self.path.unlink(missing_ok=True)
