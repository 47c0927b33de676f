"""FirstAgenda/Prepare meeting JSON, as many Danish municipalities publish it.

One file is one meeting; every agenda item becomes its own document with the meeting's
committee and date, the item's number, title and case number, and sections from the item's
`<h3>` headings. Items titled "Lukket: …" are closed. The meeting's and the item's ids are
kept (`portal_meeting_id`, `portal_item_id`) for the collection's URL template
(ingest/source_urls.py); an all-zero id is no id.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from danish.decisions import PORTAL_CLOSED_PREFIX
from danish.sections import PORTAL_SECTIONS
from ingest.clean import collapse_whitespace
from ingest.document import Block, SourceDocument
from ingest.errors import CorruptFile, UnsupportedFormat
from ingest.loaders.html_blocks import html_to_blocks, parse_html
from ingest.loaders.text import decode_bytes

CONTAINER_HEADINGS = {"fremstilling", ""}  # wrappers around the real sections
NO_ID = "00000000-0000-0000-0000-000000000000"


def load_portal_json(path: Path) -> list[SourceDocument]:
    try:
        data = json.loads(decode_bytes(path.read_bytes()))
    except json.JSONDecodeError as exc:
        raise CorruptFile(f"ugyldig JSON: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("Dagsordenpunkter"), list):
        raise UnsupportedFormat("JSON-filen er ikke et mødeformat (mangler 'Dagsordenpunkter')")
    meeting = data.get("Moede") or {}
    committee = collapse_whitespace((data.get("Udvalg") or {}).get("Navn") or "")
    meeting_date = _iso_date(meeting.get("Dato") or meeting.get("MeetingBeginUtc"))
    doc_type = "referat" if meeting.get("Afsluttet") else "dagsorden"
    meeting_id = str(data.get("Id") or meeting.get("Id") or path.stem)
    docs = []
    for item in data["Dagsordenpunkter"]:
        doc = _item_document(item, committee, meeting_date, doc_type, meeting_id)
        if doc is not None:
            ids = {
                "portal_meeting_id": _id(data.get("Id"), item.get("AgendaUid"), meeting.get("Id")),
                "portal_item_id": _id(item.get("Id")),
            }
            doc.metadata.update({k: v for k, v in ids.items() if v})
            docs.append(doc)
    return docs


def _id(*values: object) -> str:
    """The first real id among the values (not empty, not the all-zero GUID)."""
    for value in values:
        text = str(value or "").strip()
        if text and text != NO_ID:
            return text
    return ""


def _item_document(
    item: dict[str, Any], committee: str, meeting_date: str, doc_type: str, meeting_id: str
) -> SourceDocument | None:
    name = collapse_whitespace(item.get("Navn") or item.get("Caption") or "")
    closed = name.lower().startswith(PORTAL_CLOSED_PREFIX)
    title = name[len(PORTAL_CLOSED_PREFIX) :].strip() if closed else name
    number = item.get("Punktnummer") or item.get("Number") or ""
    blocks: list[Block] = []
    for field in item.get("Felter") or []:
        html = (field or {}).get("Html") or ""
        if html.strip():
            blocks.extend(_sectioned(html_to_blocks(parse_html(html), agenda=False)))
    if not blocks:
        # a closed item usually has no public text; its title is still a fact worth finding
        if not title:
            return None
        blocks = [Block(text=title)]
    metadata: dict[str, str | int] = {
        "title": title,
        "item_title": title,
        "item_number": str(number),
        "case_number": str(item.get("SagsNummer") or item.get("CaseNumber") or ""),
        "committee": committee,
        "meeting_date": meeting_date,
        "doc_type": doc_type,
        "access": "closed" if closed else "public",
    }
    return SourceDocument(
        blocks=blocks,
        source_format="portal-json",
        metadata=metadata,
        identity=f"{meeting_id}:{item.get('Id') or number}",
    )


def _sectioned(blocks: list[Block]) -> list[Block]:
    """Mark each block with its section (the nearest `<h3>`), dropping wrapper headings."""
    out: list[Block] = []
    section = ""
    for block in blocks:
        name = collapse_whitespace(block.text).rstrip(":")
        if block.kind == "heading" and (block.level <= 3 or name.lower() in PORTAL_SECTIONS):
            if name.lower() in CONTAINER_HEADINGS:
                continue
            section = name
            out.append(Block(text=name, kind="heading", level=3, section=section))
            continue
        block.section = section
        out.append(block)
    return out


def _iso_date(value: str | None) -> str:
    if not value:
        return ""
    try:
        return datetime.fromisoformat(value).date().isoformat()
    except ValueError:
        return value[:10]
