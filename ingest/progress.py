"""A rich progress display for ingest runs: one bar each for files, passages and sentences."""

from __future__ import annotations

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from ingest.report import FileResult


class RichProgress:
    def __init__(self, console: Console, enabled: bool = True) -> None:
        self.enabled = enabled
        self._progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=console,
            disable=not enabled,
        )
        self._files = self._progress.add_task("Filer", total=0)
        self._passages = self._progress.add_task("Passager", total=0)
        self._sentences = self._progress.add_task("Sætninger", total=0)

    def __enter__(self) -> RichProgress:
        self._progress.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        self._progress.__exit__(*exc)

    def files_total(self, n: int) -> None:
        self._progress.update(self._files, total=n)

    def file_started(self, source: str) -> None:
        self._progress.update(self._files, description=f"Filer ({source[-40:]})")

    def file_done(self, result: FileResult) -> None:
        self._progress.advance(self._files)

    def passages_total(self, n: int) -> None:
        task = self._progress.tasks[self._passages]
        self._progress.update(self._passages, total=(task.total or 0) + n)

    def passages_done(self, n: int) -> None:
        self._progress.advance(self._passages, n)

    def sentences_total(self, n: int) -> None:
        task = self._progress.tasks[self._sentences]
        self._progress.update(self._sentences, total=(task.total or 0) + n)

    def sentences_done(self, n: int) -> None:
        self._progress.advance(self._sentences, n)

    def index_started(self) -> None:
        self._progress.add_task("Søgeindeks (bygges)", total=None)
