"""The second stage of ranking: the first stage's best passages rescored by their best sentence.

A passage's vector averages everything it says; a question usually asks about one statement in
it (an amount, a date, a reason). Every passage's sentences have e5 vectors in the snapshot
(stored at ingest), so the top candidates are rescored by the cosine of their closest sentence
to the question, added to the fused first-stage score, both scaled to 0–1 over the candidates.
Title-like lines (short, without a sentence's end) are left out: a heading matching the
question's words says the passage is about it, which the first stage already counts.

On the dev set's held-out halves this stage, with the key-passage moves taken out of the
ranking, raised recall@1 and MRR@10 on both halves of both splits (bench/ranking_ablation.py).
"""

from __future__ import annotations

import numpy as np

from vectorstore.records import Hit
from vectorstore.sentences import passage_sentences, sentence_key
from vectorstore.snapshot import Snapshot

SENTENCE_MIN_WORDS = 12  # a line without a sentence's end counts from this length


def statement_keys(hit: Hit) -> list[str]:
    """Vector keys of the passage's statements: sentences, and long lines without an end."""
    return [
        sentence_key(s)
        for _, s in passage_sentences(hit.text, hit.metadata.section)
        if s.strip()[-1:] in ".!?" or len(s.split()) >= SENTENCE_MIN_WORDS
    ]


def best_sentence_cosines(hits: list[Hit], query: np.ndarray, index: Snapshot) -> np.ndarray:
    """Each hit's best statement cosine to the query; NaN for a hit without stored vectors.

    A passage of one statement or none ("Anbefales over for Byrådet." under the item's title)
    has no sentence to prefer over the whole: its own cosine, whose vector carries its title
    and section, speaks for it when higher."""
    keys = [statement_keys(h) for h in hits]
    vectors = index.sentence_vectors([k for ks in keys for k in ks])
    best = np.full(len(hits), np.nan)
    if not vectors:
        return best
    ids = list(vectors)
    cosines = dict(zip(ids, np.stack([vectors[k] for k in ids]) @ query, strict=True))
    for i, (ks, hit) in enumerate(zip(keys, hits, strict=True)):
        values = [float(cosines[k]) for k in ks if k in cosines]
        if len(ks) <= 1 and hit.dense_score is not None:
            values.append(hit.dense_score)
        if values:
            best[i] = max(values)
    return best


def by_best_sentence(
    hits: list[Hit], query: np.ndarray, index: Snapshot, weight: float
) -> list[Hit]:
    """The hits reordered by fused score + `weight` × best sentence cosine (both to 0–1).

    Each hit keeps its first-stage score and rank (`first_rank`); `sentence_score` records
    the cosine used. A store
    without sentence vectors keeps the first stage's order."""
    if len(hits) < 2 or weight <= 0:
        return hits
    best = best_sentence_cosines(hits, query, index)
    if np.isnan(best).all():
        return hits
    for rank, (hit, value) in enumerate(zip(hits, best, strict=True), start=1):
        hit.sentence_score = None if np.isnan(value) else float(value)
        hit.first_rank = rank
    best = np.nan_to_num(best, nan=float(np.nanmin(best)))
    combined = _unit(np.array([h.score for h in hits])) + weight * _unit(best)
    order = sorted(range(len(hits)), key=lambda i: (-combined[i], i))
    return [hits[i] for i in order]


def _unit(values: np.ndarray) -> np.ndarray:
    span = float(values.max() - values.min())
    return (values - values.min()) / span if span > 0 else np.zeros_like(values)
