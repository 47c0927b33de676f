"""A second writer of the same index waits for the first one, says so, and gives up after a
limit (`--wait`, REFERENT_WRITER_WAIT) with a Danish message; the first writer is a real
process holding the lock, and the lock file names it only while it lives."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import DATA, ROOT
from ui.cli import app
from vectorstore.snapshots import SnapshotPublisher

runner = CliRunner()
INDEX = "index-referent-passages"


@contextmanager
def lock_held_by_another_process(root: Path, tmp_path: Path, seconds: float = 120):
    """A process that took the writer lock of `root` (as a long ingest does) until the end
    (or `seconds`: a writer that never gives up then fails its test instead of hanging)."""
    ready = tmp_path / f"ready-{time.monotonic_ns()}"
    holder = subprocess.Popen(
        [sys.executable, "-m", "tests.lock_holder", str(root), str(ready), str(seconds)], cwd=ROOT
    )
    try:
        deadline = time.time() + 60
        while not ready.exists():
            assert holder.poll() is None, "the lock holder died"
            assert time.time() < deadline, "the lock holder did not take the lock"
            time.sleep(0.02)
        yield holder
    finally:
        if holder.poll() is None:
            holder.kill()
        holder.wait()


def waiting_line(pid: int) -> str:
    return f"Venter på en anden indlæsning i samme indeks … (pid {pid})"


def test_a_second_writer_says_whom_it_waits_for_and_gives_up(tmp_path):
    store = tmp_path / "store"
    first = runner.invoke(app, ["ingest", str(DATA / "cp1252_referat.txt"), "--store", str(store)])
    assert first.exit_code == 0, first.output
    root = store / INDEX
    note = tmp_path / "notat.txt"
    note.write_text("Notat om vejbelysning\n\nUdvalget drøftede vejbelysning.\n", "utf-8")
    with lock_held_by_another_process(root, tmp_path) as holder:
        started = time.monotonic()
        result = runner.invoke(app, ["ingest", str(note), "--store", str(store), "--wait", "1"])
        elapsed = time.monotonic() - started
        assert result.exit_code == 75, result.output
        assert result.stderr.splitlines() == [
            waiting_line(holder.pid),
            f"Fejl: En anden indlæsning (pid {holder.pid}) skriver stadig i samme indeks; der "
            "er ventet i 1 sekund. Prøv igen, når den er færdig. Vent længere med --wait "
            "SEKUNDER.",
        ]
        assert elapsed < 30, "it gives up after about a second (plus opening the store)"

        index = runner.invoke(app, ["index", "--store", str(store), "--wait", "0.3"])
        assert index.exit_code == 75, index.output
        assert index.stderr.splitlines() == [
            waiting_line(holder.pid),
            f"Fejl: En anden indlæsning (pid {holder.pid}) skriver stadig i samme indeks; der "
            "er ventet i under et sekund. Prøv igen, når den er færdig. Vent længere med "
            "--wait SEKUNDER.",
        ]

        # readers are not writers: a search while the lock is held answers from the snapshot
        found = runner.invoke(app, ["search", "budget", "--store", str(store), "--json"])
        assert found.exit_code == 0, found.output
    assert "Traceback" not in result.output + index.output


def test_waiting_longer_than_the_holder_takes_the_lock(tmp_path):
    root = tmp_path / INDEX
    told: list[int | None] = []
    publisher = SnapshotPublisher(None, root, wait=60, on_wait=told.append)
    with lock_held_by_another_process(root, tmp_path) as holder:
        killer = subprocess.Popen(
            [sys.executable, "-c", f"import os, time; time.sleep(1.5); os.kill({holder.pid}, 9)"]
        )
        started = time.monotonic()
        with publisher.locked() as held:
            waited = time.monotonic() - started
            assert held and 1.0 < waited < 30
            assert (root / ".lock").read_text("utf-8") == f"{os.getpid()}\n"
        killer.wait()
    assert told == [holder.pid], "said once, naming the holder"
    assert (root / ".lock").read_text("utf-8") == "", "a released lock names nobody"


def test_a_killed_holder_leaves_a_stale_pid_that_is_not_believed(tmp_path):
    from vectorstore.errors import WriterBusyError
    from vectorstore.writer_lock import lock_holder

    root = tmp_path / INDEX
    with lock_held_by_another_process(root, tmp_path) as holder:
        assert lock_holder(root / ".lock") == holder.pid
        with (
            pytest.raises(WriterBusyError) as busy,
            SnapshotPublisher(None, root, wait=0.2).locked(),
        ):
            pass
        assert busy.value.pid == holder.pid and busy.value.waited >= 0.2
        holder.send_signal(signal.SIGKILL)
        holder.wait()
        assert (root / ".lock").read_text("utf-8") == f"{holder.pid}\n", "the text stays"
        assert lock_holder(root / ".lock") is None, "but names a dead process"
        # the kernel released the lock: the next writer takes it at once and names itself
        with SnapshotPublisher(None, root, wait=0).locked() as held:
            assert held and lock_holder(root / ".lock") == os.getpid()


def test_non_blocking_callers_still_return_at_once(tmp_path):
    root = tmp_path / INDEX
    told: list[int | None] = []
    publisher = SnapshotPublisher(None, root, wait=30, on_wait=told.append)
    with lock_held_by_another_process(root, tmp_path):
        started = time.monotonic()
        with publisher.locked(blocking=False) as held:
            assert held is False
        assert time.monotonic() - started < 1 and told == []


def test_the_upload_page_says_it_waits_and_gives_up_in_danish(tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    store = tmp_path / "store"
    monkeypatch.setenv("REFERENT_STORE_DIR", str(store))
    monkeypatch.setenv("REFERENT_WRITER_WAIT", "1")
    at = AppTest.from_file(str(ROOT / "ui" / "app.py"), default_timeout=120)
    at.run()
    at.switch_page("pages/upload.py").run()
    assert not at.exception
    text = (DATA / "cp1252_referat.txt").read_bytes()
    at.file_uploader[0].set_value([("referat.txt", text, "text/plain")]).run()
    with lock_held_by_another_process(store / INDEX, tmp_path, seconds=45) as holder:
        next(b for b in at.button if b.label == "Indlæs filerne").click().run()
    assert not at.exception, at.exception
    assert [i.value for i in at.info] == [waiting_line(holder.pid)]
    assert [e.value for e in at.error] == [
        f"En anden indlæsning (pid {holder.pid}) skriver stadig i samme indeks; der er ventet "
        "i 1 sekund. Prøv igen, når den er færdig."
    ]
    assert at.session_state["upload_report"] is None
