"""Terminal tables for the command line's reports (ingest, retrieval and answer evaluation)."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table


def print_answer_eval(report: dict) -> None:
    out = Console()
    table = Table(title="Svarkvalitet (udtrækkende svar)")
    table.add_column("Mål")
    table.add_column("Værdi", justify="right")
    for label, key in [
        ("Citerer en guld-passage (besvarbare)", "citation_hit_rate"),
        ("Indeholder de centrale fakta", "answer_contains_rate"),
        ("Ubesvarbare afvist", "unanswerable_declined"),
        ("Besvarbare fejlagtigt afvist", "answerable_wrongly_declined"),
    ]:
        table.add_row(label, f"{report[key]:.2f}")
    table.add_row(
        "ask-latens p50 / p95 (ms)",
        f"{report['ask_latency_ms']['p50']:.0f} / {report['ask_latency_ms']['p95']:.0f}",
    )
    out.print(table)
    kinds = Table(title="Svar pr. spørgsmålstype")
    for column in ("Type", "n", "Citerer guld", "Fakta", "Afvist"):
        kinds.add_column(column, justify="left" if column == "Type" else "right")
    for kind, v in report.get("per_kind", {}).items():
        cited = "–" if v["citation_hit_rate"] is None else f"{v['citation_hit_rate']:.2f}"
        facts = "–" if v["answer_contains_rate"] is None else f"{v['answer_contains_rate']:.2f}"
        kinds.add_row(kind, str(v["n"]), cited, facts, f"{v['declined']:.2f}")
    out.print(kinds)


def print_eval(reports) -> None:
    out = Console()
    table = Table(title="Søgekvalitet")
    table.add_column("Mål")
    for r in reports:
        table.add_column(r.mode, justify="right")
    rows = [
        ("recall@1", lambda r: f"{r.recall(1):.2f}"),
        ("recall@5", lambda r: f"{r.recall(5):.2f}"),
        ("recall@10", lambda r: f"{r.recall(10):.2f}"),
        ("MRR@10", lambda r: f"{r.mrr():.3f}"),
        ("recall@5, kun viste kilde", lambda r: f"{r.strict_recall(5):.2f}"),
        ("latens p50 (ms)", lambda r: f"{r.latency_ms()['p50']:.0f}"),
        ("latens p95 (ms)", lambda r: f"{r.latency_ms()['p95']:.0f}"),
    ]
    for label, fn in rows:
        table.add_row(label, *(fn(r) for r in reports))
    out.print(table)
    last = reports[-1]
    kinds = Table(title=f"Pr. spørgsmålstype ({last.mode})")
    for col in ("type", "n", "recall@1", "recall@5", "recall@10", "MRR@10"):
        kinds.add_column(col, justify="right" if col != "type" else "left")
    for kind, v in last.per_kind().items():
        kinds.add_row(kind, str(v["n"]), f"{v['recall@1']:.2f}", f"{v['recall@5']:.2f}",
                      f"{v['recall@10']:.2f}", f"{v['mrr@10']:.3f}")  # fmt: skip
    out.print(kinds)
    misses = last.misses()
    if misses:
        out.print(f"[bold]Ikke fundet i top {last.k} ({last.mode}):[/]")
        for r in misses:
            first = r.top[0] if r.top else None
            out.print(f"- {r.question.id}: {r.question.question}")
            if first:
                out.print(f"  [dim]Først i stedet: {first.source} – {first.text[:120]}…[/]")


def print_report(report) -> None:
    out = Console()
    s = report.summary()
    table = Table(title="Indlæsning", show_header=False)
    for label, value in [
        ("Filer", s["files"]),
        ("Nye / opdaterede dokumenter", report.documents),
        ("Erstattet (samme kilde fra en anden fil)", s["replaced"]),
        ("Passager skrevet", report.passages),
        ("Uændrede filer (sprunget over)", s["unchanged"]),
        ("Alternative udgaver", s["alternate"]),
        ("Fjernet (--prune)", s["pruned"]),
        ("Fejlede filer", s["failed"]),
        ("Sprunget over (links, skjulte filer m.m.)", s["skipped"]),
        ("Forældreløse passager fjernet", report.orphan_passages),
        ("Tekster indlejret / genbrugt", f"{report.passages_embedded} / {report.passages_reused}"),
        ("Nye sætninger indlejret", report.sentences_embedded),
        ("Sekunder (heraf søgeindeks)", f"{report.seconds:.1f} ({report.index_seconds:.1f})"),
    ]:
        table.add_row(label, str(value))
    out.print(table)
    # per status, the files that need a word: (title, column headings, the row of a file)
    for status, title, headings, row in (
        ("alternate", "Alternative udgaver (indekseret én gang)", ("Fil", "Samme dokument som"),
         lambda f: (f.source, f.alternate_of)),
        ("replaced", "Erstattede dokumenter (samme kilde, en anden fil)", ("Kilde", "Før", "Nu"),
         lambda f: (f.source, f.replaced, f.path)),
        ("skipped", "Sprunget over (ikke læst)", ("Sti", "Årsag"),
         lambda f: (f.source, f.reason)),
        ("failed", "Filer der ikke kunne indlæses", ("Fil", "Årsag"),
         lambda f: (f.source, f.reason)),
    ):  # fmt: skip
        files = [f for f in report.files if f.status == status]
        if files:
            listing = Table(*headings, title=title)
            for f in files:
                listing.add_row(*row(f))
            out.print(listing)
