"""The `referent` command line. Output and messages in Danish; `--json` for machines."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from ingest.errors import IngestError
from ui.config import load_settings
from ui.messages import danish_message
from vectorstore.errors import VectorStoreError

app = typer.Typer(
    help="Referent: spørg i kommunens dokumenter og få svar med kilder.",
    no_args_is_help=True,
    add_completion=False,
)
err = Console(stderr=True)

StoreOption = Annotated[Path | None, typer.Option("--store", help="Mappe med dokumentlageret.")]
UrlOption = Annotated[str | None, typer.Option("--chroma-url", help="Adresse på en Chroma-server.")]


@app.callback()
def _main() -> None:
    """Referent: spørg i kommunens dokumenter og få svar med kilder."""


def fail(message: str, code: int = 1) -> None:
    err.print(f"[bold red]Fejl:[/] {message}")
    raise typer.Exit(code)


@app.command()
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
) -> None:
    """Indlæs dokumenter (PDF, DOCX, TXT/Markdown, HTML, mødeportal-JSON) i lageret."""
    from ingest.progress import RichProgress
    from ui.factory import build_ingestor

    if access is not None and access not in ("public", "internal", "closed"):
        fail("--access skal være public, internal eller closed.", 2)
    settings = load_settings(store_dir=store, chroma_url=chroma_url, default_access=access)
    try:
        ingestor = build_ingestor(settings)
        with RichProgress(err, enabled=not as_json and err.is_terminal) as progress:
            report = ingestor.run(paths, prune=prune, progress=progress)
    except (VectorStoreError, IngestError) as exc:
        fail(danish_message(exc))
        return
    if as_json:
        sys.stdout.write(json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n")
    else:
        print_report(report)
    if not report.ingested_anything:
        if not as_json:
            fail("Ingen dokumenter kunne indlæses.")
        raise typer.Exit(1)


@app.command()
def search(
    question: Annotated[str, typer.Argument(help="Spørgsmålet på dansk.")],
    store: StoreOption = None,
    chroma_url: UrlOption = None,
    k: Annotated[int, typer.Option("--k", min=1, max=100, help="Antal resultater.")] = 5,
    as_json: Annotated[bool, typer.Option("--json", help="Resultater som JSON.")] = False,
) -> None:
    """Søg i lageret (foreløbig kun semantisk søgning; offentlige passager)."""
    from ui.factory import build_store

    if not question.strip():
        fail("Skriv et spørgsmål.", 2)
    settings = load_settings(store_dir=store, chroma_url=chroma_url)
    try:
        hits = build_store(settings, create=False).dense_search(
            question[:2000], k=k, where={"access": "public"}
        )
    except VectorStoreError as exc:
        fail(danish_message(exc) + " Kør først `referent ingest MAPPE`.")
        return
    if as_json:
        rows = [
            {"source": p.metadata.source, "text": p.text, "score": round(score, 4),
             **p.metadata.to_chroma()}
            for p, score in hits
        ]  # fmt: skip
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        return
    out = Console()
    if not hits:
        out.print("Ingen resultater.")
    for rank, (p, score) in enumerate(hits, start=1):
        m = p.metadata
        where = " · ".join(x for x in (m.committee, m.meeting_date, m.title, m.section) if x)
        out.print(f"[bold]{rank}.[/] {where}  [dim]({m.source}, {score:.3f})[/]")
        out.print(f"   {p.text[:300]}{'…' if len(p.text) > 300 else ''}\n")


def print_report(report) -> None:
    out = Console()
    s = report.summary()
    table = Table(title="Indlæsning", show_header=False)
    for label, value in [
        ("Filer", s["files"]),
        ("Nye / opdaterede dokumenter", report.documents),
        ("Passager skrevet", report.passages),
        ("Uændrede filer (sprunget over)", s["unchanged"]),
        ("Alternative udgaver", s["alternate"]),
        ("Fjernet (--prune)", s["pruned"]),
        ("Fejlede filer", s["failed"]),
        ("Tekster indlejret / genbrugt", f"{report.passages_embedded} / {report.passages_reused}"),
        ("Sekunder", f"{report.seconds:.1f}"),
    ]:
        table.add_row(label, str(value))
    out.print(table)
    alternates = [f for f in report.files if f.status == "alternate"]
    if alternates:
        alt = Table(title="Alternative udgaver (indekseret én gang)")
        alt.add_column("Fil")
        alt.add_column("Samme dokument som")
        for f in alternates:
            alt.add_row(f.source, f.alternate_of)
        out.print(alt)
    if report.failed:
        bad = Table(title="Filer der ikke kunne indlæses")
        bad.add_column("Fil")
        bad.add_column("Årsag")
        for f in report.failed:
            bad.add_row(f.source, f.reason)
        out.print(bad)


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        err.print("Afbrudt.")
        sys.exit(130)


if __name__ == "__main__":
    main()
