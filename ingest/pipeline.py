"""The ingest run: discover files → load → prepare → de-duplicate → embed once → upsert.

Each file is handled on its own: a failure is recorded and the run goes on. A changed file's
new passages are written before its stale ones are deleted, so a crash never loses a document.
Vectors are looked up by the hash of the embedded string before anything is embedded, so a text
copied between committees, or unchanged across a re-ingest, is embedded once.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

import numpy as np

from ingest import sentence_index
from ingest.companions import Companion, find_companions
from ingest.dedup import signature, signature_from_hex, signature_hex, similarity
from ingest.discover import discover_files
from ingest.errors import FileRejected
from ingest.limits import FileLimits
from ingest.loaders import load_file
from ingest.orphans import sweep_orphans
from ingest.passages import PreparedDocument, prepare_document
from ingest.report import FileResult, IngestReport
from ingest.source_urls import (
    SourceUrls,
    choose_url,
    fill_template,
    is_mapping_file,
    read_mappings,
    url_key,
)
from ingest.structure import structure_of
from referent_errors import os_reason
from vectorstore.catalog import FileCatalog, FileRecord
from vectorstore.protocols import PassageStore
from vectorstore.records import Passage
from vectorstore.snapshots import SnapshotPublisher

EMBED_BATCH = 32
# Bump when loading, cleaning or chunking changes what passages a file yields: files processed
# by another version are processed again (their unchanged texts keep their vectors).
PIPELINE_VERSION = "8"  # 4: agenda items in minutes files; 5: meeting titles for letterheads;
# 6: repeated text within a document kept once (ingest/repeats.py); 7: letterhead fields kept
# as content (ingest/letterhead.py), table rows labelled by their header (ingest/tables.py);
# 8: page furniture, contents and doubled text out of the text, items and metadata read from
# any layout (issue 20)


class Progress(Protocol):
    def files_total(self, n: int) -> None: ...
    def file_started(self, source: str) -> None: ...
    def file_done(self, result: FileResult) -> None: ...
    def passages_total(self, n: int) -> None: ...
    def passages_done(self, n: int) -> None: ...
    def sentences_total(self, n: int) -> None: ...
    def sentences_done(self, n: int) -> None: ...
    def index_started(self) -> None: ...


class _NoProgress:
    def files_total(self, n: int) -> None: ...
    def file_started(self, source: str) -> None: ...
    def file_done(self, result: FileResult) -> None: ...
    def passages_total(self, n: int) -> None: ...
    def passages_done(self, n: int) -> None: ...
    def sentences_total(self, n: int) -> None: ...
    def sentences_done(self, n: int) -> None: ...
    def index_started(self) -> None: ...


@dataclass
class IngestOptions:
    default_access: str = "public"
    min_words: int = 150
    max_words: int = 350
    near_duplicate_threshold: float = 0.7  # estimated Jaccard of word 3-grams
    limits: FileLimits = field(default_factory=FileLimits)  # size, pages, unpacked per file
    follow_symlinks: bool = False  # follow links, but only to targets inside the folder given
    # the collection's public page of a portal item, e.g.
    # "https://dagsordener.greve.dk/vis?id={meeting_id}&punkt={item_id}" (ingest/source_urls.py);
    # "" gives portal items no URL. Not in `fingerprint`: each file's URL sources are (url_key).
    source_url_template: str = ""

    @property
    def fingerprint(self) -> str:
        return f"{PIPELINE_VERSION}:{self.min_words}:{self.max_words}:{self.default_access}"


@dataclass(frozen=True)
class DiscoveredFile:
    """A file to ingest and the source name it is stored under.

    Files found in a folder are named by their path relative to it. An upload is named by the
    app (`uploads/<date>/<name>`) and carries who uploaded it; it never replaces a document by
    name, only by an explicit `replaces` (a logged-in staff member's choice).
    """

    path: Path
    root: Path
    source: str
    uploaded_by: str = ""
    replaces: bool = False


def discover(
    paths: Iterable[str | Path],
    follow_symlinks: bool = False,
    skipped: list[FileResult] | None = None,
) -> list[DiscoveredFile]:
    """Regular files under the given paths, sources relative to each path; what is left out
    (hidden files, symbolic links, fifos) is added to `skipped` (see ingest/discover.py)."""
    found = discover_files(paths, follow_symlinks)
    if skipped is not None:
        skipped.extend(found.skipped)
    return [DiscoveredFile(f.path, f.root, f.source) for f in found.files]


def file_hash(path: Path) -> str:
    h = hashlib.blake2b(digest_size=16)
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


class Ingestor:
    def __init__(
        self,
        store: PassageStore,
        catalog: FileCatalog,
        options: IngestOptions | None = None,
        publisher: SnapshotPublisher | None = None,
    ) -> None:
        self.store = store
        self.catalog = catalog
        self.options = options or IngestOptions()
        self.embedder = store.embedder
        # holds the writer lock during a run and publishes the index snapshot after it
        self.publisher = publisher
        self._companions: dict[str, Companion] = {}  # files an export names, by source
        self._urls = SourceUrls()  # the mapping files' URLs (referent-urls.csv), by path

    def run(
        self,
        paths: Sequence[str | Path | DiscoveredFile],
        prune: bool = False,
        progress: Progress | None = None,
    ) -> IngestReport:
        """Ingest files and folders (and named files such as uploads) and report each file."""
        if self.publisher is None:
            return self._run(paths, prune, progress)
        progress = progress or _NoProgress()
        with self.publisher.locked():  # one writer at a time; readers keep their snapshot
            report = None
            try:
                report = self._run(paths, prune, progress)
            finally:  # also after a failed run: the snapshot must say what the store holds
                progress.index_started()
                started = time.perf_counter()
                published = self.publisher.publish_if_stale()
                if report is not None:
                    report.index_seconds = time.perf_counter() - started if published else 0.0
                    report.seconds += report.index_seconds
            # small segments folded together once this run lets go of the writer lock
            self.publisher.merge_soon()
            return report

    def _run(self, paths: Sequence[str | Path], prune: bool, progress: Progress | None):
        progress = progress or _NoProgress()
        started = time.perf_counter()
        report = IngestReport()
        self._deleted = False  # passages deleted in this run: their sentences may be orphans
        found = discover_files(
            [p for p in paths if not isinstance(p, DiscoveredFile)], self.options.follow_symlinks
        )
        named = [p for p in paths if isinstance(p, DiscoveredFile)]  # uploads, named by the app
        files = named + [DiscoveredFile(f.path, f.root, f.source) for f in found.files]
        # mapping files (referent-urls.csv) are read for the files beside them, never indexed
        self._urls = read_mappings((f.path, f.source, f.root) for f in files if not f.uploaded_by)
        files = [f for f in files if f.uploaded_by or not is_mapping_file(f.path)]
        progress.files_total(len(files))
        # renditions and attachments named by publication exports, whatever the file order
        exported = [(f.path, f.source) for f in files if not f.uploaded_by]
        self._companions = find_companions(exported, self.options.limits)
        for result in found.skipped:  # links, hidden files, fifos: listed, never read
            report.add(result)
        for problem in self._urls.problems:
            status = "failed" if problem.failed else "skipped"
            report.add(FileResult(problem.source, status, reason=problem.reason, code="urls"))
        known = {record.source: record for record in self.catalog.all()}
        if prune:  # only folders actually walked: a skipped link's target is not emptied
            self._prune({str(root) for root in found.roots}, files, known, report)
        for file in files:
            progress.file_started(file.source)
            result = self._ingest_file(file, known, report, progress)
            report.add(result)
            progress.file_done(result)
        self._sweep_orphans(known, report)
        sentence_index.complete(self.store, report, self._deleted, progress)
        report.seconds = time.perf_counter() - started
        return report

    # -- one file ----------------------------------------------------------------------------

    def _ingest_file(
        self, file: DiscoveredFile, known: dict[str, FileRecord], report: IngestReport, progress
    ) -> FileResult:
        t0 = time.perf_counter()
        try:
            digest = file_hash(file.path)
        except OSError as exc:
            why = os_reason(exc)
            reason = f"Filen kunne ikke læses ({why})." if why else "Filen kunne ikke læses."
            return FileResult(file.source, "failed", reason=reason)
        previous = known.get(file.source)
        companion = self._companions.get(file.source)
        fingerprint = self.options.fingerprint + (f":{companion.key}" if companion else "")
        mapped = "" if file.uploaded_by else self._urls.url_for(file.path)
        template = self.options.source_url_template
        if key := url_key(file.path, template, mapped):  # a new template or mapping: again
            fingerprint += f":u{key}"
        if previous is not None and file.uploaded_by and not file.replaces:
            return FileResult(
                file.source,
                "failed",
                reason="Der findes allerede et dokument med dette navn; "
                "en upload erstatter aldrig et andet dokument.",
                code="exists",
            )
        if (
            previous is not None
            and previous.file_hash == digest
            and previous.pipeline == fingerprint
        ):
            return FileResult(
                file.source,
                "unchanged",
                previous.n_documents,
                previous.n_passages,
                alternate_of=previous.alternate_of,
            )
        same_bytes = next(
            (
                r
                for r in known.values()
                if r.file_hash == digest and r.status == "indexed" and self._same_level(r)
            ),
            None,
        )
        if same_bytes is not None and same_bytes.source != file.source:
            return self._record_alternate(
                file, digest, same_bytes.source, known, previous, fingerprint
            )
        if companion is not None and companion.alternate_of:  # the export gives its text
            return self._record_alternate(
                file, digest, companion.alternate_of, known, previous, fingerprint, companion.note
            )
        try:
            docs = load_file(file.path, self.options.limits)
            if companion is not None:  # an attachment takes its meeting's and item's fields
                companion.apply(docs)
            for doc in docs:  # the public page: template, mapping or the page's own; or none
                filled = (
                    fill_template(template, doc.metadata)
                    if doc.source_format == "portal-json"
                    else ""
                )
                doc.metadata["url"] = choose_url(filled, mapped, doc.metadata.get("url"))
            prepared = [
                prepare_document(
                    doc,
                    file.source,
                    digest,
                    self.options.default_access,
                    self.options.min_words,
                    self.options.max_words,
                )
                for doc in docs
            ]
        except FileRejected as exc:
            report.parse_seconds += time.perf_counter() - t0
            return FileResult(file.source, "failed", reason=exc.user_message, code=exc.code)
        report.pages += sum(doc.pages for doc in docs)
        sig = None
        if len(prepared) == 1 and not prepared[0].identity:
            sig = signature(prepared[0].text)
            original = self._rendition_of(prepared[0], sig, file.source, known)
            if original is not None:
                report.parse_seconds += time.perf_counter() - t0
                return self._record_alternate(file, digest, original, known, previous, fingerprint)
        report.parse_seconds += time.perf_counter() - t0

        passages = [p for doc in prepared for p in doc.passages]
        structure = structure_of(docs, prepared).to_dict()
        progress.passages_total(len(passages))
        self._write(passages, file.source, report, progress)
        first = prepared[0].metadata if prepared else {}
        record = FileRecord(
            source=file.source,
            file_hash=digest,
            root=str(file.root),
            pipeline=fingerprint,
            status="indexed",
            source_format=docs[0].source_format if docs else "",
            doc_ids=",".join(d.doc_id for d in prepared),
            n_documents=len(prepared),
            n_passages=len(passages),
            title=str(first.get("title", "")) if len(prepared) == 1 else "",
            doc_type=str(first.get("doc_type", "")),
            committee=str(first.get("committee", "")),
            meeting_date=str(first.get("meeting_date", "")),
            signature=signature_hex(sig) if sig is not None else "",
            access=self.options.default_access,
            ingested_at=datetime.now(UTC).isoformat(timespec="seconds"),
            path=str(file.path.absolute()),
            uploaded_by=file.uploaded_by,
        )
        self.catalog.put(record)
        known[file.source] = record
        if previous is None:
            return FileResult(
                file.source, "indexed", len(prepared), len(passages), structure=structure
            )
        if file.replaces or previous.root != record.root:  # never replaced silently
            return FileResult(
                file.source,
                "replaced",
                len(prepared),
                len(passages),
                replaced=previous.file_path,
                path=record.path,
                structure=structure,
            )
        return FileResult(file.source, "updated", len(prepared), len(passages), structure=structure)

    def _rendition_of(
        self, doc: PreparedDocument, sig: np.ndarray, source: str, known: dict[str, FileRecord]
    ) -> str | None:
        """The source of an indexed file holding the same document, if any."""
        best, best_score = None, self.options.near_duplicate_threshold
        for record in known.values():
            if record.source == source or record.status != "indexed":
                continue
            if not self._same_level(record):
                continue
            if record.doc_ids == doc.doc_id:
                return record.source
            other = signature_from_hex(record.signature) if record.signature else None
            if other is not None and (score := similarity(sig, other)) >= best_score:
                best, best_score = record.source, score
        return best

    def _same_level(self, record: FileRecord) -> bool:
        """A copy is an alternate only of a file ingested at the same access level: a public
        upload of a document also filed as closed must stay findable for the public."""
        return (record.access or "public") == self.options.default_access

    def _record_alternate(
        self,
        file: DiscoveredFile,
        digest: str,
        original: str,
        known: dict[str, FileRecord],
        previous: FileRecord | None,
        fingerprint: str,
        note: str = "",
    ) -> FileResult:
        if previous is not None and previous.status == "indexed":
            self.store.delete_source(file.source)
            self._deleted = True
        record = FileRecord(
            source=file.source,
            file_hash=digest,
            root=str(file.root),
            pipeline=fingerprint,
            status="alternate",
            alternate_of=original,
            access=self.options.default_access,
            ingested_at=datetime.now(UTC).isoformat(timespec="seconds"),
            path=str(file.path.absolute()),
            uploaded_by=file.uploaded_by,
        )
        self.catalog.put(record)
        known[file.source] = record
        return FileResult(file.source, "alternate", reason=note, alternate_of=original)

    # -- embedding and writing -----------------------------------------------------------------

    def _write(self, passages: list[Passage], source: str, report: IngestReport, progress) -> None:
        t0 = time.perf_counter()
        old_ids = set(self.store.ids_where({"source": source}))
        reuse = self.store.vectors_for_embed_hashes(p.metadata.embed_hash for p in passages)
        report.store_seconds += time.perf_counter() - t0
        todo: dict[str, str] = {}
        for p in passages:
            if p.metadata.embed_hash in reuse or p.metadata.embed_hash in todo:
                report.passages_reused += 1
            else:
                todo[p.metadata.embed_hash] = p.embed_text
        hashes = list(todo)
        done = len(passages) - len(hashes)
        progress.passages_done(done)
        for start in range(0, len(hashes), EMBED_BATCH):
            batch = hashes[start : start + EMBED_BATCH]
            t1 = time.perf_counter()
            vectors = self.embedder.embed_passages([todo[h] for h in batch])
            report.embed_seconds += time.perf_counter() - t1
            report.tokens_embedded += sum(self.embedder.count_tokens(todo[h]) for h in batch)
            report.passages_embedded += len(batch)
            reuse.update(zip(batch, vectors, strict=True))
            progress.passages_done(len(batch))
        t2 = time.perf_counter()
        if passages:
            matrix = np.stack([reuse[p.metadata.embed_hash] for p in passages])
            self.store.upsert(passages, matrix)
        stale = old_ids - {p.chunk_id for p in passages}
        self.store.delete_ids(stale)
        self._deleted = self._deleted or bool(stale)
        report.store_seconds += time.perf_counter() - t2
        sentences = sentence_index.sentence_texts((p.text, p.metadata.section) for p in passages)
        sentence_index.embed_missing(self.store, sentences, report, progress)

    # -- pruning -----------------------------------------------------------------------------

    def _sweep_orphans(self, known: dict[str, FileRecord], report: IngestReport) -> None:
        """Remove passages a killed run left without a catalog record (ingest/orphans.py);
        after the files, so a file still present has been ingested afresh and kept them."""
        t0 = time.perf_counter()
        owners = [source for source, record in known.items() if record.status != "alternate"]
        report.orphan_passages = sweep_orphans(self.store, self.catalog, owners)
        self._deleted = self._deleted or report.orphan_passages > 0
        report.store_seconds += time.perf_counter() - t0

    def _prune(
        self,
        roots: set[str],
        files: list[DiscoveredFile],
        known: dict[str, FileRecord],
        report: IngestReport,
    ) -> None:
        """Forget files that were ingested from these folders and are gone now."""
        present = {f.source for f in files}
        gone = [
            r
            for r in known.values()
            if r.root in roots and r.source not in present and not r.uploaded_by
        ]
        gone_sources = {r.source for r in gone}
        for record in gone:
            self.store.delete_source(record.source)
            self._deleted = True
            self.catalog.remove(record.source)
            known.pop(record.source, None)
            report.add(FileResult(record.source, "pruned", record.n_documents, record.n_passages))
        # alternates of a pruned file are ingested afresh in this run
        for record in list(known.values()):
            if record.status == "alternate" and record.alternate_of in gone_sources:
                self.catalog.remove(record.source)
                known.pop(record.source)
