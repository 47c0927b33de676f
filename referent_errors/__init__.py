"""The root of Referent's expected failures, `ReferentError`: two texts, two readers.

- `str(exc)` is English and technical (paths, library messages), for logs and developers.
- `exc.user_message` is Danish, for the person at the screen. The command line and the app
  show this and nothing else (`ui.messages.user_message`); a failure that is not a
  `ReferentError` is a bug, shown as one generic Danish line with the details in the log.

A class gives both texts as defaults; a raise site overrides what it knows better:

    class StoreUnavailableError(VectorStoreError):
        technical_message = "The store cannot be opened"
        user_message = "Dokumentlageret kunne ikke åbnes."

    raise StoreUnavailableError(
        f"No store exists at {folder}", user_message=f"Der findes intet dokumentlager i {folder}."
    )

`detail` holds specifics kept apart from the message (`str` appends it); `code` is a short
identifier for machines (an ingest report's "encrypted", "too_large").

This package imports nothing of ours: it is the lowest layer (import-linter), so vectorstore,
which imports no other package of ours, can subclass it like everyone else.
"""

from __future__ import annotations

import errno
from typing import Any, ClassVar


class ReferentError(Exception):
    """An expected failure: English `str` for the log, Danish `user_message` for the user."""

    technical_message: ClassVar[str] = "Referent failed"
    user_message: str = "Der opstod en fejl i Referent."
    detail: str = ""
    code: str = ""

    def __init__(
        self,
        message: str = "",
        *,
        user_message: str | None = None,
        detail: str = "",
        code: str | None = None,
    ) -> None:
        super().__init__(message or self.technical_message)
        if user_message is not None:
            self.user_message = user_message
        if detail:
            self.detail = detail
        if code is not None:
            self.code = code

    def __str__(self) -> str:
        text = super().__str__()
        return f"{text}: {self.detail}" if self.detail else text

    def __reduce__(self) -> tuple[Any, ...]:
        # subclasses take their own arguments (WriterBusyError(pid, waited, root)): rebuild
        # from the state, not by calling __init__ again, so an error survives pickling
        return _rebuild, (type(self), self.args, self.__dict__)


def _rebuild(cls: type[ReferentError], args: tuple, state: dict) -> ReferentError:
    exc = cls.__new__(cls)
    exc.args = args
    exc.__dict__.update(state)
    return exc


_OS_REASONS = {
    errno.ENOENT: "findes ikke",
    errno.ENOTDIR: "en del af stien er en fil, ikke en mappe",
    errno.EISDIR: "stien er en mappe",
    errno.EACCES: "ingen adgang",
    errno.EPERM: "ingen adgang",
    errno.ENOSPC: "disken er fuld",
    errno.EROFS: "filsystemet er skrivebeskyttet",
}


def os_reason(exc: BaseException) -> str:
    """Why an operating-system call failed, in Danish ("" when it is not one we name)."""
    number = getattr(exc, "errno", None)
    return _OS_REASONS.get(number, "") if isinstance(number, int) else ""
