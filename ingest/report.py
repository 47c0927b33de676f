"""What happened to every file in an ingest run, and the run's totals and timings."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field

# skipped: not a regular file inside the folder (a symbolic link, a hidden file, a fifo)
STATUSES = (
    "indexed", "updated", "replaced", "unchanged", "alternate", "failed", "pruned", "skipped"
)  # fmt: skip

_WRITTEN = frozenset({"indexed", "updated", "replaced"})


@dataclass
class FileResult:
    source: str
    status: str  # one of STATUSES
    documents: int = 0
    passages: int = 0
    reason: str = ""  # Danish, for failed and skipped files
    code: str = ""  # machine-readable failure kind
    alternate_of: str = ""
    replaced: str = ""  # for "replaced": the file the document was read from before this run
    path: str = ""  # for "replaced": the file it is read from now
    # what was understood of the layout (ingest.structure.Structure.to_dict), for files read
    structure: dict = field(default_factory=dict)


@dataclass
class IngestReport:
    files: list[FileResult] = field(default_factory=list)
    seconds: float = 0.0
    parse_seconds: float = 0.0  # loading, cleaning, metadata, chunking
    embed_seconds: float = 0.0
    store_seconds: float = 0.0
    pages: int = 0
    passages_embedded: int = 0  # distinct texts sent to the embedder
    passages_reused: int = 0  # vectors taken from the store or from earlier in the run
    tokens_embedded: int = 0
    sentences_embedded: int = 0  # distinct sentence texts given a vector in this run
    sentence_seconds: float = 0.0  # embedding those sentences
    index_seconds: float = 0.0  # publishing the search index snapshot after the run
    orphan_passages: int = 0  # passages no catalogued file owned (a killed run's), removed

    def add(self, result: FileResult) -> None:
        self.files.append(result)

    def by_status(self) -> Counter[str]:
        return Counter(f.status for f in self.files)

    @property
    def documents(self) -> int:
        return sum(f.documents for f in self.files if f.status in _WRITTEN)

    @property
    def passages(self) -> int:
        return sum(f.passages for f in self.files if f.status in _WRITTEN)

    @property
    def failed(self) -> list[FileResult]:
        return [f for f in self.files if f.status == "failed"]

    @property
    def ingested_anything(self) -> bool:
        counts = self.by_status()
        return any(counts[s] for s in ("indexed", "updated", "replaced", "unchanged", "alternate"))

    def summary(self) -> dict[str, int | float]:
        counts = self.by_status()
        return {
            "files": len(self.files),
            "documents": self.documents,
            "passages": self.passages,
            **{status: counts[status] for status in STATUSES},
            "orphan_passages": self.orphan_passages,
            "seconds": round(self.seconds, 2),
        }

    def to_dict(self) -> dict:
        return {
            "summary": self.summary(),
            "timings": {
                "parse_seconds": round(self.parse_seconds, 3),
                "embed_seconds": round(self.embed_seconds, 3),
                "store_seconds": round(self.store_seconds, 3),
                "pages": self.pages,
                "passages_embedded": self.passages_embedded,
                "passages_reused": self.passages_reused,
                "tokens_embedded": self.tokens_embedded,
                "sentences_embedded": self.sentences_embedded,
                "sentence_seconds": round(self.sentence_seconds, 3),
                "index_seconds": round(self.index_seconds, 3),
            },
            "files": [asdict(f) for f in self.files],
        }
