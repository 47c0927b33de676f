"""The upload page: choose files, see them checked and ingested, read the per-file report."""

from __future__ import annotations

import streamlit as st

from ui import render, session, uploads
from ui.messages import user_message, waiting_message
from ui.session import LEVEL_LABELS
from vectorstore.errors import VectorStoreError
from vectorstore.filters import allowed_access

# Streamlit's upload widget has English text of its own and no option to translate it; the
# words are swapped by CSS (the original is shrunk away, the Danish put in its place).
_UPLOADER_CSS = """<style>
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p {{
  font-size: 0; }}
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p::after {{
  content: "Vælg filer"; font-size: 1rem; }}
[data-testid="stFileUploaderDropzoneInstructions"] span {{ font-size: 0; }}
[data-testid="stFileUploaderDropzoneInstructions"] span::after {{
  content: "Træk filer hertil · højst {mb} MB pr. fil"; font-size: 0.875rem; }}
</style>"""


def danish_uploader(max_mb: int) -> None:
    st.markdown(_UPLOADER_CSS.format(mb=max_mb), unsafe_allow_html=True)


def main() -> None:
    st.title("Tilføj dokumenter")
    s = session.settings()
    if not s.allow_uploads:
        st.info("Upload er slået fra i denne installation.")
        return
    level = session.upload_access()
    st.markdown(
        f"Upload {uploads.TYPE_LABEL}. Højst **{s.max_upload_mb} MB** pr. fil. "
        f"Dokumenter uden eget adgangsniveau gemmes som **{LEVEL_LABELS[level].lower()}**; "
        "punkter mærket «Lukket» i mødeportalens filer forbliver lukkede. "
        "En upload bliver altid et nyt dokument og erstatter aldrig et andet."
    )
    st.session_state.setdefault("uploader_round", 0)
    danish_uploader(s.max_upload_mb)
    files = st.file_uploader(
        "Vælg filer",
        accept_multiple_files=True,
        key=f"uploader-{st.session_state['uploader_round']}",
        max_upload_size=s.max_upload_mb,
        help="Filerne kontrolleres (størrelse, type, navn), før noget gemmes.",
    )
    if st.button("Indlæs filerne", type="primary", disabled=not files, icon=":material/upload:"):
        run_ingest(files or [], level)
    replace_section()
    report = st.session_state.get("upload_report")
    if report is not None:
        st.subheader("Resultat")
        render.show_report(report)
        if report.documents:
            st.page_link(
                "pages/library.py", label="Se biblioteket", icon=":material/local_library:"
            )


def _say_waiting(pid: int | None) -> None:
    st.info(waiting_message(pid), icon=":material/hourglass_top:")


def run_ingest(files, level: str) -> None:
    s = session.settings()
    try:
        found = session.backend()
    except Exception as exc:
        st.error(user_message(exc))
        return
    saved, rejected = uploads.save_uploads(
        files,
        uploads.upload_folder(s),
        s.max_upload_mb * 1_000_000,
        uploaded_by=uploader(),
        taken=lambda source: found is not None and found.catalog.get(source) is not None,
    )
    _ingest(saved, rejected, level)


def _ingest(saved, rejected, level: str) -> None:
    try:
        progress = render.ProgressBar()
        ingestor = session.ingestor(level, on_wait=_say_waiting) if saved else None
        report = uploads.ingest_uploads(ingestor, saved, rejected, progress=progress)
    except Exception as exc:  # a busy writer, a store error, or a bug: Danish, no traceback
        st.error(user_message(exc))
        return
    st.session_state["upload_report"] = report
    st.session_state["uploader_round"] += 1  # a fresh, empty file picker
    st.rerun()


def uploader() -> str:
    user = st.session_state.get("user")
    return user["name"] if user else uploads.ANONYMOUS


def replace_section() -> None:
    """Staff replace a document they may see, by choice: the document keeps its name and level."""
    if st.session_state.get("user") is None:
        return
    try:
        found = session.backend()
    except VectorStoreError:
        return  # the upload above has shown why the store cannot be opened
    if found is None:
        return
    allowed = allowed_access(session.access_level())
    records = {
        r.source: r
        for r in found.catalog.all()
        if r.status == "indexed" and (r.access or "public") in allowed
    }
    if not records:
        return
    s = session.settings()
    with st.expander("Erstat et dokument", icon=":material/find_replace:"):
        st.caption(
            "Den nye fil erstatter dokumentets passager; dokumentet beholder navn og "
            "adgangsniveau, og erstatningen registreres med dit brugernavn."
        )
        source = st.selectbox("Dokument", sorted(records), index=None, placeholder="Vælg …")
        file = st.file_uploader(
            "Ny udgave",
            key=f"replacement-{st.session_state['uploader_round']}",
            max_upload_size=s.max_upload_mb,
        )
        if st.button("Erstat dokumentet", disabled=not (source and file)):
            new, rejected = uploads.replacement(
                file, uploads.upload_folder(s), s.max_upload_mb * 1_000_000, source, uploader()
            )
            level = records[source].access or "public"
            _ingest([new] if new else [], [rejected] if rejected else [], level)


main()
