"""Checking the `[n]` marks of a generated answer against the passages it was given."""

from __future__ import annotations

import re

_MARK = re.compile(r"\[(\d+(?:\s*[,;]\s*\d+)*)\]")


def check_citations(text: str, n_sources: int) -> tuple[str, list[int]]:
    """Drop marks that point at no passage, renumber the rest 1, 2, … in order of appearance.

    Returns the cleaned text and the original source numbers in their new order, so that
    new number i refers to source `order[i - 1]`.
    """
    order: list[int] = []

    def replace(match: re.Match[str]) -> str:
        numbers = [int(n) for n in re.split(r"\s*[,;]\s*", match.group(1))]
        valid = [n for n in numbers if 1 <= n <= n_sources]
        marks = []
        for n in dict.fromkeys(valid):
            if n not in order:
                order.append(n)
            marks.append(f"[{order.index(n) + 1}]")
        return "".join(marks)

    cleaned = _MARK.sub(replace, text)
    cleaned = re.sub(r"[ \t]+([.,;:])", r"\1", re.sub(r"[ \t]{2,}", " ", cleaned)).strip()
    return cleaned, order
