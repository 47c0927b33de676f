"""Holds an index's writer lock in its own process, as a long ingest does, for tests.

Usage: python -m tests.lock_holder INDEX_FOLDER READY_FILE [SECONDS]
Takes the lock through SnapshotPublisher, touches READY_FILE, then sleeps until killed.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from vectorstore.snapshots import SnapshotPublisher


def main() -> None:
    root, ready = Path(sys.argv[1]), Path(sys.argv[2])
    seconds = float(sys.argv[3]) if len(sys.argv) > 3 else 120.0
    with SnapshotPublisher(None, root).locked():  # the lock needs no store
        ready.touch()
        time.sleep(seconds)


if __name__ == "__main__":
    main()
