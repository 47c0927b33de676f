"""The index's writer lock: an flock on `<index>/.lock` that can be waited for with a limit.

A blocked `flock` cannot time out, so a waiter with a limit polls with LOCK_NB. The holder
writes its pid into the lock file so that a waiter can say whom it waits for; the kernel drops
the lock of a killed holder but not its pid text, so a pid is believed only while that process
lives, and a holder clears the text before it lets go.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO

from vectorstore.errors import WriterBusyError

POLL_SECONDS = 0.1
ANNOUNCE_AFTER = 0.5  # a holder that wrote no pid (an older version) is announced without one

OnWait = Callable[[int | None], None]  # called once, when a writer starts waiting: the holder


def try_lock(fh: IO[str]) -> bool:
    try:
        fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def acquire(fh: IO[str], path: Path, wait: float | None, on_wait: OnWait | None = None) -> None:
    """Take the lock on `fh` (the open file at `path`); with `wait` seconds at most, then raise
    WriterBusyError. Without a limit and without `on_wait`, block as flock does."""
    if wait is None and on_wait is None:
        fcntl.flock(fh, fcntl.LOCK_EX)
        return
    started = time.monotonic()
    announced = False
    while not try_lock(fh):
        waited = time.monotonic() - started
        holder = lock_holder(path)
        if not announced and (holder is not None or waited >= ANNOUNCE_AFTER):
            announced = True
            if on_wait is not None:
                on_wait(holder)
        if wait is not None and waited >= wait:
            raise WriterBusyError(holder, waited, str(path.parent))
        remaining = POLL_SECONDS if wait is None else wait - waited
        time.sleep(max(0.0, min(POLL_SECONDS, remaining)))


def record_holder(fh: IO[str]) -> None:
    """Write our pid into the lock file we hold (replacing a killed holder's)."""
    fh.seek(0)
    fh.truncate()
    fh.write(f"{os.getpid()}\n")
    fh.flush()


def release(fh: IO[str]) -> None:
    """Clear our pid, then let go of the lock and close the file."""
    try:
        fh.seek(0)
        fh.truncate()
        fh.flush()
    finally:
        fcntl.flock(fh, fcntl.LOCK_UN)
        fh.close()


def lock_holder(path: Path) -> int | None:
    """The pid in the lock file when it names a live process; None when unknown or stale."""
    try:
        pid = int(path.read_text(encoding="utf-8").strip())
    except (OSError, ValueError):
        return None
    if pid <= 0:
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        return pid  # alive, owned by another user
    return pid
