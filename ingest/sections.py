"""The sections of an agenda item, marked on its blocks.

Within agenda items every section label ("Beslutning: Godkendt.", a bold line, a heading)
becomes a section heading, and a decision or recommendation in any of its variants is filed
under "Beslutning" or "Indstilling" (the chunker keeps a decision with its recommendation, and
answers quote decisions by that name); the heading itself stays in the text, so who decided
and when is still there to read. The names systems give sections, and which of them is a
decision, are `danish.sections`.
"""

from __future__ import annotations

from dataclasses import replace

from danish.decisions import DECISION, RECOMMENDATION
from danish.sections import WHO_DECIDES, section_name, split_label
from ingest.document import Block


def mark_sections(blocks: list[Block]) -> list[Block]:
    """Inside agenda items (`Block.item`): labels and label lines become section headings,
    and a decision's or recommendation's variant files its text under the common name."""
    out: list[Block] = []
    item_level: dict[int, int] = {}
    section_level: dict[int, int] = {}
    filed, filed_level = "", 0  # the common name the current heading's text is filed under
    for block in blocks:
        if block.item and block.item not in item_level and block.kind == "heading":
            item_level[block.item] = block.level
            out.append(block)
            filed = ""
            continue
        if block.kind == "heading":
            name = section_name(block.text)
            if name is None:
                if block.level <= filed_level:
                    filed = ""
                out.append(block)
                continue
            block = replace(block, text=" ".join(block.text.split()).rstrip(":").strip())
            if block.item:
                section_level[block.item] = block.level
            filed, filed_level = _filed(block.text, name), block.level
            out.append(block)
            continue
        if block.item and block.kind == "paragraph":
            split = split_label(block.text)
            name = section_name(block.text)
            if split is None and name is not None and not WHO_DECIDES.match(name):
                split = (block.text.rstrip(": "), name, "")
            if split is not None:
                heading, name, rest = split
                level = section_level.get(block.item) or item_level.get(block.item, 1) + 1
                section_level[block.item] = level
                out.append(Block(heading, "heading", level, block.page, item=block.item))
                filed, filed_level = _filed(heading, name), level
                if not rest:
                    continue
                block = replace(block, text=rest)
        if filed and not block.section:
            block = replace(block, section=filed)
        out.append(block)
    return out


def _filed(heading: str, name: str) -> str:
    """The common name a variant heading's text is filed under; "" when the heading is it."""
    return name if name in (DECISION, RECOMMENDATION) and heading != name else ""
