"""Page furniture: running headers, footers and page labels, told by position and repetition.

A running header is the same line in the same place on most pages ("REFERAT Byrådet d. 24. marts
2025 Side 3 af 60"): it is found by its text with digits ignored (the page number changes) and
its height on the page, among lines in the top or bottom margin. A header that names the current
item as well keeps its opening words and its place, so lines in one place that share their
first words on most pages are furniture too. Page labels are furniture on any page, even a
document's only one: "Side 3 af 60" and "3 af 60" anywhere, "3/60", "- 3 -" and a bare number
at the top or bottom edge (elsewhere a lone number is more likely a table's cell).

Lines elsewhere on the page are never furniture: a heading that happens to open several pages
sits where the text begins, not in the margin band where a header is drawn.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from ingest.clean import furniture_key, is_page_label

TOP_MARGIN = 0.25  # share of the page height where running headers live
BOTTOM_MARGIN = 0.12
EDGE = 0.1  # the top band where a bare number is a page label rather than a table's cell
SAME_PLACE = 0.025  # a header moves less than this share of the page height between pages
MIN_SHARE = 0.5  # of the pages, for a line to be running
MAX_WORDS = 20
ONE_LINE = 0.012  # a line's height as a share of the page, when not known
APART = 0.3  # of its own height: the space at least between a header and the text
PREFIX_WORDS = 3  # opening words a header that names the current item keeps
_EXPLICIT_LABEL = re.compile(
    r"^\s*(?:side|page|s\.)\s*\d+(?:\s*(?:af|of|/)\s*\d+)?\s*$|^\s*\d+\s+(?:af|of)\s+\d+\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Placed:
    """A line of a page with its vertical position (top edge as a share of the page height)."""

    text: str
    top: float
    bottom: float = -1.0  # bottom edge, as a share; unknown (-1) counts as a one-line height
    left: float = 0.0  # left and right edges as shares of the page width
    right: float = 1.0

    @property
    def in_margin(self) -> bool:
        return self.top < TOP_MARGIN or self.top > 1 - BOTTOM_MARGIN

    @property
    def at_edge(self) -> bool:
        """In the outer band where a bare page number ("3", "3/60", "- 3 -") is a page label."""
        return self.top < EDGE or self.top > 1 - BOTTOM_MARGIN


def furniture(pages: Sequence[Sequence[Placed]]) -> list[set[int]]:
    """Per page, the indices of its lines that are running headers, footers or page labels."""
    found: list[set[int]] = [set() for _ in pages]
    for p, lines in enumerate(pages):
        for i, line in enumerate(lines):
            if _EXPLICIT_LABEL.match(line.text) or (line.at_edge and is_page_label(line.text)):
                found[p].add(i)
    if len(pages) < 2:
        return found
    for key_of in (_whole, _opening):
        groups: dict[str, list[tuple[int, int, float]]] = defaultdict(list)
        for p, lines in enumerate(pages):
            for i, line in enumerate(lines):
                if i in found[p] or not _may_run(line):
                    continue
                if key := key_of(line.text):
                    groups[key].append((p, i, line.top))
        running = [_running(places, len(pages)) for places in groups.values()]
        candidates = [set() for _ in pages]
        for places in running:
            for p, i in places:
                candidates[p].add(i)
        for places in running:
            if _set_apart(places, pages, found, candidates):
                for p, i in places:
                    found[p].add(i)
    return found


def _may_run(line: Placed) -> bool:
    # a line ending in a colon announces the text under it ("Vi vil:"); a header announces nothing
    text = line.text.strip()
    return line.in_margin and len(text.split()) <= MAX_WORDS and not text.endswith(":")


def _set_apart(
    places: list[tuple[int, int]],
    pages: Sequence[Sequence[Placed]],
    found: list[set[int]],
    candidates: list[set[int]],
) -> bool:
    """Whether a running line stands apart from the text on most of its pages.

    A header is drawn above the text with space between, or in a column of its own beside it;
    a heading that opens the text in the same place on many pages has its text right under it.
    Other furniture lines next to it (a header of several lines) do not count as text.
    """
    if not places:
        return False
    apart = 0
    for p, i in places:
        line = pages[p][i]
        others = [
            other
            for j, other in enumerate(pages[p])
            if j != i and j not in found[p] and j not in candidates[p] and other.text.strip()
        ]
        apart += _gap(line, others) >= APART * _height(line)
    return apart * 2 > len(places)


def _height(line: Placed) -> float:
    return line.bottom - line.top if line.bottom > line.top else ONE_LINE


def _gap(line: Placed, others: list[Placed]) -> float:
    """Space between a margin line and the nearest text under it (top margin) or above it
    (bottom margin) in the same column; lines beside it (a side column) do not count."""
    under = [
        o for o in others if o.right > line.left and o.left < line.right
    ]  # not beside it: a date or page label in a column of its own
    if line.top < TOP_MARGIN:
        below = [o.top for o in under if o.top > line.top + _height(line) / 2]
        return min(below) - (line.top + _height(line)) if below else 1.0
    above = [o.top + _height(o) for o in under if o.top < line.top - _height(line) / 2]
    return line.top - max(above) if above else 1.0


def _whole(text: str) -> str:
    return furniture_key(text) if text.strip() else ""


def _opening(text: str) -> str:
    words = furniture_key(text).split()
    if len(words) <= PREFIX_WORDS:
        return ""  # a short line is matched whole or not at all
    opening = " ".join(words[:PREFIX_WORDS])
    return opening if sum(ch.isalpha() for ch in opening) >= 10 else ""


def _running(places: list[tuple[int, int, float]], n_pages: int) -> list[tuple[int, int]]:
    """The occurrences that sit in one place on enough pages to be running furniture."""
    if len({p for p, _, _ in places}) < _needed(n_pages):
        return []
    tops = sorted(top for _, _, top in places)
    best: list[tuple[int, int]] = []
    for anchor in tops:
        here = [(p, i) for p, i, top in places if abs(top - anchor) <= SAME_PLACE]
        if len({p for p, _ in here}) > len({p for p, _ in best}):
            best = here
    return best if len({p for p, _ in best}) >= _needed(n_pages) else []


def _needed(n_pages: int) -> int:
    """Pages a line must be repeated on: all of two, else half of them and at least three."""
    if n_pages == 2:
        return 2
    return max(3, math.ceil(n_pages * MIN_SHARE))
