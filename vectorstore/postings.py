"""BM25 postings of one segment, and BM25 scores over the segments of a snapshot.

A segment keeps, per term, the rows that hold it and how often (a compressed column, like
Lucene's postings), plus each row's length. Nothing corpus-wide is baked in: the inverse
document frequency and the mean length are computed at query time from the live rows of all
segments, so a passage scores the same whatever segment it lives in and whatever was deleted
around it. The scoring is bm25s's "lucene" variant, which Referent used before segments
(`tests/test_segments.py` checks the two agree).

Terms are stored as a sorted array of UTF-8 bytes and found by bisection: a memory-mapped
array costs a reader nothing until a query touches it, where a dict of 200,000 terms would cost
tens of MB per segment and process.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

K1 = 1.5
B = 0.75


@dataclass
class Postings:
    """One segment's postings (arrays, memory-mapped when read from disk)."""

    terms: np.ndarray  # sorted, dtype S<n>: the segment's terms as UTF-8
    offsets: np.ndarray  # int64, len(terms) + 1: term i's postings are [offsets[i], offsets[i+1])
    rows: np.ndarray  # int32: the segment's rows, ascending within a term
    tf: np.ndarray  # uint16: how often the term occurs in that row (capped)
    lengths: np.ndarray  # int32, one per row: the row's number of tokens

    def find(self, term: str) -> int:
        """The term's index, or -1."""
        if not len(self.terms):
            return -1
        raw = term.encode("utf-8")
        if len(raw) > self.terms.dtype.itemsize:
            return -1  # longer than any stored term (numpy would compare a cut prefix)
        wanted = np.asarray(raw, dtype=self.terms.dtype)
        i = int(np.searchsorted(self.terms, wanted))
        return i if i < len(self.terms) and self.terms[i] == wanted else -1

    def posting(self, term: str) -> tuple[np.ndarray, np.ndarray]:
        i = self.find(term)
        if i < 0:
            return _EMPTY_ROWS, _EMPTY_TF
        start, end = int(self.offsets[i]), int(self.offsets[i + 1])
        return np.asarray(self.rows[start:end]), np.asarray(self.tf[start:end])


_EMPTY_ROWS = np.zeros(0, dtype=np.int32)
_EMPTY_TF = np.zeros(0, dtype=np.uint16)


def build_postings(docs: list[list[str]]) -> dict[str, np.ndarray]:
    """The arrays of `Postings` for tokenised rows (row i is docs[i])."""
    vocab: dict[str, int] = {}
    doc_rows, term_ids, counts = [], [], []
    lengths = np.zeros(len(docs), dtype=np.int32)
    for row, tokens in enumerate(docs):
        lengths[row] = len(tokens)
        if not tokens:
            continue
        ids = np.fromiter((vocab.setdefault(t, len(vocab)) for t in tokens), dtype=np.int64)
        unique, n = np.unique(ids, return_counts=True)
        term_ids.append(unique)
        counts.append(n)
        doc_rows.append(np.full(len(unique), row, dtype=np.int32))
    encoded = [t.encode("utf-8") for t in vocab]
    terms = np.asarray(encoded, dtype=f"S{max(map(len, encoded), default=1)}")
    order = np.argsort(terms, kind="stable")  # term ids in lexical order
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    if term_ids:
        term = rank[np.concatenate(term_ids)]
        rows = np.concatenate(doc_rows)
        tf = np.minimum(np.concatenate(counts), np.iinfo(np.uint16).max)
    else:
        term, rows, tf = (np.zeros(0, dtype=np.int64), _EMPTY_ROWS, _EMPTY_TF)
    return _assemble(terms[order], term, rows, tf, lengths)


def merge_postings(parts: list[tuple[Postings, np.ndarray]], n_rows: int) -> dict[str, np.ndarray]:
    """One segment's postings from several: `parts` are (postings, new_row) with new_row[r] the
    merged row of old row r, or -1 for a deleted one."""
    all_terms, term_of, rows, tfs, lengths = [], [], [], [], np.zeros(n_rows, dtype=np.int32)
    for postings, new_row in parts:
        live = new_row >= 0
        lengths[new_row[live]] = np.asarray(postings.lengths)[live]
        per_term = np.diff(np.asarray(postings.offsets))
        term = np.repeat(np.arange(len(per_term)), per_term)
        moved = new_row[np.asarray(postings.rows)]
        keep = moved >= 0
        all_terms.append(np.asarray(postings.terms))
        term_of.append((len(all_terms) - 1, term[keep]))
        rows.append(moved[keep].astype(np.int32))
        tfs.append(np.asarray(postings.tf)[keep])
    width = max((t.dtype.itemsize for t in all_terms), default=1)
    joined = np.concatenate([t.astype(f"S{width}") for t in all_terms]) if all_terms else None
    if joined is None or not len(joined):
        return _assemble(np.zeros(0, dtype="S1"), np.zeros(0, np.int64), _EMPTY_ROWS, _EMPTY_TF,
                         lengths)  # fmt: skip
    terms, inverse = np.unique(joined, return_inverse=True)
    starts = np.cumsum([0] + [len(t) for t in all_terms])
    term = np.concatenate([inverse[starts[i] + local] for i, local in term_of])
    used = np.unique(term)  # terms that only deleted rows held are dropped
    remap = np.full(len(terms), -1, dtype=np.int64)
    remap[used] = np.arange(len(used))
    return _assemble(terms[used], remap[term], np.concatenate(rows), np.concatenate(tfs), lengths)


def _assemble(terms, term, rows, tf, lengths) -> dict[str, np.ndarray]:
    order = np.lexsort((rows, term))
    counts = np.bincount(term, minlength=len(terms)) if len(term) else np.zeros(len(terms))
    offsets = np.zeros(len(terms) + 1, dtype=np.int64)
    offsets[1:] = np.cumsum(counts)
    return {
        "terms": terms,
        "offsets": offsets,
        "rows": rows[order].astype(np.int32),
        "tf": tf[order].astype(np.uint16),
        "lengths": lengths.astype(np.int32),
    }


@dataclass
class LexicalStats:
    """Corpus statistics over the live rows of every segment of a snapshot."""

    n: int
    mean_length: float


def stats(segments: list[tuple[Postings, np.ndarray | None]]) -> LexicalStats:
    """(postings, live mask or None when nothing is deleted) per segment."""
    n, total = 0, 0
    for postings, live in segments:
        lengths = np.asarray(postings.lengths)
        if live is not None:
            lengths = lengths[live]
        n += len(lengths)
        total += int(lengths.sum(dtype=np.int64))
    return LexicalStats(n, total / n if n else 0.0)


def idf(n: int, df: int) -> float:
    return float(np.log(1 + (n - df + 0.5) / (df + 0.5)))


def scores(
    tokens: list[str],
    segments: list[tuple[Postings, np.ndarray | None]],
    starts: list[int],
    n_rows: int,
    corpus: LexicalStats,
) -> np.ndarray:
    """BM25 score of every row of the snapshot (rows numbered across segments from `starts`);
    each query token counts once per occurrence, as in bm25s."""
    out = np.zeros(n_rows, dtype=np.float32)
    if not corpus.n:
        return out
    found = {}
    for token in dict.fromkeys(tokens):  # each distinct term's live postings, once
        hits = []
        df = 0
        for (postings, live), start in zip(segments, starts, strict=True):
            rows, tf = postings.posting(token)
            if live is not None and len(rows):
                keep = live[rows]
                rows, tf = rows[keep], tf[keep]
            if len(rows):
                lengths = np.asarray(postings.lengths[rows], dtype=np.float32)
                hits.append((rows + start, tf.astype(np.float32), lengths))
                df += len(rows)
        found[token] = (hits, df)
    norm = K1 * (1 - B)
    per_length = K1 * B / corpus.mean_length if corpus.mean_length else 0.0
    for token in tokens:
        hits, df = found[token]
        if not df:
            continue
        weight = np.float32(idf(corpus.n, df))
        for rows, tf, lengths in hits:
            out[rows] += weight * tf / (norm + per_length * lengths + tf)
    return out
