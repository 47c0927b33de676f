"""SBSYS publication XML (`<Publication>` with `<Agendas>`).

A publication holds one or more agendas; each has its meeting (`When`, `Concluded`), its
committee and items. An item has a number, a caption, a case ("number - title"), `IsPublic`,
and fields, each with a caption ("Sammendrag", "SAGSFREMSTILLING", "FORRETNINGSUDVALGETS
BESLUTNING") and HTML or plain content; enclosures are the item's attachments, written as
files beside the publication (`InstantiationFilePathRelative`, e.g. `Enclosures\\1.pdf`).
"""

from __future__ import annotations

import re

from lxml import etree

from danish.dates import parse_danish_date
from danish.decisions import UNPUBLISHED_NAME
from ingest.loaders.exports.model import (
    ExportAttachment,
    ExportItem,
    ExportMeeting,
    ExportSection,
    text_blocks,
)
from ingest.loaders.exports.sections import (
    caption_heading,
    is_empty_content,
    plain_case,
    section_name,
)
from ingest.loaders.exports.xml import child_text
from ingest.loaders.html_blocks import html_to_blocks, parse_html

SYSTEM = "sbsys-xml"
MINUTES_TYPES = ("minute", "referat", "protocol", "protokol")


def is_sbsys(root: etree._Element) -> bool:
    return root.tag == "Publication" and root.find("Agendas") is not None


def read_sbsys(root: etree._Element, fallback_id: str) -> list[ExportMeeting]:
    kind = child_text(root, "PublicationTypeAsEnum").lower()
    return [_agenda(agenda, kind, fallback_id) for agenda in root.iter("Agenda")]


def _agenda(agenda: etree._Element, kind: str, fallback_id: str) -> ExportMeeting:
    meeting = agenda.find("Meeting")
    committee = plain_case(child_text(agenda, "Committee/Name") or child_text(agenda, "Name"))
    found = parse_danish_date(child_text(meeting, "When"))
    meeting_date = found.isoformat() if found else ""
    concluded = bool(child_text(meeting, "Concluded"))
    export = ExportMeeting(
        system=SYSTEM,
        meeting_id=agenda.get("ID") or fallback_id,
        committee=committee,
        meeting_date=meeting_date,
        doc_type="referat" if concluded or any(k in kind for k in MINUTES_TYPES) else "dagsorden",
        name=plain_case(child_text(agenda, "Name")),
    )
    items = agenda.find("Items")
    for element in items if items is not None else ():
        if isinstance(element.tag, str) and element.tag == "Item":
            export.items.append(_item(element, committee, meeting_date))
    return export


def _item(element: etree._Element, committee: str, meeting_date: str) -> ExportItem:
    closed = child_text(element, "IsPublic").lower() == "false"
    case = child_text(element, "Case/NumberAndTitle")
    number, _, _title = case.partition(" - ")
    item = ExportItem(
        number=child_text(element, "Number"),
        title=child_text(element, "Caption"),
        key=element.get("ID") or child_text(element, "Number"),
        case_number=number.strip(" -"),
        closed=closed,
    )
    fields = sorted(element.iter("ItemField"), key=lambda f: _int(child_text(f, "Index")))
    for field in fields:
        content = child_text(field, "Content")
        if is_empty_content(content):
            continue
        html = child_text(field, "FieldTypeAsEnum").lower() == "html"
        blocks = html_to_blocks(parse_html(content)) if html else text_blocks(content)
        if not blocks or all(is_empty_content(b.text) for b in blocks):
            continue
        caption = child_text(field, "Caption")
        text = "\n".join(b.text for b in blocks)
        name = section_name(caption, committee, meeting_date, text)
        heading = caption_heading(caption, name)
        item.sections.append(ExportSection(name=name, blocks=blocks, heading=heading))
    for enclosure in element.iter("Enclosure"):
        title = child_text(enclosure, "Name")
        names = [
            child_text(enclosure, "InstantiationFilePathRelative"),
            child_text(enclosure, "InstantiationFileName"),
            _basename(child_text(enclosure, "FileName")),
            title,
        ]
        item.attachments.append(
            ExportAttachment(
                title=title,
                names=tuple(n for n in names if n),
                closed=closed or bool(UNPUBLISHED_NAME.match(title)),
            )
        )
    return item


def _basename(name: str) -> str:
    """The file name of a Windows or POSIX path ("P:\\Dagsorden\\Bilag\\1_1 - Brev.pdf")."""
    return re.split(r"[\\/]", name)[-1].strip()


def _int(text: str) -> int:
    return int(text) if text.isdigit() else 0


__all__ = ["is_sbsys", "read_sbsys"]
