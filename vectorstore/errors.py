"""Exceptions raised by the vector store layer, all under `referent_errors.ReferentError`.

Each has an English `str` for the log and a Danish `user_message` that the edges (CLI, UI)
show; the subclass is for code that needs to react differently.
"""

from referent_errors import ReferentError


class VectorStoreError(ReferentError):
    """Base class for every failure of the store, its index or its embedders."""

    technical_message = "The document store failed"
    user_message = "Der opstod en fejl i dokumentlageret."


class StoreUnavailableError(VectorStoreError):
    """The store folder or server cannot be opened."""

    technical_message = "The store cannot be opened"
    user_message = "Dokumentlageret kunne ikke åbnes."


class EmbedderMismatchError(VectorStoreError):
    """The collection was built with a different embedder than the one offered."""

    technical_message = "The store was built with another embedding model"
    user_message = (
        "Dokumentlageret er bygget med en anden indlejringsmodel end den, der er valgt nu. "
        "Vælg samme model som ved indlæsningen, eller indlæs dokumenterne i et nyt lager."
    )


class EmbedderUnavailableError(VectorStoreError):
    """An embedding model cannot be loaded (missing package, missing local files)."""

    technical_message = "The embedding model cannot be loaded"
    user_message = "Indlejringsmodellen kunne ikke indlæses."


class AccessLevelError(VectorStoreError, ValueError):
    """An access level that is not one of public, internal, closed: refused, never guessed."""

    technical_message = "The access level is not known"
    user_message = "Ukendt adgangsniveau; brug public, internal eller closed."


class IndexMissingError(VectorStoreError):
    """No index snapshot has been published for the store yet."""

    technical_message = "No index snapshot has been published"
    user_message = (
        "Søgeindekset er ikke bygget endnu. Kør `referent ingest MAPPE` (eller `referent index`)."
    )


class SnapshotError(VectorStoreError):
    """A snapshot folder that cannot be read (damaged, or written by another format)."""

    technical_message = "The index snapshot cannot be read"
    user_message = "Søgeindekset kunne ikke læses; byg det igen med `referent index`."


class InvalidQueryError(VectorStoreError):
    """The question cannot be searched (empty after trimming)."""

    technical_message = "The question is empty"
    user_message = "Skriv et spørgsmål – det var tomt."


class WriterBusyError(VectorStoreError):
    """Another writer held the index's writer lock for longer than the caller would wait.

    `pid` is the holder's process id when its lock file names a live process, else None.
    """

    technical_message = "Another writer holds the index's writer lock"
    user_message = (
        "En anden indlæsning skriver stadig i samme indeks. Prøv igen, når den er færdig."
    )

    def __init__(self, pid: int | None, waited: float, root: str) -> None:
        self.pid = pid
        self.waited = waited
        who = f"process {pid}" if pid is not None else "another process"
        seconds = round(waited)
        said = {0: "under et sekund", 1: "1 sekund"}.get(seconds, f"{seconds} sekunder")
        pid_da = f" (pid {pid})" if pid is not None else ""
        super().__init__(
            f"The writer lock of {root} is held by {who}; gave up after {waited:.1f} s",
            user_message=f"En anden indlæsning{pid_da} skriver stadig i samme indeks; der er "
            f"ventet i {said}. Prøv igen, når den er færdig.",
        )
