"""Acadre meeting XML: the agenda or minutes (`<root>` of `<table name="agenda">`), and the
small index Acadre publishes beside it (`XML_<n>.xml`: committee, meeting, and the files
produced for the meeting).

In the agenda, a table is a record whose fields are `<field name="…">value</field>`: the
agenda ("Referat" or "Dagsorden"), its committee and meeting, and per item
(`agendaitemparents/agendaitem`) the title, case number, access, the sections ("bullets",
HTML) and the enclosures. Acadre numbers items on from the year's first meeting
(`startAgendaItemNo`, "715."). In the index, a field carries its value as an attribute
(`<field date="2013-06-20 10:30"/>`).
"""

from __future__ import annotations

from lxml import etree

from danish.dates import parse_danish_date
from ingest.loaders.exports.model import (
    ExportAttachment,
    ExportItem,
    ExportMeeting,
    ExportSection,
)
from ingest.loaders.exports.sections import (
    caption_heading,
    is_empty_content,
    section_name,
)
from ingest.loaders.exports.xml import child_text
from ingest.loaders.html_blocks import html_to_blocks, parse_html

SYSTEM = "acadre-xml"
OPEN_ACCESS = {"åben", "aaben", "offentlig"}


def is_acadre(root: etree._Element) -> bool:
    """An agenda record with its fields by name (the index gives its fields as attributes)."""
    return root.tag == "root" and (
        root.find("table[@name='agenda']/fields/field[@name='sysid']") is not None
    )


def is_acadre_index(root: etree._Element) -> bool:
    return root.tag == "root" and _table(root, "producedAgenda") is not None


def read_acadre(root: etree._Element, fallback_id: str) -> ExportMeeting:
    agenda = _table(root, "agenda")
    fields = _fields(agenda)
    committee_table = _table(agenda, "committee")
    meeting_table = _table(agenda, "meeting")
    meeting_fields = _fields(meeting_table)
    committee = _fields(committee_table).get("name", "")
    found = parse_danish_date(meeting_fields.get("date", ""))
    meeting_date = found.isoformat() if found else ""
    meeting = ExportMeeting(
        system=SYSTEM,
        meeting_id=fields.get("sysid") or fallback_id,
        committee=committee,
        meeting_date=meeting_date,
        doc_type=_doc_type(fields.get("name", "")),
        name=meeting_fields.get("name", ""),
    )
    start = child_text(root, "agendaData/startAgendaItemNo")
    parents = [t for t in agenda.iter("table") if t.get("name") == "agendaitemparents"]
    parents.sort(key=lambda t: _int(_fields(t).get("sort", "")))
    for index, parent in enumerate(parents):
        element = _table(parent, "agendaitem")
        if element is None:
            continue
        if start.isdigit():
            number = str(int(start) + index)
        else:
            number = _fields(parent).get("sort", "") or str(index + 1)
        meeting.items.append(_item(element, number, committee, meeting_date))
    return meeting


def read_acadre_index(root: etree._Element, fallback_id: str) -> ExportMeeting:
    """The meeting an index names, and its files: the produced agendas and minutes (as
    documents and as the XML that holds their items)."""
    committee = _attributes(_table(root, "committee"))
    meeting = _attributes(_table(root, "meeting"))
    agenda = _attributes(_table(root, "agenda"))
    found = parse_danish_date(meeting.get("date", ""))
    renditions: list[str] = []
    index_of: list[str] = []
    for produced in (t for t in root.iter("table") if t.get("name") == "producedAgenda"):
        for fields in produced.findall("fields"):
            values = {k: v for f in fields.findall("field") for k, v in f.attrib.items()}
            if name := values.get("xmlfilename"):
                index_of.append(name)
            if name := values.get("docfilename"):
                renditions.append(name)
    return ExportMeeting(
        system="acadre-index",
        meeting_id=agenda.get("sysid") or fallback_id,
        committee=committee.get("name", ""),
        meeting_date=found.isoformat() if found else "",
        doc_type=_doc_type(agenda.get("name", "")),
        name=meeting.get("name", ""),
        renditions=tuple(renditions),
        index_of=tuple(index_of),
    )


def _item(element: etree._Element, number: str, committee: str, meeting_date: str) -> ExportItem:
    fields = _fields(element)
    item = ExportItem(
        number=number,
        title=fields.get("name", ""),
        key=fields.get("sysid", "") or number,
        case_number=fields.get("caseno", ""),
        closed=not _is_open(fields),
    )
    bullets = [t for t in element.findall("table") if t.get("name") == "bullet"]
    bullets.sort(key=lambda t: _int(_fields(t).get("bulletsortorder", "")))
    for bullet in bullets:
        values = _fields(bullet)
        content = values.get("bulletcontent", "")
        if is_empty_content(parse_html(content).get_text(" ")):
            continue
        blocks = html_to_blocks(parse_html(content))
        caption = values.get("bulletname", "")
        text = "\n".join(b.text for b in blocks)
        name = section_name(caption, committee, meeting_date, text)
        heading = caption_heading(caption, name)
        item.sections.append(ExportSection(name=name, blocks=blocks, heading=heading))
    for enclosure in (t for t in element.findall("table") if t.get("name") == "enclosure"):
        values = _fields(enclosure)
        title = values.get("name", "")
        names = (values.get("filename", ""), title)
        item.attachments.append(
            ExportAttachment(
                title=title,
                names=tuple(n for n in names if n),
                closed=item.closed or not _is_open(values),
            )
        )
    return item


def _is_open(fields: dict[str, str]) -> bool:
    """Acadre's access: "Åben" (access 1) is public; any other named level is not."""
    name = fields.get("accessname", "").strip().lower()
    if name:
        return name in OPEN_ACCESS
    return fields.get("access", "1").strip() in ("", "1")


def _doc_type(name: str) -> str:
    lowered = name.lower()
    if "referat" in lowered or "protokol" in lowered:
        return "referat"
    return "dagsorden" if "dagsorden" in lowered else ""


def _table(element: etree._Element | None, name: str) -> etree._Element | None:
    if element is None:
        return None
    if element.get("name") == name and element.tag == "table":
        return element
    return element.find(f".//table[@name='{name}']")


def _fields(table: etree._Element | None) -> dict[str, str]:
    """A record's own fields (not those of the tables inside it), by name."""
    if table is None:
        return {}
    out: dict[str, str] = {}
    for fields in table.findall("fields"):
        for field in fields.findall("field"):
            if (name := field.get("name")) and name not in out:
                out[name] = (field.text or "").strip()
    return out


def _attributes(table: etree._Element | None) -> dict[str, str]:
    """An index record: each field holds its value as an attribute (`<field date="…"/>`)."""
    if table is None:
        return {}
    out: dict[str, str] = {}
    for field in table.iterfind("fields/field"):
        for key, value in field.attrib.items():
            out.setdefault(key, value.strip())
    return out


def _int(text: str) -> int:
    return int(text) if text.strip().isdigit() else 0
