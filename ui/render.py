"""Rendering helpers for the app: answers, source cards, highlighted quotes, ingest reports.

Pure functions (`highlight`, `card_meta`, `answer_markdown`) build strings and are tested on
their own; the `show_*` functions put them on the page.
"""

from __future__ import annotations

import html
import re
import urllib.parse
from collections.abc import Collection
from pathlib import Path

import streamlit as st

from assistant.answer import (
    ANSWERED,
    UNCERTAIN,
    Answer,
    Citation,
    quoted_sentences,
)
from danish.committees import display_committee
from danish.dates import danish_date
from ingest.report import FileResult, IngestReport
from ui.uploads import UPLOAD_NAMESPACE
from vectorstore.records import safe_url

CONTEXT_CHARS = 280  # text shown around the cited sentence on a collapsed card
STATUS_DA = {
    "indexed": "Indlæst",
    "updated": "Opdateret",
    "replaced": "Erstattet",
    "unchanged": "Uændret (allerede indlæst)",
    "alternate": "Anden udgave af et indlæst dokument",
    "failed": "Afvist",
    "pruned": "Fjernet",
    "skipped": "Sprunget over",
}
DOC_TYPE_DA = {
    "referat": "Referat",
    "dagsorden": "Dagsorden",
    "opsamling": "Opsamling",
    "politik": "Politik",
    "notat": "Notat",
    "bilag": "Bilag",
    "høringssvar": "Høringssvar",
    "plan": "Plan",
    "andet": "Andet",
}
SOURCE_LINK_LABEL = "Se på kommunens side"
UNKNOWN = "ukendt"  # a field the document did not state: shown, so its absence is seen
MARK_STYLE = "background:#ffe58a;color:inherit;padding:0 .1em;border-radius:2px"


def md_escape(text: str) -> str:
    """Document text shown as Markdown: no accidental formatting, maths or HTML."""
    text = html.escape(text, quote=False)
    return re.sub(r"([\\`*_{}\[\]#+!|$~])", r"\\\1", text)


def answer_markdown(text: str, cited: Collection[int]) -> str:
    """The answer's text, escaped, with its citation numbers set in bold: only the numbers in
    `cited`, the answer's own citations. The composers let no source text pose as a citation
    (`assistant.source_text`); this is the second guard, and keeps a model's unchecked marks
    plain while it streams (pass no numbers)."""

    def bold(match: re.Match[str]) -> str:
        return f"**[{match.group(1)}]**" if int(match.group(1)) in cited else match.group(0)

    escaped = re.sub(r"\\\[(\d{1,2})\\\]", bold, md_escape(text))
    return escaped.replace("\n", "  \n")


def _spans(text: str, quote: str) -> list[tuple[int, int]]:
    """Where the quoted sentence(s) stand in the passage (a quote may join several with …)."""
    spans = []
    for part in quoted_sentences(quote):
        if (at := text.find(part)) >= 0:
            spans.append((at, at + len(part)))
    return sorted(spans)


def highlight(text: str, quote: str, context: int | None = None) -> str:
    """HTML of the passage with the cited sentence(s) in <mark>; trimmed around them if asked."""
    spans = _spans(text, quote)
    start, end = 0, len(text)
    if context is not None and spans:
        start = max(0, spans[0][0] - context)
        end = min(len(text), spans[-1][1] + context)
        if start:
            start = text.find(" ", start) + 1 or start
        if end < len(text):
            end = text.rfind(" ", spans[-1][1], end) if " " in text[spans[-1][1] : end] else end
    elif context is not None:
        end = min(len(text), 2 * context)
    out, pos = [], start
    for a, b in spans:
        if a < pos or b > end:
            continue
        out.append(html.escape(text[pos:a]))
        out.append(f'<mark style="{MARK_STYLE}">{html.escape(text[a:b])}</mark>')
        pos = b
    out.append(html.escape(text[pos:end]))
    body = "".join(out).replace("\n", "<br>")
    return ("… " if start > 0 else "") + body + (" …" if end < len(text) else "")


def pages_label(c: Citation) -> str:
    if not c.page_start:
        return ""
    if c.page_end in (0, c.page_start):
        return f"side {c.page_start}"
    return f"side {c.page_start}–{c.page_end}"


def _item(c: Citation) -> str:
    if not c.item_number:
        return ""
    if not c.item_title or c.item_title == card_title(c):
        return c.item_number
    return f"{c.item_number}. {c.item_title}"


def card_meta(c: Citation) -> list[tuple[str, str]]:
    """The card's reference fields, labelled in Danish: committee and meeting date always
    ("ukendt" when the document did not state them), the others when known."""
    rows = [
        ("Udvalg", display_committee(c.committee) if c.committee else UNKNOWN),
        ("Mødedato", danish_date(c.meeting_date) if c.meeting_date else UNKNOWN),
        ("Punkt", _item(c)),
        ("Sagsnr.", c.case_number),
        ("Afsnit", c.section),
        ("Side", pages_label(c).removeprefix("side ")),
        ("Dokumenttype", DOC_TYPE_DA.get(c.doc_type, c.doc_type)),
        ("Kilde", uploaded_label(c.source)),
    ]
    return [(label, value) for label, value in rows if value]


def uploaded_label(source: str) -> str:
    """Says so when a source came in through the upload page (anyone may have written it)."""
    namespace, _, rest = source.partition("/")
    day, _, name = rest.partition("/")
    return f"uploadet i appen {day}" if namespace == UPLOAD_NAMESPACE and name else ""


def source_label(source: str) -> str:
    """A source's file name, and that it was uploaded in the app when it was."""
    uploaded = uploaded_label(source)
    name = source.rsplit("/", 1)[-1]
    return f"{name} ({uploaded})" if uploaded else name


def card_title(c: Citation) -> str:
    return c.item_title if c.item_title and not c.title else (c.title or c.source)


def url_html(url: str, label: str = SOURCE_LINK_LABEL) -> str:
    """A link to a source's public page, opened in a new tab; "" for no URL or an unsafe one
    (only http/https, percent-encoded, and escaped again for the attribute)."""
    url = safe_url(url)
    if not url:
        return ""
    return (
        f'<a href="{html.escape(url, quote=True)}" target="_blank" rel="noopener noreferrer">'
        f"{html.escape(label)}</a>"
    )


def url_markdown(url: str, label: str = SOURCE_LINK_LABEL) -> str:
    """The same link in Markdown ("" when none): `[label](<url>)`, which no character of a
    checked URL can break out of."""
    url = safe_url(url)
    return f"[{md_escape(label)}](<{url}>)" if url else ""


def step_body(step, key: str, on_add, args: tuple, recommendation: bool = False) -> None:
    """A case step or a decision of the news (`assistant.case_items.Treatment`) inside its
    card: outcome, the decision quoted, (the recommendation), the source with the
    municipality's page, and "Tilføj til briefing"."""
    if step.outcome:
        st.markdown(f"Udfald: **{md_escape(step.outcome)}**")
    if step.decision:
        st.markdown(f"> {md_escape(step.decision)}")
    if recommendation and step.recommendation:
        with st.expander("Indstillingen"):
            st.markdown(md_escape(step.recommendation))
    link = url_markdown(step.url)
    st.caption(f"Kilde: {md_escape(source_label(step.source))}" + (f" · {link}" if link else ""))
    st.button(
        "Tilføj til briefing", key=key, on_click=on_add, args=args,
        icon=":material/playlist_add:",
    )  # fmt: skip


def meta_html(c: Citation) -> str:
    cells = " · ".join(
        f'<span style="white-space:nowrap"><b>{html.escape(k)}:</b> {_value_html(k, v)}</span>'
        for k, v in card_meta(c)
    )
    if link := url_html(c.url):
        cells += f' · <span style="white-space:nowrap">{link} ↗</span>'
    return f'<div style="font-size:.85rem;color:#555;margin:.1rem 0 .4rem">{cells}</div>'


def case_link(case_number: str) -> str:
    """The Sager page's address for a case: a case number on a card opens its history."""
    return f"sager?sag={urllib.parse.quote(case_number)}"


def _value_html(label: str, value: str) -> str:
    if label == "Sagsnr.":
        href = html.escape(case_link(value), quote=True)
        return f'<a href="{href}" target="_self">{html.escape(value)}</a>'
    return html.escape(value)


def quote_html(c: Citation, context: int | None = CONTEXT_CHARS) -> str:
    style = (
        "margin:0;padding:.4rem .8rem;border-left:4px solid #c9a227;background:#fafaf7;"
        "font-size:.95rem;line-height:1.45"
    )
    return f'<blockquote style="{style}">{highlight(c.text, c.quote, context)}</blockquote>'


# -- Streamlit -----------------------------------------------------------------------------------


@st.cache_data(max_entries=64, show_spinner=False)
def page_png(path: str, page: int, mtime: float, dpi: int = 110) -> bytes | None:
    """One PDF page as PNG (cached by file, page and modification time)."""
    import pymupdf

    try:
        with pymupdf.open(path) as doc:
            if not 1 <= page <= doc.page_count:
                return None
            return doc[page - 1].get_pixmap(dpi=dpi).tobytes("png")
    except Exception:  # a file changed or broken since ingest: no image, not a crash
        return None


def source_file(catalog, source: str) -> Path | None:
    """The file a citation came from, when it is still where it was ingested from."""
    try:
        record = catalog.get(source)
    except Exception:
        return None
    if record is None or not (record.path or record.root):
        return None
    path = Path(record.file_path)
    return path if path.is_file() else None


CONFIDENCE_DA = {
    ANSWERED: "Kort svar",
    UNCERTAIN: "Usikkert: jeg fandt ikke et direkte svar på det. Det nærmeste i dokumenterne:",
}


def evidence_markdown(answer: Answer) -> str:
    """The evidence as Markdown: per document one line naming it, then its quotes as a list,
    each with its heading as label and its citation number in bold."""
    cited = {c.n for c in answer.citations}
    lines: list[str] = []
    document = None
    for quote in answer.evidence:
        if quote.document != document:
            lines.append(f"\n*{md_escape(quote.document)}*\n")
            document = quote.document
        lines.append(f"- {answer_markdown(quote.line(), cited)}")
    return "\n".join(lines).strip()


def show_answer_text(answer: Answer) -> None:
    """The direct answer and the evidence beneath it, apart, with the confidence in words."""
    cited = {c.n for c in answer.citations}
    if answer.mode == "llm" or not (answer.direct or answer.evidence):
        st.markdown(answer_markdown(answer.text, cited))
    else:
        if answer.direct:
            st.markdown(f"**{CONFIDENCE_DA[ANSWERED]}**  \n{answer_markdown(answer.direct, cited)}")
        else:
            st.info(CONFIDENCE_DA[UNCERTAIN], icon=":material/help:")
        if answer.evidence:
            if answer.direct:
                st.markdown("**Fra dokumenterne**")
            st.markdown(evidence_markdown(answer))
    for note in answer.notes:
        st.warning(note, icon=":material/warning:")


def show_card(c: Citation, key: str, found, in_briefing: bool, on_add) -> None:
    """A numbered source card: reference, the quote with its sentence marked, and actions."""
    with st.container(border=True):
        head, action = st.columns([5, 2], vertical_alignment="top")
        head.markdown(f"**[{c.n}] {md_escape(card_title(c))}**")
        if in_briefing:
            action.button(
                "I briefingen", key=f"{key}-in", disabled=True, width="stretch",
                icon=":material/check:",
            )  # fmt: skip
        else:
            action.button(
                "Tilføj til briefing",
                key=f"{key}-add",
                on_click=on_add,
                args=(c,),
                icon=":material/add:",
                width="stretch",
            )
        st.html(meta_html(c) + quote_html(c))
        label = "Vis hele passagen" + (" og siden" if c.page_start else "")
        box = st.expander(label, key=f"{key}-exp", on_change="rerun")
        if box.open:  # the page image is rendered only when someone looks
            with box:
                st.html(quote_html(c, context=None))
                st.caption(c.reference())
                if c.page_start:
                    show_page(c, found)


def show_page(c: Citation, found) -> None:
    """The original PDF page(s), when every passage on them is visible to this session."""
    from ui.session import access_level, page_allowed

    path = source_file(found.catalog, c.source)
    if path is None:
        st.caption("Originalfilen er ikke tilgængelig her.")
        return
    if path.suffix.lower() != ".pdf":
        return
    last = max(c.page_start, c.page_end or c.page_start)
    for page in range(c.page_start, min(last, c.page_start + 1) + 1):
        if not page_allowed(found, c.source, page, access_level()):
            st.caption(f"Side {page} vises ikke: den indeholder tekst, du ikke har adgang til.")
            continue
        png = page_png(str(path), page, path.stat().st_mtime)
        if png:
            st.image(png, caption=f"{path.name}, side {page}", width="stretch")


class ProgressBar:
    """The ingest `Progress` protocol shown as a Streamlit progress bar."""

    def __init__(self) -> None:
        self.bar = st.progress(0.0, text="Forbereder …")
        self.total = 1
        self.done = 0
        self.current = ""
        self.passages = 0
        self.passages_written = 0

    def files_total(self, n: int) -> None:
        self.total = max(1, n)

    def file_started(self, source: str) -> None:
        self.current = source
        self.passages, self.passages_written = 0, 0
        self._show()

    def file_done(self, result: FileResult) -> None:
        self.done += 1
        self.passages = 0
        self._show()

    def passages_total(self, n: int) -> None:
        self.passages = n
        self._show()

    def passages_done(self, n: int) -> None:
        self.passages_written += n
        self._show()

    def sentences_total(self, n: int) -> None: ...  # part of a file's passages here

    def sentences_done(self, n: int) -> None: ...

    def index_started(self) -> None:
        self.bar.progress(0.99, text="Opdaterer søgeindekset …")

    def _show(self) -> None:
        part = self.passages_written / self.passages if self.passages else 0.0
        value = min(1.0, (self.done + min(part, 1.0) * 0.99) / self.total)
        text = f"Fil {min(self.done + 1, self.total)} af {self.total}: {self.current}"
        if self.done >= self.total:
            text = f"Færdig: {self.total} fil(er) behandlet."
        elif self.passages:
            text += f" ({min(self.passages_written, self.passages)}/{self.passages} passager)"
        self.bar.progress(value, text=text)


def _remark(f: FileResult) -> str:
    if f.replaced:
        return f"Erstattede dokumentet fra {f.replaced}"
    return f.reason or (f"Samme dokument som {f.alternate_of}" if f.alternate_of else "")


def report_rows(report: IngestReport) -> list[dict[str, object]]:
    return [
        {
            "Fil": f.source,
            "Resultat": STATUS_DA.get(f.status, f.status),
            "Dokumenter": f.documents,
            "Passager": f.passages,
            "Bemærkning": _remark(f),
        }
        for f in report.files
    ]


def show_report(report: IngestReport) -> None:
    """The same per-file report as `referent ingest`, in Danish."""
    s = report.summary()
    cols = st.columns(4)
    cols[0].metric("Filer", s["files"])
    cols[1].metric("Nye/opdaterede dokumenter", report.documents)
    cols[2].metric("Passager skrevet", report.passages)
    cols[3].metric("Afviste filer", s["failed"])
    st.dataframe(report_rows(report), hide_index=True, width="stretch")
    for f in report.failed:
        st.error(f"**{md_escape(f.source)}** blev afvist: {md_escape(f.reason)}")
    if report.orphan_passages:
        st.info(
            f"{report.orphan_passages} forældreløse passager (fra en afbrudt indlæsning af "
            "filer, der ikke længere findes) er fjernet fra lageret."
        )
