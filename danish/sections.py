"""The sections of an agenda item, in the names different systems give them.

Systems name the same sections differently ("Beslutning", "Udvalgets beslutning", "Beslutning i
Byrådet den 24. marts 2025", "Sundheds- og Forebyggelsesudvalgets beslutning den 04.12.2012
Punkt 1"; "Indstilling", "Administrationens indstilling") and set them differently: as
headings, as a label before the text ("Beslutning: Godkendt.") or as a bold line of their own.
`section_name` reads a heading or label as the section it names: a decision or recommendation
in any of its variants is `DECISION` or `RECOMMENDATION` (see `danish.decisions`), other known
sections keep their names as written.

Two more vocabularies name sections where a system gives them as fields, read by the loaders
of those systems: the case systems' export captions (`CAPTION_DECISION`, `EXPORT_SECTIONS`, …;
`ingest.loaders.exports.sections` decides whose decision a caption names) and the meeting
portal's item headings (`PORTAL_SECTIONS`). Each matches what its system writes.
"""

from __future__ import annotations

import re
from datetime import date

from danish.committees import first_committee
from danish.dates import parse_danish_date
from danish.decisions import DECISION, RECOMMENDATION

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
WHO_DECIDES = re.compile(
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
        if (name := section_name(label)) is not None and not WHO_DECIDES.match(name):
            return label, name, match.group("rest").strip()
    if match := _DECISION_LEAD.match(" ".join(text.split())):
        head = match.group("head").strip()
        if len(head.split()) <= MAX_LABEL_WORDS:
            return head, DECISION, match.group("rest").strip()
    return None


# -- the case systems' export captions (eDoc, SBSYS, Acadre) ------------------------------------

# a field whose caption says who will decide, not what was decided
DECIDED_BY = re.compile(r"^(?:beslutningen\s+træffes\s+af|sagen\s+afgøres\s+(?:af|i))$", re.I)
# "Økonomiudvalgets beslutning …", "Beslutning i Økonomiudvalget den 10-04-2013", "Beslutning"
CAPTION_DECISION = re.compile(
    r"^(?:(?P<owner>.+?)\s+beslutning|beslutning(?:\s+i\s+(?P<body>.+?))?)"
    r"(?P<rest>\s+(?:den|d\.)\s+.*|\s+punkt\s+\d+.*)?$",
    re.IGNORECASE,
)
CAPTION_RECOMMENDATION = re.compile(r"\bindstilling\b", re.IGNORECASE)
# sections as agenda systems name them, for telling them apart from sub-headings in plain text
# (a line that starts with one)
EXPORT_SECTIONS = (
    "sammendrag", "resume", "resumé", "baggrund", "sagsfremstilling", "sagsbeskrivelse",
    "supplerende sagsfremstilling", "indstilling", "beslutning", "økonomi", "økonomiske",
    "bilag", "lovgrundlag", "kommunikation", "høring", "sagens forløb", "sagsforløb",
    "tidligere behandling", "punktet behandlet tidligere", "beslutningen træffes af",
    "sagen afgøres", "tidsplan", "historik", "personalemæssige", "miljømæssige",
    "administrationens indstilling", "direktionens indstilling", "retsgrundlag",
)  # fmt: skip

# -- the meeting portal's items (FirstAgenda/Prepare JSON) ---------------------------------------

# section names seen in portal items, in lower case; some portals mark them <h4> instead of <h3>
PORTAL_SECTIONS = {
    "beslutning", "sagsprocedure", "resume", "indstilling", "sagsbeskrivelse",
    "sagsfremstilling", "supplerende sagsfremstilling", "økonomiske konsekvenser",
    "øvrige konsekvenser", "øvrige forhold", "lovgrundlag", "tidsplan", "kommunikation",
    "sagens forløb", "høring", "bilag", "historik", "baggrund",
}  # fmt: skip
