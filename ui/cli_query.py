"""The `referent` commands that read: search, ask (and how an answer prints) and eval."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from assistant.errors import AssistantError
from referent_errors import ReferentError
from ui.cli_base import (
    AccessOption,
    StoreOption,
    UrlOption,
    access_level,
    assistant_or_exit,
    err,
    fail,
    parse_date,
    retriever_or_exit,
    settings_or_exit,
)
from ui.cli_tables import print_answer_eval, print_eval
from ui.messages import user_message
from vectorstore.errors import InvalidQueryError


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

    settings = settings_or_exit(store_dir=store, chroma_url=chroma_url)
    access = access_level(access, settings)
    if mode not in MODES:
        fail("--mode skal være hybrid, dense eller bm25.", 2)
    filters = SearchFilters(
        committee=committee,
        date_from=parse_date(date_from, "--from"),
        date_to=parse_date(date_to, "--to"),
        doc_type=doc_type,
        case_number=case,
        source=source,
        access=access,
    )
    retriever = retriever_or_exit(settings)
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

    settings = settings_or_exit(store_dir=store, chroma_url=chroma_url)
    access = access_level(access, settings)
    if mode not in ("extractive", "llm"):
        fail("--mode skal være extractive eller llm.", 2)
    filters = SearchFilters(
        committee=committee,
        date_from=parse_date(date_from, "--from"),
        date_to=parse_date(date_to, "--to"),
    )
    assistant = assistant_or_exit(settings, mode)
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

    settings = settings_or_exit(store_dir=store, chroma_url=chroma_url)
    access = access_level(access, settings)
    if not questions.is_file():
        fail(f"Filen findes ikke: {questions}", 2)
    try:
        qs = load_questions(questions)
    except (ValueError, KeyError) as exc:
        fail(f"Spørgsmålsfilen kunne ikke læses: {exc}", 2)
        return
    modes = ["dense", "bm25", "hybrid"] if mode == "all" else [mode]
    retriever = retriever_or_exit(settings)
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
