"""A small real index snapshot written from passages in memory, for the answer's logic tests.

The snapshot is the one the assistant reads (BM25 vocabulary, IDF, tokenizer), written by
`write_snapshot` from a handful of passages with stand-in vectors: no embedder, no Chroma, so
the tests of composition and confidence run in milliseconds. Sentence meanings, which would come
from stored sentence vectors, are given by the test.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np

from vectorstore.records import Hit, PassageMetadata, StoredPassage
from vectorstore.snapshot import Snapshot
from vectorstore.snapshot_build import write_snapshot


def passage(
    chunk_id: str,
    text: str,
    *,
    doc: str = "d1",
    section: str = "",
    chunk_index: int = 0,
    title: str = "Opsamling på temamøde om integration",
    committee: str = "",
    day: str = "2019-12-05",
    item_title: str = "",
    case_number: str = "",
    item_number: str = "",
) -> Hit:
    meta = PassageMetadata(
        source=f"{doc}.txt", doc_id=doc, chunk_id=chunk_id, chunk_index=chunk_index, title=title,
        section=section, committee=committee, meeting_date=day,
        date_ordinal=date.fromisoformat(day).toordinal() if day else 0,
        item_title=item_title, case_number=case_number, item_number=item_number,
    )  # fmt: skip
    return Hit(chunk_id, text, meta, 1.0)


def small_snapshot(
    folder: Path, hits: list[Hit], sentences: dict[str, np.ndarray] | None = None
) -> Snapshot:
    """The snapshot of `hits` (plus a few unrelated passages, so IDF means something);
    `sentences` maps sentence keys to stand-in sentence vectors."""
    filler = [
        passage(f"f{i}", text, doc=f"f{i}", title="Andet")
        for i, text in enumerate(
            [
                "Byrådet godkendte budgettet for 2020 med et overskud.",
                "Vejene saltes fra klokken fem om morgenen i vinterhalvåret.",
                "Biblioteket holder åbent til klokken 20 på hverdage.",
                "Udvalget drøftede en ny plan for cykelstier i kommunen.",
            ]
        )
    ]
    rng = np.random.default_rng(7)
    rows = [
        (StoredPassage(h.chunk_id, h.text, h.metadata), rng.normal(size=8).astype(np.float32))
        for h in hits + filler
    ]
    lookup = None
    if sentences:
        lookup = lambda keys: {k: sentences[k] for k in keys if k in sentences}  # noqa: E731
    write_snapshot(rows, folder, "g1", {"model": "test", "engine": "test"}, sentences=lookup)
    return Snapshot(folder)
