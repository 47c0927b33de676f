"""Uploads: check size, type and name before anything is written, then ingest what passed.

An upload is a document of its own: it is named `uploads/<date>/<name>` (a number added when
the name is taken), recorded with who uploaded it, and never replaces a document by name.
Replacing a document is a logged-in staff member's explicit choice (`replacement`).

Nothing here imports Streamlit: an upload is anything with `.name`, `.size` and `.getvalue()`,
so the checks are tested without a browser. A rejected file becomes a failed `FileResult`, and
the page shows it in the same report as the files the pipeline rejected.
"""

from __future__ import annotations

import logging
import os
import re
import unicodedata
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Protocol

from ingest.pipeline import DiscoveredFile
from ingest.report import FileResult, IngestReport
from ui.config import Settings

log = logging.getLogger("referent.uploads")
UPLOAD_NAMESPACE = "uploads"  # uploads are stored as uploads/<date>/<name>
ANONYMOUS = "anonym"  # who uploaded, for a session that has not logged in

# extension → what the first bytes must look like ("text": no NUL bytes)
ALLOWED_TYPES = {
    ".pdf": "pdf",
    ".docx": "zip",
    ".doc": "ole",  # Word 97–2003
    ".txt": "text",
    ".md": "text",
    ".html": "text",
    ".htm": "text",
    ".json": "text",
}
TYPE_LABEL = "PDF, DOCX, Word 97 (.doc), TXT, Markdown, HTML eller mødeportal-JSON"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the container of Word 97–2003 files
MAX_NAME_CHARS = 120
_UNSAFE = re.compile(r"[^\w.()+,\- ]", re.UNICODE)


class Upload(Protocol):
    name: str
    size: int

    def getvalue(self) -> bytes: ...


@dataclass
class Checked:
    original: str
    name: str  # the safe name it is stored under
    reason: str = ""  # Danish, when rejected

    @property
    def ok(self) -> bool:
        return not self.reason


def upload_folder(settings: Settings) -> Path:
    """Per municipality when several are served: one's uploads never land in another's."""
    base = settings.upload_dir
    if base is None:
        base = (settings.cache_dir if settings.chroma_url else settings.store_dir) / "uploads"
    own = [name for name, c in settings.municipalities.items() if c == settings.collection]
    return Path(base) / own[0] if own else Path(base)


def safe_name(name: str) -> str:
    """A plain file name: no folders, no "..", no control or shell characters, not hidden."""
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[\\/]", name)[-1]  # the last part of any path, Windows or POSIX
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = _UNSAFE.sub("_", name)
    name = re.sub(r"\.{2,}", ".", name).strip(" .")
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    suffix = suffix[:10]
    stem = stem[: MAX_NAME_CHARS - len(suffix) - 1].strip(" .") or "dokument"
    return f"{stem}.{suffix}" if suffix else stem


def check_upload(name: str, size: int, head: bytes, max_bytes: int) -> Checked:
    """Size, type and content signature; `head` is the first bytes of the file."""
    safe = safe_name(name)
    suffix = Path(safe).suffix.lower()
    if size <= 0 or not head:
        return Checked(name, safe, "Filen er tom (0 bytes).")
    if size > max_bytes:
        return Checked(
            name,
            safe,
            f"Filen fylder {size / 1e6:.1f} MB; grænsen er {max_bytes / 1e6:.0f} MB.",
        )
    kind = ALLOWED_TYPES.get(suffix)
    if kind is None:
        shown = suffix or "ingen filendelse"
        return Checked(name, safe, f"Filtypen ({shown}) understøttes ikke. Brug {TYPE_LABEL}.")
    if kind == "pdf" and b"%PDF-" not in head[:1024]:
        return Checked(name, safe, "Filen hedder .pdf, men er ikke en PDF-fil.")
    if kind == "zip" and not head.startswith(b"PK\x03\x04"):
        return Checked(name, safe, "Filen hedder .docx, men er ikke et Word-dokument.")
    if kind == "ole" and not head.startswith(OLE_MAGIC):
        return Checked(name, safe, "Filen hedder .doc, men er ikke et Word 97-2003-dokument.")
    if kind == "text" and b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return Checked(name, safe, f"Filen hedder {suffix}, men indeholder binære data.")
    return Checked(name, safe)


def _free_name(day_folder: Path, source_dir: str, name: str, taken: Callable[[str], bool]) -> str:
    """`name`, or `name (2)`, `name (3)`, … : the first that is neither on disk nor a source."""
    stem, suffix = Path(name).stem, Path(name).suffix
    for n in range(1, 10_000):
        candidate = name if n == 1 else f"{stem} ({n}){suffix}"
        if not (day_folder / candidate).exists() and not taken(f"{source_dir}/{candidate}"):
            return candidate
    raise OSError(f"no free name for {name} in {day_folder}")


def save_uploads(
    files: Sequence[Upload],
    folder: Path,
    max_bytes: int,
    *,
    uploaded_by: str = ANONYMOUS,
    taken: Callable[[str], bool] = lambda source: False,
    today: date | None = None,
) -> tuple[list[DiscoveredFile], list[FileResult]]:
    """Write the files that pass the checks; the others become failed results with a reason.

    Each file is kept as `<folder>/<date>/<name>` and named `uploads/<date>/<name>` in the
    store, with a number added when that name is taken (on disk or by `taken`): an upload
    is always a document of its own and never replaces one by having the same name.
    """
    day = (today or date.today()).isoformat()
    source_dir = f"{UPLOAD_NAMESPACE}/{day}"
    folder = Path(folder)
    day_folder = folder / day
    saved: list[DiscoveredFile] = []
    chosen: set[str] = set()
    rejected: list[FileResult] = []
    for upload in files:
        size = int(getattr(upload, "size", 0) or 0)
        if size > max_bytes:  # decided before the content is even looked at
            checked = check_upload(upload.name, size, b"?", max_bytes)
        else:
            data = upload.getvalue()
            checked = check_upload(upload.name, len(data), data[:1024], max_bytes)
        if not checked.ok:
            rejected.append(FileResult(checked.original, "failed", reason=checked.reason))
            continue
        if checked.name in chosen:
            rejected.append(
                FileResult(checked.original, "failed", reason="Samme filnavn er valgt to gange.")
            )
            continue
        chosen.add(checked.name)
        try:
            day_folder.mkdir(parents=True, exist_ok=True)
            name = _free_name(day_folder, source_dir, checked.name, taken)
            target = (day_folder / name).resolve()
            if target.parent != day_folder.resolve():  # belt and braces after safe_name
                rejected.append(FileResult(checked.original, "failed", reason="Ugyldigt filnavn."))
                continue
            _write_new(target, data)
        except OSError as exc:
            reason = f"Filen kunne ikke gemmes: {exc.strerror or exc}"
            rejected.append(FileResult(checked.original, "failed", reason=reason))
            continue
        source = f"{source_dir}/{name}"
        log.info("upload %s saved as %s by %s", checked.original, source, uploaded_by)
        saved.append(DiscoveredFile(target, folder.resolve(), source, uploaded_by=uploaded_by))
    return saved, rejected


def replacement(
    upload: Upload, folder: Path, max_bytes: int, source: str, staff: str
) -> tuple[DiscoveredFile | None, FileResult | None]:
    """A staff member's explicit replacement of the document at `source` with `upload`.

    The file is kept with the other uploads; the document keeps its source name, so its
    citations, briefings and case history go on pointing at it.
    """
    saved, rejected = save_uploads([upload], folder, max_bytes, uploaded_by=staff)
    if rejected:
        return None, rejected[0]
    log.info("document %s replaced by %s with %s", source, staff, saved[0].path)
    new = saved[0]
    return DiscoveredFile(new.path, new.root, source, uploaded_by=staff, replaces=True), None


def _write_new(target: Path, data: bytes) -> None:
    tmp = target.with_name(f".{uuid.uuid4().hex}.part")
    try:
        tmp.write_bytes(data)
        os.link(tmp, target)  # fails if the name was taken meanwhile: never overwrites
    finally:
        tmp.unlink(missing_ok=True)


def ingest_uploads(
    ingestor, files: Sequence[DiscoveredFile], rejected: list[FileResult], progress=None
) -> IngestReport:
    """Ingest the saved files; files the pipeline rejects are removed from the upload folder."""
    from ingest.errors import IngestError

    if not files and not rejected:
        raise IngestError("No files were given", user_message="Vælg en eller flere filer.")
    try:
        report = ingestor.run(list(files), progress=progress) if files else IngestReport()
    except BaseException:  # nothing was ingested (a busy writer, a store error): keep no files
        for f in files:
            f.path.unlink(missing_ok=True)
        raise
    by_source = {f.source: f.path for f in files}
    for result in report.failed:
        path = by_source.get(result.source)
        if path is not None:
            path.unlink(missing_ok=True)
    report.files = list(rejected) + report.files
    return report
