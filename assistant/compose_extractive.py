"""The extractive composer: a short Danish answer made only of sentences from the passages.

Sentences are chosen lexically (question terms weighted by IDF, plus cues such as amounts for
"hvad kostede" and dates for "hvornår"), never by embedding each sentence: the embedder is the
slowest part of the machine. Our own words are limited to the lead-in that says who said or
decided it and when; every sentence of content is quoted and carries its citation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.answer import Citation, danish_date, display_committee
from vectorstore.lexical import LexicalIndex
from vectorstore.records import Hit
from vectorstore.sentences import split_sentences

QUESTION_STEMS = {
    "hvad", "hvem", "hvorn", "hvor", "hvordan", "hvorfor", "hvilk", "hvilket", "kommun",
    "kan", "må", "skal", "fik", "får", "gør", "blev", "bliv", "sket", "beslut", "vedtag",
    "godkend", "besluttet", "vedtaget", "godkendt",
    # cues for the kind of answer (an amount, a number): they choose sentences, not topics
    "kost", "kosted", "peng", "mang", "læng",
}  # fmt: skip
DECISION_WORDS = 60  # a decision up to this long is quoted whole, not sentence by sentence
_AMOUNT = re.compile(r"\d[\d.,]*\s*(?:kr\.?|mio\.?|mia\.?|millioner|procent|%)", re.IGNORECASE)
_DATE = re.compile(
    r"\b\d{1,2}\.\s*(?:januar|februar|marts|april|maj|juni|juli|august|september|oktober|"
    r"november|december)|\b\d{1,2}[-./]\d{1,2}[-./]\d{2,4}\b|\b(?:19|20)\d{2}\b|\buge \d{1,2}\b",
    re.IGNORECASE,
)
_COST_CUE = re.compile(
    r"\b(kost\w*|pris\w*|beløb\w*|hvor meget|udgift\w*|bevilling\w*|penge|tilskud\w*)", re.I
)
_COUNT_CUE = re.compile(r"\bhvor (mange|stor|lang|længe|høj)\b|\bantal(?:let)?\b", re.I)
_NUMBER = re.compile(r"\d")
_DATE_CUE = re.compile(
    r"\b(hvornår|dato|hvilken (?:dag|uge|måned)|hvilket år|tidspunkt|frist)\b", re.I
)
_FORMAL_DECISION = re.compile(
    r"(\d[\d.\s-]*)?(orienteringen? (blev )?taget til efterretning|taget til efterretning|"
    r"godkendt|anbefales|indstillingen (blev )?godkendt|"
    r"[\w-]+ anbefaler over ?for [\w-]+,? at [\w\s-]{0,80}indstilling(en)? godkendes|"
    r"[\w-]+ godkendte [\w\s-]{0,60}indstilling(en)?)\.?",
    re.I,
)  # a decision that only says the item was noted or a recommendation approved: no facts
# what was decided: "besluttede", "vedtaget", and yes/no questions on an outcome ("Blev …?")
_DECISION_CUE = re.compile(r"\b(beslut\w*|vedt\w*|godkend\w*|afgør\w*)\b|^\s*(blev|bliver)\b", re.I)
_ABSENCE = re.compile(r"^\s*(fraværende|ikke til stede|afbud)\b", re.I)
_SECTION_PREFIX = re.compile(r"^([A-ZÆØÅ][\wæøå ]{2,40}):\s+")
SKIP_SECTIONS = {"sagsprocedure"}  # who treats the case: says nothing about the question
MAX_STATEMENTS = 3
MIN_COMPOUND_PART = 4  # shorter stems match inside too many unrelated words
COMPOUND_WEIGHT = 0.7


@dataclass
class Candidate:
    hit: Hit
    rank: int
    sentence: str
    score: float
    section: str = ""
    coverage: float = 0.0  # share of the question's weighted terms in the sentence


class ExtractiveComposer:
    def __init__(self, max_statements: int = MAX_STATEMENTS, lead_passages: int = 3) -> None:
        self.max_statements = max_statements
        self.lead_passages = lead_passages

    # -- scoring -------------------------------------------------------------------------------

    def question_terms(self, question: str, index: LexicalIndex) -> dict[str, float]:
        terms = {t for t in index.tokenize(question) if t not in QUESTION_STEMS}
        return {t: index.idf(t) for t in terms}

    def coverage(self, text: str, terms: dict[str, float], index: LexicalIndex) -> float:
        """Share of the question's weighted terms in `text`. A term found only inside a
        compound counts for most of its weight: Danish writes "underskudsgaranti" where the
        question says "underskud", and "strømafbrydelser" where it says "strømmen"."""
        if not terms:
            return 0.0
        tokens = set(index.tokenize(text))
        found = 0.0
        for term, weight in terms.items():
            if term in tokens:
                found += weight
            elif len(term) >= MIN_COMPOUND_PART and any(
                len(tok) > len(term) and (tok.startswith(term) or tok.endswith(term))
                for tok in tokens
            ):
                found += COMPOUND_WEIGHT * weight
        return found / sum(terms.values())

    def candidates(
        self, question: str, hits: list[Hit], index: LexicalIndex, topic: str = ""
    ) -> list[Candidate]:
        terms = self.question_terms(topic or question, index)
        wants_cost = bool(_COST_CUE.search(question))
        wants_count = bool(_COUNT_CUE.search(question))
        wants_date = bool(_DATE_CUE.search(question))
        wants_decision = bool(_DECISION_CUE.search(question))
        out: list[Candidate] = []
        for rank, hit in enumerate(hits, start=1):
            context = self.coverage(f"{hit.metadata.title} {hit.metadata.section}", terms, index)
            for section, sentence in sentences_of(hit):
                if section.lower() in SKIP_SECTIONS:
                    continue
                cover = self.coverage(sentence, terms, index)
                score = cover + 0.25 * context + 0.3 / rank
                if wants_cost and _AMOUNT.search(sentence):
                    score += 0.35
                elif wants_count and _NUMBER.search(sentence):
                    score += 0.25
                if wants_date and _DATE.search(sentence):
                    score += 0.35
                if section.lower().startswith("beslutning"):
                    score += 0.3 if wants_decision else 0.1
                out.append(Candidate(hit, rank, sentence, score, section, cover))
        _demote_superseded_decisions(out)
        return sorted(out, key=lambda c: (-c.score, c.rank))

    # -- composing -----------------------------------------------------------------------------

    @staticmethod
    def _latest_decision(ranked: list[Candidate], top: Hit) -> Candidate | None:
        decisions = [
            c
            for c in ranked
            if c.section.lower().startswith("beslutning") and _same_case(c.hit, top)
        ]
        if not decisions:
            return None
        latest = max(c.hit.metadata.date_ordinal for c in decisions)
        return next(c for c in decisions if c.hit.metadata.date_ordinal == latest)

    def compose(
        self, question: str, hits: list[Hit], index: LexicalIndex, topic: str = ""
    ) -> tuple[str, list[Citation], float]:
        """(answer text, citations, how much of the question the best passage covers).

        `topic` is the conversation-aware question retrieval used; its words weigh sentences,
        while cues (amounts, dates, decisions) come from the question itself.
        """
        ranked = self.candidates(question, hits, index, topic)
        if not ranked:
            return "", [], 0.0
        # squared IDF: whether the passage has the question's rarest, most specific words
        terms = {t: w * w for t, w in self.question_terms(topic or question, index).items()}
        best_coverage = max(
            self.coverage(f"{h.metadata.title} {h.metadata.section} {h.text}", terms, index)
            for h in hits[:3]
        )
        chosen: list[Candidate] = []
        per_doc: dict[str, int] = {}
        if _DECISION_CUE.search(question):
            # the question asks what was decided: the top case's latest decision leads,
            # however few of the question's words it repeats ("Indstillingen godkendt.")
            decision = self._latest_decision(ranked, hits[0])
            if decision is not None:
                chosen.append(decision)
                doc = decision.hit.metadata.doc_id or decision.hit.chunk_id
                per_doc[doc] = 1
                approved = _what_was_approved(decision, ranked)
                if approved is not None:  # "Godkendt." says nothing without what it approved
                    chosen.append(approved)
                    per_doc[doc] = 2
        if self.lead_passages:
            # retrieval ranks passages better than sentence overlap does: the best sentence of
            # each of the top passages goes in first, then the best sentences overall
            # (a bare "Orienteringen blev taget til efterretning." says nothing; a decision
            # asked for was chosen above, with what it approved)
            leads = 0
            for rank in range(1, len(hits) + 1):
                if leads == self.lead_passages or len(chosen) >= self.max_statements:
                    break
                said = {c.sentence for c in chosen}
                own = [
                    c
                    for c in ranked
                    if c.rank == rank and c.sentence not in said and not _is_formal_decision(c)
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
            if len(chosen) >= self.max_statements:
                break
            doc = cand.hit.metadata.doc_id or cand.hit.chunk_id
            if per_doc.get(doc, 0) >= 2 or any(c.sentence == cand.sentence for c in chosen):
                continue
            if _is_formal_decision(cand):
                continue
            if chosen and cand.score < 0.5 * max(c.score for c in chosen):
                break
            chosen.append(cand)
            per_doc[doc] = per_doc.get(doc, 0) + 1
            if len(chosen) == self.max_statements:
                break

        missing = _missing_answer(question, chosen, ranked)
        if missing is not None:
            chosen.append(missing)

        # decisions first, most recent first; then the rest in order of relevance
        def decision(c: Candidate) -> bool:
            return c.section.lower().startswith("beslutning")

        chosen.sort(
            key=lambda c: (
                not decision(c),
                -(c.hit.metadata.date_ordinal if decision(c) else 0),
                -c.score,
            )
        )
        chosen = _grouped(chosen)
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
                # the same item and role as the line before: one lead-in for both
                statements[-1] += f" {cand.sentence} [{citation.n}]"
            else:
                statements.append(f"{intro}{cand.sentence} [{citation.n}]")
            previous = intro
        return "\n".join(statements), citations, best_coverage


def _grouped(chosen: list[Candidate]) -> list[Candidate]:
    """The same order, except that statements from one document follow each other."""
    order: dict[tuple[str, bool], list[Candidate]] = {}
    for cand in chosen:
        key = (cand.hit.metadata.doc_id or cand.hit.chunk_id,
               cand.section.lower().startswith("beslutning"))  # fmt: skip
        order.setdefault(key, []).append(cand)
    return [c for group in order.values() for c in group]


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


def _is_formal_decision(cand: Candidate) -> bool:
    return cand.section.lower().startswith("beslutning") and bool(
        _FORMAL_DECISION.fullmatch(cand.sentence.strip())
    )


def _missing_answer(
    question: str, chosen: list[Candidate], ranked: list[Candidate]
) -> Candidate | None:
    """The best sentence with the kind of answer asked for, when none chosen has it: "hvor
    meget" answered without an amount, or "hvornår" without a date, has not been answered."""
    if _COST_CUE.search(question):
        pattern = _AMOUNT
    elif _COUNT_CUE.search(question):
        pattern = _NUMBER
    elif _DATE_CUE.search(question):
        pattern = _DATE
    else:
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


def _demote_superseded_decisions(candidates: list[Candidate]) -> None:
    """In a case treated by several committees, the latest decision is the decision; the
    earlier ones (recommendations on the way) yield to it."""
    latest: dict[str, int] = {}
    for c in candidates:
        if c.section.lower().startswith("beslutning") and c.hit.metadata.case_number:
            case = c.hit.metadata.case_number
            latest[case] = max(latest.get(case, 0), c.hit.metadata.date_ordinal)
    for c in candidates:
        case = c.hit.metadata.case_number
        if (
            c.section.lower().startswith("beslutning")
            and case in latest
            and c.hit.metadata.date_ordinal < latest[case]
        ):
            c.score -= 0.35


def sentences_of(hit: Hit) -> list[tuple[str, str]]:
    """(section, sentence) pairs of a passage, without absence notes and table rows.

    Passages that merge small sections mark each with a "Resume: " lead; it tells the
    sentence's own section and is not part of the quote.
    """
    sections = [s.strip() for s in hit.metadata.section.split(" / ") if s.strip()]
    current = sections[0] if sections else ""
    out: list[tuple[str, str]] = []
    for line in hit.text.split("\n"):
        line = line.strip()
        prefix = _SECTION_PREFIX.match(line)
        if prefix and prefix.group(1) in sections:
            current = prefix.group(1)
            line = line[prefix.end() :]
        if not line or _ABSENCE.match(line) or " | " in line:
            continue
        if current.lower().startswith("beslutning") and len(line.split()) <= DECISION_WORDS:
            out.append((current, line))  # a short decision is one statement, quoted whole
            continue
        for sentence in split_sentences(line):
            if len(sentence.split()) >= 3:
                out.append((current, sentence))
    return out


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
