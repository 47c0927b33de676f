"""Terminal tables for the command line's reports (ingest, retrieval and answer evaluation)."""

from __future__ import annotations

from rich.console import Console
from rich.table import Column, Table

ANSWER_MEASURES = [  # (label, key, format); the targets in the labels
    ("Evidens: en guld-passage citeret, besvaret eller usikker (≥ 0,90)", "evidence_hit", ".2f"),
    ("Dækning: besvarbare besvaret (≥ 0,70)", "coverage", ".2f"),
    ("Citerer guld, blandt de besvarede", "citation_hit_answered", ".2f"),
    ("Fakta i det korte svar (≥ 0,50)", "facts_direct", ".2f"),
    ("Fakta i hele svaret (≥ 0,65)", "facts_answer", ".2f"),
    ("Besvarbare usikre", "answerable_uncertain", ".2f"),
    ("Besvarbare ikke fundet (≤ 0,03)", "answerable_not_found", ".2f"),
    ("Ubesvarbare besvaret (≤ 0,10)", "unanswerable_answered", ".2f"),
    ("Ubesvarbare usikre", "unanswerable_uncertain", ".2f"),
    ("Ubesvarbare ikke fundet", "unanswerable_not_found", ".2f"),
    ("Kort svar, median ord (≤ 40)", "direct_words_median", ".0f"),
]
KIND_MEASURES = [  # (heading, key)
    ("Evidens", "evidence_hit"), ("Besvaret", "coverage"), ("Fakta kort", "facts_direct"),
    ("Fakta hele", "facts_answer"), ("Ikke fundet", "answerable_not_found"),
]  # fmt: skip


def print_answer_eval(report: dict) -> None:
    out = Console()
    table = Table(title="Svarkvalitet (udtrækkende svar)")
    table.add_column("Mål")
    table.add_column("Værdi", justify="right")
    for label, key, fmt in ANSWER_MEASURES:
        table.add_row(label, format(report[key], fmt))
    table.add_row(
        "ask-latens p50 / p95 (ms, ≤ 1000)",
        f"{report['ask_latency_ms']['p50']:.0f} / {report['ask_latency_ms']['p95']:.0f}",
    )
    out.print(table)
    kinds = Table(title="Svar pr. spørgsmålstype (ubesvarbare: andel besvaret / ikke fundet)")
    kinds.add_column("Type")
    kinds.add_column("n", justify="right")
    for heading, _ in KIND_MEASURES:
        kinds.add_column(heading, justify="right")
    for kind, v in report.get("per_kind", {}).items():
        if kind == "unanswerable":
            row = ["–"] * len(KIND_MEASURES)
            row[1] = f"{v['unanswerable_answered']:.2f}"
            row[-1] = f"{v['unanswerable_not_found']:.2f}"
        else:
            row = [f"{v[key]:.2f}" for _, key in KIND_MEASURES]
        kinds.add_row(kind, str(v["n"]), *row)
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


def print_report(report, out: Console | None = None) -> None:
    out = out or Console()
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
            # paths are folded, never cut: the replaced one names both files in full
            listing = Table(*(Column(h, overflow="fold") for h in headings), title=title)
            for f in files:
                listing.add_row(*row(f))
            out.print(listing)
    print_structure(out, report)


# what reading a layout took out of the text (ingest.document.SourceDocument.layout), in Danish
LAYOUT_NAMES = {
    "furniture_lines": "sidehoved-/sidefodslinjer",
    "toc_entries": "linjer i indholdsfortegnelse",
    "doubled_runs": "dobbelt tegnet tekst",
}


def print_structure(out: Console, report) -> None:
    """The files whose layout was not fully understood, or whose page furniture or table of
    contents was taken out of the text: a user sees when a layout was not read."""
    read = [f for f in report.files if f.structure]
    noted = [f for f in read if f.structure.get("warnings") or any(f.structure["layout"].values())]
    if not read:
        return
    with_item = sum(f.structure["passages_with_item"] for f in read)
    total = sum(f.structure["passages"] for f in read)
    out.print(f"Struktur: {with_item} af {total} passager har et dagsordenspunkt.")
    if not noted:
        return
    table = Table("Fil", "Punkter", "Passager med punkt", "Taget ud af teksten", "Bemærkning",
                  title="Struktur pr. fil")  # fmt: skip
    for f in noted:
        s = f.structure
        removed = ", ".join(
            f"{n} {LAYOUT_NAMES.get(kind, kind)}" for kind, n in sorted(s["layout"].items()) if n
        )
        table.add_row(
            f.source, str(s["items"]), f"{s['passages_with_item']} / {s['passages']}",
            removed, "; ".join(s["warnings"]),
        )  # fmt: skip
    out.print(table)
