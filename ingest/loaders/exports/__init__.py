"""Case systems' publication exports (eDoc, SBSYS, Acadre), told apart by content.

An export is read like the portal JSON: one document per agenda item, with the meeting's
committee and date, the item's number, title, case number, access and sections. The same
reading tells ingest.companions which files beside the export render its items or are their
attachments. An XML file that is none of these is rejected with a plain reason.
"""

from __future__ import annotations

from pathlib import Path

from ingest.document import SourceDocument
from ingest.errors import IndexOnly, UnsupportedFormat
from ingest.loaders.exports.acadre import (
    is_acadre,
    is_acadre_index,
    read_acadre,
    read_acadre_index,
)
from ingest.loaders.exports.edoc import is_edoc, read_edoc
from ingest.loaders.exports.model import ExportMeeting, item_documents
from ingest.loaders.exports.sbsys import is_sbsys, read_sbsys
from ingest.loaders.exports.xml import parse_xml

NOT_AN_EXPORT = "XML-filen er ikke en kendt mødeeksport (eDoc, SBSYS eller Acadre)"


def read_export(data: bytes, fallback_id: str) -> list[ExportMeeting]:
    """The meetings an export holds; `UnsupportedFormat` for any other XML."""
    root = parse_xml(data)
    if is_edoc(root):
        return [read_edoc(root, fallback_id)]
    if is_sbsys(root):
        return read_sbsys(root, fallback_id)
    if is_acadre(root):
        return [read_acadre(root, fallback_id)]
    if is_acadre_index(root):
        return [read_acadre_index(root, fallback_id)]
    raise UnsupportedFormat(NOT_AN_EXPORT)


def load_export(path: Path) -> list[SourceDocument]:
    meetings = read_export(path.read_bytes(), path.stem)
    if meetings and all(m.is_index for m in meetings):
        raise IndexOnly("dets filer indlæses hver for sig")
    return [doc for meeting in meetings for doc in item_documents(meeting)]


__all__ = ["NOT_AN_EXPORT", "ExportMeeting", "load_export", "read_export"]
