"""Retrieval evaluation on a question set in the format of shared/eval/README.md.

The matching rule is exactly the README's: lower-case, collapse whitespace; a passage is a hit
when its source contains `gold.source` and its text contains `gold.contains`.
"""

from __future__ import annotations

import json
import statistics
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from assistant.answer import ANSWERED, NOT_FOUND, UNCERTAIN
from assistant.retrieve import Retriever
from vectorstore.filters import SearchFilters
from vectorstore.records import Hit


def normalise(text: str) -> str:
    return " ".join(text.lower().split())


@dataclass
class Question:
    id: str
    question: str
    kind: str
    gold: list[dict[str, str]]
    answer_contains: list[str] = field(default_factory=list)

    @property
    def answerable(self) -> bool:
        return bool(self.gold)


def load_questions(path: Path) -> list[Question]:
    questions = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.strip():
            d = json.loads(line)
            questions.append(
                Question(d["id"], d["question"], d.get("kind", ""), d.get("gold", []),
                         d.get("answer_contains", []))
            )  # fmt: skip
    return questions


def is_hit(hit: Hit, gold: list[dict[str, str]], strict: bool = False) -> bool:
    """The README's rule, applied to a result and to every place its identical text also
    appears (a collapsed result stands for those passages); `strict` looks at the shown one."""
    text = normalise(hit.text)
    sources = [hit.source] if strict else [hit.source, *(a["source"] for a in hit.also_in)]
    return any(
        any(g["source"] in s for s in sources) and normalise(g["contains"]) in text for g in gold
    )


@dataclass
class QuestionResult:
    question: Question
    first_hit_rank: int | None  # 1-based within top k
    top: list[Hit]
    seconds: float
    first_strict_rank: int | None = None  # counting only the source each result is shown from


@dataclass
class EvalReport:
    mode: str
    k: int
    results: list[QuestionResult]

    def _answerable(self) -> list[QuestionResult]:
        return [r for r in self.results if r.question.answerable]

    def recall(self, k: int, rows: list[QuestionResult] | None = None) -> float:
        rows = self._answerable() if rows is None else rows
        if not rows:
            return 0.0
        return sum(1 for r in rows if r.first_hit_rank and r.first_hit_rank <= k) / len(rows)

    def mrr(self, rows: list[QuestionResult] | None = None, k: int = 10) -> float:
        rows = self._answerable() if rows is None else rows
        if not rows:
            return 0.0
        return sum(
            1 / r.first_hit_rank for r in rows if r.first_hit_rank and r.first_hit_rank <= k
        ) / len(rows)

    def strict_recall(self, k: int) -> float:
        rows = self._answerable()
        hits = sum(1 for r in rows if r.first_strict_rank and r.first_strict_rank <= k)
        return hits / len(rows) if rows else 0.0

    def latency_ms(self) -> dict[str, float]:
        times = sorted(r.seconds * 1000 for r in self.results)
        if not times:
            return {"p50": 0.0, "p95": 0.0}
        p95 = times[min(len(times) - 1, max(0, round(0.95 * len(times)) - 1))]
        return {"p50": statistics.median(times), "p95": p95}

    def per_kind(self) -> dict[str, dict[str, float]]:
        groups: dict[str, list[QuestionResult]] = defaultdict(list)
        for r in self._answerable():
            groups[r.question.kind].append(r)
        return {
            kind: {
                "n": len(rows),
                "recall@1": self.recall(1, rows),
                "recall@5": self.recall(5, rows),
                "recall@10": self.recall(10, rows),
                "mrr@10": self.mrr(rows),
            }
            for kind, rows in sorted(groups.items())
        }

    def misses(self, k: int = 10) -> list[QuestionResult]:
        return [r for r in self._answerable() if not r.first_hit_rank or r.first_hit_rank > k]

    def to_dict(self) -> dict:
        answerable = self._answerable()
        return {
            "mode": self.mode,
            "questions": len(self.results),
            "answerable": len(answerable),
            "recall@1": self.recall(1),
            "recall@5": self.recall(5),
            "recall@10": self.recall(10),
            "mrr@10": self.mrr(),
            "strict_recall@5": self.strict_recall(5),
            "latency_ms": self.latency_ms(),
            "per_kind": self.per_kind(),
            "misses": [
                {
                    "id": r.question.id,
                    "question": r.question.question,
                    "first_hit_rank": r.first_hit_rank,
                    "first_result": (
                        {"source": r.top[0].source, "text": r.top[0].text[:200]} if r.top else None
                    ),
                }
                for r in self.misses()
            ],
        }


def evaluate(
    retriever: Retriever,
    questions: list[Question],
    k: int = 10,
    mode: str = "hybrid",
    access: str = "public",
) -> EvalReport:
    results = []
    filters = SearchFilters(access=access)
    for q in questions:
        retriever.searcher.clear_query_cache()  # time each question as a new one
        t0 = time.perf_counter()
        found = retriever.for_question(q.question, k=max(k, 10), filters=filters, mode=mode)
        found = found.result
        elapsed = time.perf_counter() - t0
        rank = strict = None
        if q.answerable:
            hits = list(enumerate(found.hits, start=1))
            rank = next((i for i, h in hits if is_hit(h, q.gold)), None)
            strict = next((i for i, h in hits if is_hit(h, q.gold, strict=True)), None)
        results.append(QuestionResult(q, rank, found.hits, elapsed, strict))
    return EvalReport(mode, k, results)


@dataclass
class AnswerResult:
    question: Question
    confidence: str  # answered, uncertain or not_found
    cited_gold: bool  # a gold passage among the answer's citations
    has_facts: bool  # every `answer_contains` phrase in the whole answer
    direct_facts: bool  # … in the direct answer
    direct_words: int  # 0 when no direct answer is asserted
    seconds: float
    text: str

    @property
    def declined(self) -> bool:
        return self.confidence == NOT_FOUND


def _share(rows: list[AnswerResult], test) -> float:
    return sum(1 for r in rows if test(r)) / len(rows) if rows else 0.0


def answer_figures(rows: list[AnswerResult]) -> dict:
    """The answer measures of issue 18 over some questions (answerable and not)."""
    answerable = [r for r in rows if r.question.answerable]
    unanswerable = [r for r in rows if not r.question.answerable]
    answered = [r for r in answerable if r.confidence == ANSWERED]
    words = [r.direct_words for r in rows if r.direct_words]
    return {
        "n": len(rows),
        # a gold passage among the citations of an answered or uncertain answer
        "evidence_hit": _share(answerable, lambda r: r.cited_gold and not r.declined),
        "coverage": _share(answerable, lambda r: r.confidence == ANSWERED),
        "citation_hit_answered": _share(answered, lambda r: r.cited_gold),
        "facts_direct": _share(answerable, lambda r: r.direct_facts),
        "facts_answer": _share(answerable, lambda r: r.has_facts),
        "answerable_uncertain": _share(answerable, lambda r: r.confidence == UNCERTAIN),
        "answerable_not_found": _share(answerable, lambda r: r.declined),
        "unanswerable_answered": _share(unanswerable, lambda r: r.confidence == ANSWERED),
        "unanswerable_uncertain": _share(unanswerable, lambda r: r.confidence == UNCERTAIN),
        "unanswerable_not_found": _share(unanswerable, lambda r: r.declined),
        "direct_words_median": statistics.median(words) if words else 0,
    }


@dataclass
class AnswerReport:
    results: list[AnswerResult]

    def per_kind(self) -> dict[str, dict]:
        groups: dict[str, list[AnswerResult]] = defaultdict(list)
        for r in self.results:
            groups[r.question.kind].append(r)
        return {kind: answer_figures(rows) for kind, rows in sorted(groups.items())}

    def to_dict(self) -> dict:
        answerable = [r for r in self.results if r.question.answerable]
        times = sorted(r.seconds * 1000 for r in self.results)
        p95 = times[min(len(times) - 1, max(0, round(0.95 * len(times)) - 1))] if times else 0.0
        return {
            **answer_figures(self.results),
            # the measures of earlier releases: a citation of a gold passage, the facts anywhere
            "citation_hit_rate": _share(answerable, lambda r: r.cited_gold),
            "answer_contains_rate": _share(answerable, lambda r: r.has_facts),
            "ask_latency_ms": {"p50": statistics.median(times) if times else 0.0, "p95": p95},
            "answerable": len(answerable),
            "unanswerable": len(self.results) - len(answerable),
            "per_kind": self.per_kind(),
            "failures": [
                {
                    "id": r.question.id,
                    "question": r.question.question,
                    "confidence": r.confidence,
                    "cited_gold": r.cited_gold,
                    "has_facts": r.has_facts,
                    "direct_facts": r.direct_facts,
                    "answer": r.text[:300],
                }
                for r in self.results
                if (r.question.answerable and not (r.cited_gold and r.direct_facts))
                or (not r.question.answerable and r.confidence == ANSWERED)
            ],
        }


def evaluate_answers(
    assistant, questions: list[Question], mode: str = "extractive", access: str = "public"
) -> AnswerReport:
    """Ask every question; score citations against the gold passages and the answer's facts."""
    results = []
    for q in questions:
        assistant.retriever.searcher.clear_query_cache()  # not the vector eval already made
        t0 = time.perf_counter()
        answer = assistant.ask(q.question, access=access, mode=mode)
        elapsed = time.perf_counter() - t0
        hits = {h.chunk_id: h for h in answer.hits}
        cited = [hits[c.chunk_id] for c in answer.citations if c.chunk_id in hits]
        cited_gold = q.answerable and any(is_hit(h, q.gold) for h in cited)
        text, direct = normalise(answer.text), normalise(answer.direct)
        facts = [normalise(f) for f in q.answer_contains]
        results.append(
            AnswerResult(
                q, answer.confidence, cited_gold,
                q.answerable and all(f in text for f in facts),
                q.answerable and bool(direct) and all(f in direct for f in facts),
                len(answer.direct.split()), elapsed, answer.text,
            )
        )  # fmt: skip
    return AnswerReport(results)
