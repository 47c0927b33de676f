"""A reader process for tests/test_concurrency.py: searches and asks in a loop, one line of
JSON per round, until the stop file appears. Settings come from REFERENT_* like the app's."""

from __future__ import annotations

import json
import sys
import time
import traceback
from pathlib import Path

from assistant.assistant import Assistant
from ui.config import load_settings
from ui.factory import build_retriever


def main(out: Path, stop: Path, word: str) -> None:
    retriever = build_retriever(load_settings())
    assistant = Assistant(retriever)
    with out.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps({"ready": True}) + "\n")
        fh.flush()
        while not stop.exists():
            started = time.time()
            row: dict = {"start": started}
            try:
                snapshot = retriever.snapshot()
                hits = retriever.retrieve(word, k=5, mode="bm25", snapshot=snapshot).hits
                answer = assistant.ask(f"Hvad står der om {word}?")
                row.update(
                    snapshot=snapshot.name,
                    passages=len(snapshot),
                    found=any(word in h.text for h in hits),
                    # every hit is a passage of the snapshot it came from: nothing half-built
                    consistent=len(snapshot.get([h.chunk_id for h in hits])) == len(hits),
                    answered=not answer.declined,
                    cited=[c.chunk_id for c in answer.citations],
                )
            except Exception:  # recorded, the test fails on it
                row["error"] = traceback.format_exc()
            row["end"] = time.time()
            fh.write(json.dumps(row) + "\n")
            fh.flush()


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3])
