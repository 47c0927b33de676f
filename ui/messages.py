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
    WriterBusyError,
)


def waiting_message(pid: int | None) -> str:
    """Said once when a writer has to wait for another one (the holder's pid when known)."""
    who = f" (pid {pid})" if pid is not None else ""
    return f"Venter på en anden indlæsning i samme indeks …{who}"


def danish_message(exc: Exception) -> str:
    if isinstance(exc, WriterBusyError):
        who = f" (pid {exc.pid})" if exc.pid is not None else ""
        seconds = round(exc.waited)
        waited = {0: "under et sekund", 1: "1 sekund"}.get(seconds, f"{seconds} sekunder")
        return (
            f"En anden indlæsning{who} skriver stadig i samme indeks; der er ventet i "
            f"{waited}. Prøv igen, når den er færdig."
        )
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
