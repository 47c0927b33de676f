"""Sager: a case through the committees as a timeline, each step quoted with its source.

Everything comes from the index snapshot the session may see (access first), so a public
session sees neither closed steps nor that they exist. A case opens from `?sag=NUMMER` too, so a
case number in an answer or a source card links here.
"""

from __future__ import annotations

import streamlit as st

from assistant.case_citations import citation_of
from assistant.cases import case_history, find_cases
from danish.dates import danish_date
from ui import render, session


def add_step(chunk_id: str) -> None:
    found = session.backend()
    if found is None:
        return
    snapshot = found.snapshot()
    history = case_history(snapshot, st.session_state.get("case_open", ""), session.access_level())
    step = (
        next((t for t in history.treatments if t.chunk_id == chunk_id), None) if history else None
    )
    citation = citation_of(snapshot, step) if step else None
    if citation is not None:
        session.briefing().add(citation)
        st.toast("Tilføjet til briefingen.")


def timeline(history) -> None:
    st.subheader(render.md_escape(f"Sag {history.case_number}: {history.title}"))
    st.info(render.md_escape(history.status))
    for i, step in enumerate(history.treatments):
        when = danish_date(step.meeting_date) if step.meeting_date else render.UNKNOWN
        item = f", punkt {step.item_number}" if step.item_number else ""
        with st.container(border=True):
            st.markdown(f"**{when} · {render.md_escape(step.committee or render.UNKNOWN)}**{item}")
            st.caption(render.md_escape(step.title))
            render.step_body(step, f"case-add-{i}", add_step, (step.chunk_id,), recommendation=True)


def main() -> None:
    st.title("Sager")
    st.caption("Følg en sag gennem udvalgene: søg på sagsnummer eller ord fra titlen.")
    found = session.backend_or_say()
    if found is None:
        return
    snapshot = found.snapshot()
    access = session.access_level()
    asked = st.query_params.get("sag", "")
    query = st.text_input("Sagsnummer eller ord fra titlen", value=asked, key="case_query")
    if not query.strip():
        return
    candidates = find_cases(snapshot, query, access)
    if not candidates:
        st.warning(f"Ingen sag passer på «{query}».")
        return
    if len(candidates) > 1:
        labels = {
            f"{c.case_number} – {c.title} ({danish_date(c.last_date) if c.last_date else '?'})":
            c.case_number
            for c in candidates
        }  # fmt: skip
        chosen = st.selectbox("Flere sager passer; vælg en", list(labels), key="case_pick")
        number = labels[chosen]
    else:
        number = candidates[0].case_number
    history = case_history(snapshot, number, access)
    if history is None:
        st.warning(f"Ingen sag passer på «{query}».")
        return
    st.session_state["case_open"] = number
    timeline(history)


main()
