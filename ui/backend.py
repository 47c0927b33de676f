"""What the app and the command line need of one store, in one object.

Pages and commands reach the assistant, the file catalogue and the store of record through
this facade, never through the assistant's retriever and its searcher (`ui.factory` builds it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass
class Backend:
    assistant: Any  # assistant.assistant.Assistant
    catalog: Any  # vectorstore.catalog.FileCatalog
    store: Any  # vectorstore.chroma.ChromaStore: the store of record, for ingests and uploads
    llm_error: str = ""  # why the configured chat model could not be set up, if it could not

    def snapshot(self):
        """The current index snapshot: what a page shows is what the next answer searches."""
        return self.assistant.retriever.snapshot()
