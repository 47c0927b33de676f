"""Letterhead fields ("Dato: …", "Sagsnr.: …", "Kontakt: …", "Til: …") kept as content.

A memo's letterhead answers questions of its own ("Hvem er kontaktperson?", "Hvem er notatet
til?"), so its fields stay in the passage text where the document has them, while
`ingest.passages.describe` still reads them for metadata. Consecutive fields become one block
with one field per line: they are chunked together (the first passage of a memo) and each line
is a sentence an answer may quote.

Two kinds of field line are dropped, because they say nothing the passage's metadata does not:
a field without a value ("Dato:" as an empty form field), and an agenda item's case-number line
("Sagsnr.: 24-008831" under the item's heading), which is that item's `case_number` and would
otherwise repeat in every item of a minutes file.
"""

from __future__ import annotations

from dataclasses import replace

from danish.decisions import CASE_LINE
from ingest.document import Block
from ingest.metadata import LETTERHEAD_LINE, is_letterhead_line

MAX_CASE_LINE_WORDS = 4  # "Sagsnr.: 24-008831 Dok.nr.: 2012-2061"; longer lines carry text


def keep_letterhead(blocks: list[Block]) -> list[Block]:
    """The blocks with letterhead fields kept as content, grouped one field per line."""
    out: list[Block] = []
    open_group = False  # the last block in `out` is a group of fields
    for block in blocks:
        if block.kind == "heading" or not is_letterhead_line(block.text):
            out.append(block)
            open_group = False
            continue
        if _says_nothing(block):
            continue
        previous = out[-1] if out else None
        if open_group and previous is not None and previous.item == block.item:
            out[-1] = replace(previous, text=f"{previous.text}\n{block.text}")
        else:
            out.append(block)
        open_group = True
    return out


def _says_nothing(block: Block) -> bool:
    value = block.text[LETTERHEAD_LINE.match(block.text).end() :].strip()
    if not value:
        return True
    item_case = block.item and CASE_LINE.match(block.text)
    return bool(item_case) and len(block.text.split()) <= MAX_CASE_LINE_WORDS
