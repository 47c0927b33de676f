"""Nyt: the decisions of the meetings since a date, newest first, each with its source; one
button makes a briefing of them all ("Referat-overblik").

Computed from the index snapshot the session may see (access first): a public session sees no
closed decision, nor that there is one.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from assistant.case_citations import citation_of
from assistant.news import default_since, news_since
from danish.committees import display_committee
from danish.dates import danish_date
from ui import render, session

ALL = "Alle udvalg"


def _news():
    found = session.backend()
    if found is None:
        return None, []
    snapshot = found.snapshot()
    access = session.access_level()
    committee = st.session_state.get("news_committee", ALL)
    committee = None if committee == ALL else committee
    since = st.session_state.get("news_since") or default_since(snapshot, committee, access)
    return snapshot, news_since(snapshot, since, committee, access)


def add(chunk_ids: list[str], title: str = "") -> None:
    snapshot, meetings = _news()
    if snapshot is None:
        return
    briefing = session.briefing()
    if title:
        briefing.title = title
    added = 0
    for meeting in meetings:
        for step in meeting.decisions:
            if step.chunk_id in chunk_ids and (citation := citation_of(snapshot, step)):
                briefing.add(citation)
                added += 1
    st.toast(f"{added} tilføjet til briefingen.")


def main() -> None:
    st.title("Nyt")
    st.caption("Beslutningerne fra møderne siden en dato, nyeste først.")
    found = session.backend_or_say()
    if found is None:
        return
    snapshot = found.snapshot()
    access = session.access_level()
    names = sorted({display_committee(c) for c in snapshot.committees if c})
    left, right = st.columns(2)
    committee = left.selectbox("Udvalg", [ALL, *names], key="news_committee")
    chosen = None if committee == ALL else committee
    default = default_since(snapshot, chosen, access)
    since = right.date_input(
        "Siden", value=date.fromisoformat(str(default)) if default else None,
        key="news_since", format="DD.MM.YYYY",
    )  # fmt: skip
    meetings = news_since(snapshot, since, chosen, access)
    if not meetings:
        st.info("Ingen beslutninger i dokumenterne efter den dato.")
        return
    every = [s.chunk_id for m in meetings for s in m.decisions]
    when = danish_date(since.isoformat()) if since else ""
    st.button(
        "Lav referat-overblik (alle til briefingen)", key="news-all", on_click=add,
        args=(every, f"Referat-overblik siden {when}".strip()), icon=":material/summarize:",
    )  # fmt: skip
    for m_i, meeting in enumerate(meetings):
        day = danish_date(meeting.meeting_date) if meeting.meeting_date else render.UNKNOWN
        st.subheader(render.md_escape(f"{meeting.committee or render.UNKNOWN} · {day}"))
        for s_i, step in enumerate(meeting.decisions):
            with st.container(border=True):
                item = f"Punkt {step.item_number}: " if step.item_number else ""
                case = f" (sag {step.case_number})" if step.case_number else ""
                st.markdown(f"**{render.md_escape(item + step.title)}**{render.md_escape(case)}")
                render.step_body(step, f"news-add-{m_i}-{s_i}", add, ([step.chunk_id],))


main()
