"""Repeated text inside one document, kept once in its first place.

A paragraph pasted ten thousand times, or one sentence repeated along a 5 MB line, says what it
says once: embedding every copy costs minutes and floods the results with one text. A repeat is
dropped only where it adds nothing, because real minutes repeat short lines with meaning ("•
Anbefales" once per recommendation, "Godkendt." under every item, the same abstention under two
votes):

- a body block of `MIN_REPEAT_WORDS` words or more right after the same block (same headings,
  section and agenda item), and such a sentence right after itself in a paragraph;
- a table row right after the same row;
- a heading repeated only over dropped text (kept when new text follows it, which it heads);
- a chunk identical to an earlier chunk of the same headings and item: the last resort for
  repeats the rules above let through (short lines, lines that alternate).
"""

from __future__ import annotations

from dataclasses import replace

from danish.sentences import split_sentences
from ingest.chunk import Chunk
from ingest.document import Block

MIN_REPEAT_WORDS = 8  # shorter lines may repeat with meaning ("• Anbefales", "Godkendt.")


def drop_repeats(blocks: list[Block]) -> list[Block]:
    """The blocks without repeats, in order; see the module's rules."""
    out: list[Block] = []
    seen_headings: set[tuple] = set()
    stack: list[tuple[int, str, int]] = []  # (level, text, index in blocks) of open headings
    pending: list[tuple[int, Block, bool]] = []  # headings since the last kept body block
    previous: tuple | None = None
    for index, block in enumerate(blocks):
        if block.kind == "heading":
            while stack and stack[-1][0] >= block.level:
                stack.pop()
            key = (block.item, block.section, _path(stack), block.level, block.text)
            pending.append((index, block, key not in seen_headings))
            seen_headings.add(key)
            stack.append((block.level, block.text, index))
            continue
        key = (block.item, block.section, _path(stack), block.kind, block.text)
        repeat = key == previous and len(block.text.split()) >= MIN_REPEAT_WORDS
        previous = key
        if repeat:
            continue
        open_headings = {i for _, _, i in stack}
        out.extend(h for i, h, new in pending if new or i in open_headings)
        pending = []
        out.append(_without_repeated_parts(block))
    out.extend(h for _, h, new in pending if new)  # new headings stay (an item's title alone)
    return out


def drop_repeated_chunks(chunks: list[Chunk]) -> list[Chunk]:
    """The chunks without copies of an earlier chunk of the same item, headings and section."""
    seen: set[tuple] = set()
    out: list[Chunk] = []
    for chunk in chunks:
        key = (chunk.item, chunk.heading_path, chunk.section, chunk.text)
        if key not in seen:
            seen.add(key)
            out.append(chunk)
    return out


def _path(stack: list[tuple[int, str, int]]) -> tuple[str, ...]:
    return tuple(text for _, text, _ in stack)


def _without_repeated_parts(block: Block) -> Block:
    if block.kind == "table":
        rows = block.text.split("\n")
        kept = [row for i, row in enumerate(rows) if i == 0 or row != rows[i - 1]]
        text = "\n".join(kept) if len(kept) < len(rows) else block.text
    else:
        sentences = split_sentences(block.text)
        kept = [
            s
            for i, s in enumerate(sentences)
            if i == 0 or s != sentences[i - 1] or len(s.split()) < MIN_REPEAT_WORDS
        ]
        text = " ".join(kept) if len(kept) < len(sentences) else block.text
    return replace(block, text=text) if text is not block.text else block
