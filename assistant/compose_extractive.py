"""The extractive answer's text: a direct answer, then the evidence beneath it.

A plain assembler of the sentences `assistant.choose` picked. Our own words are limited to the
lead-ins that say who said or decided it and when, and the labels that say what heading a quote
stands under; every sentence of content is quoted whole and carries its citation. The evidence
is grouped per document, with one lead-in each, and in the document's own order. How sure the
answer may be is decided before (`assistant.confidence`): an `answered` question gets the direct
answer asserted; an `uncertain` one gets none, only the nearest evidence, said plainly. Quoted
text cannot carry marks or tags of its own (`assistant.source_text`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant.answer import ANSWERED, QUOTE_SEPARATOR, Citation, Quote
from assistant.choose import Choice, is_heading, label_of
from assistant.sentence_choice import Candidate
from assistant.source_text import inert
from danish.committees import display_committee
from danish.dates import danish_date
from danish.decisions import is_decision, mentions_recommendation
from vectorstore.records import Hit

EVIDENCE_WITH_DIRECT = 4  # quotes beneath a direct answer
EVIDENCE_WITHOUT = 5  # quotes of an uncertain answer, which has no direct one
EVIDENCE_HEADING = "Fra dokumenterne:"
UNCERTAIN_INTRO = "Jeg fandt ikke et direkte svar på det. Det nærmeste i dokumenterne:"


@dataclass
class Composed:
    text: str = ""
    direct: str = ""  # the direct answer with its lead-in and citation, "" when none asserted
    evidence: list[Quote] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)


class ExtractiveComposer:
    def compose(self, choice: Choice, confidence: str = ANSWERED) -> Composed:
        """The answer's text for a choice of sentences, at the confidence decided for it."""
        if confidence == ANSWERED and choice.direct:
            direct, rest = choice.direct, choice.evidence[:EVIDENCE_WITH_DIRECT]
        else:
            direct, rest = [], (choice.direct + choice.evidence)[:EVIDENCE_WITHOUT]
        citations = _Citations()
        direct_text = " ".join(
            f"{inert(_lead_with_label(c))}{quoted(c.sentence)} [{citations.n(c)}]" for c in direct
        )
        if direct and choice.pending is not None:
            body, decision = choice.pending
            direct_text += (
                f" Den endelige beslutning ligger hos {body} og er ikke blandt de fundne "
                f"dokumenter [{citations.n(decision)}]."
            )
        groups = _in_document_order(rest)
        latest = _latest_decisions(direct + rest)
        quotes = [
            Quote(
                quoted(c.sentence),
                citations.n(c),
                inert(_label(c)),
                inert(document_lead(c.hit)),
                earlier=_earlier(c, latest),
            )
            for group in groups
            for c in group
        ]
        lines = [direct_text] if direct_text else []
        if quotes:
            lines += ["", EVIDENCE_HEADING] if direct_text else [UNCERTAIN_INTRO]
            document = None
            for quote in quotes:
                if quote.document != document:
                    lines.append(f"{quote.document}:")
                    document = quote.document
                lines.append(f"– {quote.line()}")
        return Composed("\n".join(lines), direct_text, quotes, citations.all)


def quoted(sentence: str) -> str:
    """A sentence as an answer shows it: without its bullet mark ("- ", "• "), made inert."""
    return inert(" ".join(sentence.lstrip("-–•* ").split()) or sentence)


class _Citations:
    """One citation per passage, numbered in the order the answer shows them; its quote holds
    every sentence the answer took from the passage (the card marks them)."""

    def __init__(self) -> None:
        self.all: list[Citation] = []
        self._by_chunk: dict[str, Citation] = {}

    def n(self, cand: Candidate) -> int:
        # a stretch of several lines is marked line by line on the card and in a briefing
        lines = [line.strip() for line in cand.sentence.split("\n") if line.strip()]
        citation = self._by_chunk.get(cand.hit.chunk_id)
        if citation is None:
            quote = QUOTE_SEPARATOR.join(lines)
            citation = Citation.from_hit(len(self.all) + 1, cand.hit, quote, cand.section)
            self.all.append(citation)
            self._by_chunk[cand.hit.chunk_id] = citation
        else:
            for line in lines:
                citation.add_quote(line)
        return citation.n


def _in_document_order(chosen: list[Candidate]) -> list[list[Candidate]]:
    """Per document (in the order the best of each was chosen), the quotes in the document's
    own order: by passage, then by place in the passage."""
    groups: dict[str, list[Candidate]] = {}
    for cand in chosen:
        groups.setdefault(cand.hit.metadata.doc_id or cand.hit.chunk_id, []).append(cand)
    return [
        sorted(g, key=lambda c: (c.hit.metadata.chunk_index, c.hit.text.find(c.sentence)))
        for g in groups.values()
    ]


def _latest_decisions(chosen: list[Candidate]) -> dict[str, int]:
    """Per case, the date (ordinal) of the latest decision the answer quotes."""
    latest: dict[str, int] = {}
    for c in chosen:
        case = c.hit.metadata.case_number
        if c.is_decision and case:
            latest[case] = max(latest.get(case, 0), c.hit.metadata.date_ordinal)
    return latest


def _earlier(cand: Candidate, latest: dict[str, int]) -> str:
    """ "den 17. marts 2025" for a decision the answer also quotes a later decision of the
    same case for: that one is the case's state, this one what came before it."""
    m = cand.hit.metadata
    if not (cand.is_decision and m.case_number and m.meeting_date):
        return ""
    return f"den {danish_date(m.meeting_date)}" if m.date_ordinal < latest[m.case_number] else ""


def _label(cand: Candidate) -> str:
    """The heading a quote stands under, when it is more than the document's own title."""
    m = cand.hit.metadata
    if is_heading(cand):
        return ""
    label = label_of(cand)
    return "" if label in ("", m.title, m.item_title) else label


def _lead_with_label(cand: Candidate) -> str:
    """The direct answer's lead-in; it names the heading the sentence stands under only when
    the heading was chosen for what it says ("under «Oplæg fra sociolog Eva Steensig»"): a
    short answer has no words to spare."""
    lead = lead_in(cand.hit, cand.section)
    if cand.label and not is_heading(cand):
        return f"{lead[:-2]}, under «{cand.label}»: "
    return lead


def document_lead(hit: Hit) -> str:
    """The document a group of quotes comes from, with who and when: said once per document."""
    m = hit.metadata
    title = f"«{m.item_title or m.title or m.source}»"
    who = display_committee(m.committee) if m.committee else ""
    when = danish_date(m.meeting_date) if m.meeting_date else ""
    details = ", ".join(x for x in (who, when) if x)
    return f"{title} ({details})" if details else title


def lead_in(hit: Hit, section: str = "") -> str:
    """Who said or decided it, and when: the only words of ours in a direct answer. A committee
    is who; the item's title stands once, above the evidence, so a short answer stays short."""
    m = hit.metadata
    when = f" den {danish_date(m.meeting_date)}" if m.meeting_date else ""
    committee = display_committee(m.committee) if m.committee else ""
    section = (section or m.section).lower()
    if is_decision(section) and committee:
        return f"{committee} besluttede{when}: "
    if mentions_recommendation(section) and committee:
        return f"I indstillingen til {committee}{when}: "
    if committee and m.item_number:
        return f"I sagen for {committee}{when}: "
    return f"Af «{m.item_title or m.title}»{when}: "
