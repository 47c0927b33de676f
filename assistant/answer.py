"""What an answer is: text with numbered citations, each resolvable to a quoted passage."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from danish.committees import display_committee
from danish.dates import danish_date
from vectorstore.records import Hit, safe_url

QUOTE_SEPARATOR = " … "  # between the sentences a citation quotes from one passage


def quoted_sentences(quote: str) -> list[str]:
    """The sentences a citation's `quote` holds, each verbatim from the passage."""
    return [part.strip() for part in quote.split(QUOTE_SEPARATOR) if part.strip()]


@dataclass
class Citation:
    n: int
    chunk_id: str
    source: str
    # the sentence(s) the answer rests on, verbatim from the passage, in the order the answer
    # quotes them, joined by QUOTE_SEPARATOR (`sentences()` gives them apart)
    quote: str
    text: str  # the whole passage
    title: str = ""
    committee: str = ""
    meeting_date: str = ""
    item_number: str = ""
    item_title: str = ""
    case_number: str = ""
    section: str = ""
    page_start: int = 0
    page_end: int = 0
    doc_type: str = ""
    access: str = "public"
    url: str = ""  # the source's public page (an http(s) address), "" when none is known

    @classmethod
    def from_hit(cls, n: int, hit: Hit, quote: str, section: str = "") -> Citation:
        """`section`: the quoted sentence's own section, when the passage spans several."""
        m = hit.metadata
        return cls(
            n=n, chunk_id=hit.chunk_id, source=m.source, quote=quote, text=hit.text,
            title=m.title, committee=m.committee, meeting_date=m.meeting_date,
            item_number=m.item_number, item_title=m.item_title, case_number=m.case_number,
            section=section or m.section, page_start=m.page_start, page_end=m.page_end,
            doc_type=m.doc_type, access=m.access, url=safe_url(m.url),
        )  # fmt: skip

    def sentences(self) -> list[str]:
        return quoted_sentences(self.quote)

    def add_quote(self, sentence: str) -> None:
        """Another sentence of the passage the answer quotes (once)."""
        if sentence not in self.sentences():
            self.quote = QUOTE_SEPARATOR.join([*self.sentences(), sentence])

    def reference(self) -> str:
        """A footnote-style reference line in Danish (plain text; the URL is shown beside it
        as a link where the medium has links)."""
        parts = [f"«{self.title}»" if self.title else self.source]
        if self.committee:
            parts.append(display_committee(self.committee))
        if self.meeting_date:
            parts.append(danish_date(self.meeting_date))
        if self.item_number:
            parts.append(f"punkt {self.item_number}")
        if self.case_number:
            parts.append(f"sag {self.case_number}")
        if self.section:
            parts.append(self.section)
        if self.page_start:
            pages = (
                f"side {self.page_start}"
                if self.page_end in (0, self.page_start)
                else f"side {self.page_start}-{self.page_end}"
            )
            parts.append(pages)
        parts.append(f"kilde: {self.source}")
        return ", ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


# how sure an answer is: a direct answer asserted; nothing asserted, the nearest evidence
# shown; nothing found
ANSWERED, UNCERTAIN, NOT_FOUND = "answered", "uncertain", "not_found"
CONFIDENCE = (ANSWERED, UNCERTAIN, NOT_FOUND)


@dataclass
class Quote:
    """One statement of evidence: whole sentences verbatim from one passage, with its citation.

    `label` is the heading or section the sentences stand under in their document; `document`
    names the document and who/when once for all its quotes ("«Titel» (Byrådet, 24. marts
    2025)").
    """

    text: str
    n: int
    label: str = ""
    document: str = ""
    # for a decision a later decision of the same case changed: when it was taken ("den 17.
    # marts 2025"); it is shown as earlier, never as the current state
    earlier: str = ""

    def line(self) -> str:
        if self.earlier:
            return f"Tidligere, {self.earlier}: {self.text} [{self.n}]"
        label = f"Under «{self.label}»: " if self.label else ""
        return f"{label}{self.text} [{self.n}]"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Answer:
    question: str
    text: str
    citations: list[Citation] = field(default_factory=list)
    declined: bool = False  # confidence == NOT_FOUND
    filters_applied: str = ""  # the filters taken from the question, in Danish
    notes: list[str] = field(default_factory=list)  # e.g. "LLM-svaret blev erstattet …"
    mode: str = "extractive"
    hits: list[Hit] = field(default_factory=list)  # what retrieval returned, for the UI
    # filters taken from the question, by kind ("period", "committee") → Danish label
    derived: dict[str, str] = field(default_factory=dict)
    # what the confidence rule read, per answer attempt (a second one without derived filters)
    signals: list[Any] = field(default_factory=list)  # assistant.confidence.Signals
    confidence: str = ANSWERED
    direct: str = ""  # the direct answer with its lead-in and citation; "" when none asserted
    evidence: list[Quote] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "text": self.text,
            "confidence": self.confidence,
            "direct": self.direct,
            "evidence": [q.to_dict() for q in self.evidence],
            "declined": self.declined,
            "filters_applied": self.filters_applied,
            "notes": self.notes,
            "mode": self.mode,
            "citations": [c.to_dict() for c in self.citations],
        }
