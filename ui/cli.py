"""The `referent` command line. Output and messages in Danish; `--json` for machines.

A failure prints its Danish `user_message` (`ui.messages.user_message`) on one "Fejl:" line and
exits non-zero; an unexpected one prints a generic Danish line and writes the traceback to the
log file (`log_file()`), never to the terminal.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from assistant.errors import AssistantError
from referent_errors import ReferentError, os_reason
from ui.cli_tables import print_answer_eval, print_eval, print_report
from ui.config import Settings, SettingsError, load_settings
from ui.messages import user_message, waiting_message
from vectorstore.errors import InvalidQueryError, WriterBusyError

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


def _settings(**overrides) -> Settings:
    """The settings, or exit 2 with one Danish line per bad setting (never a traceback)."""
    try:
        return load_settings(**overrides)
    except SettingsError as exc:
        fail(user_message(exc), 2)
        raise  # not reached: fail exits


def _say_waiting(pid: int | None) -> None:
    err.print(waiting_message(pid), markup=False, highlight=False)


def _writer_failed(exc: ReferentError) -> None:
    """A failed ingest or index build; another writer that kept the index is worth a retry."""
    if isinstance(exc, WriterBusyError):
        fail(f"{user_message(exc)} Vent længere med --wait SEKUNDER.", BUSY_EXIT)
    fail(user_message(exc))


def _access(option: str | None, settings: Settings) -> str:
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
    settings = _settings(
        store_dir=store, chroma_url=chroma_url, default_access=access, writer_wait=wait
    )
    try:
        ingestor = build_ingestor(settings, on_wait=_say_waiting, follow_symlinks=follow_symlinks)
        with RichProgress(err, enabled=not as_json and err.is_terminal) as progress:
            report = ingestor.run(paths, prune=prune, progress=progress)
    except ReferentError as exc:
        _writer_failed(exc)
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


def _date(value: str | None, option: str):
    if not value:
        return None
    from datetime import date

    try:
        return date.fromisoformat(value)
    except ValueError:
        fail(f"{option} skal være en dato som 2023-06-19.", 2)


def _open(settings: Settings, build):
    """Build an object over an existing store, or stop with a Danish message (a missing store
    says to run `referent ingest` first)."""
    try:
        return build(settings)
    except ReferentError as exc:
        fail(user_message(exc))


def _retriever(settings: Settings):
    from ui.factory import build_retriever

    return _open(settings, build_retriever)


@app.command()
def search(
    question: Annotated[str, typer.Argument(help="Spørgsmålet på dansk.")],
    store: StoreOption = None,
    chroma_url: UrlOption = None,
    k: Annotated[int, typer.Option("--k", min=1, max=100, help="Antal resultater.")] = 10,
    committee: Annotated[str | None, typer.Option(help="Udvalg, fx 'Økonomiudvalget'.")] = None,
    date_from: Annotated[str | None, typer.Option("--from", help="Fra dato (ÅÅÅÅ-MM-DD).")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="Til dato (ÅÅÅÅ-MM-DD).")] = None,
    doc_type: Annotated[
        str | None, typer.Option("--doc-type", help="referat, dagsorden, opsamling, …")
    ] = None,
    case: Annotated[str | None, typer.Option("--case", help="Sagsnummer.")] = None,
    source: Annotated[str | None, typer.Option(help="Del af kildens filnavn.")] = None,
    access: AccessOption = None,
    mode: Annotated[str, typer.Option(help="hybrid, dense eller bm25.")] = "hybrid",
    as_json: Annotated[bool, typer.Option("--json", help="Resultater som JSON.")] = False,
) -> None:
    """Søg i dokumenterne (hybrid: semantisk + nøgleord), med filtre."""
    from vectorstore.filters import SearchFilters
    from vectorstore.hybrid import MODES

    settings = _settings(store_dir=store, chroma_url=chroma_url)
    access = _access(access, settings)
    if mode not in MODES:
        fail("--mode skal være hybrid, dense eller bm25.", 2)
    filters = SearchFilters(
        committee=committee,
        date_from=_date(date_from, "--from"),
        date_to=_date(date_to, "--to"),
        doc_type=doc_type,
        case_number=case,
        source=source,
        access=access,
    )
    retriever = _retriever(settings)
    try:
        result = retriever.retrieve(question, k=k, filters=filters, mode=mode)
    except InvalidQueryError as exc:
        fail(user_message(exc), 2)
        return
    except ReferentError as exc:
        fail(user_message(exc))
        return
    if as_json:
        rows = [hit.to_dict() for hit in result.hits]
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        if result.empty_reason:
            err.print(result.empty_reason)
        return
    out = Console()
    if result.truncated:
        out.print("[yellow]Spørgsmålet var meget langt; kun begyndelsen er brugt.[/]")
    if not result.hits:
        out.print(result.empty_reason or "Ingen resultater.")
    for rank, hit in enumerate(result.hits, start=1):
        m = hit.metadata
        where = " · ".join(
            x
            for x in (m.committee, m.meeting_date, f"punkt {m.item_number}" if m.item_number
                      else "", m.title, m.section, f"sag {m.case_number}" if m.case_number
                      else "", f"s. {m.page_start}" if m.page_start else "")
            if x
        )  # fmt: skip
        # document text is printed as text: "[/]" in a passage is no Rich markup
        source = escape(m.source)
        out.print(f"[bold]{rank}.[/] {escape(where)}  [dim]({source}, {hit.score:.4f})[/]")
        out.print(f"   {hit.text[:400]}{'…' if len(hit.text) > 400 else ''}", markup=False)
        if hit.also_in:
            places = "; ".join(f"{a['committee']} {a['meeting_date']}" for a in hit.also_in)
            out.print(f"   [dim]Samme tekst også i: {escape(places)}[/]")
        out.print()


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="Spørgsmålet på dansk.")],
    store: StoreOption = None,
    chroma_url: UrlOption = None,
    committee: Annotated[str | None, typer.Option(help="Udvalg, fx 'Økonomiudvalget'.")] = None,
    date_from: Annotated[str | None, typer.Option("--from", help="Fra dato (ÅÅÅÅ-MM-DD).")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="Til dato (ÅÅÅÅ-MM-DD).")] = None,
    access: AccessOption = None,
    mode: Annotated[str, typer.Option(help="extractive eller llm.")] = "extractive",
    as_json: Annotated[bool, typer.Option("--json", help="Svar som JSON.")] = False,
    briefing: Annotated[
        Path | None, typer.Option("--briefing", help="Gem kilderne som briefing (.docx/.md).")
    ] = None,
) -> None:
    """Stil et spørgsmål og få et kort svar med kilder."""
    from assistant.briefing import Briefing
    from vectorstore.filters import SearchFilters

    settings = _settings(store_dir=store, chroma_url=chroma_url)
    access = _access(access, settings)
    if mode not in ("extractive", "llm"):
        fail("--mode skal være extractive eller llm.", 2)
    filters = SearchFilters(
        committee=committee, date_from=_date(date_from, "--from"), date_to=_date(date_to, "--to")
    )
    assistant = _assistant(settings, mode)
    if mode == "llm" and assistant.llm is None:
        fail("Ingen sprogmodel er sat op (REFERENT_LLM); brug --mode extractive.", 2)
    streamed = mode == "llm" and not as_json and briefing is None
    try:
        answer = None
        for part in assistant.ask_stream(question, filters=filters, access=access, mode=mode):
            if not isinstance(part, str):
                answer = part
            elif streamed:
                sys.stdout.write(part)
                sys.stdout.flush()
        if streamed:
            sys.stdout.write("\n\n")
    except ReferentError as exc:  # an empty question or a chat model's set-up: exit 2
        fail(user_message(exc), 2 if isinstance(exc, AssistantError) else 1)
        return
    if briefing is not None:
        doc = Briefing(title=f"Briefing: {answer.question}")
        doc.add_answer(answer)  # the direct answer ("Korte svar") and its sources
        try:
            doc.save(briefing)
        except ReferentError as exc:
            fail(user_message(exc))
        err.print(f"Briefing gemt i {briefing}")
    if as_json:
        sys.stdout.write(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2) + "\n")
        return
    print_answer(Console(), answer, streamed)


def print_answer(out: Console, answer, streamed: bool = False) -> None:
    """The answer, its notes and its sources. Document text is printed as text, never read as
    Rich markup: a title or quote holding "[bold]" or "[/]" shows as written."""
    if answer.filters_applied:
        out.print(f"[dim]Filtre fra spørgsmålet: {escape(answer.filters_applied)}[/]")
    if streamed:
        out.print("[bold]Kontrolleret svar[/]")
    if answer.mode == "llm" or not (answer.direct or answer.evidence):
        out.print(answer.text, markup=False)
    else:  # the direct answer and the evidence apart, the confidence in words
        if answer.direct:
            out.print("[bold]Kort svar[/]")
            out.print(answer.direct, markup=False)
            out.print("\n[bold]Fra dokumenterne[/]")
        else:
            out.print("[bold yellow]Usikkert:[/] jeg fandt ikke et direkte svar på det. "
                      "Det nærmeste i dokumenterne:")  # fmt: skip
        document = None
        for quote in answer.evidence:
            if quote.document != document:
                out.print(f"[italic]{escape(quote.document)}[/]")
                document = quote.document
            out.print(f"  – {quote.line()}", markup=False)
    for note in answer.notes:
        out.print(f"[yellow]{escape(note)}[/]")
    if answer.citations:
        out.print("\n[bold]Kilder[/]")
        for c in answer.citations:
            out.print(f"[{c.n}] {c.reference()}", markup=False)
            if c.url:  # the municipality's own page (checked: http/https only)
                out.print(f"    {c.url}", markup=False)
            out.print(f"    [dim]«{escape(c.quote)}»[/]")


def _assistant(settings: Settings, mode: str = "extractive"):
    from ui.factory import build_assistant

    return _open(settings, lambda s: build_assistant(s, with_llm=mode == "llm"))


@app.command(name="case")
def case_cmd(
    query: Annotated[str, typer.Argument(help="Sagsnummer (fx 24-018452) eller ord fra titlen.")],
    store: StoreOption = None,
    chroma_url: UrlOption = None,
    access: AccessOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Sagens forløb som JSON.")] = False,
) -> None:
    """Sagens forløb: hvert møde, der har behandlet sagen, med udfald og beslutning, og hvor
    sagen står nu. Flere sager, der passer, vises som en liste."""
    from assistant.cases import case_history, find_cases
    from ui.cli_cases import print_candidates, print_case

    settings = _settings(store_dir=store, chroma_url=chroma_url)
    access = _access(access, settings)
    snapshot = _retriever(settings).snapshot()
    found = find_cases(snapshot, query, access)
    if not found:
        fail(f"Ingen sag passer på «{query}».")
    if len(found) > 1:
        if as_json:
            rows = [c.to_dict() for c in found]
            sys.stdout.write(json.dumps({"candidates": rows}, ensure_ascii=False, indent=2) + "\n")
        else:
            print_candidates(Console(), query, found)
        return
    history = case_history(snapshot, found[0].case_number, access)
    if history is None:  # the list and the history read one snapshot: not reached
        fail(f"Ingen sag passer på «{query}».")
        return
    if as_json:
        sys.stdout.write(json.dumps(history.to_dict(), ensure_ascii=False, indent=2) + "\n")
        return
    print_case(Console(), history)


@app.command(name="nyt")
def news_cmd(
    since: Annotated[
        str | None,
        typer.Option(
            "--since", help="Møder efter denne dato (ÅÅÅÅ-MM-DD); ellers efter det næstseneste."
        ),
    ] = None,
    committee: Annotated[str | None, typer.Option(help="Udvalg, fx 'Økonomiudvalget'.")] = None,
    store: StoreOption = None,
    chroma_url: UrlOption = None,
    access: AccessOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Møderne og beslutningerne som JSON.")] = (
        False
    ),
) -> None:
    """Nyt siden en dato: for hvert møde efter datoen, nyeste først, de beslutninger, der blev
    truffet, med udfald og kilde."""
    from assistant.news import committee_rows, default_since, news_since
    from ui.cli_cases import print_news

    settings = _settings(store_dir=store, chroma_url=chroma_url)
    access = _access(access, settings)
    day = _date(since, "--since")
    snapshot = _retriever(settings).snapshot()
    named = committee_rows(snapshot, committee)
    if named is not None and not (named & snapshot.access_mask(access)).any():
        fail(f"Intet udvalg i dokumenterne hedder noget med «{committee}».", 2)
    day = day or default_since(snapshot, committee, access)
    meetings = news_since(snapshot, day, committee, access)
    if as_json:
        payload = {
            "since": day.isoformat() if day else None,
            "meetings": [m.to_dict() for m in meetings],
        }
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
        return
    if not meetings:
        Console().print("Ingen møder efter datoen i dokumenterne.")
        return
    print_news(Console(), day, meetings)


@app.command(name="eval")
def evaluate_cmd(
    questions: Annotated[Path, typer.Argument(help="Spørgsmål i JSONL (se shared/eval).")],
    store: StoreOption = None,
    chroma_url: UrlOption = None,
    k: Annotated[int, typer.Option("--k", min=1, max=100)] = 10,
    mode: Annotated[str, typer.Option(help="hybrid, dense, bm25 eller all.")] = "hybrid",
    access: AccessOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Resultat som JSON.")] = False,
    answers: Annotated[
        bool, typer.Option("--answers/--no-answers", help="Mål også svarene (ask).")
    ] = True,
) -> None:
    """Mål søge- og svarkvaliteten på et spørgsmålssæt: recall@1/5/10, MRR@10, svar, latens."""
    from assistant.evaluate import evaluate, evaluate_answers, load_questions

    settings = _settings(store_dir=store, chroma_url=chroma_url)
    access = _access(access, settings)
    if not questions.is_file():
        fail(f"Filen findes ikke: {questions}", 2)
    try:
        qs = load_questions(questions)
    except (ValueError, KeyError) as exc:
        fail(f"Spørgsmålsfilen kunne ikke læses: {exc}", 2)
        return
    modes = ["dense", "bm25", "hybrid"] if mode == "all" else [mode]
    retriever = _retriever(settings)
    try:
        retriever.retrieve("opvarmning", k=1)  # load the snapshot and model outside the timing
        reports = [evaluate(retriever, qs, k=k, mode=m, access=access) for m in modes]
        answer_report = None
        if answers:
            from assistant.assistant import Assistant

            answer_report = evaluate_answers(Assistant(retriever), qs, access=access).to_dict()
    except ReferentError as exc:
        fail(user_message(exc))
        return
    if as_json:
        data = [r.to_dict() for r in reports]
        result = data if len(data) > 1 else data[0]
        if answer_report is not None:
            result = {"retrieval": result, "answers": answer_report}
        sys.stdout.write(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
        return
    print_eval(reports)
    if answer_report is not None:
        print_answer_eval(answer_report)


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

    settings = _settings(store_dir=store, chroma_url=chroma_url)
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

    path = users_file or _settings().users_file
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

    settings = _settings(store_dir=store, chroma_url=chroma_url, writer_wait=wait)
    try:
        opened = build_store(settings, create=False)
        publisher = build_publisher(settings, opened, on_wait=_say_waiting)
        name = publisher.publish()
    except ReferentError as exc:
        _writer_failed(exc)
        return
    err.print(f"Søgeindekset {name} er bygget og i brug ({publisher.root}).")


@app.command(name="model-folder")
def model_folder_cmd() -> None:
    """Byg (første gang) og vis mappen med e5-modellen, også til sentence-transformers på GPU."""
    from ui.factory import model_folder

    try:
        folder = model_folder(_settings())
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
