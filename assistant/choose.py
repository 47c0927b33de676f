"""Choosing what an extractive answer quotes: one direct answer, and the evidence beneath it.

Sentences are scored by `assistant.sentence_choice` (meaning, the question's words, the shape
asked for). The direct answer is the sentence that best answers, of the kind asked for (a person
or body for "hvem", a reason for "hvorfor", an amount for "hvad kostede", …), or, when the
question asks what was decided, the case's latest decision quoted whole with what it approved.
The evidence is the best sentences of the top passages and the best ones left, a few per
document. A heading is never quoted as a sentence of its own: the sentence under it is, with the
heading as its label. Nothing here writes text or judges confidence (`compose_extractive`,
`confidence`).
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field, replace

from assistant.sentence_choice import Candidate, candidates
from danish import questions as qk
from danish.decisions import ONWARD, is_decision, is_formal_decision, is_recommendation
from vectorstore.records import Hit
from vectorstore.sentences import DECISION_WORDS
from vectorstore.snapshot import Snapshot

EVIDENCE = 5  # evidence sentences chosen (an answered question shows four beside its direct one)
FOLLOW_FROM_WORDS = 20  # only a short (topic) sentence is followed by the next one
DIRECT_FOLLOW_FROM_WORDS = 8  # in the direct answer, only a fragment is
FOLLOW_ON_WORDS = 55  # a sentence and the next one are quoted together up to this length
PER_DOCUMENT = 3  # evidence from one document while other documents compete
LEAD_PASSAGES = 3  # passages whose best sentence goes in first
# a letterhead's address or number ("Postboks 36 8100 Aarhus C", "72 34 51 20", "@", "www."):
# short lines without a sentence's end, but no heading
_CONTACT = re.compile(r"\d{4}|\d\d \d\d|@|www\.|\bpostboks\b", re.IGNORECASE)
SUBHEADING_WORDS = 10  # a line without a sentence's end up to this long may head what follows
# a sentence whose content words are this share of the union of its and a chosen one's says
# the same again (counted for sentences of at least SAME_MIN_WORDS content words)
SAME_SHARE = 0.8
SAME_MIN_WORDS = 4
DIRECT_FLOOR = 0.75  # a direct answer scores at least this share of the best sentence's
DIRECT_FLOOR_VALUE = 0.5  # … when it holds the value asked for (an amount, a date, a number)
# a letterhead's field line ("Kontakt: …", "Dato: …", "Sagsnr.: …"): a fact about the
# document, a direct answer only to who or when (the ingest keeps such lines as text)
_FIELD = re.compile(r"^[A-ZÆØÅ][\w.\-/ ]{1,30}:\s+\S(?:\S*\s+){0,10}\S*$")
FIELD_KINDS = {"who", "date", "weekday"}
# kinds whose direct answer must have their shape (a person, a reason, an amount, a date, …)
SHAPED_KINDS = {"who", "why", "outcome", "status", "cost", "count", "date", "weekday"}


@dataclass
class Choice:
    """The chosen sentences of one answer, best first, and what choosing them knew."""

    kind: str
    ranked: list[Candidate] = field(default_factory=list)
    # one sentence, or a decision and the recommendation it approved; empty: none found
    direct: list[Candidate] = field(default_factory=list)
    evidence: list[Candidate] = field(default_factory=list)
    # (the body that decides, the recommendation) when the case awaits another body's decision
    pending: tuple[str, Candidate] | None = None


class SentenceChooser:
    def __init__(
        self,
        evidence: int = EVIDENCE,
        lead_passages: int = LEAD_PASSAGES,
        follow_on: bool = True,
        per_document: int = PER_DOCUMENT,
    ) -> None:
        self.evidence = evidence
        self.lead_passages = lead_passages
        self.follow_on = follow_on
        self.per_document = per_document

    def choose(
        self,
        question: str,
        hits: list[Hit],
        snapshot: Snapshot,
        topic: str = "",
        meanings: dict[str, float] | None = None,
        committees: Collection[str] = (),
        kind: str | None = None,
    ) -> Choice:
        """`topic` is the conversation-aware question retrieval used (its words weigh
        sentences); `meanings` maps sentence keys to their cosine with the question;
        `committees`: a follow-up asked for these committees' treatment of the case; `kind`:
        the question's kind, when the caller parsed it already."""
        kind = kind or qk.kind_of(question)
        ranked = candidates(question, hits, snapshot, topic, meanings, kind)
        if not ranked:
            return Choice(kind)
        direct = _decision_head(question, kind, ranked, hits, committees)
        if not direct:
            best = _direct_sentence(kind, ranked)
            direct = [best] if best is not None else []
        if self.follow_on and len(direct) == 1 and not direct[0].is_decision:
            direct = [_with_next(direct[0], ranked, direct, DIRECT_FOLLOW_FROM_WORDS)]
        evidence = self._fill(direct, ranked, hits, _Words(snapshot))
        if self.follow_on:
            evidence = [_with_next(c, ranked, direct + evidence) for c in evidence]
        pending = _pending(direct + evidence, hits) if kind in ("outcome", "status") else None
        return Choice(kind, ranked, direct, evidence, pending)

    def _fill(
        self, direct: list[Candidate], ranked: list[Candidate], hits: list[Hit], words: _Words
    ):
        """The best sentence of each of the top passages (retrieval ranks passages better than
        sentence scores do), then the best ones left; never a bare formal decision, nor one
        that says again what a chosen one says."""
        chosen: list[Candidate] = []
        per_doc: dict[str, int] = {}
        for c in direct:
            per_doc[_doc(c.hit)] = per_doc.get(_doc(c.hit), 0) + 1
        # a few per document while others compete; one document found: all its own
        cap = self.per_document if len({_doc(h) for h in hits}) > 1 else self.evidence + 1

        def add(cand: Candidate) -> bool:
            cand = _under_heading(cand, ranked)
            if _said(cand, direct + chosen, words) or _is_formal_decision(cand):
                return False
            chosen.append(cand)
            per_doc[_doc(cand.hit)] = per_doc.get(_doc(cand.hit), 0) + 1
            return True

        leads = 0
        for rank in range(1, len(hits) + 1):
            if leads == self.lead_passages or len(chosen) >= self.evidence:
                break
            own = [c for c in ranked if c.rank == rank and not _is_formal_decision(c)]
            if any(add(c) for c in own[:3]):
                leads += 1
        floor = 0.5 * max(c.score for c in ranked)
        for cand in ranked:
            if len(chosen) >= self.evidence or cand.score < floor:
                break
            if per_doc.get(_doc(cand.hit), 0) < cap:
                add(cand)
        return chosen


def _doc(hit: Hit) -> str:
    return hit.metadata.doc_id or hit.chunk_id


def is_heading(cand: Candidate) -> bool:
    """A heading quoted as a candidate: a section's own heading ("Oplæg fra sociolog Eva
    Steensig"), or a short line without a sentence's end that opens what follows it in the
    passage ("En førende erhvervsby" under "Beskæftigelse er det afgørende")."""
    if cand.sentence == cand.section:
        return True
    line = cand.sentence.strip()
    if cand.is_decision or not _heading_shape(line):
        return False
    text = cand.hit.text
    at = text.find(line)
    starts_line = at == 0 or text[at - 1] == "\n" or text[:at].endswith(f"{cand.section}: ")
    after = text[at + len(line) :]
    return at >= 0 and starts_line and after.startswith("\n") and bool(after.strip())


def _heading_shape(line: str) -> bool:
    """Short, without a sentence's end; not a bullet (a point of its own), a field ("Tlf.: …",
    "Dato: …") or a table row ("Afsender: … | Antal: …")."""
    line = line.strip()
    return (
        bool(line)
        and len(line.split()) <= SUBHEADING_WORDS
        and line[-1] not in ".!?:;,)"
        and line[0] not in "-–•*"
        and ": " not in line
        and "|" not in line
        and not _CONTACT.search(line)
    )


def _fragment(line: str) -> bool:
    """A short line without a sentence's end that is no field: a heading, not a statement."""
    line = line.strip()
    return len(line.split()) <= SUBHEADING_WORDS and line[-1] not in ".!?" and ": " not in line


def label_of(cand: Candidate) -> str:
    """The heading a sentence stands under: the nearest heading line above it within its
    section ("En førende erhvervsby" under "Beskæftigelse er det afgørende"), else the
    section."""
    if cand.label:
        return cand.label
    text = cand.hit.text
    at = text.find(cand.sentence)
    opening = text.rfind(f"{cand.section}: ", 0, at) if cand.section and at > 0 else -1
    above = text[max(opening, 0) : at].split("\n")[:-1]  # whole lines before the sentence's
    for line in reversed(above):
        line = line.removeprefix(f"{cand.section}: ")
        if _heading_shape(line) and not cand.is_decision:
            return line.strip()
    return cand.section


def _under_heading(cand: Candidate, ranked: list[Candidate]) -> Candidate:
    """For a heading, the first sentence under it (the heading becomes its label, never a
    sentence glued to it); a heading with nothing under it in the passage is quoted alone."""
    if not is_heading(cand):
        return cand
    text = cand.hit.text
    start = text.find(cand.sentence) + len(cand.sentence)
    under = [
        c
        for c in ranked
        if c.hit.chunk_id == cand.hit.chunk_id
        and c.section == cand.section
        and text.find(c.sentence) >= start
        and not is_heading(c)
    ]
    if not under:
        return cand
    first = min(under, key=lambda c: text.find(c.sentence))
    # the section's heading, or a heading line between it and the sentence; or this heading
    label = label_of(first) if cand.sentence == cand.section else cand.sentence
    # the heading's own score: it was chosen for what it says (the answer to "hvem holdt oplæg")
    return replace(first, score=max(first.score, cand.score), label=label)


def _direct_sentence(kind: str, ranked: list[Candidate]) -> Candidate | None:
    """The best sentence of the shape asked for (with its heading: "Oplæg fra sociolog …"
    answers "hvem"), close enough to the best sentence found; never a bare formal decision."""
    # a value (an amount, a date) is a precise shape and often sits in a lesser sentence of a
    # top passage; a person or a reason is a loose one, so it must come close to the best
    share = DIRECT_FLOOR_VALUE if qk.expected_value(kind) is not None else DIRECT_FLOOR
    floor = share * ranked[0].score
    fitting: list[tuple[Candidate, str]] = []
    for cand in ranked:
        if cand.score < floor:
            break
        if cand.rank > LEAD_PASSAGES or _is_formal_decision(cand):
            continue  # from a passage retrieval ranked low: evidence at most, never the answer
        under = _under_heading(cand, ranked)
        shown = f"{under.section} {under.sentence}" if under is not cand else cand.sentence
        if _FIELD.match(under.sentence) and kind not in FIELD_KINDS:
            continue  # "Dato: 5. december 2019" answers when, not what came of it
        if _fragment(under.sentence):
            continue  # a heading with nothing under it: a fragment, not an answer
        if kind not in SHAPED_KINDS or qk.fits_kind(kind, shown):
            fitting.append((under, shown))
    if kind == "who":  # a named person or party answers "hvem" before a role or a body does
        named = [c for c, shown in fitting if qk.PERSON.search(shown) or qk.PARTY.search(shown)]
        if named:
            return named[0]
    return fitting[0][0] if fitting else None


class _Words:
    """A sentence's content words (stemmed, stop words out), each sentence analysed once."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self._seen: dict[str, frozenset[str]] = {}

    def __call__(self, sentence: str) -> frozenset[str]:
        if sentence not in self._seen:
            self._seen[sentence] = frozenset(self.snapshot.tokenize(sentence))
        return self._seen[sentence]


def _said(cand: Candidate, chosen: list[Candidate], words: _Words | None = None) -> bool:
    """Whether a chosen statement already quotes this sentence (alone or within more), or,
    with `words`, says the same in other forms: an item's summary often repeats its
    description ("… blandt Kultur- og Fritidsudvalgets medlemmer …" and "… blandt
    medlemmerne af Kultur- og Fritidsudvalget …")."""
    if any(cand.sentence in c.sentence or c.sentence in cand.sentence for c in chosen):
        return True
    if words is None:
        return False
    mine = words(cand.sentence)
    return len(mine) >= SAME_MIN_WORDS and any(
        len(mine & words(c.sentence)) >= SAME_SHARE * len(mine | words(c.sentence)) for c in chosen
    )


def _with_next(
    cand: Candidate,
    ranked: list[Candidate],
    chosen: list[Candidate],
    short: int = FOLLOW_FROM_WORDS,
) -> Candidate:
    """The sentence with the one after it in the same section, while both stay short: a
    topic sentence ("Kommunen havde i 2003-2007 en tilskudspulje …") is often followed by
    what came of it ("I alt modtog ca. 400 boliger tilskud …")."""
    if cand.is_decision or is_heading(cand) or len(cand.sentence.split()) > short:
        return cand
    same = [c for c in ranked if c.hit.chunk_id == cand.hit.chunk_id and c.section == cand.section]
    same.sort(key=lambda c: cand.hit.text.find(c.sentence))
    at = next((i for i, c in enumerate(same) if c.sentence == cand.sentence), None)
    if at is None or at + 1 >= len(same):
        return cand
    nxt = same[at + 1]
    if any(nxt.sentence in c.sentence for c in chosen) or is_heading(nxt):
        return cand
    joined = f"{cand.sentence} {nxt.sentence}"
    if len(joined.split()) > FOLLOW_ON_WORDS or joined not in cand.hit.text:
        return cand  # too long, or not one stretch of the passage's text
    return replace(cand, sentence=joined)


def _decision_head(
    question: str,
    kind: str,
    ranked: list[Candidate],
    hits: list[Hit],
    committees: Collection[str],
) -> list[Candidate]:
    """The top case's latest decision and what it approved, when the question asks what was
    decided (or came of it), however few of its words they repeat ("Godkendt.")."""
    if not (committees or qk.DECISION.search(question) or kind in ("outcome", "status")):
        return []
    decision = _latest_decision(ranked, hits[0], committees)
    if decision is None or (kind in ("outcome", "status") and _only_noted(decision)):
        return []  # "Taget til efterretning." is no outcome
    head = [_whole_decision(decision, ranked)]
    approved = _what_was_approved(head[0], ranked)
    if approved is not None:  # "Godkendt." says nothing without what it approved
        head.append(approved)
    return head


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


def _one_stretch(lines: list[Candidate], text: str, max_words: int) -> str:
    """The lines in the passage's order, while each follows the one before directly (only
    space between them) and all stay within `max_words`: whole sentences, never a cut."""
    lines = sorted(lines, key=lambda c: text.find(c.sentence))
    start = text.find(lines[0].sentence)
    end = start + len(lines[0].sentence)
    words = len(lines[0].sentence.split())
    for line in lines[1:]:
        at = text.find(line.sentence, end)
        words += len(line.sentence.split())
        if at < 0 or text[end:at].strip() or words > max_words:
            break
        end = at + len(line.sentence)
    return text[start:end]  # verbatim, line breaks and all (an answer shows them as spaces)


def _whole_decision(decision: Candidate, ranked: list[Candidate]) -> Candidate:
    """A decision recorded in several lines ("Indstillingen blev ikke godkendt …", "Imod
    stemte (A) …") is quoted whole, in its order, while it stays short."""
    lines = [c for c in ranked if c.is_decision and c.hit.chunk_id == decision.hit.chunk_id]
    if len(lines) < 2:
        return decision
    first = min(lines, key=lambda c: decision.hit.text.find(c.sentence))
    if first.sentence != decision.sentence:
        lines = [decision] + [c for c in lines if c is not decision]
        lines.sort(key=lambda c: decision.hit.text.find(c.sentence))
    quoted = _one_stretch(lines, decision.hit.text, DECISION_WORDS)
    return replace(decision, sentence=quoted)


def _what_was_approved(decision: Candidate, ranked: list[Candidate]) -> Candidate | None:
    """For a bare "Godkendt.": the recommendation of the same item, its points ("at …") quoted
    together in their order while they stay short, as one statement."""
    if not _is_formal_decision(decision):
        return None
    doc = decision.hit.metadata.doc_id
    same_item = [
        c
        for c in ranked
        if is_recommendation(c.section)
        and (c.hit.chunk_id == decision.hit.chunk_id or (doc and c.hit.metadata.doc_id == doc))
    ]
    if not same_item:
        return None
    best = same_item[0]
    lines = [c for c in same_item if c.hit.chunk_id == best.hit.chunk_id and not is_heading(c)]
    if not lines:
        return best
    return replace(best, sentence=_one_stretch(lines, best.hit.text, DECISION_WORDS))


def _pending(chosen: list[Candidate], hits: list[Hit]) -> tuple[str, Candidate] | None:
    """(the body that decides, the recommendation) when the latest treatment of the case only
    recommended a decision to another body, and no decision of that body was found."""
    decisions = [c for c in chosen if c.is_decision and c.hit.metadata.case_number]
    if not decisions:
        return None
    latest = max(decisions, key=lambda c: c.hit.metadata.date_ordinal)
    onward = ONWARD.search(latest.sentence)
    if onward is None:
        return None
    later = [
        h
        for h in hits
        if h.metadata.case_number == latest.hit.metadata.case_number
        and h.metadata.date_ordinal > latest.hit.metadata.date_ordinal
    ]
    return None if later else (onward.group("body"), latest)


def _only_noted(cand: Candidate) -> bool:
    """A decision that only took the item to note ("1.-2. Taget til efterretning.")."""
    return _is_formal_decision(cand) and "efterretning" in cand.sentence.lower()


def _is_formal_decision(cand: Candidate) -> bool:
    return is_decision(cand.section) and is_formal_decision(cand.sentence)


def _same_case(a: Hit, b: Hit) -> bool:
    if a.metadata.case_number and b.metadata.case_number:
        return a.metadata.case_number == b.metadata.case_number
    return a.metadata.doc_id == b.metadata.doc_id
