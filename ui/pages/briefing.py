"""The briefing panel: the collected citations, reordered, annotated, removed and exported."""

from __future__ import annotations

import re
from datetime import date

import streamlit as st

from assistant.briefing import Briefing
from ui import render, session

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def move(chunk_id: str, offset: int) -> None:
    session.briefing().move(chunk_id, offset)


def remove(chunk_id: str) -> None:
    session.briefing().remove(chunk_id)


def set_note(chunk_id: str) -> None:
    for item in session.briefing().items:
        if item.citation.chunk_id == chunk_id:
            item.note = st.session_state.get(f"note-{chunk_id}", "")[:2000]


def set_title() -> None:
    session.briefing().title = st.session_state.get("briefing_title", "").strip() or "Briefing"


def file_stem(title: str) -> str:
    stem = re.sub(r"[^\wæøåÆØÅ-]+", "_", title).strip("_")[:60] or "briefing"
    return f"{stem}_{date.today().isoformat()}"


def main() -> None:
    st.title("Briefing")
    brief = session.briefing()
    if not brief.items:
        st.info(
            "Briefingen er tom. Stil et spørgsmål på siden **Spørg**, og klik "
            "**Tilføj til briefing** på de kilder, du vil have med."
        )
        st.page_link("pages/chat.py", label="Gå til Spørg", icon=":material/chat:")
        return
    st.text_input("Titel", value=brief.title, key="briefing_title", on_change=set_title)
    # a snapshot, so the export (run on another thread when clicked) sees a stable list
    snapshot = Briefing(brief.title, list(brief.items), list(brief.answers))
    row = st.container(horizontal=True)
    stem = file_stem(brief.title)
    row.download_button(
        "Hent som Word (DOCX)", data=snapshot.docx_bytes, file_name=f"{stem}.docx",
        mime=DOCX_MIME, icon=":material/download:", type="primary", on_click="ignore",
        key="dl-docx",
    )  # fmt: skip
    row.download_button(
        "Hent som Markdown", data=snapshot.to_markdown, file_name=f"{stem}.md",
        mime="text/markdown", icon=":material/download:", on_click="ignore", key="dl-md",
    )  # fmt: skip
    if brief.answers:
        st.subheader("Korte svar")
        cited = set(range(1, len(brief.items) + 1))
        for question, direct in brief.short_answers():
            st.markdown(
                f"**{render.md_escape(question)}**  \n{render.answer_markdown(direct, cited)}"
            )
    st.caption(f"{len(brief.items)} kilde(r). Rækkefølgen her er rækkefølgen i dokumentet.")
    last = len(brief.items) - 1
    for n, item in enumerate(brief.items):
        c = item.citation
        cid = c.chunk_id
        with st.container(border=True):
            head, up, down, drop = st.columns([8, 1, 1, 1.4], vertical_alignment="center")
            head.markdown(f"**[{n + 1}] {render.md_escape(render.card_title(c))}**")
            up.button(
                "", key=f"up-{cid}", on_click=move, args=(cid, -1), disabled=n == 0,
                help="Flyt op", icon=":material/arrow_upward:",
            )  # fmt: skip
            down.button(
                "", key=f"down-{cid}", on_click=move, args=(cid, 1), disabled=n == last,
                help="Flyt ned", icon=":material/arrow_downward:",
            )  # fmt: skip
            drop.button(
                "Fjern", key=f"rm-{cid}", on_click=remove, args=(cid,), icon=":material/delete:"
            )
            st.html(render.meta_html(c) + render.quote_html(c))
            st.text_area(
                "Note", value=item.note, key=f"note-{cid}", on_change=set_note, args=(cid,),
                placeholder="Din kommentar til kilden (kommer med i eksporten)", height=68,
                max_chars=2000,
            )  # fmt: skip


main()
