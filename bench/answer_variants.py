"""Answer variants: each change to sentence choice, confidence or the lexical side measured alone,
on the halves `bench/ranking_ablation.py` judges rankings by (question id parity; kinds A and B).

For every store given, the dev questions whose gold passage is in that store (and every
unanswerable one) are asked through `Assistant.ask`, once as shipped and once per variant,
and the answer figures of `referent eval` are printed per half: evidence hit, coverage
(answerable `answered`), facts in the direct and the whole answer, unanswerable `answered`,
answerable `not_found` (the unanswerable questions count in every half); then how many answers
differ from the shipped ones. A variant patches
one constant or one function for its run only. These are the variants the README reports as
measured and not taken.

Usage: python bench/answer_variants.py --store S [--store M …] [--questions FILE]
       [--variant NAME …]   (default: all; `--list` names them)
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from ranking_ablation import feedback_bm25, split_halves  # noqa: E402

import assistant.choose as choose  # noqa: E402
import assistant.confidence as confidence  # noqa: E402
import assistant.sentence_choice as sentence_choice  # noqa: E402
from assistant.assistant import Assistant  # noqa: E402
from assistant.evaluate import answer_figures, evaluate_answers, load_questions  # noqa: E402
from ui.config import load_settings  # noqa: E402
from ui.factory import build_retriever  # noqa: E402
from vectorstore.snapshot import Snapshot  # noqa: E402


def _rescored(adjust: Callable) -> Iterator[None]:
    """Sentence candidates rescored by `adjust(candidates, question, snapshot, kind)`."""
    shipped = choose.candidates

    def candidates(question, hits, snapshot, topic="", meanings=None, kind=None):
        out = shipped(question, hits, snapshot, topic, meanings, kind)
        adjust(out, topic or question, snapshot, kind)
        return sorted(out, key=lambda c: (-c.score, c.rank))

    return mock.patch.object(choose, "candidates", candidates)


def _opening_penalty(out, question, snapshot, kind) -> None:
    """The sentence that opens its section restates the case; not for "hvorfor" (it gives the
    occasion)."""
    if kind == "why":
        return
    for c in out:
        if not c.is_decision and c.section and f"{c.section}: {c.sentence[:40]}" in c.hit.text:
            c.score -= 0.3


def _novelty_bonus(out, question, snapshot, kind) -> None:
    """What a sentence adds: the share (by IDF) of its words the question does not have."""
    asked = set(snapshot.tokenize(question))
    for c in out:
        words = set(snapshot.tokenize(c.sentence))
        total = sum(snapshot.idf(w) for w in words)
        if total:
            new = sum(snapshot.idf(w) for w in words if w not in asked)
            c.score += 0.3 * new / total * min(1.0, len(words) / 8)


def _direct_cosine(self, s):
    """The direct answer's own cosine as the answered signal, not the best sentence's."""
    if s.meaning is None:
        return None
    own = s.direct_meaning if s.direct_meaning is not None else s.meaning
    near = max(own, s.dense) if s.direct_decision else own
    return near + self.answer_coverage_weight * s.coverage


VARIANTS: dict[str, Callable[[], object]] = {
    "decision bonus 0.1 → 0.2": lambda: mock.patch.object(
        sentence_choice, "DECISION_BONUS", (0.3, 0.2)
    ),
    "decision bonus 0.1 → 0.3": lambda: mock.patch.object(
        sentence_choice, "DECISION_BONUS", (0.3, 0.3)
    ),
    "shape bonus 0.3 → 0.5": lambda: mock.patch.object(sentence_choice, "KIND_BONUS", 0.5),
    "rank weight 0.3 → 0": lambda: mock.patch.object(sentence_choice, "RANK_WEIGHT", 0.0),
    "rank weight 0.3 → 0.6": lambda: mock.patch.object(sentence_choice, "RANK_WEIGHT", 0.6),
    "direct floor 0.75 → 0.6": lambda: mock.patch.object(choose, "DIRECT_FLOOR", 0.6),
    "direct floor 0.75 → 0.9": lambda: mock.patch.object(choose, "DIRECT_FLOOR", 0.9),
    "direct answer from the best 1 passage": lambda: mock.patch.object(choose, "LEAD_PASSAGES", 1),
    "direct answer from the best 5 passages": lambda: mock.patch.object(choose, "LEAD_PASSAGES", 5),
    "section-opening penalty (not for why)": lambda: _rescored(_opening_penalty),
    "novelty bonus": lambda: _rescored(_novelty_bonus),
    "direct answer's own cosine answers": lambda: mock.patch.object(
        confidence.ConfidencePolicy, "answer_score", _direct_cosine
    ),
    "BM25 with pseudo-relevance feedback": lambda: mock.patch.object(
        Snapshot, "bm25_search", feedback_bm25
    ),
}


@contextmanager
def variant(name: str) -> Iterator[None]:
    with ExitStack() as stack:
        if name != "shipped":
            stack.enter_context(VARIANTS[name]())
        yield


def line(name: str, results: list, halves: dict[str, set[str]]) -> str:
    cells = []
    for half, ids in {"all": None, **halves}.items():
        rows = [r for r in results
                if ids is None or r.question.id in ids or not r.question.answerable]  # fmt: skip
        f = answer_figures(rows)
        cells.append(
            f"{half} ev {f['evidence_hit']:.2f} cov {f['coverage']:.2f} fd {f['facts_direct']:.2f}"
            f" fw {f['facts_answer']:.2f} ua {f['unanswerable_answered']:.2f}"
            f" nf {f['answerable_not_found']:.2f}"
        )
    return f"{name:40s} | " + " | ".join(cells)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, action="append", default=[])
    parser.add_argument(
        "--questions", type=Path, default=ROOT.parent / "shared" / "eval" / "dev-questions.jsonl"
    )
    parser.add_argument("--variant", action="append", choices=list(VARIANTS), default=None)
    parser.add_argument("--list", action="store_true", help="name the variants and stop")
    args = parser.parse_args()
    if args.list or not args.store:
        print("\n".join(VARIANTS))
        return
    for store in args.store:
        retriever = build_retriever(load_settings(store_dir=store))
        sources = list(retriever.snapshot().summary("closed").per_source)
        questions = [
            q for q in load_questions(args.questions)
            if not q.answerable or any(g["source"] in s for g in q.gold for s in sources)
        ]  # fmt: skip
        halves = {h: {q.id for q in qs} for h, qs in split_halves(
            [q for q in questions if q.answerable]).items()}  # fmt: skip
        print(f"\n{store} ({len(questions)} questions)")
        shipped = None
        for name in ["shipped", *(args.variant or VARIANTS)]:
            with variant(name):
                results = evaluate_answers(Assistant(retriever), questions).results
            texts = [r.text for r in results]
            changed = (
                ""
                if shipped is None
                else (
                    f" || {sum(a != b for a, b in zip(shipped, texts, strict=True))} answers differ"
                )
            )
            shipped = shipped or texts
            print(line(name, results, halves) + changed, flush=True)


if __name__ == "__main__":
    main()
