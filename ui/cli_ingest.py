"""The `referent ingest` command: files and folders into the store, with a report per file."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from referent_errors import ReferentError
from ui.cli_base import (
    StoreOption,
    UrlOption,
    WaitOption,
    err,
    fail,
    say_waiting,
    settings_or_exit,
    writer_failed,
)
from ui.cli_tables import print_report


def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Filer eller mapper, der skal indlæses.")],
    store: StoreOption = None,
    chroma_url: UrlOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Rapport som JSON.")] = False,
    prune: Annotated[
        bool, typer.Option("--prune", help="Fjern dokumenter, hvis filer er slettet fra mapperne.")
    ] = False,
    access: Annotated[
        str | None,
        typer.Option(help="Adgangsniveau for dokumenter uden eget: public, internal, closed."),
    ] = None,
    wait: WaitOption = None,
    follow_symlinks: Annotated[
        bool,
        typer.Option(
            "--follow-symlinks",
            help="Følg symbolske links, men kun til filer og mapper inden for den angivne mappe.",
        ),
    ] = False,
) -> None:
    """Indlæs dokumenter (PDF, DOCX, DOC, TXT/Markdown, HTML, mødeportal-JSON, eDoc/SBSYS/Acadre-
    XML) i lageret."""
    from ingest.progress import RichProgress
    from ui.factory import build_ingestor

    if access is not None and access not in ("public", "internal", "closed"):
        fail("--access skal være public, internal eller closed.", 2)
    settings = settings_or_exit(
        store_dir=store, chroma_url=chroma_url, default_access=access, writer_wait=wait
    )
    try:
        ingestor = build_ingestor(settings, on_wait=say_waiting, follow_symlinks=follow_symlinks)
        with RichProgress(err, enabled=not as_json and err.is_terminal) as progress:
            report = ingestor.run(paths, prune=prune, progress=progress)
    except ReferentError as exc:
        writer_failed(exc)
        return
    if as_json:
        sys.stdout.write(json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n")
    else:
        print_report(report)
    merger = ingestor.publisher.merger if ingestor.publisher is not None else None
    if merger is not None and merger.is_alive():  # the documents are searchable already
        if not as_json:
            err.print("Søgeindeksets segmenter lægges sammen i baggrunden …")
        merger.join()
    if not report.ingested_anything:
        if not as_json:
            fail("Ingen dokumenter kunne indlæses.")
        raise typer.Exit(1)
