"""The project's hybrid retrieval as a LangChain retriever, for use in one's own chains.

Each hit becomes a `Document`: the passage text as `page_content` and the citation metadata as
a flat dict. Filters (access included) are applied inside the search, as everywhere else, so a
retriever made for public access never returns an internal or closed passage.
"""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict, Field

from assistant.retrieve import Retriever
from vectorstore.filters import SearchFilters
from vectorstore.records import Hit

CITATION_FIELDS = (
    "source", "title", "committee", "meeting_date", "case_number", "item_number", "item_title",
    "section", "page_start", "page_end", "doc_type", "access", "url",
)  # fmt: skip


def hit_document(hit: Hit) -> Document:
    """A hit as a LangChain document: passage text, and what a citation needs."""
    metadata: dict[str, Any] = {"chunk_id": hit.chunk_id}
    metadata.update({name: getattr(hit.metadata, name) for name in CITATION_FIELDS})
    metadata["score"] = hit.score
    return Document(page_content=hit.text, metadata=metadata, id=hit.chunk_id)


class ReferentRetriever(BaseRetriever):
    """Hybrid search over the store: `ReferentRetriever(retriever=…, k=5).invoke("…")`."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    retriever: Retriever
    k: int = Field(default=8, ge=1)
    filters: SearchFilters = Field(default_factory=SearchFilters)  # access="public" by default

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[Document]:
        result = self.retriever.retrieve(query, k=self.k, filters=self.filters)
        return [hit_document(hit) for hit in result.hits]
