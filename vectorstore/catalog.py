"""The file catalog: one record per ingested file, kept beside the passages.

It answers "have we seen this file, unchanged?" and "which files are alternates of another?"
without scanning passages, and it lives in the same Chroma client as the passages so a store
folder or server is self-contained. Chroma requires a vector per record; a constant 1-d vector
is stored and never queried.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any

from vectorstore.records import stable_hash

DEFAULT_CATALOG = "referent-files"
_GET_PAGE = 1000


@dataclass
class FileRecord:
    source: str
    file_hash: str
    root: str = ""
    pipeline: str = ""  # version of the processing that produced the passages
    status: str = "indexed"  # indexed | alternate
    source_format: str = ""
    doc_ids: str = ""  # comma-separated: a portal meeting file holds many documents
    n_documents: int = 0
    n_passages: int = 0
    alternate_of: str = ""  # source of the indexed rendition, for alternates
    title: str = ""
    doc_type: str = ""
    committee: str = ""
    meeting_date: str = ""
    signature: str = ""  # MinHash of the text, hex; for near-duplicate renditions
    access: str = ""  # the level the file was ingested at ("" in older catalogs: public)
    ingested_at: str = ""
    # where the file was read from; an upload's source is a name of its own
    # ("uploads/<date>/<name>"), so root/source need not point at it ("" in older catalogs)
    path: str = ""
    uploaded_by: str = ""  # who uploaded it through the app ("" for files read from a folder)

    @property
    def file_path(self) -> str:
        """The file this record was read from (older records know only root and source)."""
        return self.path or f"{self.root.rstrip('/')}/{self.source}"

    @property
    def record_id(self) -> str:
        return stable_hash(self.source)

    @classmethod
    def from_chroma(cls, meta: dict[str, Any]) -> FileRecord:
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in meta.items() if k in known})


class FileCatalog:
    def __init__(self, client, name: str = DEFAULT_CATALOG) -> None:
        self.collection = client.get_or_create_collection(name, embedding_function=None)

    def put(self, record: FileRecord) -> None:
        self.collection.upsert(
            ids=[record.record_id], embeddings=[[1.0]], metadatas=[asdict(record)]
        )

    def get(self, source: str) -> FileRecord | None:
        got = self.collection.get(ids=[stable_hash(source)], include=["metadatas"])
        return FileRecord.from_chroma(got["metadatas"][0]) if got["ids"] else None

    def remove(self, source: str) -> None:
        self.collection.delete(ids=[stable_hash(source)])

    def all(self) -> list[FileRecord]:
        records: list[FileRecord] = []
        offset = 0
        while True:
            got = self.collection.get(include=["metadatas"], limit=_GET_PAGE, offset=offset)
            records.extend(FileRecord.from_chroma(m) for m in got["metadatas"])
            if len(got["ids"]) < _GET_PAGE:
                return records
            offset += _GET_PAGE

    def count(self) -> int:
        return int(self.collection.count())
