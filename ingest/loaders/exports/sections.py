"""Section names from the captions case systems give an item's fields.

Systems name the same sections differently ("SAGSFREMSTILLING", "Resumé", "Administrationens
indstilling", "Økonomiudvalgets beslutning den 04.12.2012 Punkt 2"). What is stored is the name
as the source gives it, in ordinary case, with two exceptions that the rest of Referent relies
on: a recommendation is "Indstilling", and only the meeting's own decision is "Beslutning". A
decision of another body, or of an earlier meeting of the same one, keeps its own caption, so
no answer says the committee decided at this meeting what another body (or an earlier meeting)
decided; "Beslutningen træffes af" is who decides, not a decision.
"""

from __future__ import annotations

from datetime import date

from danish.committees import same_body
from danish.dates import parse_danish_date
from danish.decisions import DECISION, RECOMMENDATION
from danish.sections import (
    CAPTION_DECISION,
    CAPTION_RECOMMENDATION,
    DECIDED_BY,
    EXPORT_SECTIONS,
)
from ingest.clean import collapse_whitespace

EMPTY_CONTENT = {"tomt indhold", "-", "…", "..."}  # placeholders for a field left empty


def plain_case(caption: str) -> str:
    """ "SAGSFREMSTILLING" → "Sagsfremstilling"; a caption in mixed case stays as written."""
    text = collapse_whitespace(caption).strip(" :")
    if text.isupper():
        text = text.lower()
    return text[:1].upper() + text[1:]


def section_name(caption: str, committee: str, meeting_date: str, text: str = "") -> str:
    """The stored name of a field's section (see the module's docstring)."""
    name = plain_case(caption)
    if not name:
        return ""
    if DECIDED_BY.match(name):
        return "Sagen afgøres af"
    decision = CAPTION_DECISION.match(name)
    if decision:
        owner = decision.group("owner") or decision.group("body") or ""
        when = _date_in(decision.group("rest") or "") or _leading_date(text)
        earlier = bool(when and meeting_date and when.isoformat() != meeting_date)
        if (owner and not same_body(owner, committee)) or earlier:
            return name
        return DECISION
    if CAPTION_RECOMMENDATION.search(name):
        return RECOMMENDATION
    return name


def caption_heading(caption: str, name: str) -> str:
    """The caption to show above a section's text when it says more than the section's name
    ("Administrationens indstilling"); none for the meeting's own decision, whose committee
    and date every passage carries already."""
    caption = plain_case(caption)
    return "" if name in (DECISION, caption) else caption


def is_known_section(line: str) -> bool:
    """A line of plain text that names a section ("Sagsfremstilling", "Økonomiske
    konsekvenser og finansiering", "Økonomiudvalgets beslutning den 04.12.2012")."""
    text = collapse_whitespace(line).strip(" :")
    if not text or len(text.split()) > 14 or text.endswith((".", ",", ";", "?", "!")):
        return False
    if text.lower().startswith(EXPORT_SECTIONS):
        return True
    decision = CAPTION_DECISION.match(text)
    owner = decision.group("owner") if decision else None
    # "Økonomiudvalgets beslutning …", not a sentence that ends in "… beslutning"
    return decision is not None and (
        owner is None or (len(owner.split()) <= 6 and owner.split()[-1][:1].isupper())
    )


def is_empty_content(text: str) -> bool:
    return collapse_whitespace(text).strip(" .").lower() in EMPTY_CONTENT | {""}


def _date_in(text: str) -> date | None:
    return parse_danish_date(text) if text else None


def _leading_date(text: str) -> date | None:
    """The date a decision opens with ("18. september 2012: Sagen udsat …"): an earlier
    meeting's decision copied into this item."""
    head, sep, _ = collapse_whitespace(text)[:60].partition(":")
    return parse_danish_date(head) if sep and len(head.split()) <= 4 else None
