"""A PDF page's text as visual lines, from PyMuPDF's spans (font, size, flags and box).

Two things PyMuPDF's own lines do not give:

- **One layer of text.** A run drawn twice over itself (bold by overprinting, a shadow offset
  by a fraction of a point) comes back as two spans with the same text and overlapping boxes;
  the second is dropped and counted.
- **Visual lines.** Word and layout programs place a number, a label or a page reference apart
  from the text beside it ("1." | "Meddelelser" | "3", "Mødedato:" | "24. marts 2025"), and
  PyMuPDF returns them as separate lines. A fragment joins the line beside it (same height on
  the page, no horizontal overlap) when one of them is such a piece: a number or label on the
  left, a number or leader on the right, or two short cells side by side. Two columns of
  running text are never joined, nor a heading and a date in a side column far from it. A
  wide gap is kept as a tab, which tells a table of contents' page number.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from ingest.clean import is_labelled_page, normalize_text
from ingest.doubled import collapse_doubled

BOLD_FLAG = 16
WIDE_GAP = 2.5  # a gap wider than this many font sizes is a tab (a column or a leader)
SAME_LINE = 0.6  # vertical overlap, as a share of the lower fragment, to share a line
LOOKBACK = 40  # lines back where a fragment's neighbour is looked for
_PREFIX = re.compile(
    r"^(?:\(?\d{1,4}(?:\.\d{1,3})*[.)]?|\(?[a-zA-ZæøåÆØÅ][.)]|[ivxIVX]{1,5}[.)]|"
    r"(?i:punkt|pkt\.?|sag|bilag|§)\s*\d{1,4}[.:)]?|[^\w\s]{1,2})$"  # a bullet: "•", "›", "-"
)
_NUMERIC = re.compile(r"^\(?[\d][\d.,/%:\- ]*\)?$")
_LEADER_ONLY = re.compile(r"^[.…_·\- ]{4,}$")


@dataclass
class Row:
    """A visual line of one page."""

    text: str  # normalised; a tab where the line had a wide gap
    size: float
    bold: bool
    page: int
    block: int  # PyMuPDF block of its first fragment: a new block may start a paragraph
    x0: float
    y0: float
    x1: float
    y1: float
    page_height: float
    page_width: float
    horizontal: bool = True  # rotated text (a margin label) is never joined or a heading
    parts: list[tuple[float, float, str]] = field(default_factory=list, repr=False)

    @property
    def top(self) -> float:
        """The top edge as a share of the page height."""
        return self.y0 / self.page_height

    @property
    def plain(self) -> str:
        """The text with gaps as single spaces."""
        return " ".join(self.text.split())


def page_rows(page, number: int) -> tuple[list[Row], int]:
    """The page's visual lines in the order the PDF draws them, and the doubled runs dropped."""
    height = page.rect.height or 1.0
    width = page.rect.width or 1.0
    data = page.get_text("dict", sort=False)
    seen: dict[str, list[tuple[float, float, float, float]]] = {}
    doubled = 0
    rows: list[Row] = []
    for block_no, block in enumerate(data["blocks"]):
        if block.get("type") != 0:
            continue
        for line in block["lines"]:
            spans = []
            for span in line["spans"]:
                key = " ".join(span["text"].split())
                if key:
                    if any(_same_place(span["bbox"], box) for box in seen.get(key, ())):
                        doubled += 1
                        continue
                    seen.setdefault(key, []).append(span["bbox"])
                spans.append(span)
            row = _fragment(spans, number, block_no, (width, height))
            if row is not None:
                row.horizontal = abs(line.get("dir", (1.0, 0.0))[1]) < 0.1
            if row is None:
                if not any(s["text"].strip() for s in line["spans"]):
                    # an empty line separates paragraphs inside a block
                    rows.append(Row("", 0.0, False, number, block_no, *line["bbox"], height, width))
                continue
            beside = _beside(rows, row) if row.horizontal else None
            if beside is None:
                rows.append(row)
            else:
                _join(beside, row)
    for row in rows:
        once = collapse_doubled(row.text)
        if once != row.text:
            doubled += 1
            row.text = once
    return rows, doubled


def _same_place(a, b) -> bool:
    """Two boxes of the same text that overlap for most of their area: one run drawn twice."""
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    if w <= 0 or h <= 0:
        return False
    smaller = min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1])) or 1.0
    return w * h >= 0.5 * smaller


def _fragment(spans, number: int, block_no: int, size: tuple[float, float]) -> Row | None:
    visible = [s for s in spans if s["text"].strip()]
    if not visible:
        return None
    body = max(s["size"] for s in visible)
    # superscript footnote markers: small digits inside a larger line
    kept = [s for s in spans if not (s["size"] < body * 0.8 and s["text"].strip().isdigit())]
    text = normalize_text("".join(s["text"] for s in kept)).strip()
    if not text:
        return None
    bold = all(s["flags"] & BOLD_FLAG for s in visible)
    x0 = min(s["bbox"][0] for s in visible)
    x1 = max(s["bbox"][2] for s in visible)
    y0 = min(s["bbox"][1] for s in visible)
    y1 = max(s["bbox"][3] for s in visible)
    row = Row(text, round(body, 1), bold, number, block_no, x0, y0, x1, y1, size[1], size[0])
    row.parts = [(x0, x1, text)]
    return row


def _beside(rows: list[Row], fragment: Row) -> Row | None:
    """The line this fragment continues sideways, if any."""
    for row in reversed(rows[-LOOKBACK:]):
        if not row.text or not row.horizontal:
            continue
        overlap = min(row.y1, fragment.y1) - max(row.y0, fragment.y0)
        lower = min(row.y1 - row.y0, fragment.y1 - fragment.y0) or 1.0
        if overlap < SAME_LINE * lower:
            continue
        if any(x0 < fragment.x1 - 0.5 and fragment.x0 < x1 - 0.5 for x0, x1, _ in row.parts):
            continue  # overlapping boxes: another line, not a neighbour
        if max(row.size, fragment.size) > 1.6 * min(row.size, fragment.size):
            continue
        if _joins(row, fragment):
            return row
    return None


def _joins(row: Row, fragment: Row) -> bool:
    if is_labelled_page(fragment.text) or is_labelled_page(row.text):
        return False  # "Side 3 af 60" beside a header stays a line of its own
    if fragment.x0 >= row.x1 - 0.5:
        left, right = row.parts[-1][2], fragment.text
        gap = fragment.x0 - row.x1
    else:
        left, right = fragment.text, row.parts[0][2]
        gap = row.x0 - fragment.x1
    near = gap <= WIDE_GAP * max(row.size, fragment.size)
    return bool(
        _PREFIX.match(left)
        or (left.endswith(":") and len(left.split()) <= 6)
        or _NUMERIC.match(right)
        or _LEADER_ONLY.match(right)
        or _LEADER_ONLY.match(left)
        # two short cells of a row; far apart, they are a heading and a side column's date
        or (near and len(left.split()) <= 3 and len(right.split()) <= 3)
    )


def _join(row: Row, fragment: Row) -> None:
    parts = sorted([*row.parts, *fragment.parts])
    text = parts[0][2]
    for (_, prev_x1, _), (x0, _, part) in itertools.pairwise(parts):
        gap = x0 - prev_x1
        text += ("\t" if gap > WIDE_GAP * max(row.size, fragment.size) else " ") + part
    row.text = text
    row.parts = parts
    row.size = max(row.size, fragment.size)
    row.bold = row.bold and fragment.bold
    row.x0, row.x1 = min(row.x0, fragment.x0), max(row.x1, fragment.x1)
    row.y0, row.y1 = min(row.y0, fragment.y0), max(row.y1, fragment.y1)
