"""From a loaded document to store-ready passages: clean, describe, chunk, identify.

The embedded string carries the document title and section before the text (the passage alone
often does not say what it is about), but not the committee or date: Greve copies case texts
from committee to committee, and identical inputs share one embedding.

A memo's letterhead fields stay in its first passage, one per line (ingest.letterhead), and a
table row carries its header's labels (ingest.tables): both are found and quoted like prose.

A minutes file holding several agenda items gives each passage its own item's number, title,
case number and access (see ingest.items), so a closed item is closed however it was filed.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from danish.committees import first_committee
from danish.dates import format_date
from danish.decisions import find_case_number
from danish.doc_types import MEETING_TYPES, read_doc_type
from ingest.chunk import chunk_document
from ingest.clean import clean_blocks, collapse_whitespace, dehyphenate
from ingest.doc_meta import (
    complete_from_items,
    opening_lines,
    read_committee,
    read_meeting_date,
)
from ingest.document import Block, SourceDocument
from ingest.items import (
    AgendaItem,
    join_item_headings,
    mark_items,
    parse_item_heading,
    stricter_access,
)
from ingest.letterhead import keep_letterhead
from ingest.metadata import find_contact, is_letterhead_line
from ingest.repeats import drop_repeated_chunks, drop_repeats
from ingest.sections import mark_sections
from ingest.tables import label_table
from vectorstore.records import Passage, PassageMetadata, stable_hash

GENERIC_TITLE_WORDS = 2  # "Referat", "Åbent referat", "Publicering": no meeting's name


@dataclass
class PreparedDocument:
    doc_id: str
    text: str
    metadata: dict[str, str | int]
    passages: list[Passage]
    identity: str


def prepare_document(
    doc: SourceDocument,
    source: str,
    file_hash: str,
    default_access: str = "public",
    min_words: int = 150,
    max_words: int = 350,
) -> PreparedDocument:
    blocks = join_item_headings(clean_blocks(doc.blocks))
    meta, head, weak_date = _read(doc, blocks, source)
    if not doc.metadata.get("access"):
        meta["access"] = default_access
    items: list[AgendaItem] = []
    if not doc.metadata.get("item_number"):  # a portal item is one item already
        blocks, items = mark_items(blocks, str(meta.get("doc_type", "")), _listed(doc))
        blocks = mark_sections(blocks)
    complete_from_items(meta, blocks, head, weak_date)
    if not doc.metadata.get("item_number") and meta["title"] not in {i.title for i in items}:
        _name_meeting(meta)  # (a file of one item keeps its item's title)
    if items and not doc.metadata.get("case_number"):
        # the first case number in the file is the first item's, not the document's
        meta["case_number"] = find_case_number(_text(b for b in blocks if not b.item))
    body = keep_letterhead(blocks)  # letterhead fields are content too, one per line
    body = drop_repeats(body)  # after mark_items: a text repeated in two items is two facts
    body = [replace(b, text=label_table(b.text)) if b.kind == "table" else b for b in body]
    doc.blocks = body
    text = "\n\n".join(b.text for b in body)
    doc_id = stable_hash(collapse_whitespace(text).lower(), doc.identity)
    passages = []
    chunks = drop_repeated_chunks(chunk_document(doc, min_words, max_words))
    for index, chunk in enumerate(chunks):
        header = " – ".join(p for p in (str(meta.get("title", "")), chunk.section) if p)
        embed_text = f"{header}\n{chunk.text}" if header else chunk.text
        pm = PassageMetadata(
            source=source,
            source_format=doc.source_format,
            doc_id=doc_id,
            chunk_id=stable_hash(doc_id, str(index), chunk.text),
            chunk_index=index,
            section=chunk.section,
            heading_path=chunk.heading_path,
            page_start=chunk.page_start,
            page_end=chunk.page_end,
            content_hash=stable_hash(collapse_whitespace(chunk.text).lower()),
            embed_hash=stable_hash(embed_text),
            file_hash=file_hash,
            **_fields(meta, items[chunk.item - 1] if chunk.item else None),
        )
        passages.append(Passage(text=chunk.text, embed_text=embed_text, metadata=pm))
    return PreparedDocument(doc_id, text, meta, passages, doc.identity)


def _fields(meta: dict[str, str | int], item: AgendaItem | None) -> dict[str, str | int]:
    """Passage metadata from the document's, with the agenda item's own values over it."""
    fields = {k: v for k, v in meta.items() if k in PassageMetadata.__dataclass_fields__}
    if item is not None:
        fields["item_number"] = item.number
        fields["item_title"] = item.title
        fields["case_number"] = item.case_number
        if item.closed:  # never more open than the document itself
            fields["access"] = stricter_access(str(fields.get("access", "public")), "closed")
    return fields


def _text(blocks: Iterable[Block]) -> str:
    return "\n".join(b.text for b in blocks)


def describe(doc: SourceDocument, blocks, source: str) -> dict[str, str | int]:
    """Loader metadata first, then what the document says of itself (see ingest.doc_meta)."""
    meta, head, weak_date = _read(doc, blocks, source)
    complete_from_items(meta, blocks, head, weak_date)
    if not doc.metadata.get("item_number"):
        _name_meeting(meta)
    return meta


def _read(doc: SourceDocument, blocks, source: str) -> tuple[dict[str, str | int], str, bool]:
    """(metadata from the loader and the explicit cues, the opening text, whether the
    meeting date came from a weak cue only)."""
    meta: dict[str, str | int] = dict(doc.metadata)
    head = dehyphenate(doc.header_text) or "\n".join(b.text for b in blocks[:15])
    stem = Path(source).stem
    lines = opening_lines(head, blocks)
    if not meta.get("title"):
        meta["title"] = _title(blocks) or stem.replace("_", " ")
    title = str(meta["title"])
    weak_date = False
    if not meta.get("meeting_date"):
        meta["meeting_date"], strong = read_meeting_date(title, head, lines, stem)
        weak_date = not strong
    if not meta.get("case_number"):
        meta["case_number"] = find_case_number(head)
    if not meta.get("doc_type"):
        meta["doc_type"] = read_doc_type(title, lines, stem)
    if not meta.get("committee"):
        meta["committee"] = read_committee(title, lines, stem, str(meta["doc_type"]))
    if not meta.get("contact"):
        meta["contact"] = find_contact(head)
    return meta, head, weak_date


def _listed(doc: SourceDocument) -> list[tuple[str, str]]:
    """The (number, title) entries of the table of contents a loader found (ingest.toc)."""
    try:
        entries = json.loads(str(doc.metadata.get("toc") or "[]"))
    except json.JSONDecodeError:
        return []
    return [
        (str(e.get("number", "")), str(e.get("title", ""))) for e in entries if isinstance(e, dict)
    ]


def _name_meeting(meta: dict[str, str | int]) -> None:
    """A meeting file whose title names no meeting gets one, as the minutes' own headings
    write it: a letterhead in capitals ("LINDBÆK KOMMUNE TEKNIK- OG MILJØUDVALGET"), or a label
    that names no committee ("Referat", "Publicering", a portal's "Mødeplatform")."""
    title = str(meta["title"])
    iso = str(meta.get("meeting_date") or "")
    generic = len(title.split()) <= GENERIC_TITLE_WORDS and not first_committee(title)
    meeting = meta["doc_type"] in MEETING_TYPES and meta["committee"]
    if meeting and (title.isupper() or generic):
        when = f" {format_date(date.fromisoformat(iso))}" if iso else ""
        meta["title"] = f"{meta['committee']} – {meta['doc_type']}{when}"


def _title(blocks) -> str:
    """The first short block that is not letterhead: a heading or a title line. An item
    heading is the title of a file holding that one item only."""
    for block in blocks[:12]:
        if block.kind in ("table", "toc") or is_letterhead_line(block.text):
            continue  # a table of contents is never the title
        if block.kind == "heading" and (parsed := parse_item_heading(block.text)):
            headings = [b for b in blocks if b.kind == "heading" and parse_item_heading(b.text)]
            return parsed[1] if len(headings) == 1 else ""
        if len(block.text.split()) <= 20:
            return block.text[:200]
        return block.text.split(". ")[0][:200]
    return ""
