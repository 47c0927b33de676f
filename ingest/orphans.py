"""Passages no catalogued file owns, swept at the end of every ingest run.

A file's passages are written before its catalog record (so a crash never loses a document),
so a run killed in between leaves passages under a source the catalog does not know. No later
run would see them: an unchanged-file check, `--prune` and the app all work from the catalog,
and the passages stay searchable even after the file is deleted. A file still present is
ingested afresh by the run that sweeps (before the sweep, reusing the orphans' vectors), so only
passages of files that are gone are removed.
"""

from __future__ import annotations

from collections.abc import Collection

from vectorstore.catalog import FileCatalog, FileRecord
from vectorstore.protocols import PassageStore


def sweep_orphans(store: PassageStore, catalog: FileCatalog, owners: Collection[str]) -> int:
    """Delete the passages no file owns; the number deleted.

    A file owns passages unless it has no catalog record or is recorded as an alternate (an
    alternate's passages are deleted when it becomes one; a killed run's orphans under a file
    found to be an alternate later would otherwise stay). `owners` is the run's view of the
    owning sources: the store is asked for the passages outside it in one query (none,
    normally), and each candidate source is checked against the catalog itself before anything
    is deleted, so a record the run did not see is safe. Run it only while holding the writer
    lock: another writer's passages are written before its catalog record too.
    """
    candidates = store.ids_outside(owners)
    if not candidates:
        return 0
    by_source: dict[str, list[str]] = {}
    for passage in store.get(candidates):
        by_source.setdefault(passage.metadata.source, []).append(passage.chunk_id)
    orphans = [
        chunk_id
        for source, ids in by_source.items()
        if not _owns_passages(catalog.get(source))
        for chunk_id in ids
    ]
    store.delete_ids(orphans)
    return len(orphans)


def _owns_passages(record: FileRecord | None) -> bool:
    return record is not None and record.status != "alternate"
