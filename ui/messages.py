"""What the user is told when something fails: one function for the command line and the app.

An expected failure is a `ReferentError` and says itself what to tell the user, in Danish
(`user_message`); its English `str` goes to the log. Anything else is a bug: the user gets one
generic Danish line and the log gets the traceback. Neither ever shows a traceback or an English
message to the user.
"""

from __future__ import annotations

import logging

from referent_errors import ReferentError

log = logging.getLogger("referent")

UNEXPECTED = "Der opstod en uventet fejl; detaljerne er skrevet i loggen."


def user_message(exc: BaseException) -> str:
    """The Danish text to show for `exc`; the technical details are logged."""
    if isinstance(exc, ReferentError):
        log.info("%s: %s", type(exc).__name__, exc)
        return exc.user_message
    log.error("Unexpected error: %s: %s", type(exc).__name__, exc, exc_info=exc)
    return UNEXPECTED


def waiting_message(pid: int | None) -> str:
    """Said once when a writer has to wait for another one (the holder's pid when known)."""
    who = f" (pid {pid})" if pid is not None else ""
    return f"Venter på en anden indlæsning i samme indeks …{who}"
