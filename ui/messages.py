"""Danish messages for expected failures, shown at the edges instead of tracebacks."""

from __future__ import annotations

from assistant.errors import AssistantError
from ingest.errors import IngestError
from vectorstore.errors import (
    AccessLevelError,
    EmbedderMismatchError,
    EmbedderUnavailableError,
    IndexMissingError,
    SnapshotError,
    StoreUnavailableError,
    VectorStoreError,
)


def danish_message(exc: Exception) -> str:
    if isinstance(exc, EmbedderMismatchError):
        return (
            "Dokumentlageret er bygget med en anden indlejringsmodel end den, der er valgt nu. "
            "Vælg samme model som ved indlæsningen, eller indlæs dokumenterne i et nyt lager. "
            f"(Detaljer: {exc})"
        )
    if isinstance(exc, StoreUnavailableError):
        return f"Dokumentlageret kunne ikke åbnes. (Detaljer: {exc})"
    if isinstance(exc, EmbedderUnavailableError):
        return f"Indlejringsmodellen kunne ikke indlæses. (Detaljer: {exc})"
    if isinstance(exc, AccessLevelError | IndexMissingError):
        return str(exc)  # written in Danish where raised
    if isinstance(exc, SnapshotError):
        return f"Søgeindekset kunne ikke læses; byg det igen med `referent index`. ({exc})"
    if isinstance(exc, VectorStoreError):
        return f"Fejl i dokumentlageret: {exc}"
    if isinstance(exc, IngestError):
        return str(exc)
    if isinstance(exc, AssistantError):
        return getattr(exc, "message", "") or str(exc)
    return f"Uventet fejl: {exc}"
