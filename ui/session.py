"""Heavy objects built once per process (st.cache_resource) and per-user state (session_state).

Pages call these helpers and never build stores or models themselves, so an idle rerun costs
dictionary look-ups, not reloading an embedder. Resources are keyed by the settings that shape
them, so two stores in one process (tests) never share an assistant.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import streamlit as st

from assistant.briefing import Briefing
from ui.backend import Backend
from ui.config import Settings, SettingsError, for_municipality, load_settings
from ui.messages import user_message
from vectorstore.errors import StoreUnavailableError
from vectorstore.filters import SearchFilters, allowed_access
from vectorstore.snapshot import Summary

LEVEL_LABELS = {
    "public": "Offentlig",
    "internal": "Intern",
    "closed": "Lukket (alle dokumenter)",
}


# -- settings and resources ----------------------------------------------------------------------


def base_settings() -> Settings:
    """Loaded once per session: environment and TOML do not change under a running session.

    A bad setting stops the page with its Danish line (and is read again on the next run)."""
    if "_settings" not in st.session_state:
        try:
            st.session_state["_settings"] = load_settings()
        except SettingsError as exc:
            st.error(user_message(exc), icon=":material/error:")
            st.stop()
    return st.session_state["_settings"]


def municipality() -> str | None:
    """The municipality this session asks about, when the deployment serves several."""
    names = list(base_settings().municipalities)
    if not names:
        return None
    if st.session_state.get("municipality") not in names:
        st.session_state["municipality"] = names[0]
    return st.session_state["municipality"]


def settings() -> Settings:
    """The settings of the chosen municipality's collection: its store, index and uploads."""
    return for_municipality(base_settings(), municipality())


def settings_key(s: Settings) -> str:
    fields = ("store_dir", "chroma_url", "chroma_tenant", "chroma_database", "collection",
              "embedder", "llm", "llm_base_url")  # fmt: skip
    return json.dumps({f: str(getattr(s, f)) for f in fields}, sort_keys=True)


# one entry per municipality served (opened on first use; the least recently used beyond
# the bound is closed): a worker's memory follows what it serves
@st.cache_resource(show_spinner="Åbner dokumentlageret …", max_entries=8)
def _backend(key: str, _settings: Settings) -> Backend:
    from ui import factory

    return factory.build_backend(_settings)  # StoreUnavailableError is not cached


def backend() -> Backend | None:
    """The store's backend, or None when no store exists yet (the pages explain what to do).

    Other store failures (wrong embedder, server down) raise VectorStoreError for the page.
    """
    s = settings()
    try:
        return _backend(settings_key(s), s)
    except StoreUnavailableError:
        if s.chroma_url:
            raise
        return None


NO_DOCUMENTS = "Der er ingen dokumenter endnu."


def backend_or_say(empty: str = NO_DOCUMENTS) -> Backend | None:
    """The backend for a page, or None after saying why there is none: the store's failure in
    Danish, or `empty` when there is no store yet."""
    try:
        found = backend()
    except Exception as exc:
        st.error(user_message(exc))
        return None
    if found is None:
        st.info(empty)
    return found


@st.cache_resource(show_spinner="Forbereder indlæsningen …", max_entries=8)
def _new_store(key: str, _settings: Settings):
    """A store created for the first upload (before it, `backend()` has none to share)."""
    from ui.factory import build_store

    return build_store(_settings, create=True)


def ingestor(access: str, on_wait=None):
    """An ingestor writing with `access` as the level of documents that carry none; `on_wait`
    is told once when it has to wait for another writer (it gives up after `writer_wait`).

    It shares the open store (and its embedder) when there is one; otherwise it creates the
    store.
    """
    from ui.factory import build_ingestor

    s = settings()
    found = backend()
    store = found.store if found is not None else _new_store(settings_key(s), s)
    return build_ingestor(s, store, access, on_wait)


# -- what a session may see ----------------------------------------------------------------------


def access_level() -> str:
    """The logged-in user's level, else the deployment's configured level."""
    user = st.session_state.get("user")
    return user["level"] if user else settings().access_level


def upload_access() -> str:
    """Uploads get the configured default level, never one the uploader could not see."""
    levels = allowed_access(access_level())
    default = settings().default_access
    return default if default in levels else levels[-1]


IndexView = Summary  # what one access level may see, summarised by the snapshot


def index_view(found: Backend) -> IndexView:
    """Computed once per snapshot and access level (the snapshot caches it)."""
    return found.snapshot().summary(access_level())


def page_allowed(found: Backend, source: str, page: int, level: str) -> bool:
    """Whether every passage on a PDF page is one this session may see: a page image shows
    everything on the page, so one passage above the session's level keeps it hidden."""
    try:
        return found.snapshot().page_allowed(source, page, level)
    except Exception:  # an index error: no image rather than a guess
        return False


# -- per-user state ------------------------------------------------------------------------------


@dataclass
class ChatTurn:
    question: str
    filters: SearchFilters
    mode: str = "extractive"
    skip_derived: list[str] = field(default_factory=list)
    answer: Any = None  # assistant.answer.Answer, once answered
    error: str = ""  # a Danish message when the question could not be answered


def init_state() -> None:
    ss = st.session_state
    ss.setdefault("turns", [])
    ss.setdefault("briefing", Briefing(title="Briefing"))
    ss.setdefault("pending", None)  # index of a turn to (re-)answer on this run
    ss.setdefault("upload_report", None)
    ss.setdefault("user", None)


def turns() -> list[ChatTurn]:
    return st.session_state["turns"]


def briefing() -> Briefing:
    return st.session_state["briefing"]
