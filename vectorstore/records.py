"""The passage record: one chunk of a document with flat, Chroma-compatible metadata.

Every field a citation or a filter needs lives in the metadata, so a passage read back from the
store can be cited without going back to the source file. Chroma metadata cannot hold None, so
unknown strings are "" and unknown integers 0.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, fields
from typing import Any

ACCESS_LEVELS = ("public", "internal", "closed")
URL_SCHEMES = ("http", "https")
MAX_URL_CHARS = 2000
# what a URL may hold as it is; anything else (spaces, quotes, angle brackets, parentheses,
# backslashes, non-ASCII) is percent-encoded, so a URL is inert in HTML, Markdown and DOCX
_URL_SAFE = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&*+,;=%]")
_URL_HOST = re.compile(r"[A-Za-z0-9.-]+(:[0-9]{1,5})?|\[[0-9A-Fa-f:.]+\](:[0-9]{1,5})?")
_URL_SHAPE = re.compile(r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*)://(?P<host>[^/?#@\s]+)(?P<rest>.*)$")


def stable_hash(*parts: str, length: int = 16) -> str:
    """A short, stable hex digest (blake2b) of the joined parts."""
    h = hashlib.blake2b(digest_size=length)
    for part in parts:
        h.update(part.encode("utf-8"))
        h.update(b"\x1f")
    return h.hexdigest()


def safe_url(value: object) -> str:
    """The URL if it is an absolute http(s) address with a host, percent-encoded so that it is
    inert wherever it is shown; "" otherwise (`javascript:`, `data:`, relative paths, control
    characters, user names or passwords in it)."""
    text = str(value or "").strip()
    if not text or len(text) > MAX_URL_CHARS or any(ord(ch) < 32 or ord(ch) == 127 for ch in text):
        return ""
    shape = _URL_SHAPE.match(text)
    if shape is None or shape["scheme"].lower() not in URL_SCHEMES:
        return ""
    if not _URL_HOST.fullmatch(shape["host"]):
        return ""
    scheme = shape["scheme"].lower()
    rest = "".join(
        ch if _URL_SAFE.fullmatch(ch) else "".join(f"%{b:02X}" for b in ch.encode("utf-8"))
        for ch in shape["rest"]
    )
    return f"{scheme}://{shape['host'].lower()}{rest}"


@dataclass
class PassageMetadata:
    source: str = ""
    source_format: str = ""
    doc_id: str = ""
    chunk_id: str = ""
    chunk_index: int = 0
    title: str = ""
    doc_type: str = "andet"
    committee: str = ""
    meeting_date: str = ""  # ISO date, "" when unknown
    date_ordinal: int = 0  # date.toordinal(), 0 when unknown
    case_number: str = ""
    item_number: str = ""
    item_title: str = ""
    section: str = ""
    heading_path: str = ""
    page_start: int = 0  # 1-based; 0 when the source has no pages
    page_end: int = 0
    access: str = "public"
    contact: str = ""
    content_hash: str = ""  # hash of the passage text alone
    embed_hash: str = ""  # hash of the exact string given to the embedder
    file_hash: str = ""  # hash of the source file's bytes
    # the public page of the source (the municipality's own), "" when none is known; see
    # ingest/source_urls.py: never invented, always an http(s) address (safe_url)
    url: str = ""

    def to_chroma(self) -> dict[str, str | int]:
        return dict(self.__dict__)  # flat fields only: no need for asdict's deep copy

    @classmethod
    def from_chroma(cls, meta: dict[str, Any] | None) -> PassageMetadata:
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in (meta or {}).items() if k in known}
        # fail closed: a passage stored without a known access level is treated as closed
        if values.get("access") not in ACCESS_LEVELS:
            values["access"] = "closed"
        if "url" in values:  # a store written by hand or by another tool: still only http(s)
            values["url"] = safe_url(values["url"])
        return cls(**values)


@dataclass
class Passage:
    """A chunk ready for the store: what is shown (`text`) and what is embedded (`embed_text`)."""

    text: str
    embed_text: str
    metadata: PassageMetadata = field(default_factory=PassageMetadata)

    @property
    def chunk_id(self) -> str:
        return self.metadata.chunk_id


@dataclass
class StoredPassage:
    """A passage read back from the store."""

    chunk_id: str
    text: str
    metadata: PassageMetadata


@dataclass
class Hit:
    """A search result with everything a citation needs, and where else its text appears."""

    chunk_id: str
    text: str
    metadata: PassageMetadata
    score: float
    dense_rank: int | None = None  # 1-based rank in each retriever, None when absent
    lexical_rank: int | None = None
    dense_score: float | None = None  # cosine similarity to the question
    lexical_score: float | None = None  # BM25 score
    sentence_score: float | None = None  # best sentence's cosine (the second stage)
    first_rank: int | None = None  # 1-based rank before the second stage reordered it
    also_in: list[dict[str, str]] = field(default_factory=list)
    # set on a passage the answer brings along as context of a ranked one (its document's
    # decision or summary, its case's decisions): that passage's chunk id
    context_of: str = ""

    @property
    def source(self) -> str:
        return self.metadata.source

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.metadata.source,
            "text": self.text,
            "score": round(self.score, 6),
            "chunk_id": self.chunk_id,
            "dense_rank": self.dense_rank,
            "lexical_rank": self.lexical_rank,
            "dense_score": self.dense_score,
            "lexical_score": self.lexical_score,
            "sentence_score": self.sentence_score,
            "first_rank": self.first_rank,
            "context_of": self.context_of,
            "also_in": self.also_in,
            **{k: v for k, v in self.metadata.to_chroma().items() if k not in {"source"}},
        }
