"""Readers in other processes while an ingest writes: snapshots switch whole, and a writer
killed with SIGKILL leaves the last published snapshot in use."""

from __future__ import annotations

import fcntl
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT
from ui.config import load_settings
from ui.factory import build_ingestor, index_folder
from vectorstore.snapshots import current_name

WORD = "saltspredere"
TOPICS = ["vejbelysning", "skolebusser", "legepladser", "cykelstier", "affaldssortering"]


def note(folder: Path, name: str, text: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(f"Notat om {name}\n\n{text}\n", encoding="utf-8")


def rows(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def wait_for(condition, timeout: float, what: str) -> None:
    deadline = time.time() + timeout
    while not condition():
        if time.time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


def lock_held(root: Path) -> bool:
    with (root / ".lock").open("a+") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(fh, fcntl.LOCK_UN)
        return False


def rounds_after(out: Path, moment: float) -> int:
    return sum(1 for r in rows(out) if r.get("start", 0) > moment)


@pytest.fixture
def store_env(tmp_path, monkeypatch, model_folder):
    store = tmp_path / "store"
    monkeypatch.setenv("REFERENT_STORE_DIR", str(store))
    for i, topic in enumerate(TOPICS):
        note(tmp_path / "base", f"{topic}.txt", f"Udvalget drøftede {topic} på mødet nummer {i}.")
    report = build_ingestor(load_settings()).run([tmp_path / "base"])
    assert report.passages == len(TOPICS)
    return tmp_path


def test_an_ingest_under_readers_then_a_killed_one(store_env):
    tmp = store_env
    root = index_folder(load_settings())
    before = current_name(root)
    stop = tmp / "stop"
    outs = [tmp / f"reader-{i}.jsonl" for i in range(2)]
    env = dict(os.environ)
    readers = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.concurrency_reader", str(o), str(stop), WORD],
            cwd=ROOT,
            env=env,
        )
        for o in outs
    ]
    try:
        wait_for(lambda: all(len(rows(o)) >= 3 for o in outs), 120, "the readers to start")

        # 1. an ingest adds a passage with the word while both readers loop
        note(tmp / "extra", "snerydning.txt", f"Vejafdelingen har indkøbt tre nye {WORD}.")
        started = time.time()
        cli = [sys.executable, "-m", "ui.cli", "ingest", str(tmp / "extra")]
        done = subprocess.run(cli, cwd=ROOT, env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        finished = time.time()
        after = current_name(root)
        assert after != before
        wait_for(lambda: all(rounds_after(o, finished) >= 3 for o in outs), 60, "rounds after")

        # 2. a second ingest killed with SIGKILL while it writes
        for i in range(40):
            note(tmp / "more", f"emne-{i}.txt", f"Punkt {i} om kildevand og grundvand nummer {i}.")
        writer = subprocess.Popen([*cli[:-1], str(tmp / "more")], cwd=ROOT, env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        wait_for(lambda: lock_held(root), 60, "the writer to take the lock")
        wait_for(lambda: _store_moved(after, root), 90, "the writer to write passages")
        writer.send_signal(signal.SIGKILL)
        writer.wait()
        killed = time.time()
        assert not lock_held(root), "the kernel releases a dead writer's lock"
        assert current_name(root) == after, "the last good snapshot stays current"
        wait_for(lambda: all(rounds_after(o, killed) >= 3 for o in outs), 60, "rounds after kill")
    finally:
        stop.touch()
        for reader in readers:
            reader.wait(timeout=60)

    for out in outs:
        seen = [r for r in rows(out) if "start" in r]
        assert seen and not [r["error"] for r in seen if "error" in r]
        assert all(r["consistent"] for r in seen)
        assert {r["snapshot"] for r in seen} <= {before, after}
        assert {r["passages"] for r in seen} <= {len(TOPICS), len(TOPICS) + 1}
        old = [r for r in seen if r["end"] < started]
        new = [r for r in seen if r["start"] > finished]
        assert old and all(not r["found"] and r["snapshot"] == before for r in old)
        # no stale result once the write completed, before and after the killed writer
        assert new and all(r["found"] and r["snapshot"] == after for r in new)
        assert all(r["answered"] for r in new)


def _store_moved(published: str, root: Path) -> bool:
    """Whether the store holds writes the published snapshot does not (read in a child, so
    this process keeps no Chroma state of its own)."""
    code = (
        "from ui.config import load_settings; from ui.factory import build_store;"
        "import json,sys; from pathlib import Path;"
        "s=build_store(load_settings(), create=False);"
        f"m=json.loads((Path({str(root)!r})/{published!r}/'manifest.json').read_text());"
        "sys.exit(0 if s.generation()!=m['store_generation'] else 1)"
    )
    return (
        subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True).returncode == 0
    )


def test_a_publish_killed_midway_leaves_the_snapshot_in_use(store_env):
    """SIGKILL while `referent index` writes its snapshot: CURRENT still names the old one, it
    still loads, and the next publish clears the dead writer's folder."""
    import numpy as np

    from ui.factory import build_publisher, build_store
    from vectorstore.records import Passage, PassageMetadata
    from vectorstore.snapshots import SnapshotReader

    # enough passages that writing a snapshot takes seconds (vectors made up: nothing here
    # searches by meaning)
    store = build_store(load_settings())
    rng = np.random.default_rng(1)
    rows = []
    for i in range(3000):
        text = f"Punkt {i} om {TOPICS[i % len(TOPICS)]} og budget {i * 7}."
        m = PassageMetadata(source=f"fylde/{i}.txt", chunk_id=f"fylde-{i:05d}", doc_id=f"d{i}")
        rows.append(Passage(text=text, embed_text=text, metadata=m))
    vectors = rng.normal(size=(len(rows), store.embedder.dimension)).astype(np.float32)
    store.upsert(rows, vectors / np.linalg.norm(vectors, axis=1, keepdims=True))
    root = index_folder(load_settings())
    build_publisher(load_settings(), store).publish()
    before = current_name(root)
    cli = [sys.executable, "-m", "ui.cli", "index"]
    writer = subprocess.Popen(cli, cwd=ROOT, env=dict(os.environ),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    wait_for(lambda: any(root.glob(".tmp-*/passages.jsonl")), 90, "the snapshot being written")
    writer.send_signal(signal.SIGKILL)
    writer.wait()
    assert list(root.glob(".tmp-*")), "killed before it could clean up"
    assert current_name(root) == before
    snapshot = SnapshotReader(root).current()
    assert snapshot.name == before and len(snapshot) == len(TOPICS) + len(rows)
    assert not lock_held(root)
    done = subprocess.run(cli, cwd=ROOT, env=dict(os.environ), capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert current_name(root) != before and not list(root.glob(".tmp-*"))
