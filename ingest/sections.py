"""The sections of an agenda item, in the names and shapes different systems give them.

Systems name the same sections differently ("Beslutning", "Udvalgets beslutning", "Beslutning i
Byrådet den 24. marts 2025", "Sundheds- og Forebyggelsesudvalgets beslutning den 04.12.2012
Punkt 1"; "Indstilling", "Administrationens indstilling") and set them differently: as
headings, as a label before the text ("Beslutning: Godkendt.") or as a bold line of their own.
Within agenda items every such label becomes a section heading, and a decision or
recommendation in any of its variants is filed under "Beslutning" or "Indstilling" (the
chunker keeps a decision with its recommendation, and answers quote decisions by that name);
the heading itself stays in the text, so who decided and when is still there to read.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from danish.committees import first_committee
from danish.dates import parse_danish_date
from ingest.document import Block

DECISION = "Beslutning"
RECOMMENDATION = "Indstilling"
MAX_LABEL_WORDS = 16

_DATE = r"(?:\d{1,2}[-./]\d{1,2}[-./]\d{2,4}|\d{1,2}\.?\s+[A-Za-zæøåÆØÅ]+\.?\s+\d{4})"
_WHEN = (
    rf"(?:\s*,?\s+(?i:den|d\.)\s+{_DATE}|\s+{_DATE})(?:\s*,?\s*(?i:kl)\.?\s*[\d.:]+)?"
    r"(?:\s*,?\s+(?i:punkt)\s+\d{1,3})?"
)
# "Beslutning", "Beslutning i Byrådet", "Beslutning Teknisk Udvalg", "Udvalgets beslutning";
# not "Beslutningen træffes af", "Beslutningstema" or "Tidligere beslutninger"
_DECISION_HEAD = (
    r"(?:(?i:beslutning(?:er)?)"
    r"|(?i:beslutning)(?:\s+(?i:i|fra|på|af)\s+|\s+(?=[A-ZÆØÅ(]))(?P<body1>[^:\n]{1,90}?)"
    r"|(?P<body2>[^:\n]{1,90}?s)\s+(?i:beslutning))"
)
_DECISION = re.compile(rf"^{_DECISION_HEAD}(?P<when>{_WHEN})?$")
# a decision line that runs on into the decision's text, as eDoc prints it: the date (or item
# number) ends the heading
_DECISION_LEAD = re.compile(rf"^(?P<head>{_DECISION_HEAD}(?P<when>{_WHEN}))\s*:?\s+(?P<rest>\S.*)$")
_RECOMMENDATION = re.compile(
    r"^(?:(?:[\wæøåÆØÅ-]+s\s+)?(?i:indstilling)(?:er)?(?:\s+(?i:fra|til)\s+[^:\n]{1,80})?"
    r"|(?i:forslag til beslutning))$"
)
# other sections of an agenda item, their names kept as the document writes them
_KNOWN = re.compile(
    r"^(?:resum[eé]|kort resum[eé]|sammendrag|beslutningstema|"
    r"(?:supplerende\s+)?sags(?:fremstilling|beskrivelse|forløb|procedure)|"
    r"sagens\s+(?:indhold|forløb|baggrund)|baggrund|historik|tidligere\s+beslutninger?|"
    r"økonomi(?:\s+og\s+[\wæøå\s]+)?|(?:[\wæøå]+\s+)?økonomiske\s+konsekvenser(?:\s+og\s+[\wæøå\s]+)?|"
    r"[\wæøå]+mæssige\s+konsekvenser(?:\s+og\s+[\wæøå\s]+)?|(?:øvrige\s+)?konsekvenser|"
    r"finansiering|bevilling|lov-?\s*(?:og\s+)?(?:rets)?grundlag|retsgrundlag|tidsplan|"
    r"kommunikation|høring(?:ssvar)?|bilag(?:sliste)?|vurdering|[\wæøå]+s\s+vurdering|"
    r"beslutningen\s+træffes\s+af|sagen\s+afgøres\s+(?:i|af)|beslutningskompetence|"
    r"videre\s+proces|borgerinddragelse|opfølgning|supplerende\s+oplysninger|"
    r"øvrige\s+forhold|handicappolitisk\s+vurdering)$",
    re.IGNORECASE,
)
# sections only an agenda item has: a numbered heading with one of these is an agenda item
_AGENDA = re.compile(
    r"^(?:resum[eé]|sammendrag|beslutningstema|(?:supplerende\s+)?sags(?:fremstilling|"
    r"beskrivelse|forløb)|sagens\s+(?:indhold|forløb)|økonomiske\s+konsekvenser.*)$",
    re.IGNORECASE,
)
# who decides: a field of the item, a heading in some layouts but never a label to split off
_WHO_DECIDES = re.compile(
    r"^(?:sagen\s+afgøres\s+(?:i|af)|beslutningen\s+træffes\s+af|beslutningskompetence)$",
    re.IGNORECASE,
)
_LABEL = re.compile(r"^(?P<label>[^:\n]{2,120}?)\s*:\s+(?P<rest>\S.*)$", re.DOTALL)


def section_name(text: str) -> str | None:
    """The section a heading or label names ("Beslutning", "Indstilling", or the name as
    written for other known sections), or None when it names none."""
    name = " ".join(text.split()).rstrip(":").strip()
    if not name or len(name.split()) > MAX_LABEL_WORDS:
        return None
    if _DECISION.match(name):
        return DECISION
    if _RECOMMENDATION.match(name) and not re.search(r"godkend|vedtag|tiltræd", name, re.I):
        return RECOMMENDATION
    if _KNOWN.match(name):
        return name
    return None


def is_agenda_section(text: str) -> bool:
    """A section only agenda items have (a decision, a recommendation, a case account)."""
    name = section_name(text)
    return name in (DECISION, RECOMMENDATION) or (name is not None and bool(_AGENDA.match(name)))


def decision_maker(text: str) -> tuple[str, date | None]:
    """(committee, date) a decision heading names ("Beslutning i Byrådet den 24. marts 2025")."""
    name = " ".join(text.split()).rstrip(":")
    match = _DECISION.match(name) or _DECISION_LEAD.match(name)
    if not match:
        return "", None
    body = match.group("body1") or match.group("body2") or ""
    when = match.group("when") or ""
    return first_committee(body), parse_danish_date(when) if when else None


def split_label(text: str) -> tuple[str, str, str] | None:
    """(heading, section, text) of a paragraph that opens with a section label: "Beslutning:
    Godkendt.", "Økonomiudvalgets beslutning den 04.12.2012 Punkt 1 Taget til efterretning"."""
    if match := _LABEL.match(text):
        label = match.group("label").strip()
        if (name := section_name(label)) is not None and not _WHO_DECIDES.match(name):
            return label, name, match.group("rest").strip()
    if match := _DECISION_LEAD.match(" ".join(text.split())):
        head = match.group("head").strip()
        if len(head.split()) <= MAX_LABEL_WORDS:
            return head, DECISION, match.group("rest").strip()
    return None


def mark_sections(blocks: list[Block]) -> list[Block]:
    """Inside agenda items (`Block.item`): labels and label lines become section headings,
    and a decision's or recommendation's variant files its text under the common name."""
    out: list[Block] = []
    item_level: dict[int, int] = {}
    section_level: dict[int, int] = {}
    filed, filed_level = "", 0  # the common name the current heading's text is filed under
    for block in blocks:
        if block.item and block.item not in item_level and block.kind == "heading":
            item_level[block.item] = block.level
            out.append(block)
            filed = ""
            continue
        if block.kind == "heading":
            name = section_name(block.text)
            if name is None:
                if block.level <= filed_level:
                    filed = ""
                out.append(block)
                continue
            block = replace(block, text=" ".join(block.text.split()).rstrip(":").strip())
            if block.item:
                section_level[block.item] = block.level
            filed, filed_level = _filed(block.text, name), block.level
            out.append(block)
            continue
        if block.item and block.kind == "paragraph":
            split = split_label(block.text)
            name = section_name(block.text)
            if split is None and name is not None and not _WHO_DECIDES.match(name):
                split = (block.text.rstrip(": "), name, "")
            if split is not None:
                heading, name, rest = split
                level = section_level.get(block.item) or item_level.get(block.item, 1) + 1
                section_level[block.item] = level
                out.append(Block(heading, "heading", level, block.page, item=block.item))
                filed, filed_level = _filed(heading, name), level
                if not rest:
                    continue
                block = replace(block, text=rest)
        if filed and not block.section:
            block = replace(block, section=filed)
        out.append(block)
    return out


def _filed(heading: str, name: str) -> str:
    """The common name a variant heading's text is filed under; "" when the heading is it."""
    return name if name in (DECISION, RECOMMENDATION) and heading != name else ""
