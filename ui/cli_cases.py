"""Terminal views of a case's history, a list of candidate cases and the news since a date.

Document text (titles, decisions) goes into the tables as `rich.text.Text`, never as markup:
a title holding "[bold]" or "[/]" shows as written.
"""

from __future__ import annotations

from datetime import date

from rich.console import Console
from rich.table import Table
from rich.text import Text

from assistant.case_items import Treatment
from assistant.cases import CaseHistory, CaseSummary
from assistant.news import MeetingNews
from danish.dates import danish_date, format_date

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
