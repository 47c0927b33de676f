"""Uploads: check size, type and name before anything is written, then ingest what passed.

Nothing here imports Streamlit: an upload is anything with `.name`, `.size` and `.getvalue()`,
so the checks are tested without a browser. A rejected file becomes a failed `FileResult`, and
the page shows it in the same report as the files the pipeline rejected.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from ingest.report import FileResult, IngestReport
from ui.config import Settings

# extension → what the first bytes must look like ("text": no NUL bytes)
ALLOWED_TYPES = {
    ".pdf": "pdf",
    ".docx": "zip",
    ".txt": "text",
    ".md": "text",
    ".html": "text",
    ".htm": "text",
    ".json": "text",
}
TYPE_LABEL = "PDF, DOCX, TXT, Markdown, HTML eller mødeportal-JSON"
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
    if kind == "text" and b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return Checked(name, safe, f"Filen hedder {suffix}, men indeholder binære data.")
    return Checked(name, safe)


def save_uploads(
    files: Sequence[Upload], folder: Path, max_bytes: int
) -> tuple[list[Path], list[FileResult]]:
    """Write the files that pass the checks; the others become failed results with a reason."""
    saved: dict[str, Path] = {}
    rejected: list[FileResult] = []
    folder = Path(folder)
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
        if checked.name in saved:
            rejected.append(
                FileResult(checked.original, "failed", reason="Samme filnavn er valgt to gange.")
            )
            continue
        target = (folder / checked.name).resolve()
        folder.mkdir(parents=True, exist_ok=True)
        if target.parent != folder.resolve():  # belt and braces after safe_name
            rejected.append(FileResult(checked.original, "failed", reason="Ugyldigt filnavn."))
            continue
        tmp = target.with_name(f".{uuid.uuid4().hex}.part")
        try:
            tmp.write_bytes(data)
            tmp.replace(target)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            reason = f"Filen kunne ikke gemmes: {exc.strerror}"
            rejected.append(FileResult(checked.original, "failed", reason=reason))
            continue
        saved[checked.name] = target
    return list(saved.values()), rejected


def ingest_uploads(ingestor, paths: Sequence[Path], rejected: list[FileResult], progress=None):
    """Ingest the saved files; files the pipeline rejects are removed from the upload folder."""
    from ingest.errors import IngestError

    report = ingestor.run(list(paths), progress=progress) if paths else IngestReport()
    by_name = {p.name: p for p in paths}
    for result in report.failed:
        path = by_name.get(result.source)
        if path is not None:
            path.unlink(missing_ok=True)
    report.files = list(rejected) + report.files
    if not paths and not rejected:
        raise IngestError("Vælg en eller flere filer.")
    return report
