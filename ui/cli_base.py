"""What every `referent` command shares: the Typer app, the common options, the settings, and
leaving with one Danish line ("Fejl: …", `ui.messages.user_message`) instead of a traceback.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from referent_errors import ReferentError
from ui.config import Settings, SettingsError, load_settings
from ui.messages import user_message, waiting_message
from vectorstore.errors import WriterBusyError

app = typer.Typer(
    help="Referent: spørg i kommunens dokumenter og få svar med kilder.",
    no_args_is_help=True,
    add_completion=False,
)
err = Console(stderr=True, soft_wrap=True)

StoreOption = Annotated[Path | None, typer.Option("--store", help="Mappe med dokumentlageret.")]
UrlOption = Annotated[str | None, typer.Option("--chroma-url", help="Adresse på en Chroma-server.")]
WaitOption = Annotated[
    float | None,
    typer.Option(
        "--wait",
        min=0,
        help="Sekunder at vente på en anden indlæsning i samme indeks (ellers "
        "REFERENT_WRITER_WAIT, 300).",
    ),
]
AccessOption = Annotated[
    str | None,
    typer.Option(
        help="Adgangsniveau: public, internal eller closed (ellers REFERENT_ACCESS_LEVEL)."
    ),
]
BUSY_EXIT = 75  # EX_TEMPFAIL: another writer held the index; try again later


@app.callback()
def _main() -> None:
    """Referent: spørg i kommunens dokumenter og få svar med kilder."""


def fail(message: str, code: int = 1) -> None:
    err.print(f"[bold red]Fejl:[/] {escape(message)}")
    raise typer.Exit(code)


def settings_or_exit(**overrides) -> Settings:
    """The settings, or exit 2 with one Danish line per bad setting (never a traceback)."""
    try:
        return load_settings(**overrides)
    except SettingsError as exc:
        fail(user_message(exc), 2)
        raise  # not reached: fail exits


def say_waiting(pid: int | None) -> None:
    err.print(waiting_message(pid), markup=False, highlight=False)


def writer_failed(exc: ReferentError) -> None:
    """A failed ingest or index build; another writer that kept the index is worth a retry."""
    if isinstance(exc, WriterBusyError):
        fail(f"{user_message(exc)} Vent længere med --wait SEKUNDER.", BUSY_EXIT)
    fail(user_message(exc))


def access_level(option: str | None, settings: Settings) -> str:
    """The caller's level: the option, else the configured REFERENT_ACCESS_LEVEL."""
    if option is None:
        if settings.access_level != "public":  # say so: output may reach people
            err.print(
                f"Adgangsniveau {settings.access_level} fra indstillingen REFERENT_ACCESS_LEVEL "
                "(access_level); brug --access public for kun offentlige dokumenter.",
                markup=False,
                highlight=False,
            )
        return settings.access_level
    if option not in ("public", "internal", "closed"):
        fail("--access skal være public, internal eller closed.", 2)
    return option


def parse_date(value: str | None, option: str):
    if not value:
        return None
    from datetime import date

    try:
        return date.fromisoformat(value)
    except ValueError:
        fail(f"{option} skal være en dato som 2023-06-19.", 2)


def open_or_exit(settings: Settings, build):
    """Build an object over an existing store, or stop with a Danish message (a missing store
    says to run `referent ingest` first)."""
    try:
        return build(settings)
    except ReferentError as exc:
        fail(user_message(exc))


def retriever_or_exit(settings: Settings):
    from ui.factory import build_retriever

    return open_or_exit(settings, build_retriever)


def assistant_or_exit(settings: Settings, mode: str = "extractive"):
    from ui.factory import build_assistant

    return open_or_exit(settings, lambda s: build_assistant(s, with_llm=mode == "llm"))
