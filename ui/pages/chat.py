"""The chat page: filters in the sidebar, the conversation, answers streamed with source cards."""

from __future__ import annotations

import streamlit as st

from assistant.assistant import turn_from
from assistant.timewords import COMMITTEE, PERIOD
from ui import render, session
from ui.messages import user_message
from ui.session import ChatTurn
from vectorstore.filters import SearchFilters
from vectorstore.hybrid import MAX_QUERY_CHARS

NO_STORE = (
    "Der er endnu ingen dokumenter at spørge i. Tilføj dokumenter på siden "
    "**Tilføj dokumenter**, eller indlæs en mappe fra kommandolinjen:\n\n"
    "```\nreferent ingest MAPPE\n```"
)
KINDS_DA = {PERIOD: "periode", COMMITTEE: "udvalg"}


def add_to_briefing(citation) -> None:
    session.briefing().add(citation)


def add_answer_to_briefing(answer) -> None:
    session.briefing().add_answer(answer)


def remove_derived(index: int, kind: str) -> None:
    """One click: ask the same question again without the filter taken from it."""
    turn = session.turns()[index]
    if kind not in turn.skip_derived:
        turn.skip_derived.append(kind)
    turn.answer, turn.error = None, ""
    st.session_state["pending"] = index


def reset_filters() -> None:
    for key in ("f_committee", "f_from", "f_to", "f_type"):
        st.session_state.pop(key, None)


def new_chat() -> None:
    st.session_state["turns"] = []
    st.session_state["pending"] = None


def sidebar_filters(view: session.IndexView) -> SearchFilters:
    with st.sidebar:
        st.markdown("### Filtre")
        committee = st.selectbox(
            "Udvalg", ["", *view.committees], key="f_committee",
            format_func=lambda c: c or "Alle udvalg",
        )  # fmt: skip
        low, high = view.first, view.last
        date_from = st.date_input(
            "Fra dato", value=None, min_value=low, max_value=high, key="f_from",
            format="DD.MM.YYYY",
        )  # fmt: skip
        date_to = st.date_input(
            "Til dato", value=None, min_value=low, max_value=high, key="f_to",
            format="DD.MM.YYYY",
        )  # fmt: skip
        doc_type = st.selectbox(
            "Dokumenttype", ["", *view.doc_types], key="f_type",
            format_func=lambda t: render.DOC_TYPE_DA.get(t, t) if t else "Alle typer",
        )  # fmt: skip
        st.button("Nulstil filtre", on_click=reset_filters, type="tertiary")
    return SearchFilters(
        committee=committee or None,
        date_from=date_from,
        date_to=date_to,
        doc_type=doc_type or None,
    )


def answer_mode(found: session.Backend) -> str:
    s = session.settings()
    if found.assistant.llm is None:
        if s.llm and found.llm_error:
            st.sidebar.warning(f"Sprogmodellen kunne ikke sættes op; svar er uddrag. "
                               f"({found.llm_error})")  # fmt: skip
        return "extractive"
    return st.sidebar.radio(
        "Svarform",
        ["extractive", "llm"],
        format_func=lambda m: "Uddrag fra dokumenterne" if m == "extractive" else
        f"Sprogmodel ({s.llm})",
        key="mode",
        help="Uddrag bruger kun sætninger fra dokumenterne. Sprogmodellens svar kontrolleres; "
        "fejler den, vises uddraget i stedet.",
    )  # fmt: skip


def show_derived(index: int, turn: ChatTurn) -> None:
    answer = turn.answer
    if answer.derived:
        st.caption("Filtre taget fra spørgsmålet – klik for at fjerne:")
        cols = st.columns(len(answer.derived) + 2)
        for col, (kind, label) in zip(cols, answer.derived.items(), strict=False):
            col.button(
                label, key=f"t{index}-drop-{kind}", on_click=remove_derived, args=(index, kind),
                icon=":material/close:", help="Spørg igen uden dette filter",
            )  # fmt: skip
    if turn.skip_derived:
        removed = ", ".join(KINDS_DA.get(k, k) for k in turn.skip_derived)
        st.caption(f"Uden filter fra spørgsmålet: {removed}.")
    own = turn.filters.describe()
    if own:
        st.caption(f"Dine filtre: {own}")


def show_turn(index: int, turn: ChatTurn, found: session.Backend) -> None:
    answer = turn.answer
    if turn.error:
        st.error(turn.error)
        return
    render.show_answer_text(answer)
    if answer.direct:
        kept = any(a.question == answer.question for a in session.briefing().answers)
        st.button(
            "Svaret er i briefingen" if kept else "Tilføj svaret til briefing",
            key=f"t{index}-answer", on_click=add_answer_to_briefing, args=(answer,),
            disabled=kept, icon=":material/playlist_add:",
            help="Det korte svar og dets kilder kommer med i briefingen.",
        )  # fmt: skip
    show_derived(index, turn)
    if answer.citations:
        st.markdown("**Kilder**")
        chosen = {item.citation.chunk_id for item in session.briefing().items}
        for c in answer.citations:
            render.show_card(
                c, f"t{index}-c{c.n}-{c.chunk_id[:10]}", found, c.chunk_id in chosen,
                add_to_briefing,
            )  # fmt: skip


def answer_turn(index: int, turn: ChatTurn, found: session.Backend) -> None:
    """Stream the answer into the page, then keep it in the session."""
    history = [turn_from(t.answer) for t in session.turns()[:index] if t.answer]
    placeholder = st.empty()
    placeholder.markdown("_Søger i dokumenterne …_")
    text, answer = "", None
    try:
        stream = found.assistant.ask_stream(
            turn.question, history, turn.filters, session.access_level(), turn.mode,
            skip_derived=turn.skip_derived,
        )  # fmt: skip
        for part in stream:
            if isinstance(part, str):
                text += part
                placeholder.markdown(render.answer_markdown(text, ()) + " …")  # unchecked yet
            else:
                answer = part
    except Exception as exc:  # expected or not, the user reads Danish, never a traceback
        turn.error = user_message(exc)
    placeholder.empty()
    if answer is None and not turn.error:
        turn.error = "Der kom intet svar. Prøv igen."
    turn.answer = answer
    st.session_state["pending"] = None
    show_turn(index, turn, found)


def main() -> None:
    st.title("Spørg i dokumenterne")
    try:
        found = session.backend()
    except Exception as exc:
        st.error(user_message(exc))
        return
    if found is None:
        st.info(NO_STORE)
        if session.settings().allow_uploads:
            st.page_link(
                "pages/upload.py", label="Tilføj dokumenter", icon=":material/upload_file:"
            )
        return
    view = session.index_view(found)
    filters = sidebar_filters(view)
    mode = answer_mode(found)
    st.sidebar.button("Ny samtale", on_click=new_chat, icon=":material/add_comment:")
    if view.n_passages == 0:
        st.info("Der er ingen dokumenter, du har adgang til, endnu. " + NO_STORE)
        return

    question = st.chat_input(
        "Stil et spørgsmål, fx «Hvad har byrådet besluttet om varmen i skolerne?»",
        max_chars=MAX_QUERY_CHARS,
    )
    if question is not None:
        question = question.strip()
        if not question:
            st.toast("Skriv et spørgsmål – det var tomt.")
        else:
            session.turns().append(ChatTurn(question[:MAX_QUERY_CHARS], filters, mode))
            st.session_state["pending"] = len(session.turns()) - 1

    if not session.turns():
        period = ""
        if view.first and view.last:
            period = f" fra {view.first.strftime('%d-%m-%Y')} til {view.last.strftime('%d-%m-%Y')}"
        st.markdown(
            f"Stil et spørgsmål på almindeligt dansk. Svaret bygger kun på dokumenterne "
            f"({view.n_passages} passager{period}), og hver oplysning har sin kilde."
        )
    pending = st.session_state.get("pending")
    for index, turn in enumerate(session.turns()):
        with st.chat_message("user"):
            st.markdown(render.md_escape(turn.question))
        with st.chat_message("assistant"):
            if index == pending or (turn.answer is None and not turn.error):
                answer_turn(index, turn, found)
            else:
                show_turn(index, turn, found)


main()
