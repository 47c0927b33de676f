"""Real servers for tests: started on a free loopback port, stopped by their process id."""

from __future__ import annotations

import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running(command: list[str], ready: Callable[[], object], timeout: float = 60) -> Iterator[None]:
    """Start `command`, wait until `ready()` stops raising, stop the process afterwards."""
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + timeout
        while True:
            try:
                ready()
                break
            except Exception:
                if proc.poll() is not None or time.time() > deadline:
                    pytest.fail(f"{command[0]} did not start (exit code {proc.poll()})")
                time.sleep(0.3)
        yield
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
