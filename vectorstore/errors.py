"""Exceptions raised by the vector store layer.

Callers at the edges (CLI, UI) catch `VectorStoreError` and show its message; the message is
written for a person, the subclass is for code that needs to react differently.
"""


class VectorStoreError(Exception):
    """Base class for every failure of the store, its index or its embedders."""


class StoreUnavailableError(VectorStoreError):
    """The store folder or server cannot be opened."""


class EmbedderMismatchError(VectorStoreError):
    """The collection was built with a different embedder than the one offered."""


class EmbedderUnavailableError(VectorStoreError):
    """An embedding model cannot be loaded (missing package, missing local files)."""


class AccessLevelError(VectorStoreError, ValueError):
    """An access level that is not one of public, internal, closed: refused, never guessed."""


class IndexMissingError(VectorStoreError):
    """No index snapshot has been published for the store yet."""


class SnapshotError(VectorStoreError):
    """A snapshot folder that cannot be read (damaged, or written by another format)."""


class WriterBusyError(VectorStoreError):
    """Another writer held the index's writer lock for longer than the caller would wait.

    `pid` is the holder's process id when its lock file names a live process, else None.
    """

    def __init__(self, pid: int | None, waited: float, root: str) -> None:
        self.pid = pid
        self.waited = waited
        who = f"process {pid}" if pid is not None else "another process"
        super().__init__(
            f"The writer lock of {root} is held by {who}; gave up after {waited:.1f} s"
        )
