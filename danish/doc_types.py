"""A document's type (referat, dagsorden, notat, politik, høringssvar, plan, bilag, …) from
the words that name it: in the title, in a line that opens the document, or in the file name.

Only these explicit cues count. A type word in the running text ("politik" in one of the cases
on a list of cases) says nothing of what the document is; nor does a committee's name ("Udvalget
for Plan, Udvikling og Kultur" names no plan) or the item every meeting has ("Godkendelse af
dagsorden").
"""

from __future__ import annotations

import re

from danish.committees import committee_spans

# the types a document is filed as; "andet" (other) when no word names one
DOC_TYPES = (
    "referat", "dagsorden", "opsamling", "politik", "notat", "høringssvar", "plan", "bilag", "andet"
)  # fmt: skip
OPENING_LINE_WORDS = 12
# the words that name a document's type; earliest in the title wins
# (a plural names a collection, not this document: "Dagsordener og referater" is a portal's
# name for its pages)
_TYPE_WORDS = [
    ("høringssvar", r"hørings?svar(?!ene)"),
    ("dagsorden", r"dagsorden(?!er)"),
    ("referat", r"referat(?!er)|beslutningsprotokol|protokol(?!ler)"),
    ("opsamling", r"opsamling|temamøde(?!r)"),
    ("notat", r"notat(?!er)|memo\b|redegørelse|svar\s+til|besvarelse"),
    ("politik", r"politik(?!ker)|strategi(?!er)"),
    ("plan", r"plan(?:en)?\b"),
    ("bilag", r"^\s*bilag\b"),
]
_TYPE_PATTERNS = [(t, re.compile(p, re.IGNORECASE)) for t, p in _TYPE_WORDS]
# a draft in consultation is a policy when nothing else says what it is
_CONSULTATION = re.compile(r"høringsudkast|\bi\s+høring\b", re.IGNORECASE)
_NOT_A_TYPE = re.compile(r"godkendelse\s+af\s+(?:den\s+)?dagsorden(?:en)?", re.IGNORECASE)
# a line that opens with the document's kind: "Referat", "Åbent referat", "NOTAT", "Dagsorden
# for …", "Høringssvar fra …"
_OPENING_TYPE = re.compile(
    r"^(?:(?:åbent|åben|lukket|ekstraordinært|endeligt?|godkendt)\s+)?"
    r"(referat|mødereferat|beslutningsprotokol|dagsorden|notat|høringssvar|opsamling)\b",
    re.IGNORECASE,
)
_OPENING_KIND = {"mødereferat": "referat", "beslutningsprotokol": "referat"}
# the document naming itself: "Dette notat samler op på …", "nærværende høringssvar"
_SELF_REFERENCE = re.compile(
    r"\b(?:dette|nærværende)\s+(notat|referat|høringssvar|bilag)\b|"
    r"\b(?:denne|nærværende)\s+(dagsorden|politik|strategi|plan)\b",
    re.IGNORECASE,
)
STEM_SPLIT = re.compile(r"[_\s.,()]+|(?<!\d)-|-(?!\d)")


def read_doc_type(title: str, lines: list[str], stem: str) -> str:
    """The type the title, an opening line, the document's name for itself in its opening
    ("Dette notat …") or the file name names; "" when none does."""
    if found := title_doc_type(title):
        return found
    for line in lines:
        if len(line.split()) <= OPENING_LINE_WORDS and (match := _OPENING_TYPE.match(line)):
            kind = match.group(1).lower()
            return _OPENING_KIND.get(kind, kind)
    if match := _SELF_REFERENCE.search("\n".join(lines)):
        return (match.group(1) or match.group(2)).lower()
    return title_doc_type(" ".join(STEM_SPLIT.split(without_committees(stem))))


def title_doc_type(text: str) -> str:
    """The type whose word comes first in a title (or file name); "" when none does."""
    text = _NOT_A_TYPE.sub(" ", without_committees(text))
    found = [
        (match.start(), doc_type)
        for doc_type, pattern in _TYPE_PATTERNS
        if (match := pattern.search(text))
    ]
    if found:
        return min(found)[1]
    return "politik" if _CONSULTATION.search(text) else ""


def without_committees(text: str) -> str:
    """The text without committee names."""
    for start, end, _ in reversed(committee_spans(text)):
        text = f"{text[:start]} {text[end:]}"
    return text


# the types that are a meeting's own documents: what "a meeting" in the news list is made of
MEETING_TYPES = ("referat", "dagsorden")
