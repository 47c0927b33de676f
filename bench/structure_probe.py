"""What the ingest makes of each folder's layouts: parse only, no embedding, no store.

    python bench/structure_probe.py [CORPUS] [--files]

For every folder under CORPUS (default ../shared/corpus), and each of its subfolders: files read
and failed, documents, passages, the share of passages with an item number, passages that look
like a table of contents (dot leaders), titles and sections that hold a running header or dot
leaders, and what reading the layouts counted (furniture_lines, toc_entries, doubled_runs).
A "running header" here is a line that a PDF repeats in its top or bottom band, at the same
height, on half of its pages (three at least). A section name holding one, or a title holding
one with a date or page number, or two of them, or a word three times ("REFERAT … REFERAT …
REFERAT"), was not cleaned; the meeting's name once ("Referat – Byrådet") is a title.
Run it from the checkout to measure (`cd` to another checkout to measure that one).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(Path.cwd()) not in sys.path:
    sys.path.insert(0, str(Path.cwd()))

from ingest.errors import FileRejected  # noqa: E402
from ingest.loaders import load_file  # noqa: E402
from ingest.passages import prepare_document  # noqa: E402

DOTS = re.compile(r"\.{5,}|…{3,}|(?:\. ){4,}")
LAYOUT = ("furniture_lines", "toc_entries", "doubled_runs")


@dataclass
class Figures:
    files: int = 0
    failed: int = 0
    documents: int = 0
    passages: int = 0
    with_item: int = 0
    toc_passages: int = 0
    bad_titles: int = 0
    bad_sections: int = 0
    layout: Counter = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)

    def row(self, name: str) -> str:
        share = f"{self.with_item / self.passages:6.1%}" if self.passages else "     -"
        counts = " ".join(f"{self.layout[k]:5d}" for k in LAYOUT)
        return (
            f"{name[:44]:44s} {self.files:5d} {self.failed:4d} {self.documents:5d} "
            f"{self.passages:6d} {share} {self.toc_passages:5d} {self.bad_titles:5d} "
            f"{self.bad_sections:5d} {counts}"
        )


HEADER = (
    f"{'folder':44s} {'files':>5s} {'fail':>4s} {'docs':>5s} {'pass.':>6s} {'item%':>6s} "
    f"{'toc':>5s} {'badT':>5s} {'badS':>5s} {'furn':>5s} {'tocE':>5s} {'dbl':>5s}"
)


def running_headers(path: Path) -> set[str]:
    """Lines a PDF draws on at least three pages at about the same height (lower-cased)."""
    if path.suffix.lower() != ".pdf":
        return set()
    import pymupdf

    seen: Counter[tuple[str, int]] = Counter()
    try:
        with pymupdf.open(path) as doc:
            n_pages = doc.page_count
            for page in doc:
                height = page.rect.height or 1.0
                lines = set()
                for _x0, y0, _x1, _y1, text, *_ in page.get_text("blocks"):
                    if 0.2 < y0 / height < 0.9:
                        continue
                    for line in text.split("\n"):
                        line = " ".join(line.split()).lower()
                        if len(line.split()) >= 2 and sum(c.isalpha() for c in line) >= 8:
                            lines.add((re.sub(r"\d+", "#", line), round(y0 / height * 40)))
                seen.update(lines)
    except Exception:
        return set()
    return {text for (text, _), n in seen.items() if n >= max(3, n_pages // 2)}


def probe_file(path: Path, figures: Figures, show: bool) -> None:
    figures.files += 1
    try:
        docs = load_file(path)
    except FileRejected as exc:
        figures.failed += 1
        if show:
            print(f"  {path.name[:60]:60s} FAILED {exc.code}: {str(exc)[:80]}")
        return
    headers = running_headers(path)

    def key_of(text: str) -> str:
        return re.sub(r"\d+", "#", " ".join(text.split()).lower())

    def bad_title(text: str) -> bool:
        """A running line with a date or page number in it, two running lines, or a word
        three times; the meeting's name once ("Referat – Byrådet") is a title."""
        key = key_of(text)
        inside = [h for h in headers if h in key]
        words = Counter(re.findall(r"\w{4,}", key))
        return (
            any("#" in h for h in inside) or len(inside) >= 2 or max(words.values(), default=0) >= 3
        )

    def bad_section(text: str) -> bool:
        return bool(DOTS.search(text)) or any(h in key_of(text) for h in headers)

    for doc in docs:
        for k in LAYOUT:
            figures.layout[k] += doc.layout.get(k, 0)
        prepared = prepare_document(doc, path.name, "probe")
        figures.documents += 1
        title = str(prepared.metadata.get("title", ""))
        if DOTS.search(title) or bad_title(title):
            figures.bad_titles += 1
            figures.notes.append(f"title {path.name[:40]}: {title[:90]}")
        sections: set[str] = set()
        items = 0
        for p in prepared.passages:
            figures.passages += 1
            items += bool(p.metadata.item_number)
            if DOTS.search(p.text):
                figures.toc_passages += 1
                figures.notes.append(f"toc {path.name[:40]}: {p.text[:90]!r}")
            sections.update(s for s in p.metadata.section.split(" / ") if s)
        figures.with_item += items
        for s in sections:
            if bad_section(s):
                figures.bad_sections += 1
                figures.notes.append(f"section {path.name[:40]}: {s[:90]}")
        if show:
            print(
                f"  {path.name[:50]:50s} passages={len(prepared.passages):4d} items={items:4d} "
                f"layout={dict(doc.layout)} title={title[:70]!r}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpus", nargs="?", default=str(ROOT.parent / "shared" / "corpus"))
    parser.add_argument("--files", action="store_true", help="one line per file")
    parser.add_argument("--notes", action="store_true", help="list the bad titles and sections")
    args = parser.parse_args()
    corpus = Path(args.corpus)
    folders = sorted(p for p in corpus.iterdir() if p.is_dir())
    print(HEADER)
    for folder in folders:
        subfolders = sorted(p for p in folder.iterdir() if p.is_dir())
        total = Figures()
        parts: list[tuple[str, Figures]] = []
        for sub in [folder, *subfolders]:
            figures = Figures()
            files = sorted(p for p in sub.iterdir() if p.is_file())
            if sub is not folder:
                files = sorted(p for p in sub.rglob("*") if p.is_file())
            for path in files:
                probe_file(path, figures, args.files)
            if sub is not folder:
                parts.append((f"  {sub.name}", figures))
            _add(total, figures)
        print(total.row(folder.name))
        for name, figures in parts:
            print(figures.row(name))
        if args.notes:
            for note in total.notes:
                print(f"    {note}")


def _add(total: Figures, part: Figures) -> None:
    for name in (
        "files", "failed", "documents", "passages", "with_item", "toc_passages", "bad_titles",
        "bad_sections",
    ):  # fmt: skip
        setattr(total, name, getattr(total, name) + getattr(part, name))
    total.layout.update(part.layout)
    total.notes += part.notes


if __name__ == "__main__":
    main()
