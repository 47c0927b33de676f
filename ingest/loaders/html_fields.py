"""Item fields as agenda portals lay them out: definition lists, two-column tables, item tables.

Several systems publish an item's facts as labelled fields rather than as a heading and text:
`<dt>Punkt</dt><dd>4</dd><dt>Sagsnr.</dt><dd>24-012588</dd><dt>Beslutning</dt><dd>…</dd>`, the
same in a table of label and value cells, or a table with one row per item (Punkt | Titel |
Sagsnr.). The fields are read by their labels: the item's number and title make its heading,
the case number its case line ("Sagsnr.: …"), a section label (see ingest.sections) a section
heading over its text, and any other field a "Label: value" line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from danish.decisions import CASE_LINE, CLOSED_PREFIX, CLOSED_VALUE
from danish.sections import section_name
from ingest.items import parse_item_heading

_NUMBER_LABEL = re.compile(
    r"^(?:(?:dagsorden)?punkt(?:\s*nr\.?|nummer)?|pkt\.?(?:\s*nr\.?)?|nr\.?|nummer|#)$", re.I
)
_TITLE_LABEL = re.compile(
    r"^(?:titel|overskrift|emne|sagstitel|sagens\s+titel|punktets\s+(?:titel|overskrift)|"
    r"dagsordenpunkt|dagsordenstitel|punkt(?:titel)?|sag)$",
    re.I,
)
_ACCESS_LABEL = re.compile(r"^(?:åben\s*/\s*lukket|lukket|status|adgang|type|offentlighed)$", re.I)
_NUMBER_VALUE = re.compile(r"^(?:(?i:punkt|pkt\.?)\s*)?(\d{1,3})\s*[.)]?$")
# "Sag: 24-000123" is a case number, "Sag: Takster 2025" a title
_CASE_ONLY_LABELS = {"sag", "sags-id", "id", "journal"}
_CASE_VALUE = re.compile(r"[\w./-]*\d[\w./-]*[-/.][\w./-]*\d[\w./-]*")
MAX_FIELD_LABEL_WORDS = 6


@dataclass
class Field:
    label: str
    value: str  # the value's text, inline
    kind: str  # number | title | case | section | closed | field
    payload: object = None  # the value's element, walked for a section's text


@dataclass
class ItemFields:
    """One item's fields, in their order; `number` and `title` are "" when not given."""

    number: str = ""
    title: str = ""
    closed: bool = False
    fields: list[Field] = field(default_factory=list)

    @property
    def is_item(self) -> bool:
        return bool(self.title or self.number)

    def heading(self) -> str:
        closed = "Lukket: " if self.closed and not CLOSED_PREFIX.match(self.title) else ""
        title = f"{closed}{self.title}" if self.title else f"Punkt {self.number}"
        return f"{self.number}. {title}" if self.number else title


def label_of(text: str) -> str:
    return " ".join(text.split()).rstrip(":").strip()


def classify(label: str, value: str) -> str:
    """What a field is, by its label (and, for "Punkt", "Sag" and "Status", its value)."""
    label = label_of(label)
    value = " ".join(value.split())
    if not label or len(label.split()) > MAX_FIELD_LABEL_WORDS:
        return "field"
    if CASE_LINE.match(f"{label}: {value}") or (
        label.lower() in _CASE_ONLY_LABELS and _CASE_VALUE.fullmatch(value)
    ):
        return "case"
    if _NUMBER_LABEL.match(label) and _NUMBER_VALUE.match(value):
        return "number"
    if _TITLE_LABEL.match(label) and value and not _NUMBER_VALUE.match(value):
        return "title"
    if _ACCESS_LABEL.match(label) and CLOSED_VALUE.match(value):
        return "closed"
    if section_name(label) is not None:
        return "section"
    return "field"


def is_field_label(text: str) -> bool:
    """A cell or term that reads as a field's label: short, and known or ending in a colon."""
    label = label_of(text)
    if not label or len(label.split()) > MAX_FIELD_LABEL_WORDS:
        return False
    known = classify(label, "1") != "field" or classify(label, "x") != "field"
    return known or text.strip().endswith(":")


def group_items(fields: list[Field]) -> list[ItemFields]:
    """Fields split into items: a second number or title starts the next item."""
    groups: list[ItemFields] = [ItemFields()]
    for f in fields:
        current = groups[-1]
        if f.kind == "number":
            if current.number:
                current = ItemFields()
                groups.append(current)
            current.number = _NUMBER_VALUE.match(f.value).group(1).lstrip("0") or "0"
        elif f.kind == "title":
            if current.title:
                current = ItemFields()
                groups.append(current)
            parsed = parse_item_heading(f.value)
            if parsed and not current.number:
                current.number, current.title, closed = parsed
                current.closed = current.closed or closed
            else:
                prefix = CLOSED_PREFIX.match(f.value)
                current.title = f.value[prefix.end() :].strip() if prefix else f.value
                current.closed = current.closed or prefix is not None
        elif f.kind == "closed":
            current.closed = True
        else:
            current.fields.append(f)
    return [g for g in groups if g.is_item or g.fields]


def case_line(f: Field) -> str:
    """The case field as a line the item reader knows ("Sagsnr.: 24-000123")."""
    line = f"{label_of(f.label)}: {f.value}"
    return line if CASE_LINE.match(line) else f"Sagsnr.: {f.value}"


def number_value(text: str) -> str:
    """The item number a cell holds ("4", "4.", "Punkt 4"), or ""."""
    match = _NUMBER_VALUE.match(" ".join(text.split()))
    return match.group(1) if match else ""


def item_columns(header: list[str]) -> dict[int, str] | None:
    """Column kinds of an item table's header row (Punkt | Titel | Sagsnr. | …), or None
    when the header has no number and title column."""
    kinds: dict[int, str] = {}
    for i, cell in enumerate(header):
        label = label_of(cell)
        if _NUMBER_LABEL.match(label):
            kinds[i] = "number"
        elif _TITLE_LABEL.match(label):
            kinds[i] = "title"
        elif CASE_LINE.match(f"{label}: 1"):
            kinds[i] = "case"
        elif _ACCESS_LABEL.match(label):
            kinds[i] = "closed"
        elif section_name(label) is not None:
            kinds[i] = "section"
        else:
            kinds[i] = "field"
    values = set(kinds.values())
    return kinds if {"number", "title"} <= values else None
