"""Files a publication export names: renditions and attachments of its meeting.

A case system publishes a meeting as an export (eDoc, SBSYS or Acadre XML) with files beside
it: PDFs of each item or of the whole meeting, and the items' attachments (bilag). Read on
their own, those files lose what the export knows: a per-item PDF titled "8." duplicates the
item the export already gives as text, and an attachment has no committee, date or item.

Before any file is read, every export among the files of a run is parsed, and each file it
names (by file name, relative path, or title with any extension) gets a `Companion`:
- `rendition` of an item or of the meeting whose text the export gives: recorded as an
  alternate of the export, never indexed twice;
- `attachment` of an item: indexed as a document of its own with the meeting's committee and
  date, the item's number, title and case number, `doc_type` "bilag", closed when the export
  says it is not public;
- `meeting` or `item`: a rendition whose text the export does not give, indexed with the
  export's metadata;
- `index`: an index of the meeting's files (Acadre's XML_<n>.xml), an alternate of the file
  holding the meeting's text.
The pre-pass makes this independent of the order files are found in. A file two exports claim
differently is left alone. What a companion changes is part of the file's processing
fingerprint, so a file is processed again when its export appears, changes or goes.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePath

from ingest.document import SourceDocument
from ingest.limits import MB, FileLimits
from ingest.loaders.exports import ExportMeeting, read_export

ROLES = ("rendition", "index", "attachment", "item", "meeting")  # by priority, first wins


@dataclass(frozen=True)
class Companion:
    role: str  # one of ROLES
    manifest: str  # source of the export that names the file
    alternate_of: str = ""  # for a rendition or an index: the source holding its text
    metadata: tuple[tuple[str, str], ...] = ()  # fields the file's documents take
    note: str = ""  # Danish, for the report

    @property
    def key(self) -> str:
        """Short digest of what the companion changes, for the file's processing fingerprint."""
        text = repr((self.role, self.alternate_of, self.metadata))
        return hashlib.blake2b(text.encode(), digest_size=6).hexdigest()

    def apply(self, docs: list[SourceDocument]) -> None:
        """Give the file's documents the export's metadata (over what their text suggested)."""
        for doc in docs:
            doc.metadata.update(dict(self.metadata))


@dataclass
class _File:
    path: Path
    source: str
    folder: Path = field(init=False)

    def __post_init__(self) -> None:
        self.folder = self.path.parent


def find_companions(
    files: Iterable[tuple[Path, str]], limits: FileLimits | None = None
) -> dict[str, Companion]:
    """Companions by source, for the (path, source) pairs of one run's files."""
    limits = limits or FileLimits()
    found = [_File(path, source) for path, source in files]
    claims: dict[str, list[Companion]] = {}
    exports = {f.source for f in found if _is_candidate(f, limits)}
    for export in (f for f in found if f.source in exports):
        meetings = _read(export)
        if not meetings:
            continue
        names = _Names(export, [f for f in found if f.source not in exports or _index(meetings)])
        for meeting in meetings:
            for source, companion in _claims(export, meeting, names, found):
                claims.setdefault(source, []).append(companion)
    return {source: c for source, options in claims.items() if (c := _resolve(options))}


def _is_candidate(file: _File, limits: FileLimits) -> bool:
    try:
        small = file.path.stat().st_size <= limits.max_text_mb * MB
    except OSError:
        return False
    return file.path.suffix.lower() == ".xml" and small


def _read(file: _File) -> list[ExportMeeting]:
    try:
        return read_export(file.path.read_bytes(), file.path.stem)
    except Exception:  # not an export, or a broken one: its own ingest reports why
        return []


def _index(meetings: list[ExportMeeting]) -> bool:
    return any(m.is_index for m in meetings)


class _Names:
    """The files at or below an export's folder, found by the names the export uses."""

    def __init__(self, export: _File, files: list[_File]) -> None:
        self.by_name: dict[str, list[_File]] = {}
        for file in files:
            if file is export or not file.path.is_relative_to(export.folder):
                continue
            relative = file.path.relative_to(export.folder).as_posix()
            for key in {relative, file.path.name, file.path.stem}:
                self.by_name.setdefault(_key(key), []).append(file)

    def find(self, names: Iterable[str]) -> list[_File]:
        out: list[_File] = []
        for name in names:
            for file in self.by_name.get(_key(name), []):
                if file not in out:
                    out.append(file)
        return out


def _key(name: str) -> str:
    """A name as files are matched: Unicode NFC, case and path separators ignored."""
    text = unicodedata.normalize("NFC", name.replace("\\", "/")).strip().casefold()
    return PurePath(text).as_posix() if "/" in text else text


def _claims(
    export: _File, meeting: ExportMeeting, names: _Names, found: list[_File]
) -> list[tuple[str, Companion]]:
    out: list[tuple[str, Companion]] = []
    meeting_fields = tuple(meeting.meeting_fields().items())
    holds_text = any(item.has_text for item in meeting.items)
    text_source = export.source if holds_text else ""
    if meeting.is_index:
        agendas = names.find(meeting.index_of)
        text_source = agendas[0].source if agendas else ""
    whole = names.find([*meeting.renditions, meeting.name or meeting.committee])
    for file in whole:
        if text_source and file.source != text_source:
            note = f"Udgave af hele mødet, som {text_source} giver som tekst"
            out.append((file.source, Companion("rendition", export.source, text_source, (), note)))
        elif not text_source:
            title = (("title", meeting.name),) if meeting.name else ()
            fields = meeting_fields + title
            out.append((file.source, Companion("meeting", export.source, "", fields)))
    if meeting.is_index:
        holder = text_source or (whole[0].source if whole else "")
        if holder:
            note = "Indeks over mødets filer; mødet læses fra de filer, det nævner"
            out.append((export.source, Companion("index", export.source, holder, (), note)))
        return out
    for item in meeting.items:
        item_fields = (
            ("item_number", item.number),
            ("item_title", item.title),
            ("case_number", item.case_number),
        )
        for file in names.find(item.renditions):
            if item.has_text:
                note = f"Udgave af punkt {item.number}, som {export.source} giver som tekst"
                out.append(
                    (file.source, Companion("rendition", export.source, export.source, (), note))
                )
            else:
                closed = (("access", "closed"),) if item.closed else ()
                fields = meeting_fields + item_fields + (("title", item.title),) + closed
                out.append((file.source, Companion("item", export.source, "", fields)))
        for attachment in item.attachments:
            closed = (("access", "closed"),) if attachment.closed or item.closed else ()
            fields = (
                *meeting_fields,
                *item_fields,
                ("doc_type", "bilag"),
                *((("title", attachment.title),) if attachment.title else ()),
                *closed,
            )
            for file in names.find(attachment.names):
                out.append((file.source, Companion("attachment", export.source, "", fields)))
    return out


def _resolve(options: list[Companion]) -> Companion | None:
    """One export's claims on a file: the first role by priority. Exports that disagree
    about a file: none (the file is read as it is)."""
    distinct = {(c.role, c.alternate_of, c.metadata) for c in options}
    if len({c.manifest for c in options}) > 1 and len(distinct) > 1:
        return None
    return min(options, key=lambda c: ROLES.index(c.role))
