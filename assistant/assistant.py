"""The assistant: question → filters → retrieval → chosen sentences → confidence → answer.

The answer has a direct answer and the evidence beneath it (`compose_extractive`), at one of
three confidences (`confidence`): answered, uncertain (nothing asserted, the nearest evidence
shown) or not found (with what the index covers).
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import replace
from datetime import date

from assistant.answer import ANSWERED, NOT_FOUND, Answer
from assistant.choose import Choice, SentenceChooser
from assistant.compose_extractive import ExtractiveComposer
from assistant.confidence import RANK, ConfidencePolicy, measure
from assistant.conversation import Turn, is_follow_up, previous_cases, retrieval_query
from assistant.errors import EmptyQuestionError
from assistant.index_coverage import coverage_note
from assistant.protocols import AnswerStreamer, Composer, QuestionRetriever
from assistant.timewords import committee_mentioned
from vectorstore.errors import InvalidQueryError
from vectorstore.filters import SearchFilters
from vectorstore.records import Hit
from vectorstore.snapshot import Snapshot

REPHRASE_TIP = (
    "Prøv at omformulere spørgsmålet med ord, der kunne stå i sagerne, eller nævn et udvalg "
    "eller en periode."
)


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

        `skip_derived` names filters ("period", "committee") not to take from the question:
        the user removed them.
        """
        question = " ".join((question or "").split())
        if not question:
            raise EmptyQuestionError("The question is empty")
        history = history or []
        base = replace(filters) if filters else SearchFilters()
        base.access = access
        index = self.retriever.snapshot()  # one snapshot for the whole answer
        query = retrieval_query(question, history)
        try:
            found = self.retriever.for_question(
                question, self.k, base, query=query, today=self.today,
                skip_derived=skip_derived, snapshot=index,
            )  # fmt: skip
        except InvalidQueryError as exc:
            raise EmptyQuestionError(str(exc)) from exc
        result, searched, derived = found.result, found.filters, found.derived
        applied = list(derived.values())
        notes: list[str] = []
        if found.dropped:
            notes.append(_without_note(found.dropped))
        hits = self._prefer_previous_case(result.hits, question, history)
        committees = self._asked_committees(question, history, index)
        if committees:
            hits = self._committee_first(hits, committees, history, base, index)
        hits = self.retriever.with_context(hits, searched, snapshot=index)
        choice = self._choose(question, hits, index, query, committees)
        seen = [measure(choice, hits, question, index, query)]
        tier = self.confidence.tier(seen[0])
        if tier != ANSWERED and choice.direct and self._continues_case(question, history, choice):
            tier = ANSWERED  # a follow-up about the case just answered needs no new topic words
        if tier != ANSWERED and derived:
            # "i januar 2024" may date the event, not the meeting that decided it: when the
            # derived filters find no answer, search once more with only the caller's filters
            retry = found.unfiltered or self.retriever.retrieve(
                query, k=self.k, filters=base, snapshot=index
            )
            retry_hits = self._prefer_previous_case(retry.hits, question, history)
            retry_hits = self.retriever.with_context(retry_hits, base, snapshot=index)
            again = self._choose(question, retry_hits, index, query)
            seen.append(measure(again, retry_hits, question, index, query))
            retry_tier = self.confidence.tier(seen[-1])
            if RANK[retry_tier] < RANK[tier]:
                notes.append(_without_note(applied))
                result, hits, choice, tier = retry, retry_hits, again, retry_tier
                applied, derived = [], {}
        if tier == NOT_FOUND:
            reason = result.empty_reason or "Jeg fandt ikke noget i dokumenterne, der besvarer "
            if not result.empty_reason:
                reason += "spørgsmålet."
            text = f"{reason} {coverage_note(index, access)} {REPHRASE_TIP}"
            answer = Answer(
                question, text, [], True, ", ".join(applied), hits=hits, derived=derived,
                signals=seen, confidence=NOT_FOUND,
            )  # fmt: skip
            yield text
            yield answer
            return
        composed = self.composer.compose(choice, tier)
        answer = Answer(
            question, composed.text, composed.citations, False, ", ".join(applied), notes,
            hits=hits, derived=derived, signals=seen, confidence=tier, direct=composed.direct,
            evidence=composed.evidence,
        )  # fmt: skip
        if mode == "llm" and self.llm is not None and tier == ANSWERED:
            # a model writes only over an answer the evidence supports: an uncertain answer
            # asserts nothing, so no model is asked to
            for part in self.llm.stream(answer, hits):
                if isinstance(part, Answer):
                    part.derived = dict(derived)
                yield part
            return
        yield composed.text
        yield answer

    def _choose(
        self,
        question: str,
        hits: list[Hit],
        index: Snapshot,
        query: str,
        committees: list[str] = (),
    ) -> Choice:
        meanings = self.retriever.sentence_meanings(query, hits, index) if hits else {}
        return self.chooser.choose(
            question, hits, index, topic=query, meanings=meanings, committees=committees
        )

    @staticmethod
    def _asked_committees(question: str, history: list[Turn], index: Snapshot) -> list[str]:
        """The index's names of a committee a follow-up names ("Og hvad sagde
        Økonomiudvalget?"), when the conversation has a case to ask it about."""
        if not previous_cases(history) or not is_follow_up(question, history):
            return []
        return committee_mentioned(question, index.committees)

    def _committee_first(
        self,
        hits: list[Hit],
        committees: list[str],
        history: list[Turn],
        base: SearchFilters,
        index: Snapshot,
    ) -> list[Hit]:
        """That committee's passages of the case just discussed first, its decision leading,
        whether or not retrieval ranked them high."""
        cases = previous_cases(history)
        own = self.retriever.same_case(cases, base, section="", snapshot=index)
        own = [h for h in own if h.metadata.committee in committees]
        own.sort(key=lambda h: ("Beslutning" not in h.metadata.section, -h.metadata.date_ordinal))
        ids = {h.chunk_id for h in own}
        return own + [h for h in hits if h.chunk_id not in ids]

    @staticmethod
    def _continues_case(question: str, history: list[Turn], choice: Choice) -> bool:
        cases = set(previous_cases(history))
        return is_follow_up(question, history) and any(
            c.hit.metadata.case_number in cases for c in choice.direct
        )

    def _prefer_previous_case(self, hits: list[Hit], question: str, history: list[Turn]):
        """For a follow-up, passages of the case just discussed come first."""
        cases = set(previous_cases(history))
        if not is_follow_up(question, history) or not cases:
            return hits
        return sorted(hits, key=lambda h: h.metadata.case_number not in cases)


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
