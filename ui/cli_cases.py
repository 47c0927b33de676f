"""The `referent case` and `referent nyt` commands, and their terminal views: a case's history,
a list of candidate cases and the news since a date.

Document text (titles, decisions) goes into the tables as `rich.text.Text`, never as markup:
a title holding "[bold]" or "[/]" shows as written.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from assistant.case_items import Treatment
from assistant.cases import CaseHistory, CaseSummary
from assistant.news import MeetingNews
from danish.dates import danish_date, format_date
from ui.cli_base import (
    AccessOption,
    StoreOption,
    UrlOption,
    access_level,
    fail,
    parse_date,
    retriever_or_exit,
    settings_or_exit,
)

QUOTE_CHARS = 300  # a table cell's quote; `--json` gives it whole


def print_case(out: Console, history: CaseHistory) -> None:
    """The case as a timeline: one block per meeting (a table's narrow columns broke the
    quotes into unreadable fragments in an ordinary terminal)."""
    out.print(Text.assemble(("Sag ", "bold"), (history.case_number, "bold"), f": {history.title}"))
    out.print(Text(history.status, style="italic"))
    out.print(Text("\nSagens forløb", style="bold"))
    for t in history.treatments:
        _step(out, " · ".join(x for x in (danish_date(t.meeting_date), t.committee,
              f"punkt {t.item_number}" if t.item_number else "") if x), t)  # fmt: skip


def _step(out: Console, head: str, t: Treatment) -> None:
    out.print(Text.assemble(("• ", "bold"), (head, "bold"), f" – {t.outcome}" if t.outcome else ""))
    if t.decision:
        out.print(Text(f"  «{_cut(t.decision)}»"))
    else:
        out.print(Text("  Ingen beslutning i dokumenterne.", style="dim"))
    out.print(Text(f"  Kilde: {t.url or t.source}", style="dim"))


def print_candidates(out: Console, query: str, cases: list[CaseSummary]) -> None:
    out.print(Text(f"Flere sager passer på «{query}»; vælg en med referent case NUMMER:"))
    table = Table()
    for name in ("Sagsnummer", "Titel", "Behandlinger", "Senest"):
        table.add_column(name, overflow="fold")
    for c in cases:
        last = " ".join(x for x in (danish_date(c.last_date), c.last_committee) if x)
        table.add_row(Text(c.case_number), Text(c.title), Text(str(c.treatments)), Text(last))
    out.print(table)


def print_news(out: Console, since: date | None, meetings: list[MeetingNews]) -> None:
    out.print(Text(f"Nyt siden {format_date(since)}" if since else "Nyt", style="bold"))
    for meeting in meetings:
        out.print(Text(f"\n{meeting.committee}, {danish_date(meeting.meeting_date)}", style="bold"))
        if not meeting.decisions:
            out.print(Text("  Ingen beslutninger i dokumenterne (dagsorden).", style="dim"))
        for d in meeting.decisions:
            number = f"Punkt {d.item_number}: " if d.item_number else ""
            case = f" (sag {d.case_number})" if d.case_number else ""
            _step(out, f"{number}{d.title}{case}", d)


def _cut(text: str) -> str:
    return text if len(text) <= QUOTE_CHARS else text[:QUOTE_CHARS].rsplit(" ", 1)[0] + " …"


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

    settings = settings_or_exit(store_dir=store, chroma_url=chroma_url)
    access = access_level(access, settings)
    snapshot = retriever_or_exit(settings).snapshot()
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

    settings = settings_or_exit(store_dir=store, chroma_url=chroma_url)
    access = access_level(access, settings)
    day = parse_date(since, "--since")
    snapshot = retriever_or_exit(settings).snapshot()
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
