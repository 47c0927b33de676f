"""The LangChain retriever over a real store: the example meetings and memo, ingested and
embedded with the default engine (the session's `example_searcher`)."""

import pytest
from langchain_core.documents import Document
from langchain_core.runnables import RunnableLambda

from assistant.langchain_retriever import ReferentRetriever
from assistant.retrieve import Retriever
from vectorstore.filters import SearchFilters

HEATING = "Hvad har byrådet besluttet om varmen i skolerne?"
LAND_SALE = "Salg af erhvervsgrund i erhvervsområdet Lindbæk Syd"  # a closed item, case 25-001502

METADATA_KEYS = {
    "chunk_id", "source", "title", "committee", "meeting_date", "case_number", "item_number",
    "item_title", "section", "page_start", "page_end", "doc_type", "access", "url", "score",
}  # fmt: skip


@pytest.fixture
def retriever(example_searcher) -> Retriever:
    return Retriever(example_searcher[0])


def test_documents_carry_the_passage_and_its_citation(retriever):
    docs = ReferentRetriever(retriever=retriever, k=5).invoke(HEATING)
    assert docs and all(isinstance(d, Document) for d in docs)
    assert all(set(d.metadata) == METADATA_KEYS for d in docs)
    decision = next(d for d in docs if d.page_content.startswith("Beslutning: Byrådet godkendte"))
    m = decision.metadata
    assert m["source"].startswith("Byrådet_2025-03-24T17:00:00+01:00_")
    assert m["case_number"] == "24-018452"
    assert m["committee"] == "Byrådet" and m["meeting_date"] == "2025-03-24"
    assert m["item_number"] == "3" and m["item_title"].startswith("Varmen i skolerne")
    assert m["access"] == "public" and m["score"] > 0
    assert decision.id == m["chunk_id"]
    # the same passages, in the same order, as the project's own retrieval
    hits = retriever.retrieve(HEATING, k=5, filters=SearchFilters()).hits
    assert [d.metadata["chunk_id"] for d in docs] == [h.chunk_id for h in hits]
    assert [d.page_content for d in docs] == [h.text for h in hits]


def test_k_is_respected(retriever):
    assert len(ReferentRetriever(retriever=retriever, k=2).invoke(HEATING)) == 2
    assert len(ReferentRetriever(retriever=retriever, k=7).invoke(HEATING)) == 7


def test_access_filter_excludes_closed_passages(retriever):
    staff = ReferentRetriever(retriever=retriever, k=10, filters=SearchFilters(access="closed"))
    closed = [d for d in staff.invoke(LAND_SALE) if d.metadata["access"] == "closed"]
    assert {d.metadata["case_number"] for d in closed} == {"25-001502"}
    public = ReferentRetriever(retriever=retriever, k=10).invoke(LAND_SALE)
    assert len(public) == 10
    assert {d.metadata["access"] for d in public} == {"public"}
    assert "25-001502" not in {d.metadata["case_number"] for d in public}


def test_other_filters_apply_and_it_composes_in_a_chain(retriever):
    filters = SearchFilters(committee="Økonomiudvalget")
    chain = ReferentRetriever(retriever=retriever, k=3, filters=filters) | RunnableLambda(
        lambda docs: [d.metadata["committee"] for d in docs]
    )
    assert chain.invoke("budgetopfølgning") == ["Økonomiudvalget"] * 3
