"""Referent's Streamlit app: page set-up, navigation and the shared sidebar (access, login).

Start it with `referent ui [--store DIR] [--port N]`. The pages in ui/pages/ stay thin: they
call the assistant and ingest APIs through ui.session and render with ui.render.
"""

from __future__ import annotations

import time

import streamlit as st

from ui import session
from ui.messages import user_message
from ui.session import LEVEL_LABELS

_started = time.perf_counter()
st.set_page_config(page_title="Referent", page_icon=":material/description:", layout="wide")
session.init_state()
settings = session.settings()


def _log_in() -> None:
    from ui.auth import UsersFileError, authenticate

    name = st.session_state.get("login_name", "")
    password = st.session_state.get("login_password", "")
    st.session_state["login_password"] = ""
    try:
        user = authenticate(settings.users_file, name, password)
    except UsersFileError as exc:
        st.session_state["login_error"] = user_message(exc)
        return
    if user is None:
        st.session_state["login_error"] = "Forkert brugernavn eller adgangskode."
        return
    st.session_state["login_error"] = ""
    st.session_state["user"] = {"name": user.name, "level": user.level}


def _log_out() -> None:
    """Back to the deployment's level: nothing seen at a higher level stays on screen."""
    from vectorstore.filters import allowed_access

    st.session_state["user"] = None
    st.session_state["turns"] = []
    allowed = allowed_access(settings.access_level)
    kept = session.briefing()
    kept.items = [i for i in kept.items if i.citation.access in allowed]


def _switch_municipality() -> None:
    """A conversation belongs to one municipality's documents: a new choice starts afresh."""
    st.session_state["municipality"] = st.session_state["municipality_choice"]
    st.session_state["turns"] = []
    st.session_state["pending"] = None


def sidebar() -> None:
    with st.sidebar:
        st.markdown("## :material/description: Referent")
        st.caption("Spørg i kommunens referater, dagsordener og notater – svar med kilder.")
        names = list(settings.municipalities)
        if len(names) > 1:
            st.selectbox(
                "Kommune", names, index=names.index(session.municipality()),
                key="municipality_choice", on_change=_switch_municipality,
            )  # fmt: skip
        user = st.session_state.get("user")
        level = session.access_level()
        who = f"{user['name']} · " if user else ""
        st.caption(f"{who}Adgang: **{LEVEL_LABELS[level]}**")
        if settings.users_file is None:
            return
        if user:
            st.button("Log ud", on_click=_log_out, key="logout")
            return
        with st.expander("Log ind (medarbejdere)"):
            with st.form("login", clear_on_submit=False, border=False):
                st.text_input("Brugernavn", key="login_name", max_chars=64)
                st.text_input("Adgangskode", key="login_password", type="password", max_chars=256)
                st.form_submit_button("Log ind", on_click=_log_in)
            if st.session_state.get("login_error"):
                st.error(st.session_state["login_error"])


PAGES = [  # file, title, icon, url path
    ("pages/chat.py", "Spørg", ":material/chat:", "sporg"),
    ("pages/cases.py", "Sager", ":material/account_tree:", "sager"),
    ("pages/news.py", "Nyt", ":material/new_releases:", "nyt"),
    ("pages/briefing.py", "Briefing", ":material/assignment:", "briefing"),
    ("pages/upload.py", "Tilføj dokumenter", ":material/upload_file:", "tilfoej"),
    ("pages/library.py", "Bibliotek", ":material/local_library:", "bibliotek"),
]
pages = [
    st.Page(file, title=title, icon=icon, url_path=url, default=url == "sporg")
    for file, title, icon, url in PAGES
    if settings.allow_uploads or url != "tilfoej"
]
page = st.navigation(pages)
sidebar()
page.run()
st.session_state["_script_ms"] = (time.perf_counter() - _started) * 1000
