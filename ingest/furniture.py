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
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from ingest.clean import furniture_key, is_labelled_page, is_page_label

TOP_MARGIN = 0.25  # share of the page height where running headers live
BOTTOM_MARGIN = 0.12
EDGE = 0.1  # the top band where a bare number is a page label rather than a table's cell
SAME_PLACE = 0.025  # a header moves less than this share of the page height between pages
MIN_SHARE = 0.5  # of the pages, for a line to be running
MAX_WORDS = 20
ONE_LINE = 0.012  # a line's height as a share of the page, when not known
APART = 0.3  # of its own height: the space at least between a header and the text
PREFIX_WORDS = 3  # opening words a header that names the current item keeps


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
            if is_labelled_page(line.text) or (line.at_edge and is_page_label(line.text)):
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

    A header is the outermost text of its column, drawn above the text with space between (a
    footer below it), or in a column of its own beside it. A heading that opens the text in the
    same place on many pages has its text right under it, and a case line under an item's
    heading (items that each start a page) has that heading above it. Other furniture lines
    next to it (a header of several lines) do not count as text.
    """
    if not places:
        return False
    apart = 0
    for p, i in places:
        line = pages[p][i]
        text = [
            (other, j in found[p] or j in candidates[p])
            for j, other in enumerate(pages[p])
            if j != i and other.text.strip()
        ]
        apart += _outermost(line, text) and _set_off(line, text)
    return apart * 2 > len(places)


def _height(line: Placed) -> float:
    return line.bottom - line.top if line.bottom > line.top else ONE_LINE


def _column(line: Placed, lines: list[tuple[Placed, bool]]) -> list[tuple[Placed, bool]]:
    """The lines above or under this one, not beside it (a date or label in a column of its
    own stands beside the text)."""
    return [(o, f) for o, f in lines if o.right > line.left and o.left < line.right]


def _outermost(line: Placed, lines: list[tuple[Placed, bool]]) -> bool:
    """No text of its column lies further out: above a header, below a footer."""
    column = [o for o, furniture_too in _column(line, lines) if not furniture_too]
    if line.top < TOP_MARGIN:
        return not any(o.top + _height(o) / 2 < line.top for o in column)
    return not any(o.top > line.top + _height(line) / 2 for o in column)


def _set_off(line: Placed, lines: list[tuple[Placed, bool]]) -> bool:
    """Whether the furniture this line belongs to (the lines of a header, stacked) has space
    between it and the text under it (above it, for a footer)."""
    column = _column(line, lines)
    down = line.top < TOP_MARGIN
    current = line
    while True:
        if down:
            nearer = [(o, f) for o, f in column if o.top > current.top + _height(current) / 2]
            nearest = min(nearer, key=lambda of: of[0].top, default=None)
        else:
            nearer = [(o, f) for o, f in column if o.top < current.top - _height(current) / 2]
            nearest = max(nearer, key=lambda of: of[0].top, default=None)
        if nearest is None:
            return True
        other, furniture_too = nearest
        if furniture_too:
            current = other  # the next line of the same header: go on from there
            continue
        if down:
            gap = other.top - (current.top + _height(current))
        else:
            gap = current.top - (other.top + _height(other))
        return gap >= APART * _height(current)


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
