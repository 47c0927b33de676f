"""What a case system's publication export says about one meeting, whatever the system.

The eDoc, SBSYS and Acadre readers each fill an `ExportMeeting`; from there one path makes the
documents (one per agenda item, like the portal JSON) and tells which files beside the export
are renditions of its items or attachments (bilag) of them (see ingest.companions).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.clean import normalize_text
from ingest.document import Block, SourceDocument

SUBHEADING_WORDS = 9


@dataclass
class ExportSection:
    """One field of an item: `name` is the section as stored ("Beslutning", "Indstilling"),
    `heading` the source's own caption when it says more ("Økonomiudvalgets beslutning")."""

    name: str
    blocks: list[Block]
    heading: str = ""


@dataclass
class ExportAttachment:
    """A file attached to an item; `names` are the file names it may have beside the export
    (the system's own file name, its relative path, and its title with any extension)."""

    title: str
    names: tuple[str, ...]
    closed: bool = False


@dataclass
class ExportItem:
    number: str
    title: str
    key: str  # the system's id for the item, for the document's identity
    case_number: str = ""
    closed: bool = False
    sections: list[ExportSection] = field(default_factory=list)
    renditions: tuple[str, ...] = ()  # file names of this item alone (eDoc's per-item PDF)
    attachments: list[ExportAttachment] = field(default_factory=list)

    @property
    def has_text(self) -> bool:
        return any(b.text.strip() for s in self.sections for b in s.blocks)


@dataclass
class ExportMeeting:
    system: str  # source_format of its documents: "edoc-xml", "sbsys-xml", "acadre-xml" …
    meeting_id: str
    committee: str = ""
    meeting_date: str = ""  # ISO date; "" when the export gives none
    doc_type: str = ""  # "referat" | "dagsorden" | "" when the export does not say
    name: str = ""  # the meeting's own name, when it has one ("Ekstraordinært PUK")
    items: list[ExportItem] = field(default_factory=list)
    renditions: tuple[str, ...] = ()  # file names of the whole meeting (agenda or minutes)
    # an index (Acadre's XML_<n>.xml) holds no items: it names the export files that do
    index_of: tuple[str, ...] = ()

    @property
    def is_index(self) -> bool:
        return not self.items and bool(self.index_of or self.renditions)

    def meeting_fields(self) -> dict[str, str]:
        """The fields every document of this meeting carries, empty ones left out."""
        fields = {
            "committee": self.committee,
            "meeting_date": self.meeting_date,
            "doc_type": self.doc_type,
        }
        return {k: v for k, v in fields.items() if v}


def item_documents(meeting: ExportMeeting) -> list[SourceDocument]:
    """One document per agenda item, sections marked on its blocks; a closed item without
    published text keeps its title, which is a fact worth finding."""
    docs = []
    for item in meeting.items:
        blocks = _blocks(item)
        if not blocks:
            if not item.title:
                continue
            blocks = [Block(text=item.title)]
        metadata: dict[str, str | int] = {
            "title": item.title,
            "item_title": item.title,
            "item_number": item.number,
            "case_number": item.case_number,
            **meeting.meeting_fields(),
            "access": "closed" if item.closed else "",
        }
        heading = ". ".join(p for p in (item.number, item.title) if p)
        docs.append(
            SourceDocument(
                blocks=blocks,
                source_format=meeting.system,
                metadata={k: v for k, v in metadata.items() if v},
                identity=f"{meeting.system}:{meeting.meeting_id}:{item.key}",
                # the export states the metadata: nothing is to be guessed from the text
                header_text=heading,
            )
        )
    return docs


def text_blocks(text: str) -> list[Block]:
    """A field's plain text as paragraphs (split at blank lines). A short first line without
    closing punctuation, with a longer line under it, is a sub-heading; a paragraph of one
    line never is ("Indstillingen godkendt" is a decision, not a heading)."""
    blocks: list[Block] = []
    for paragraph in re.split(r"\n\s*\n", normalize_text(text)):
        lines = [line for line in paragraph.split("\n") if line.strip()]
        if len(lines) >= 2 and _subheading(lines[0]) and len(lines[1]) > len(lines[0]):
            blocks.append(Block(text=lines[0], kind="heading", level=4))
            lines = lines[1:]
        if lines:
            blocks.append(Block(text="\n".join(lines)))
    return blocks


def _subheading(line: str) -> bool:
    return (
        len(line.split()) <= SUBHEADING_WORDS
        and line[-1] not in ".,;:!?"
        and line[0].isupper()
        and sum(ch.isalpha() for ch in line) >= 3  # not a list mark ("A)", "b.")
    )


def _blocks(item: ExportItem) -> list[Block]:
    out: list[Block] = []
    for section in item.sections:
        body = [b for b in section.blocks if b.text.strip()]
        while body and body[-1].text.rstrip().endswith(":"):  # a label with nothing after it
            body.pop()
        if not body:
            continue
        if section.name:
            out.append(
                Block(
                    text=section.heading or section.name,
                    kind="heading",
                    level=3,
                    section=section.name,
                )
            )
        for block in body:
            block.section = section.name
            if block.kind == "heading":  # a sub-heading inside a field stays below the section
                block.level = max(block.level, 4)
            out.append(block)
    return out
