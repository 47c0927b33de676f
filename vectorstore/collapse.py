"""Collapsing repeated passages in a result list.

A case text travels from committee to committee (Økonomiudvalget, then Byrådet) with a line
added here and there, and an agenda and its minutes repeat each other. Such passages are one
result, shown from the most recent meeting (where the case got furthest) and listing the others.
Short boilerplate ("Godkendt.") is the same text in unrelated items; it only counts as a repeat
within one case.
"""

from __future__ import annotations

import re

from vectorstore.records import Hit

SHINGLE_WORDS = 5
NEAR_DUPLICATE = 0.8  # share of the shorter passage's word 5-grams found in the longer one
MIN_WORDS = 12  # below this, a text is boilerplate unless the case is the same

_WORD = re.compile(r"\w+")


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def _shingles(words: list[str]) -> frozenset[tuple[str, ...]]:
    if len(words) < SHINGLE_WORDS:
        return frozenset([tuple(words)])
    return frozenset(zip(*(words[i:] for i in range(SHINGLE_WORDS)), strict=False))


class _Entry:
    __slots__ = ("hit", "shingles", "words")

    def __init__(self, hit: Hit) -> None:
        self.hit = hit
        self.words = _words(hit.text)
        self.shingles = _shingles(self.words)


def _same(a: _Entry, b: _Entry) -> bool:
    same_case = bool(a.hit.metadata.case_number) and (
        a.hit.metadata.case_number == b.hit.metadata.case_number
    )
    if not same_case and min(len(a.words), len(b.words)) < MIN_WORDS:
        return False
    if a.hit.metadata.content_hash and a.hit.metadata.content_hash == b.hit.metadata.content_hash:
        return True
    small, large = sorted((a.shingles, b.shingles), key=len)
    if not small:
        return False
    return len(small & large) / len(small) >= NEAR_DUPLICATE


def collapse_duplicates(hits: list[Hit], k: int | None = None) -> list[Hit]:
    """One result per repeated text, shown from its most recent document, the rest listed.

    With `k`, comparison stops after 3·k hits once there are k results (repeats further down
    rarely matter and comparing is the costly part), and k results are returned.
    """
    groups: list[list[_Entry]] = []
    for i, hit in enumerate(hits):
        if k and i >= 3 * k and len(groups) >= k:
            break
        entry = _Entry(hit)
        for group in groups:
            if _same(group[0], entry):
                group.append(entry)
                break
        else:
            groups.append([entry])
    return [_merge([e.hit for e in group]) for group in groups][:k]


def _merge(group: list[Hit]) -> Hit:
    best = max(group, key=lambda h: (h.metadata.date_ordinal, h.score))
    best.score = max(h.score for h in group)
    dense_scores = [h.dense_score for h in group if h.dense_score is not None]
    best.dense_score = max(dense_scores) if dense_scores else None
    best.also_in = [
        {
            "source": h.metadata.source,
            "committee": h.metadata.committee,
            "meeting_date": h.metadata.meeting_date,
            "item_number": h.metadata.item_number,
            "chunk_id": h.chunk_id,
        }
        for h in group
        if h is not best
    ]
    return best
