"""eDoc agenda publishing XML (`<Meeting>` with `<MeetingAgendaTypes>`).

One file is one meeting: its committee, date and state ("Referat endeligt godkendt"), and per
agenda type ("Åben dagsorden", "Lukket dagsorden") the items with their number, title, the
item's text as plain text (`FullText`, sections as caption lines), the PDF that renders the
item alone, and the item's attachments with the PDF each is published as.
"""

from __future__ import annotations

import re

from lxml import etree

from danish.dates import parse_danish_date
from danish.decisions import DECISION, NOT_PUBLISHED, closed_agenda, find_case_number
from ingest.clean import normalize_text
from ingest.loaders.exports.model import (
    ExportAttachment,
    ExportItem,
    ExportMeeting,
    ExportSection,
    text_blocks,
)
from ingest.loaders.exports.sections import caption_heading, is_known_section, section_name
from ingest.loaders.exports.xml import child_text
from ingest.metadata import is_letterhead_line

SYSTEM = "edoc-xml"
# the item's own heading at the top of its text: "2.<tab>Bygningsvedligeholdelse 2013"
_ITEM_LINE = re.compile(r"^\s*\d{1,3}\s*[.)]\s+\S")


def is_edoc(root: etree._Element) -> bool:
    return root.tag == "Meeting" and root.find("MeetingAgendaTypes") is not None


def read_edoc(root: etree._Element, fallback_id: str) -> ExportMeeting:
    committee = child_text(root, "Committee")
    found = parse_danish_date(child_text(root, "MeetingDate"))
    meeting_date = found.isoformat() if found else ""
    meeting = ExportMeeting(
        system=SYSTEM,
        meeting_id=_meeting_id(root) or fallback_id,
        committee=committee,
        meeting_date=meeting_date,
    )
    renditions: list[str] = []
    for agenda_type in root.iter("MeetingAgendaType"):
        closed = closed_agenda(child_text(agenda_type, "AgendaType"))
        if pdf := child_text(agenda_type, "PDFDocument"):
            renditions.append(pdf)
        for element in agenda_type.iter("MeetingAgendaItem"):
            meeting.items.append(_item(element, closed, committee, meeting_date))
    meeting.items.sort(key=lambda item: _number_key(item.number))
    meeting.renditions = tuple(renditions)
    meeting.doc_type = _doc_type(child_text(root, "MeetingState"), meeting.items)
    return meeting


def _item(element: etree._Element, closed: bool, committee: str, meeting_date: str) -> ExportItem:
    document = element.find("Document")
    number = child_text(element, "AgendaItemNumber")
    title = child_text(document, "Title") or child_text(document, "NeutralTitle")
    key = document.get("documentid", "") if document is not None else ""
    sections, case_number = text_sections(child_text(element, "FullText"), committee, meeting_date)
    item = ExportItem(
        number=number,
        title=title,
        key=key or number,
        case_number=case_number,
        closed=closed,
        sections=sections,
        renditions=tuple(n for n in [child_text(element, "PDFDocument")] if n),
    )
    for attachment in document.iter("Attachment") if document is not None else ():
        name = child_text(attachment, "Title") or child_text(attachment, "NeutralTitle")
        pdf = child_text(attachment, "PDFDocument")
        publishing = child_text(attachment, "PublishingType")
        item.attachments.append(
            ExportAttachment(
                title=name,
                names=tuple(n for n in (pdf, name) if n),
                closed=closed or bool(NOT_PUBLISHED.search(publishing)),
            )
        )
    return item


def text_sections(text: str, committee: str, meeting_date: str) -> tuple[list[ExportSection], str]:
    """An item's plain text as sections, and the case number its opening lines state.

    The item's own heading and its letterhead lines ("Sagsnr.: …", "Dok.nr.: …") open the text
    and are metadata, not content. A paragraph whose first line names a known section
    ("Sagsfremstilling", "Økonomiudvalgets beslutning den …") opens that section.
    """
    paragraphs = [p for p in re.split(r"\n\s*\n", normalize_text(text)) if p.strip()]
    case_number = ""
    while paragraphs:
        lines = [ln for ln in paragraphs[0].split("\n") if ln.strip()]
        head = [ln for ln in lines if _ITEM_LINE.match(ln) or is_letterhead_line(ln)]
        if not head:
            break
        case_number = case_number or find_case_number("\n".join(head))
        rest = [ln for ln in lines if ln not in head]  # "Kommunalbestyrelsen den … Punkt 5"
        if rest:
            paragraphs[0] = "\n".join(rest)
            break
        paragraphs.pop(0)
    sections = [ExportSection(name="", blocks=[])]
    for paragraph in paragraphs:
        lines = [ln for ln in paragraph.split("\n") if ln.strip()]
        if is_known_section(lines[0]):
            body = "\n".join(lines[1:])
            name = section_name(lines[0], committee, meeting_date, body)
            heading = caption_heading(lines[0], name)
            sections.append(ExportSection(name=name, blocks=[], heading=heading))
            lines = lines[1:]
        if lines:
            sections[-1].blocks.extend(text_blocks("\n".join(lines)))
    return [s for s in sections if s.blocks], case_number


def _doc_type(state: str, items: list[ExportItem]) -> str:
    state = state.lower()
    if "referat" in state:
        return "referat"
    if "dagsorden" in state:
        return "dagsorden"
    decided = any(s.name == DECISION for item in items for s in item.sections)
    return "referat" if decided else ""


def _meeting_id(root: etree._Element) -> str:
    """eDoc names the meeting only in its links ("…&id=4110&type=minute")."""
    for url in root.iter("UrlShowCompleteAgendaType"):
        if match := re.search(r"[?&]id=(\d+)", url.text or ""):
            return match.group(1)
    return ""


def _number_key(number: str) -> tuple[int, str]:
    return (int(number), "") if number.isdigit() else (10**6, number)


__all__ = ["is_edoc", "read_edoc", "text_sections"]
