"""What the ingest understood of a file's layout: the per-file structure report.

A user points Referent at whatever their municipality publishes. When a layout is not
understood (no agenda items in a minutes file, no committee or date on the page, running
headers removed by the hundred), answers and filters suffer silently; the report says so per
file, so the user sees it at ingest time instead of in a wrong answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

from danish.doc_types import MEETING_TYPES
from ingest.document import SourceDocument
from ingest.passages import PreparedDocument

# the fields a passage's citation and filters rely on, with their Danish names
FIELDS = {"title": "titel", "committee": "udvalg", "meeting_date": "mødedato", "doc_type": "type"}
UNKNOWN_TYPES = {"", "andet"}  # "andet": no explicit cue said what the document is


@dataclass
class Structure:
    documents: int = 0
    passages: int = 0
    passages_with_item: int = 0
    items: int = 0  # distinct agenda items the passages belong to
    sections: int = 0  # distinct section names
    layout: dict[str, int] = field(default_factory=dict)  # recognised or removed, by kind
    unknown: dict[str, int] = field(default_factory=dict)  # field → documents lacking it
    items_expected: bool = False  # minutes or an agenda: items should have been found

    @property
    def item_share(self) -> float:
        return self.passages_with_item / self.passages if self.passages else 0.0

    def warnings(self) -> list[str]:
        """What a user should know about this file, in Danish; empty when all was understood."""
        out: list[str] = []
        if self.items_expected and self.passages and not self.passages_with_item:
            out.append("ingen dagsordenspunkter fundet")
        missing = [FIELDS[f] for f in FIELDS if self.unknown.get(f)]
        if missing:
            out.append("ukendt " + ", ".join(missing))
        return out

    def to_dict(self) -> dict:
        share = round(self.item_share, 3)
        return {**asdict(self), "item_share": share, "warnings": self.warnings()}


def structure_of(docs: Sequence[SourceDocument], prepared: Sequence[PreparedDocument]) -> Structure:
    s = Structure(documents=len(prepared))
    items: set[tuple[str, str]] = set()
    sections: set[str] = set()
    for doc in docs:
        for kind, n in doc.layout.items():
            s.layout[kind] = s.layout.get(kind, 0) + n
    for document in prepared:
        meta = document.metadata
        for name in FIELDS:
            value = str(meta.get(name, "") or "")
            if not value or (name == "doc_type" and value in UNKNOWN_TYPES):
                s.unknown[name] = s.unknown.get(name, 0) + 1
        s.items_expected |= str(meta.get("doc_type", "")) in MEETING_TYPES
        for passage in document.passages:
            m = passage.metadata
            s.passages += 1
            if m.item_number:
                s.passages_with_item += 1
                items.add((document.doc_id, str(m.item_number)))
            sections.update(p.strip() for p in m.section.split(" / ") if p.strip())
    s.items, s.sections = len(items), len(sections)
    return s
