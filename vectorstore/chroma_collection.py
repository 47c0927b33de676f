"""Opening a Chroma collection the way every collection of a store is opened."""

from __future__ import annotations

from vectorstore.errors import StoreUnavailableError


def open_collection(client, name: str, metadata: dict[str, str], create: bool = True):
    """A cosine collection, created with `metadata` when missing (if `create`); errors in
    Chroma's many types become StoreUnavailableError."""
    try:
        if create:
            return client.get_or_create_collection(
                name,
                configuration={"hnsw": {"space": "cosine"}},
                metadata=metadata,
                embedding_function=None,
            )
        return client.get_collection(name, embedding_function=None)
    except Exception as exc:
        raise StoreUnavailableError(
            f"Cannot open the collection {name!r}: {exc}",
            user_message=f"Samlingen {name} i dokumentlageret kunne ikke åbnes. Er der "
            "indlæst dokumenter i den (`referent ingest MAPPE`)?",
        ) from exc
