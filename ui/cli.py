"""The `referent` command line. Output and messages in Danish; `--json` for machines.

A failure prints its Danish `user_message` (`ui.messages.user_message`) on one "Fejl:" line and
exits non-zero; an unexpected one prints a generic Danish line and writes the traceback to the
log file (`log_file()`), never to the terminal. Commands are defined in `ui.cli_ingest`,
`ui.cli_query` (search, ask, eval), `ui.cli_cases` (case, nyt) and here (ui, user-add, index,
model-folder), and all join the one app of `ui.cli_base` here.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from referent_errors import ReferentError, os_reason
from ui.cli_base import (
    StoreOption,
    UrlOption,
    WaitOption,
    app,
    err,
    fail,
    say_waiting,
    settings_or_exit,
    writer_failed,
)
from ui.cli_cases import case_cmd, news_cmd
from ui.cli_ingest import ingest
from ui.cli_query import ask, evaluate_cmd, search
from ui.messages import user_message

# the commands of the other modules, in the order `referent --help` lists them
app.command()(ingest)
app.command()(search)
app.command()(ask)
app.command(name="case")(case_cmd)
app.command(name="nyt")(news_cmd)
app.command(name="eval")(evaluate_cmd)


@app.command(name="ui")
def ui_cmd(
    store: StoreOption = None,
    chroma_url: UrlOption = None,
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port.")] = 8501,
    address: Annotated[
        str, typer.Option("--address", help="Adresse at lytte på (0.0.0.0 for alle).")
    ] = "localhost",
) -> None:
    """Start chatten (Streamlit) på http://localhost:8501."""
    import os
    import subprocess

    settings = settings_or_exit(store_dir=store, chroma_url=chroma_url)
    env = dict(os.environ)
    env["REFERENT_STORE_DIR"] = str(settings.store_dir.expanduser().resolve())
    if settings.chroma_url:
        env["REFERENT_CHROMA_URL"] = settings.chroma_url
    env.setdefault("STREAMLIT_BROWSER_GATHER_USAGE_STATS", "false")
    app_path = Path(__file__).resolve().parent / "app.py"
    command = [
        sys.executable, "-m", "streamlit", "run", str(app_path),
        "--server.port", str(port), "--server.address", address,
        "--server.headless", "true", "--server.maxUploadSize", str(settings.max_upload_mb),
        "--browser.gatherUsageStats", "false", "--theme.base", "light",
    ]  # fmt: skip
    err.print(f"Referent kører på http://{address}:{port} (stop med Ctrl+C).")
    if os.name == "posix":  # become the server: signals (Ctrl+C, kill PID) reach it directly
        os.execve(sys.executable, command, env)
    try:
        code = subprocess.call(command, env=env)
    except KeyboardInterrupt:
        code = 0
    raise typer.Exit(code)


@app.command(name="user-add")
def user_add(
    name: Annotated[str, typer.Argument(help="Brugernavn.")],
    level: Annotated[
        str, typer.Option("--level", help="Adgangsniveau: public, internal eller closed.")
    ] = "internal",
    users_file: Annotated[
        Path | None, typer.Option("--users-file", help="Brugerfilen (ellers REFERENT_USERS_FILE).")
    ] = None,
) -> None:
    """Opret eller skift adgangskode for en medarbejder, der kan logge ind i chatten."""
    from ui.auth import UsersFileError, add_user

    path = users_file or settings_or_exit().users_file
    if path is None:
        fail("Angiv --users-file eller sæt REFERENT_USERS_FILE.", 2)
        return
    password = typer.prompt("Adgangskode", hide_input=True, confirmation_prompt=True)
    try:
        add_user(path, name, password, level)
    except UsersFileError as exc:
        fail(user_message(exc), 2)
    except OSError as exc:
        why = os_reason(exc)
        fail(f"Brugerfilen {path} kunne ikke gemmes" + (f": {why}." if why else "."))
    err.print(f"Brugeren {name} ({level}) er gemt i {path}.")


@app.command(name="index")
def index_cmd(
    store: StoreOption = None, chroma_url: UrlOption = None, wait: WaitOption = None
) -> None:
    """Byg søgeindekset (BM25, vektorer, filtre) for lageret på ny og tag det i brug."""
    from ui.factory import build_publisher, build_store

    settings = settings_or_exit(store_dir=store, chroma_url=chroma_url, writer_wait=wait)
    try:
        opened = build_store(settings, create=False)
        publisher = build_publisher(settings, opened, on_wait=say_waiting)
        name = publisher.publish()
    except ReferentError as exc:
        writer_failed(exc)
        return
    err.print(f"Søgeindekset {name} er bygget og i brug ({publisher.root}).")


@app.command(name="model-folder")
def model_folder_cmd() -> None:
    """Byg (første gang) og vis mappen med e5-modellen, også til sentence-transformers på GPU."""
    from ui.factory import model_folder

    try:
        folder = model_folder(settings_or_exit())
    except ReferentError as exc:
        fail(user_message(exc))
        return
    err.print(
        "Samme model som standardmotoren; brug den med sentence-transformers (fx på en GPU):\n"
        f"  REFERENT_EMBEDDER=sentence-transformers:{folder}"
    )
    sys.stdout.write(f"{folder}\n")


def log_file() -> Path:
    """Where the command line logs what the terminal does not show: unexpected errors."""
    base = os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state"
    return Path(base) / "referent" / "referent.log"


def _unexpected(exc: Exception) -> None:
    """A bug, not a user's mistake: one Danish line here, the traceback in the log file (on
    stderr only when that file cannot be written)."""
    path = log_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.FileHandler(path, encoding="utf-8")
        where = f" Logfil: {path}"
    except OSError:
        handler, where = logging.StreamHandler(sys.stderr), ""
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    logging.getLogger("referent").addHandler(handler)
    err.print(f"[bold red]Fejl:[/] {escape(user_message(exc) + where)}")
    sys.exit(1)


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        err.print("Afbrudt.")
        sys.exit(130)
    except Exception as exc:
        _unexpected(exc)


if __name__ == "__main__":
    main()
