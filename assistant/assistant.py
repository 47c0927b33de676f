"""The assistant: question → filters → retrieval → chosen sentences → confidence → answer.

The answer has a direct answer and the evidence beneath it (`compose_extractive`), at one of
three confidences (`confidence`): answered, uncertain (nothing asserted, the nearest evidence
shown) or not found (with what the index covers).
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass, replace
from datetime import date

from assistant.answer import ANSWERED, NOT_FOUND, Answer
from assistant.choose import Choice, SentenceChooser
from assistant.compose_extractive import ExtractiveComposer
from assistant.confidence import RANK, ConfidencePolicy, Signals, measure
from assistant.conversation import Turn
from assistant.errors import EmptyQuestionError
from assistant.evidence import Evidence, gather
from assistant.index_coverage import coverage_note
from assistant.protocols import AnswerStreamer, Composer, QuestionRetriever
from assistant.question import ParsedQuestion, known_in, parse_question
from vectorstore.errors import InvalidQueryError
from vectorstore.filters import SearchFilters
from vectorstore.hybrid import SearchResult
from vectorstore.snapshot import Snapshot

NOTHING_FOUND = "Jeg fandt ikke noget i dokumenterne, der besvarer spørgsmålet."
REPHRASE_TIP = (
    "Prøv at omformulere spørgsmålet med ord, der kunne stå i sagerne, eller nævn et udvalg "
    "eller en periode."
)


@dataclass
class Attempt:
    """One pass from retrieved passages to a judged choice of sentences."""

    result: SearchResult
    filters: SearchFilters  # what was searched with
    derived: dict[str, str]  # filters taken from the question, by kind
    evidence: Evidence
    choice: Choice
    signals: Signals
    tier: str


class Assistant:
    def __init__(
        self,
        retriever: QuestionRetriever,
        chooser: SentenceChooser | None = None,
        llm: AnswerStreamer | None = None,  # when a chat model is configured
        confidence: ConfidencePolicy | None = None,
        k: int = 8,
        today: date | None = None,
        composer: Composer | None = None,
    ) -> None:
        self.retriever = retriever
        self.chooser = chooser or SentenceChooser()
        self.composer = composer or ExtractiveComposer()
        self.llm = llm
        self.confidence = confidence or ConfidencePolicy()
        self.k = k
        self.today = today

    def ask(
        self,
        question: str,
        history: list[Turn] | None = None,
        filters: SearchFilters | None = None,
        access: str = "public",
        mode: str = "extractive",
    ) -> Answer:
        answer = None
        for part in self.ask_stream(question, history, filters, access, mode):
            if isinstance(part, Answer):
                answer = part
        assert answer is not None
        return answer

    def ask_stream(
        self,
        question: str,
        history: list[Turn] | None = None,
        filters: SearchFilters | None = None,
        access: str = "public",
        mode: str = "extractive",
        skip_derived: Collection[str] = (),
    ) -> Iterator[str | Answer]:
        """Text as it is produced, then the finished `Answer` as the last item.

        The stages, each run once: parse the question (with the conversation) → retrieve
        (with the filters the question names, and without them) → gather the evidence → choose
        sentences → judge confidence → compose (or let a chat model write over an answered
        one). `skip_derived` names filters ("period", "committee") not to take from the
        question: the user removed them.
        """
        history = history or []
        snapshot = self.retriever.snapshot()  # one snapshot for the whole answer
        parsed = parse_question(question, history, snapshot.committees, known_in(snapshot))
        base = replace(filters) if filters else SearchFilters()
        base.access = access
        try:
            found = self.retriever.for_question(
                parsed.text, self.k, base, query=parsed.query, today=self.today,
                skip_derived=skip_derived, snapshot=snapshot,
            )  # fmt: skip
        except InvalidQueryError as exc:
            raise EmptyQuestionError(str(exc)) from exc
        notes = [_without_note(found.dropped)] if found.dropped else []
        attempt = self._attempt(parsed, found.result, found.filters, found.derived, base, snapshot)
        attempts = [attempt]
        if attempt.tier != ANSWERED and found.derived and found.unfiltered is not None:
            # "i januar 2024" may date the event, not the meeting that decided it: when the
            # derived filters find no answer, the search without them (made with them) may
            retry = self._attempt(parsed, found.unfiltered, base, {}, base, snapshot)
            attempts.append(retry)
            if RANK[retry.tier] < RANK[attempt.tier]:
                notes.append(_without_note(list(attempt.derived.values())))
                attempt = retry
        yield from self._answer(parsed, attempt, attempts, notes, snapshot, access, mode)

    def _attempt(
        self,
        parsed: ParsedQuestion,
        result: SearchResult,
        filters: SearchFilters,
        derived: dict[str, str],
        base: SearchFilters,
        snapshot: Snapshot,
    ) -> Attempt:
        """Evidence → choice → confidence, for one set of retrieved passages."""
        evidence = gather(self.retriever, parsed, result.hits, filters, base, snapshot)
        choice = self.chooser.choose(
            parsed.text, evidence.hits, snapshot, topic=parsed.query,
            meanings=evidence.meanings, committees=parsed.committees, kind=parsed.kind,
        )  # fmt: skip
        signals = measure(choice, evidence.hits, parsed.text, snapshot, parsed.query)
        tier = self.confidence.tier(signals)
        if (
            tier != ANSWERED
            and choice.direct
            and parsed.cases
            and any(c.hit.metadata.case_number in parsed.cases for c in choice.direct)
        ):
            tier = ANSWERED  # a follow-up about the case just answered needs no new topic words
        return Attempt(result, filters, derived, evidence, choice, signals, tier)

    def _answer(
        self,
        parsed: ParsedQuestion,
        attempt: Attempt,
        attempts: list[Attempt],
        notes: list[str],
        snapshot: Snapshot,
        access: str,
        mode: str,
    ) -> Iterator[str | Answer]:
        """The answer of the chosen attempt: its decline, its composed text, or a chat
        model's text over it (only over an answered one: an uncertain answer asserts nothing,
        so no model is asked to)."""
        signals = [a.signals for a in attempts]
        applied = ", ".join(attempt.derived.values())
        hits = attempt.evidence.hits
        if attempt.tier == NOT_FOUND:
            reason = (
                attempt.result.empty_reason or "Jeg fandt ikke noget i dokumenterne, der besvarer "
            )
            if not attempt.result.empty_reason:
                reason += "spørgsmålet."
            text = f"{reason} {coverage_note(snapshot, access)} {REPHRASE_TIP}"
            yield text
            yield Answer(
                parsed.text, text, [], True, applied, hits=hits, derived=attempt.derived,
                signals=signals, confidence=NOT_FOUND,
            )  # fmt: skip
            return
        composed = self.composer.compose(attempt.choice, attempt.tier)
        answer = Answer(
            parsed.text, composed.text, composed.citations, False, applied, notes,
            hits=hits, derived=attempt.derived, signals=signals, confidence=attempt.tier,
            direct=composed.direct, evidence=composed.evidence,
        )  # fmt: skip
        if mode == "llm" and self.llm is not None and attempt.tier == ANSWERED:
            for part in self.llm.stream(answer, hits):
                if isinstance(part, Answer):
                    part.derived = dict(attempt.derived)
                yield part
            return
        yield composed.text
        yield answer


def _without_note(labels: list[str]) -> str:
    return (
        f"Intet svar med filtrene fra spørgsmålet ({', '.join(labels)}); svaret er fundet uden dem."
    )


def turn_from(answer: Answer) -> Turn:
    return Turn(
        question=answer.question,
        answer_text=answer.text,
        case_numbers=[c.case_number for c in answer.citations if c.case_number],
        doc_ids=[],
    )
