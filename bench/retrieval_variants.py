"""Retrieval variants side by side on a question set: dense, BM25 (with and without compound
splitting) and hybrid fusions. One store, one process; the query vectors are computed once.

Usage: python bench/retrieval_variants.py --store DIR [--questions FILE]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.evaluate import evaluate, load_questions  # noqa: E402
from assistant.retrieve import Retriever  # noqa: E402
from ui.config import load_settings  # noqa: E402
from ui.factory import model_folder  # noqa: E402
from vectorstore.chroma import ChromaStore, open_client  # noqa: E402
from vectorstore.embed_onnx import OnnxE5Embeddings  # noqa: E402
from vectorstore.hybrid import HybridSearcher  # noqa: E402
from vectorstore.snapshots import SnapshotPublisher, SnapshotReader  # noqa: E402


class CachedQueries(OnnxE5Embeddings):
    """The default embedder, remembering query vectors across variants."""

    def __init__(self) -> None:
        super().__init__(lambda: model_folder(load_settings()))
        self._seen: dict[str, object] = {}

    def embed_query_array(self, text: str):
        if text not in self._seen:
            self._seen[text] = super().embed_query_array(text)
        return self._seen[text]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument(
        "--questions", type=Path, default=ROOT.parent / "shared" / "eval" / "dev-questions.jsonl"
    )
    args = parser.parse_args()
    questions = load_questions(args.questions)
    store = ChromaStore(open_client(args.store, create=False), CachedQueries(), create=False)
    with tempfile.TemporaryDirectory() as tmp:
        SnapshotPublisher(store, Path(tmp) / "plain").publish()
        SnapshotPublisher(store, Path(tmp) / "split", decompound=True).publish()
        plain = SnapshotReader(Path(tmp) / "plain")
        split = SnapshotReader(Path(tmp) / "split")
        variants = [
            ("dense", plain, "dense", {}),
            ("bm25", plain, "bm25", {}),
            ("bm25+compounds", split, "bm25", {}),
            ("hybrid rrf60", plain, "hybrid", {}),
            ("hybrid rrf60 +compounds", split, "hybrid", {}),
            ("hybrid rrf20", plain, "hybrid", {"rrf_k": 20}),
            ("hybrid dense×1.5", plain, "hybrid", {"dense_weight": 1.5}),
            ("hybrid bm25×1.5", plain, "hybrid", {"lexical_weight": 1.5}),
            ("hybrid 100 candidates", plain, "hybrid", {"candidates": 100}),
            ("hybrid, no sentence stage", plain, "hybrid", {"sentence_weight": 0}),
            ("hybrid, sentence stage 0.5", plain, "hybrid", {"sentence_weight": 0.5}),
            ("hybrid, sentence stage top 20", plain, "hybrid", {"rescore": 20}),
        ]
        print(f"{'variant':28s} {'R@1':>5s} {'R@5':>5s} {'R@10':>5s} {'MRR@10':>7s}")
        for name, lexical, mode, params in variants:
            searcher = HybridSearcher(store.embedder, lexical, **params)
            report = evaluate(Retriever(searcher), questions, k=10, mode=mode)
            print(f"{name:28s} {report.recall(1):5.2f} {report.recall(5):5.2f} "
                  f"{report.recall(10):5.2f} {report.mrr():7.3f}")  # fmt: skip


if __name__ == "__main__":
    main()
