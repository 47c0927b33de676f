"""A case's treatment as Danish agenda systems word it: decisions, recommendations, closed
items and case numbers.

**Is this a decision?** Ingest files a decision in any of its variants ("Udvalgets
beslutning", "Beslutning i Byrådet den …") under one section name, `DECISION`, and a
recommendation under `RECOMMENDATION` (see `danish.sections`). A section name is then read in
one of three ways, by what the caller holds:

- `is_decision`: one section's name, as a sentence or quote carries it, starts with
  "beslutning", so a variant a document kept as written ("Beslutning i Byrådet", outside an
  agenda item) counts too;
- `holds_decision`: a passage's section, which joins the sections it merges with " / "
  ("Indstilling / Beslutning"), includes the decision under its common name;
- `is_filed_decision`: the section is exactly the common name: the chunker keeps such a
  decision alone with its recommendation, and a variant outside an agenda item is not.

The same three readings exist for recommendations. They differ only on names other than the
common one, and each caller's reading is kept as it was.
"""

from __future__ import annotations

import re

DECISION = "Beslutning"
RECOMMENDATION = "Indstilling"


# sections whose names open like a decision's but hold none: what is to be decided
# ("Beslutningstema"), who decides ("Beslutningen træffes af", "Beslutningskompetence")
_NOT_A_DECISION = re.compile(
    r"beslutning(stema|sgrundlag|skompetence|sniveau|sproces|en træffes|en tages)", re.IGNORECASE
)


def is_decision(section: str) -> bool:
    """A section's name opens with "Beslutning" ("Beslutning", "Beslutning i Byrådet …"), and
    is no section about the decision to come ("Beslutningstema", "Beslutningen træffes af")."""
    lowered = section.lower()
    return lowered.startswith("beslutning") and not _NOT_A_DECISION.match(lowered)


def holds_decision(section: str) -> bool:
    """A passage's sections ("Indstilling / Beslutning") include the decision's common name."""
    return DECISION in section


def is_filed_decision(section: str) -> bool:
    """The section is the decision's common name itself, in any case."""
    return section.lower() == DECISION.lower()


def is_recommendation(section: str) -> bool:
    """A section's name opens with "Indstilling"."""
    return section.lower().startswith("indstilling")


def mentions_recommendation(section: str) -> bool:
    """A section's name has the word anywhere ("Administrationens indstilling")."""
    return "indstilling" in section.lower()


def is_filed_recommendation(section: str) -> bool:
    """The section is the recommendation's common name itself, in any case."""
    return section.lower() == RECOMMENDATION.lower()


# a decision that only says the item was noted or a recommendation approved: no facts
FORMAL_DECISION = re.compile(
    r"(\d[\d.\s-]*)?(orienteringen? (blev )?taget til efterretning|(blev )?taget til efterretning|"
    r"[\w-]+ tog (orienteringen |sagen |punktet )?til efterretning|"
    r"godkendt|anbefales|indstillingen (blev )?godkendt|"
    r"[\w-]+ anbefaler over ?for [\w-]+,? at [\w\s-]{0,80}indstilling(en)? godkendes|"
    r"([\w-]+ )?godkendte [\w\s-]{0,60}indstilling(en)?)\.?",  # "(Med N for …) godkendte X …"
    re.I,
)
# how a decision was voted: "Med stemmerne 17 for og 2 imod …", "For stemte: (V), (A) …"
_VOTE_TALLY = re.compile(r"^med (?:stemmerne )?\d+ (?:stemmer )?for og \d+ imod,?\s+", re.I)
_VOTE_LIST = re.compile(
    r"\s*\b(?:for|imod) stemte\b.*$|\s*\bundlod at stemme\b.*$|\s*\bstemte (?:for|imod)\b.*$",
    re.I | re.S,
)


# where a decision recorded point by point parts: a bullet, or a point's number after an end
_POINTS = re.compile(r"\s*•\s*|(?<=[.\s])\s*(?=\d+\.\s)")


def is_formal_decision(text: str) -> bool:
    """Whether a decision only notes the item or approves a recommendation, point by point
    ("Godkendt • Godkendt") and however it was voted ("Med stemmerne 17 for og 2 imod
    godkendte byrådet Økonomiudvalgets indstilling. For stemte: (V), (A) …" says no more than
    "Indstillingen blev godkendt.")."""
    core = _VOTE_LIST.sub("", _VOTE_TALLY.sub("", " ".join(text.split())))
    points = [p.strip() for p in _POINTS.split(core) if p.strip()]
    return bool(points) and all(FORMAL_DECISION.fullmatch(p) for p in points)


# a decision that hands the case on: "Økonomiudvalget anbefaler over for Byrådet, at …"
ONWARD = re.compile(
    r"\b(?:anbefaler|anbefales|indstiller|oversendes|sendes videre)\b[^.]{0,40}?"
    r"\b(?:over ?for|til)\s+(?P<body>Byrådet|Kommunalbestyrelsen|Regionsrådet|"
    r"(?:[A-ZÆØÅ][\w]*-,?\s+(?:og\s+)?)*[A-ZÆØÅ][\w-]*udvalget)",
    re.IGNORECASE,
)


# -- closed items --------------------------------------------------------------------------
# Each system marks a closed item in its own place; the words differ with the place.

# an item's title: "Lukket: …", "Lukket punkt – …", "LUKKET …", "Fortroligt: …"; not
# "Lukketid for …"
CLOSED_PREFIX = re.compile(
    r"^(?:lukket(?:\s+punkt)?|fortrolig[te]?(?:\s+punkt)?)\b\s*[:.–-]?\s*", re.IGNORECASE
)
# the meeting portal's JSON (FirstAgenda/Prepare) titles a closed item with exactly this
# prefix, compared in lower case; its titles are read by this prefix only
PORTAL_CLOSED_PREFIX = "lukket:"
# the value of an item's access field in a portal's HTML ("Lukket", "Fortroligt")
CLOSED_VALUE = re.compile(r"^(?:lukket|fortrolig)", re.I)
# an SBSYS enclosure whose name says it is not published ("Ikke offentliggjort - Bilag 2 …")
UNPUBLISHED_NAME = re.compile(r"^\s*(?:ikke\s+offentlig\w*|lukket|fortrolig\w*)\b", re.IGNORECASE)
# an eDoc attachment's publishing type that keeps it from the public ("Må ikke offentliggøres")
NOT_PUBLISHED = re.compile(r"\bikke\b|\bmå ikke\b|\blukket\b", re.IGNORECASE)


def closed_agenda(agenda_type: str) -> bool:
    """An eDoc agenda type that holds the closed items ("Lukket dagsorden")."""
    return "lukket" in agenda_type.lower()


# -- case numbers --------------------------------------------------------------------------
# The labels differ slightly per use, as they were written (`RUN_ON_CASE` has no
# "journalnr"), and are kept so: a change would move what ingest reads from a file.

# a case number after its label, anywhere ("Sagsnr.: 24-008831", "J.nr. 12/27845")
CASE_LABEL = re.compile(
    r"(?:sagsid|sags-?id|sagsnr|sags\s?nr|\bsag\s?nr|sagsnummer|j\.\s?nr|journalnr)\.?\s*[:.]?\s*"
    r"([A-ZÆØÅ0-9][\w./-]*\d[\w./-]*)",
    re.IGNORECASE,
)
# a line that states a case number, as under an agenda item's heading ("Sagsnr.: 24-008831")
CASE_LINE = re.compile(
    r"^\s*(?:sagsid|sags-?id|sagsnr|sags\s?nr|sag\s?nr|sagsnummer|j\.\s?nr|journalnr)"
    r"(?:\.?\s*[:.]\s*|\s+)(?=\S*\d)",
    re.IGNORECASE,
)
# a case line run on after an item's title in one paragraph: the space before it
RUN_ON_CASE = re.compile(
    r"\s(?=(?:sagsnr|sags\s?nr|sag\s?nr|sagsnummer|sags-?id|j\.\s?nr)\.?\s*[:.]?\s*\S*\d)", re.I
)
# a case id that needs no label ("EMN-2024-01234")
EMN_CASE = re.compile(r"\bEMN-\d{4}-\d+\b")


def find_case_number(text: str) -> str:
    """The text's first case number: an EMN id, else the first labelled one; "" if none."""
    if match := EMN_CASE.search(text):
        return match.group(0)
    if match := CASE_LABEL.search(text):
        return match.group(1).rstrip(".")
    return ""


# -- a decision's outcome --------------------------------------------------------------------
# What a decision's text says was done, as a short phrase for a case's history ("godkendt").
# The earliest phrase in the text wins ("Godkendt, idet punkt 2 udsættes" is approved); at one
# position the order below decides ("godkendes ikke" is refused). "drøftet" only when nothing
# else is said: a committee that discussed and approved has approved.
OUTCOMES = (
    (
        "ikke godkendt",
        re.compile(
            r"\bikke\s+(?:godkend|anbefal|vedtag|tiltr[æå]d|imødekom)\w*"
            r"|\b(?:godkend|anbefal|vedtag|tiltr[æå]d)\w*\s+ikke\b"
            r"|\b(?:forkast|afvis|afslå)\w*|\bafslog\b",
            re.IGNORECASE,
        ),
    ),
    ("udsat", re.compile(r"\buds(?:at|ættes|atte|ætter)\b", re.IGNORECASE)),
    (
        "oversendt",
        re.compile(r"\b(?:oversend\w*|videresend\w*|sendes videre|sendt videre)", re.IGNORECASE),
    ),
    ("anbefalet", re.compile(r"\banbefal\w*", re.IGNORECASE)),
    (
        "taget til efterretning",
        re.compile(r"\btil\s+efterretning\b|\bnoteret\b", re.IGNORECASE),
    ),
    (
        "godkendt",
        re.compile(
            r"\b(?:godkend\w*|vedtag\w*|vedtog|tiltr[æå]d\w*|bevilge[ts]?)\b", re.IGNORECASE
        ),
    ),
)
DISCUSSED = ("drøftet", re.compile(r"\bdrøft\w*", re.IGNORECASE))
# outcomes that end a case where it was decided; the others hand it on or leave it open
FINAL_OUTCOMES = ("godkendt", "ikke godkendt", "taget til efterretning")
# a line of the minutes that records who was absent, not what was decided
ABSENCE_LINE = re.compile(r"^\s*(?:fraværende|afbud|fravær)\b", re.IGNORECASE)


def decision_outcome(text: str) -> str:
    """The outcome a decision's text states ("godkendt", "anbefalet", "taget til
    efterretning", "ikke godkendt", "udsat", "oversendt", "drøftet"); "" when it states none."""
    found = [
        (match.start(), order, outcome)
        for order, (outcome, pattern) in enumerate(OUTCOMES)
        if (match := pattern.search(text))
    ]
    if found:
        return min(found)[2]
    return DISCUSSED[0] if DISCUSSED[1].search(text) else ""


_DASHES = re.compile(r"[\u2010-\u2015\u2212]")
# what a typed case number may look like: an optional short prefix ("EMN"), then digits with
# separators ("24-018452", "24 018452", "12/27845", "20-010677K")
CASE_NUMBER_QUERY = re.compile(r"[A-ZÆØÅ]{0,4}[\s./-]*\d[\d\s./-]*[A-ZÆØÅ]?", re.IGNORECASE)


def normalise_case_number(text: str) -> str:
    """A case number as typed or stored, in one form: dashes as "-", no spaces, upper case,
    no full stop after it ("24 – 018452." → "24-018452")."""
    text = _DASHES.sub("-", text.strip().rstrip("."))
    text = re.sub(r"\s*([-/.])\s*", r"\1", text)
    return re.sub(r"\s+", "-", text).upper()


def looks_like_case_number(text: str) -> bool:
    """Typed text that is a case number rather than words of a title (four digits at least)."""
    text = normalise_case_number(text)
    return bool(CASE_NUMBER_QUERY.fullmatch(text)) and sum(ch.isdigit() for ch in text) >= 4
