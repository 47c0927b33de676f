"""One immutable index snapshot of a store generation: a list of segments and their deletions.

A snapshot holds everything a question needs besides the query vector, in immutable segments
(`vectorstore.segment`): an ingest adds a small segment for the passages it wrote and a
deletion list for the rows it replaced or removed, and a merge later folds small segments
together (`vectorstore.snapshots`). Rows are numbered across the segments in order; deleted
rows stay in their segment until a merge, so every mask and search leaves them out. Corpus
statistics (BM25's document frequencies and mean length) are combined over the live rows of
all segments at query time, so a passage scores the same in a snapshot of one segment or ten.

A snapshot never changes once published, so one snapshot object can be handed down through a
whole answer, and readers in many processes share its pages through the page cache.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from danish.analyzer import DanishAnalyzer, Decompounder
from vectorstore import postings
from vectorstore.errors import SnapshotError
from vectorstore.filters import ResolvedFilters, SearchFilters, allowed_access, resolve
from vectorstore.records import StoredPassage
from vectorstore.segment import FORMAT, TEXT_COLUMNS, Segment

READABLE = (FORMAT,)  # an older snapshot is rebuilt by the next writer (`ensure_current`)
SEGMENTS = "segments"  # the index folder's sub-folder of segments, shared by its snapshots
RESCORE_MIN = 64  # dense search rescores at least this many int8 candidates exactly


@dataclass
class Summary:
    """What the passages one access level may see cover: for coverage notes and the library."""

    n_passages: int = 0
    n_documents: int = 0
    committees: list[str] = field(default_factory=list)
    documents_per_committee: dict[str, int] = field(default_factory=dict)
    doc_types: list[str] = field(default_factory=list)
    first: date | None = None
    last: date | None = None
    per_source: dict[str, dict[str, Any]] = field(default_factory=dict)


class Snapshot:
    """Read side of one snapshot folder; every segment is opened (mapped) when it is loaded,
    so a snapshot pruned from disk later keeps working for the questions still using it.
    `segments` are already open ones by name (the reader's previous snapshot's), reused."""

    def __init__(
        self,
        folder: Path,
        analyzer: DanishAnalyzer | None = None,
        segments: dict[str, Segment] | None = None,
    ) -> None:
        self.folder = Path(folder)
        try:
            self.manifest = json.loads((self.folder / "manifest.json").read_text("utf-8"))
            if self.manifest.get("format") not in READABLE:
                raise SnapshotError(
                    f"Snapshot {folder} has format {self.manifest.get('format')}",
                    user_message="Søgeindekset er skrevet af en anden version af Referent; byg "
                    "det igen med `referent index`.",
                )
            known = segments or {}
            self.segments: list[Segment] = []
            self.live: list[np.ndarray | None] = []  # per segment: live rows, None when all
            for entry in self.manifest["segments"]:
                name = entry["name"]
                segment = known.get(name) or Segment(self.folder.parent / SEGMENTS / name)
                self.segments.append(segment)
                live = None
                if entry.get("deleted"):
                    live = np.ones(len(segment), dtype=bool)
                    live[np.load(self.folder / f"deleted-{name}.npy")] = False
                self.live.append(live)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise SnapshotError(f"Cannot read the index snapshot {folder}: {exc}") from exc
        self.starts = [0]
        for segment in self.segments:
            self.starts.append(self.starts[-1] + len(segment))
        self.n_rows = self.starts[-1]
        self._live_count = sum(
            len(s) if live is None else int(live.sum())
            for s, live in zip(self.segments, self.live, strict=True)
        )
        self.analyzer = analyzer or DanishAnalyzer()
        parts = self.manifest.get("compound_parts")
        self.decompounder = Decompounder(self.analyzer, set(parts)) if parts is not None else None
        self._summaries: dict[str, Summary] = {}
        self._codebooks: dict[str, dict[str, int]] = {}
        self._codes: dict[str, np.ndarray] = {}
        self._ints: dict[str, np.ndarray] = {}

    # -- identity -----------------------------------------------------------------------------

    @property
    def name(self) -> str:
        return self.folder.name

    @property
    def store_generation(self) -> str:
        """The store generation this snapshot was built from."""
        return str(self.manifest["store_generation"])

    def __len__(self) -> int:
        """Live passages (masks are `n_rows` long: deleted rows keep their place)."""
        return self._live_count

    @cached_property
    def live_mask(self) -> np.ndarray | None:
        """Which rows are live, across segments; None when none is deleted."""
        if all(live is None for live in self.live):
            return None
        return np.concatenate([
            np.ones(len(s), dtype=bool) if live is None else live
            for s, live in zip(self.segments, self.live, strict=True)
        ])  # fmt: skip

    def live_rows(self) -> np.ndarray:
        """The rows of live passages, in order."""
        return np.arange(self.n_rows) if self.live_mask is None else np.flatnonzero(self.live_mask)

    def _only_live(self, mask: np.ndarray) -> np.ndarray:
        return mask if self.live_mask is None else mask & self.live_mask

    # -- columns (the `vectorstore.filters.Columns` protocol) ---------------------------------

    @cached_property
    def _values(self) -> dict[str, list[str]]:
        if len(self.segments) == 1:
            return self.segments[0].values
        merged = {}
        for name in TEXT_COLUMNS:
            merged[name] = list(dict.fromkeys(v for s in self.segments for v in s.values[name]))
        return merged

    def values(self, name: str) -> list[str]:
        return self._values[name]

    def codes(self, name: str) -> np.ndarray:
        """A text column's dictionary codes, one per row (`values(name)[code]` is the text):
        for grouping rows by a column without making its strings."""
        if name not in self._codes:
            if len(self.segments) == 1:
                self._codes[name] = self.segments[0].codes[name]
            else:
                index = self._codebook(name)
                parts = []
                for s in self.segments:
                    remap = np.asarray([index[v] for v in s.values[name]], dtype=np.int32)
                    local = np.asarray(s.codes[name])
                    parts.append(remap[local] if len(local) else local.astype(np.int32))
                self._codes[name] = np.concatenate(parts) if parts else np.zeros(0, np.int32)
        return self._codes[name]

    def _codebook(self, name: str) -> dict[str, int]:
        index = self._codebooks.get(name)
        if index is None:  # value → code, made once per column (the snapshot never changes)
            index = self._codebooks[name] = {v: i for i, v in enumerate(self._values[name])}
        return index

    def isin(self, name: str, values: list[str]) -> np.ndarray:
        """Live rows whose `name` is one of `values`."""
        index = self._codebook(name)
        codes = [index[v] for v in values if v in index]
        return self._only_live(np.isin(self.codes(name), np.asarray(codes, dtype=np.int32)))

    def ints(self, name: str) -> np.ndarray:
        if name not in self._ints:
            parts = [s.ints[name] for s in self.segments]
            self._ints[name] = (
                parts[0]
                if len(parts) == 1
                else (np.concatenate(parts) if parts else np.zeros(0, dtype=np.int32))
            )
        return self._ints[name]

    def column(self, name: str, rows: np.ndarray) -> np.ndarray:
        """A text column's values at these rows."""
        return np.asarray(self._values[name], dtype=object)[self.codes(name)[rows]]

    @cached_property
    def committees(self) -> list[str]:
        return [c for c in self._values["committee"] if c]

    # -- filters --------------------------------------------------------------------------------

    def resolve(self, filters: SearchFilters) -> ResolvedFilters:
        """Filters (access included) resolved against this snapshot; `.keep` is the mask."""
        return resolve(filters, self)

    def access_mask(self, access: str) -> np.ndarray:
        return self.isin("access", allowed_access(access))

    # -- terms ----------------------------------------------------------------------------------

    def tokenize(self, text: str) -> list[str]:
        return self.decompounder(text) if self.decompounder else self.analyzer(text)

    @cached_property
    def _lexical(self) -> tuple[list, postings.LexicalStats]:
        parts = [(s.postings, live) for s, live in zip(self.segments, self.live, strict=True)]
        return parts, postings.stats(parts)

    def doc_freq(self, token: str) -> int:
        """Live passages holding the token, over all segments."""
        df = 0
        for posting, live in self._lexical[0]:
            rows, _ = posting.posting(token)
            df += int(live[rows].sum()) if live is not None else len(rows)
        return df

    def idf(self, token: str) -> float:
        """Inverse document frequency over the live rows; unknown tokens weigh like the
        rarest."""
        return postings.idf(self._lexical[1].n, self.doc_freq(token))

    # -- passages -------------------------------------------------------------------------------

    def _locate(self, row: int) -> tuple[Segment, int]:
        i = int(np.searchsorted(self.starts, row, side="right")) - 1
        return self.segments[i], row - self.starts[i]

    def chunk_id(self, row: int) -> str:
        segment, local = self._locate(row)
        return segment.chunk_id(local)

    def by_segment(self, rows) -> Iterator[tuple[int, np.ndarray, np.ndarray]]:
        """(segment index, positions in `rows`, the segment's own rows) for each segment these
        snapshot rows fall in."""
        rows = np.asarray(rows, dtype=np.int64)
        which = np.searchsorted(self.starts, rows, side="right") - 1
        for i in np.unique(which):
            at = np.flatnonzero(which == i)
            yield int(i), at, rows[at] - self.starts[i]

    def chunk_ids(self, rows) -> list[str]:
        """The ids of these rows, in order: one read per segment."""
        out = [""] * len(rows)
        for i, at, local in self.by_segment(rows):
            for j, cid in zip(at, self.segments[i].chunk_ids(local), strict=True):
                out[j] = cid
        return out

    def rows(self, chunk_ids: list[str]) -> list[int]:
        """Live rows of these ids, in the order asked; unknown ids are left out."""
        if not chunk_ids or not self.n_rows:
            return []
        found = np.full(len(chunk_ids), -1, dtype=np.int64)
        for segment, live, start in zip(self.segments, self.live, self.starts[:-1], strict=True):
            width = segment.ids.dtype.itemsize
            if not len(segment):
                continue
            # an id longer than any stored one is unknown (numpy would cut it to a stored prefix)
            fits = [i for i, c in enumerate(chunk_ids) if len(c) <= width]
            if not fits:
                continue
            wanted = np.asarray(
                [chunk_ids[i].encode("ascii", "replace") for i in fits], dtype=segment.ids.dtype
            )
            local = segment.rows(wanted)
            ok = local >= 0
            if live is not None:
                ok &= live[np.maximum(local, 0)]
            at = np.asarray(fits)[ok]
            found[at] = local[ok] + start
        return [int(r) for r in found if r >= 0]

    def get(self, chunk_ids: list[str]) -> list[StoredPassage]:
        """Passages by id, in the order asked; unknown ids are left out."""
        return [self.passage(row) for row in self.rows(chunk_ids)]

    def passage(self, row: int) -> StoredPassage:
        segment, local = self._locate(row)
        return segment.passage(local)

    def vector(self, row: int) -> np.ndarray:
        """The row's stored vector, in full precision."""
        segment, local = self._locate(row)
        return np.asarray(segment.exact.row(local), dtype=np.float32)

    def sentence_vectors(self, keys: list[str]) -> dict[str, np.ndarray]:
        """Stored vectors of these sentence keys, from the newest segment that has each."""
        found: dict[str, np.ndarray] = {}
        for segment in reversed(self.segments):
            missing = [k for k in keys if k not in found]
            if not missing:
                break
            found.update(segment.sentences.vectors(missing))
        return found

    def select(self, mask: np.ndarray) -> list[str]:
        return self.chunk_ids(np.flatnonzero(self._only_live(mask)))

    # -- search ---------------------------------------------------------------------------------

    def approximate_scores(self, vector: np.ndarray) -> np.ndarray:
        """Every row's product with `vector` from the int8 scan vectors (within ~0.002)."""
        query = np.asarray(vector, dtype=np.float32)
        out = np.empty(self.n_rows, dtype=np.float32)
        for segment, start in zip(self.segments, self.starts[:-1], strict=True):
            if len(segment):
                segment.approximate_scores(query, out[start : start + len(segment)])
        return out

    def exact_scores(self, vector: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """The float32 products of these rows with `vector`, as a full-precision index gives."""
        query = np.asarray(vector, dtype=np.float32)
        out = np.zeros(len(rows), dtype=np.float32)
        for i, at, local in self.by_segment(rows):
            out[at] = self.segments[i].exact_scores(query, local)
        return out

    def dense_search(
        self, vector: np.ndarray, k: int, mask: np.ndarray | None = None
    ) -> list[tuple[str, float]]:
        """(chunk_id, cosine) best first among the live rows `mask` allows: exact search. The
        int8 scan picks the candidates (2k, at least 64), which are then scored in float32:
        the scan is off by at most ~0.002, far less than the gap between the k-th and the
        last candidate, so the result is the exact top k."""
        if not len(self) or k <= 0:
            return []
        scores = self.approximate_scores(vector)
        allowed = self._only_live(mask) if mask is not None else self.live_mask
        if allowed is not None:
            scores = np.where(allowed, scores, -np.inf)
        valid = int(np.isfinite(scores).sum())
        k = min(k, valid)
        if k <= 0:
            return []
        n = min(valid, max(2 * k, RESCORE_MIN))
        candidates = np.argpartition(-scores, n - 1)[:n]
        exact = self.exact_scores(vector, candidates)
        ranked = sorted(
            zip(self.chunk_ids(candidates), exact.tolist(), strict=True),
            key=lambda pair: (-pair[1], pair[0]),
        )
        return ranked[:k]

    def bm25_search(
        self, query: str, k: int, mask: np.ndarray | None = None
    ) -> list[tuple[str, float]]:
        """(chunk_id, BM25 score) best first; only live rows `mask` allows, only score > 0."""
        if not len(self) or k <= 0:
            return []
        tokens = self.tokenize(query)
        if not tokens:
            return []
        parts, corpus = self._lexical
        scores = postings.scores(tokens, parts, self.starts[:-1], self.n_rows, corpus)
        if mask is not None:
            scores = np.where(mask, scores, 0.0)
        positive = int((scores > 0).sum())
        k = min(k, positive)
        if k <= 0:
            return []
        return self._best(scores, k)

    def _best(self, scores: np.ndarray, k: int) -> list[tuple[str, float]]:
        """The k best rows as (chunk_id, score), ties broken by chunk id: the order does not
        depend on which segment or row a passage lives in."""
        top = np.argpartition(-scores, k - 1)[:k]
        kth = scores[top].min()
        sure = np.flatnonzero(scores > kth)
        level = np.flatnonzero(scores == kth)
        tied = sorted(zip(self.chunk_ids(level), scores[level].tolist(), strict=True))
        best = list(zip(self.chunk_ids(sure), scores[sure].tolist(), strict=True))
        best += tied[: k - len(best)]
        return sorted(best, key=lambda pair: (-pair[1], pair[0]))

    # -- summaries ------------------------------------------------------------------------------

    def summary(self, access: str) -> Summary:
        """What this access level may see; computed once per level (the snapshot never
        changes)."""
        if access not in self._summaries:
            self._summaries[access] = self._summarise(self.access_mask(access))
        return self._summaries[access]

    def _summarise(self, keep: np.ndarray) -> Summary:
        if not keep.any():
            return Summary()
        rows = np.flatnonzero(keep)
        source = self.column("source", rows)
        doc_id = self.column("doc_id", rows)
        committee = self.column("committee", rows)
        doc_type = self.column("doc_type", rows)
        ordinals = np.asarray(self.ints("date_ordinal")[rows])
        dated = ordinals[ordinals > 0]
        docs = Counter(str(c) for c in dict(zip(doc_id, committee, strict=True)).values() if c)
        per_source: dict[str, dict[str, Any]] = {}
        for src, did, com, kind, ordinal in zip(
            source, doc_id, committee, doc_type, ordinals, strict=True
        ):
            row = per_source.setdefault(
                src, {"docs": {}, "passages": 0, "committees": set(), "doc_types": set()}
            )
            row["passages"] += 1
            row["docs"][did] = (com, int(ordinal))
            if com:
                row["committees"].add(com)
            if kind:
                row["doc_types"].add(kind)
        return Summary(
            n_passages=int(rows.size),
            n_documents=len(set(doc_id)),
            committees=sorted({c for c in committee if c}),
            documents_per_committee=dict(docs),
            doc_types=sorted({d for d in doc_type if d}),
            first=date.fromordinal(int(dated.min())) if dated.size else None,
            last=date.fromordinal(int(dated.max())) if dated.size else None,
            per_source=per_source,
        )

    def page_allowed(self, source: str, page: int, access: str) -> bool:
        """Whether every passage on a PDF page is one `access` may see (a page image shows the
        whole page, so one closed passage on it keeps the image hidden)."""
        on_page = (
            self.isin("source", [source])
            & (self.ints("page_start") <= page)
            & (self.ints("page_end") >= page)
        )
        if not on_page.any():
            return False
        return bool(self.access_mask(access)[on_page].all())
