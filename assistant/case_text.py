"""The decision and the recommendation of one agenda item, quoted from its passages.

A passage may hold one section ("Beslutning", its text alone) or several merged ("Beslutning:
Godkendt.\\nSagsprocedure: …"), and a portal item may set a section as a heading line of its
own ("Sagsprocedure" then its text). The wanted section's lines are kept, up to the next
section a label or heading names; `danish.sections` says what names a section.
"""

from __future__ import annotations

from collections.abc import Callable

from danish.decisions import ABSENCE_LINE, is_decision, is_recommendation
from danish.sections import section_name, split_label

MAX_QUOTE = 1200  # a recommendation can run long; the quote keeps its start, the source the rest


def section_text(text: str, section: str, wanted: Callable[[str], bool]) -> str:
    """The lines of `text` that belong to the section `wanted` accepts; `section` is the
    passage's section path ("Beslutning / Sagsprocedure"), whose first part is where its text
    starts."""
    inside = wanted(section.split(" / ")[0].strip())
    kept: list[str] = []
    for line in text.split("\n"):
        if labelled := split_label(line):
            inside = wanted(labelled[1])
            if inside:
                kept.append(labelled[2])
            continue
        if section_name(line) is not None:  # a heading line of its own
            inside = wanted(section_name(line) or "")
            continue
        if inside and not ABSENCE_LINE.match(line):
            kept.append(line)
    return _quote(" ".join(" ".join(kept).split()))


def decision_text(text: str, section: str) -> str:
    """The decision a passage quotes, or "" (a bare "." or nothing at all is no decision)."""
    return section_text(text, section, is_decision)


def recommendation_text(text: str, section: str) -> str:
    return section_text(text, section, is_recommendation)


def _quote(text: str) -> str:
    if not any(ch.isalnum() for ch in text):
        return ""
    if len(text) <= MAX_QUOTE:
        return text
    return text[:MAX_QUOTE].rsplit(" ", 1)[0] + " …"
