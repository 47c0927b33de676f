"""The extractive composer: a short Danish answer made only of sentences from the passages.

Sentences are scored by meaning (their e5 vectors, stored at ingest) and by the question's
words and cues (`assistant.sentence_choice`). Our own words are limited to the lead-in that
says who said or decided it and when; every sentence of content is quoted and carries its
citation. Quoted text cannot carry marks or tags of its own (`assistant.source_text`).
Besides the text, `compose` reports how well the best sentences answer the question, for the
decline rule.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field

from assistant import question_kind as qk
from assistant.answer import Citation, danish_date, display_committee
from assistant.sentence_choice import Candidate, candidates, coverage, question_terms
from assistant.source_text import inert
from vectorstore.records import Hit
from vectorstore.sentences import DECISION_WORDS
from vectorstore.snapshot import Snapshot

_FORMAL_DECISION = re.compile(
    r"(\d[\d.\s-]*)?(orienteringen? (blev )?taget til efterretning|taget til efterretning|"
    r"godkendt|anbefales|indstillingen (blev )?godkendt|"
    r"[\w-]+ anbefaler over ?for [\w-]+,? at [\w\s-]{0,80}indstilling(en)? godkendes|"
    r"[\w-]+ godkendte [\w\s-]{0,60}indstilling(en)?)\.?",
    re.I,
)  # a decision that only says the item was noted or a recommendation approved: no facts
# a decision that hands the case on: "Økonomiudvalget anbefaler over for Byrådet, at …"
_ONWARD = re.compile(
    r"\b(?:anbefaler|anbefales|indstiller|oversendes|sendes videre)\b[^.]{0,40}?"
    r"\b(?:over ?for|til)\s+(?P<body>Byrådet|[A-ZÆØÅ][\w-]*udvalget)",
    re.IGNORECASE,
)
MAX_STATEMENTS = 5  # the best sentence of each of the top passages, and the best ones left
DECISION_STATEMENTS = 1  # of a leading decision block, counted beyond MAX_STATEMENTS
FOLLOW_FROM_WORDS = 20  # only a short (topic) sentence is followed by the next one
FOLLOW_ON_WORDS = 55  # a sentence and the next one are quoted together up to this length
PER_DOCUMENT = 3  # statements from one document while other documents compete
LEAD_PASSAGES = 3  # passages whose best sentence goes in first
MEANING_PASSAGES = 3  # the passages whose sentences tell how well the question is answered


@dataclass
class Composed:
    """An extractive answer and what the decline rule needs to judge it."""

    text: str = ""
    citations: list[Citation] = field(default_factory=list)
    coverage: float = 0.0  # share of the question's squared-IDF terms in the best passage
    meaning: float | None = None  # best cosine of a sentence of the top passages, if stored
    kind: str = "other"
    has_value: bool = True  # the answer holds the amount/number/date the question asks for


class ExtractiveComposer:
    def __init__(
        self,
        max_statements: int = MAX_STATEMENTS,
        lead_passages: int = LEAD_PASSAGES,
        follow_on: bool = True,
        per_document: int = PER_DOCUMENT,
    ) -> None:
        self.per_document = per_document
        self.max_statements = max_statements
        self.lead_passages = lead_passages
        self.follow_on = follow_on

    @staticmethod
    def _latest_decision(
        ranked: list[Candidate], top: Hit, committees: Collection[str] = ()
    ) -> Candidate | None:
        decisions = [
            c
            for c in ranked
            if c.is_decision
            and _same_case(c.hit, top)
            and (not committees or c.hit.metadata.committee in committees)
        ]
        if not decisions:
            return None
        latest = max(c.hit.metadata.date_ordinal for c in decisions)
        return next(c for c in decisions if c.hit.metadata.date_ordinal == latest)

    def _head(
        self,
        question: str,
        kind: str,
        ranked: list[Candidate],
        hits: list[Hit],
        committees: Collection[str],
    ) -> list[Candidate]:
        """The top case's latest decision and what it approved, when the question asks what
        was decided (or came of it), however few of its words they repeat ("Godkendt.")."""
        if not (committees or qk.DECISION.search(question) or kind in ("outcome", "status")):
            return []
        decision = self._latest_decision(ranked, hits[0], committees)
        if decision is None or (kind in ("outcome", "status") and _only_noted(decision)):
            return []  # "Taget til efterretning." is no outcome: the result is
        head = [_whole_decision(decision, ranked)]
        approved = _what_was_approved(head[0], ranked)
        if approved is not None:  # "Godkendt." says nothing without what it approved
            head.append(approved)
        return head

    def _fill(
        self, chosen: list[Candidate], ranked: list[Candidate], hits: list[Hit], budget: int
    ) -> None:
        """Add the best sentence of each of the top passages (retrieval ranks passages better
        than sentence scores do), then the best sentences left, up to `budget` statements;
        never a bare formal decision ("Orienteringen blev taget til efterretning.")."""
        per_doc: dict[str, int] = {}
        for c in chosen:
            doc = c.hit.metadata.doc_id or c.hit.chunk_id
            per_doc[doc] = per_doc.get(doc, 0) + 1
        # a few statements per document while others compete; one document found: all its own
        docs = {h.metadata.doc_id or h.chunk_id for h in hits}
        per_doc_cap = self.per_document if len(docs) > 1 else budget
        leads = 0
        for rank in range(1, len(hits) + 1):
            if leads == self.lead_passages or len(chosen) >= budget:
                break
            own = [
                c
                for c in ranked
                if c.rank == rank and not _said(c, chosen) and not _is_formal_decision(c)
            ]
            if not own:
                continue
            leads += 1
            best = own[0]
            if not any(c.hit.chunk_id == best.hit.chunk_id for c in chosen):
                chosen.append(best)
                doc = best.hit.metadata.doc_id or best.hit.chunk_id
                per_doc[doc] = per_doc.get(doc, 0) + 1
        for cand in ranked:
            if len(chosen) >= budget:
                break
            doc = cand.hit.metadata.doc_id or cand.hit.chunk_id
            if per_doc.get(doc, 0) >= per_doc_cap or _said(cand, chosen):
                continue
            if _is_formal_decision(cand):
                continue
            if chosen and cand.score < 0.5 * max(c.score for c in chosen):
                break
            chosen.append(cand)
            per_doc[doc] = per_doc.get(doc, 0) + 1

    def compose(
        self,
        question: str,
        hits: list[Hit],
        index: Snapshot,
        topic: str = "",
        meanings: dict[str, float] | None = None,
        committees: Collection[str] = (),
    ) -> Composed:
        """The answer from the hits' sentences.

        `topic` is the conversation-aware question retrieval used; its words weigh sentences,
        while cues (amounts, dates, decisions) come from the question itself. `meanings` maps
        sentence keys to their cosine with the question (empty: lexical choice only).
        `committees`: a follow-up asked for these committees' treatment of the case; their
        latest decision leads.
        """
        ranked = candidates(question, hits, index, topic, meanings)
        kind = qk.kind_of(question)
        if not ranked:
            return Composed(kind=kind)
        # squared IDF: whether the passage has the question's rarest, most specific words
        terms = {t: w * w for t, w in question_terms(topic or question, index).items()}
        best_coverage = max(
            coverage(f"{h.metadata.title} {h.metadata.section} {h.text}", terms, index)
            for h in hits[:MEANING_PASSAGES]
        )
        top_ids = {h.chunk_id for h in hits[:MEANING_PASSAGES]}
        cosines = [c.meaning for c in ranked if c.meaning is not None and c.hit.chunk_id in top_ids]
        best_meaning = max(cosines) if cosines else None
        # the decision asked for and what it approved are the answer's head; the budget
        # is for the rest
        chosen = self._head(question, kind, ranked, hits, committees)
        head_size = len(chosen)
        budget = self.max_statements + min(head_size, DECISION_STATEMENTS)
        self._fill(chosen, ranked, hits, budget)
        missing = _missing_answer(question, chosen, ranked)
        if missing is not None:
            chosen.append(missing)

        # the decision asked for and what it approved lead; then decisions, most recent
        # first; then the rest in order of relevance
        head, rest = chosen[:head_size], chosen[head_size:]
        rest.sort(
            key=lambda c: (
                not c.is_decision,
                -(c.hit.metadata.date_ordinal if c.is_decision else 0),
                -c.score,
            )
        )
        chosen = head + _grouped(rest)
        if self.follow_on:
            chosen = [_with_next(c, ranked, chosen) for c in chosen]
        statements: list[str] = []
        previous = ""
        citations: list[Citation] = []
        by_chunk: dict[str, Citation] = {}
        for cand in chosen:
            citation = by_chunk.get(cand.hit.chunk_id)
            if citation is None:
                citation = Citation.from_hit(
                    len(citations) + 1, cand.hit, cand.sentence, cand.section
                )
                citations.append(citation)
                by_chunk[cand.hit.chunk_id] = citation
            else:
                citation.quote = f"{citation.quote} … {cand.sentence}"
            intro = lead_in(cand.hit, cand.section)
            if statements and intro == previous:
                # the same item and role as the line before: one lead-in for both, and one
                # citation mark when both sentences come from the same passage
                mark = f" [{citation.n}]"
                if statements[-1].endswith(mark):
                    statements[-1] = statements[-1][: -len(mark)]
                statements[-1] += f" {inert(cand.sentence)}{mark}"
            else:
                # the document's words (its title in the lead-in, the sentence) are made inert
                # here, where they become answer text: every [n] left is a citation of ours
                statements.append(f"{inert(intro + cand.sentence)} [{citation.n}]")
            previous = intro
        pending = _pending(chosen, hits) if kind in ("outcome", "status") else None
        if pending is not None:
            body, decision = pending
            n = by_chunk[decision.hit.chunk_id].n
            statements.append(
                f"Den endelige beslutning ligger hos {body} og er ikke blandt de fundne "
                f"dokumenter [{n}]."
            )
        has_value = _has_value(kind, chosen)
        return Composed(
            "\n".join(statements), citations, best_coverage, best_meaning, kind, has_value
        )


def _said(cand: Candidate, chosen: list[Candidate]) -> bool:
    """Whether a chosen statement already quotes this sentence (alone or within more)."""
    return any(cand.sentence in c.sentence for c in chosen)


def _with_next(cand: Candidate, ranked: list[Candidate], chosen: list[Candidate]) -> Candidate:
    """The sentence with the one after it in the same section, while both stay short: a
    topic sentence ("Kommunen havde i 2003-2007 en tilskudspulje …") is often followed by
    what came of it ("I alt modtog ca. 400 boliger tilskud …")."""
    if cand.is_decision or len(cand.sentence.split()) > FOLLOW_FROM_WORDS:
        return cand
    same = [c for c in ranked if c.hit.chunk_id == cand.hit.chunk_id and c.section == cand.section]
    same.sort(key=lambda c: cand.hit.text.find(c.sentence))
    at = next((i for i, c in enumerate(same) if c.sentence == cand.sentence), None)
    if at is None or at + 1 >= len(same):
        return cand
    nxt = same[at + 1]
    said = {c.sentence for c in chosen}
    if nxt.sentence in said or nxt.sentence == nxt.section:
        return cand
    joined = f"{cand.sentence} {nxt.sentence}"
    if len(joined.split()) > FOLLOW_ON_WORDS or joined not in cand.hit.text:
        return cand  # too long, or not one stretch of the passage's text
    return Candidate(
        cand.hit, cand.rank, joined, cand.score, cand.section,
        cand.coverage, cand.meaning,
    )  # fmt: skip


def _has_value(kind: str, chosen: list[Candidate]) -> bool:
    """Whether the answer holds the value its kind asks for. A decision's lead-in dates it:
    "hvornår blev … vedtaget" is answered by the meeting that decided it."""
    expected = qk.expected_value(kind)
    if expected is None:
        return True
    if kind == "date" and any(c.is_decision and c.hit.metadata.meeting_date for c in chosen):
        return True
    return any(expected.search(c.sentence) for c in chosen)


def _pending(chosen: list[Candidate], hits: list[Hit]) -> tuple[str, Candidate] | None:
    """(the body that decides, the recommendation) when the latest treatment of the case only
    recommended a decision to another body, and no decision of that body was found."""
    decisions = [c for c in chosen if c.is_decision and c.hit.metadata.case_number]
    if not decisions:
        return None
    latest = max(decisions, key=lambda c: c.hit.metadata.date_ordinal)
    onward = _ONWARD.search(latest.sentence)
    if onward is None:
        return None
    body = onward.group("body")
    later = [
        h
        for h in hits
        if h.metadata.case_number == latest.hit.metadata.case_number
        and h.metadata.date_ordinal > latest.hit.metadata.date_ordinal
    ]
    if later:
        return None
    return body, latest


def _grouped(chosen: list[Candidate]) -> list[Candidate]:
    """The same order, except that statements from one document follow each other."""
    order: dict[tuple[str, bool], list[Candidate]] = {}
    for cand in chosen:
        key = (cand.hit.metadata.doc_id or cand.hit.chunk_id,
               cand.section.lower().startswith("beslutning"))  # fmt: skip
        order.setdefault(key, []).append(cand)
    return [c for group in order.values() for c in group]


def _whole_decision(decision: Candidate, ranked: list[Candidate]) -> Candidate:
    """A decision recorded in several lines ("Indstillingen blev ikke godkendt …", "Imod
    stemte (A) …") is quoted whole, in its order, while it stays short."""
    lines = [c for c in ranked if c.is_decision and c.hit.chunk_id == decision.hit.chunk_id]
    if len(lines) < 2:
        return decision
    lines.sort(key=lambda c: decision.hit.text.find(c.sentence))
    if sum(len(c.sentence.split()) for c in lines) > DECISION_WORDS:
        return decision
    return Candidate(
        decision.hit, decision.rank, " … ".join(c.sentence for c in lines), decision.score,
        decision.section, decision.coverage, decision.meaning,
    )  # fmt: skip


def _what_was_approved(decision: Candidate, ranked: list[Candidate]) -> Candidate | None:
    """For a bare "Godkendt.": the recommendation of the same item, its points ("at …") quoted
    together in their order while they stay short, as one statement."""
    if not _is_formal_decision(decision):
        return None
    doc = decision.hit.metadata.doc_id
    same_item = [
        c
        for c in ranked
        if c.section.lower().startswith("indstilling")
        and (c.hit.chunk_id == decision.hit.chunk_id or (doc and c.hit.metadata.doc_id == doc))
    ]
    if not same_item:
        return None
    best = same_item[0]
    lines = [c for c in same_item if c.hit.chunk_id == best.hit.chunk_id]
    lines.sort(key=lambda c: best.hit.text.find(c.sentence))
    quoted, words = [], 0
    for line in lines:
        words += len(line.sentence.split())
        if quoted and words > DECISION_WORDS:
            break
        quoted.append(line.sentence)
    if best.sentence not in quoted:
        return best
    return Candidate(
        best.hit, best.rank, " … ".join(quoted), best.score, best.section, best.coverage
    )


def _only_noted(cand: Candidate) -> bool:
    """A decision that only took the item to note ("1.-2. Taget til efterretning.")."""
    return _is_formal_decision(cand) and "efterretning" in cand.sentence.lower()


def _is_formal_decision(cand: Candidate) -> bool:
    return cand.section.lower().startswith("beslutning") and bool(
        _FORMAL_DECISION.fullmatch(cand.sentence.strip())
    )


def _missing_answer(
    question: str, chosen: list[Candidate], ranked: list[Candidate]
) -> Candidate | None:
    """The best sentence with the kind of answer asked for, when none chosen has it: "hvor
    meget" answered without an amount, or "hvornår" without a date, has not been answered."""
    pattern = qk.expected_value(qk.kind_of(question))
    if pattern is None:
        return None
    if not chosen or any(pattern.search(c.sentence) for c in chosen):
        return None
    floor = 0.5 * max(c.score for c in chosen)
    return next(
        (c for c in ranked if pattern.search(c.sentence) and c.score >= floor and c not in chosen),
        None,
    )


def _same_case(a: Hit, b: Hit) -> bool:
    if a.metadata.case_number and b.metadata.case_number:
        return a.metadata.case_number == b.metadata.case_number
    return a.metadata.doc_id == b.metadata.doc_id


def lead_in(hit: Hit, section: str = "") -> str:
    """Who said or decided it, and when: the only words of ours in an answer."""
    m = hit.metadata
    when = f" den {danish_date(m.meeting_date)}" if m.meeting_date else ""
    committee = display_committee(m.committee) if m.committee else ""
    item = f"«{m.item_title}»" if m.item_title else f"«{m.title}»"
    section = (section or m.section).lower()
    if section.startswith("beslutning") and committee:
        return f"{committee} besluttede{when} ({item}): "
    if "indstilling" in section and committee:
        return f"I indstillingen til {committee}{when} ({item}): "
    if committee and m.item_number:
        return f"Af sagen {item} ({committee}{when}): "
    return f"Af {item}{when}: "
