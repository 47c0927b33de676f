"""Structure-following chunking: document → section → paragraphs → sentences.

Paragraphs are packed into chunks of roughly `min_words`–`max_words` inside one section; a
paragraph longer than `max_words` is split at sentence boundaries, a table between rows. Small
neighbouring sections ("Sagsprocedure", "Resume", "Indstilling") are merged so no chunk is a
stray line. A decision joins only the recommendation it decides on (when both fit in one
chunk): "Godkendt." means nothing without what was approved, and neither does a recommendation
without its outcome.
No chunk spans two agenda items (`Block.item`): items differ in case number and access.
A table of contents (`Block.kind == "toc"`) is never chunked: it would match every question
about the items it lists, and it opens no section.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from danish.decisions import is_filed_decision, is_filed_recommendation
from danish.sentences import split_sentences
from ingest.document import Block, SourceDocument

HEADING_SEPARATOR = " > "


@dataclass
class Chunk:
    paragraphs: list[str]
    sections: list[str]
    heading_path: str
    page_start: int = 0
    page_end: int = 0
    words: int = 0
    standalone: bool = False
    pages: list[int] = field(default_factory=list)
    item: int = 0  # the agenda item (Block.item) all its text comes from

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)

    @property
    def section(self) -> str:
        return " / ".join(dict.fromkeys(s for s in self.sections if s))


@dataclass
class _Unit:
    text: str
    words: int
    page: int
    section: str
    heading_path: str
    page_end: int = 0
    is_heading: bool = False
    item: int = 0


def chunk_document(doc: SourceDocument, min_words: int = 150, max_words: int = 350) -> list[Chunk]:
    segments = _segments(doc.blocks, max_words)
    chunks: list[Chunk] = []
    for units in segments:
        chunks.extend(_pack(units, min_words, max_words))
    return _join_decisions(_merge_small(chunks, min_words, max_words), max_words)


def _segments(blocks: list[Block], max_words: int) -> list[list[_Unit]]:
    """Units of text grouped by section, each unit at most `max_words` long."""
    segments: list[list[_Unit]] = []
    stack: list[tuple[int, str]] = []
    current_key: tuple[str, str, int] | None = None
    pending_headings: list[str] = []
    pending_item, pending_path, pending_page = 0, "", 0
    for block in blocks:
        if block.kind == "toc":
            continue  # the document's own index: its entries are structure, never a passage
        if block.kind == "heading":
            if pending_headings and pending_item and pending_item != block.item:
                # an agenda item with headings only: its title is its text, in its own chunk
                segments.append(
                    _heading_units(pending_headings, pending_path, pending_item, pending_page)
                )
                pending_headings, current_key = [], None
            while stack and stack[-1][0] >= block.level:
                stack.pop()
            stack.append((block.level, block.text))
            pending_headings.append(block.text)
            pending_item, pending_page = block.item, block.page
            pending_path = HEADING_SEPARATOR.join(text for _, text in stack)
            continue
        path = HEADING_SEPARATOR.join(text for _, text in stack)
        section = block.section or (stack[-1][1] if stack else "")
        key = (block.section, block.section or path, block.item)
        if key != current_key:
            segments.append([])
            current_key = key
        # a heading inside a section stays visible in the text it introduces
        for heading in pending_headings:
            if heading != section:
                words = len(heading.split())
                unit = _Unit(
                    heading, words, block.page, section, path, is_heading=True, item=block.item
                )
                segments[-1].append(unit)
        pending_headings = []
        split = _split_table if block.kind == "table" else _split_long
        for piece in split(block.text, max_words):
            unit = _Unit(piece, len(piece.split()), block.page, section, path, item=block.item)
            unit.page_end = block.page_end or block.page
            segments[-1].append(unit)
    if pending_headings and pending_item:
        segments.append(_heading_units(pending_headings, pending_path, pending_item, pending_page))
    return [s for s in segments if s]


def _heading_units(headings: list[str], path: str, item: int, page: int) -> list[_Unit]:
    return [_Unit(h, len(h.split()), page, headings[-1], path, item=item) for h in headings]


def _split_table(text: str, max_words: int) -> list[str]:
    """A long table cut between rows: a row is one statement (ingest.tables labels each)."""
    pieces: list[list[str]] = [[]]
    count = 0
    for row in text.split("\n"):
        n = len(row.split())
        if n > max_words:  # a row of long prose: cut like prose, in pieces of its own
            pieces += [[piece] for piece in _split_long(row, max_words)] + [[]]
            count = 0
            continue
        if pieces[-1] and count + n > max_words:
            pieces.append([])
            count = 0
        pieces[-1].append(row)
        count += n
    return ["\n".join(rows) for rows in pieces if rows]


def _split_long(text: str, max_words: int) -> list[str]:
    if len(text.split()) <= max_words:
        return [text]
    pieces: list[str] = []
    current: list[str] = []
    count = 0
    for sentence in split_sentences(text):
        n = len(sentence.split())
        if n > max_words:  # a "sentence" this long is a list or a table: cut by words
            words = sentence.split()
            parts = [" ".join(words[i : i + max_words]) for i in range(0, len(words), max_words)]
        else:
            parts = [sentence]
        for part in parts:
            n = len(part.split())
            if current and count + n > max_words:
                pieces.append(" ".join(current))
                current, count = [], 0
            current.append(part)
            count += n
    if current:
        pieces.append(" ".join(current))
    return pieces


def _pack(units: list[_Unit], min_words: int, max_words: int) -> list[Chunk]:
    chunks: list[Chunk] = []
    current: Chunk | None = None
    headings_at_end: set[str] = set()
    for unit in units:
        carried: list[str] = []
        if current is not None and current.words + unit.words > max_words:
            # a heading never ends a chunk: it moves on with the text it introduces
            while current.paragraphs and current.paragraphs[-1] in headings_at_end:
                carried.insert(0, current.paragraphs.pop())
                current.words -= len(carried[0].split())
            if current.paragraphs:
                chunks.append(current)
            current = None
            headings_at_end.clear()
        if current is None:
            standalone = is_filed_decision(unit.section)
            current = Chunk(
                carried, [unit.section], unit.heading_path, standalone=standalone, item=unit.item
            )
            current.words = sum(len(h.split()) for h in carried)
        if unit.is_heading:
            headings_at_end.add(unit.text)
        else:
            headings_at_end.clear()
        current.paragraphs.append(unit.text)
        current.words += unit.words
        if unit.page:
            current.pages += [unit.page, unit.page_end or unit.page]
    if current is not None:
        chunks.append(current)
    # a short tail after a full chunk joins its predecessor when it fits loosely
    if len(chunks) >= 2 and chunks[-1].words < min_words // 2:
        last = chunks[-1]
        if chunks[-2].words + last.words <= int(max_words * 1.15):
            chunks[-2].paragraphs += last.paragraphs
            chunks[-2].words += last.words
            chunks[-2].pages += last.pages
            chunks.pop()
    for chunk in chunks:
        _set_pages(chunk)
    return chunks


def _merge_small(chunks: list[Chunk], min_words: int, max_words: int) -> list[Chunk]:
    merged: list[Chunk] = []
    for chunk in chunks:
        prev = merged[-1] if merged else None
        if (
            prev is not None
            and prev.item == chunk.item
            and not prev.standalone
            and not chunk.standalone
            and (prev.words < min_words or chunk.words < min_words // 3)
            and prev.words + chunk.words <= max_words
        ):
            _absorb(prev, chunk)
            continue
        merged.append(chunk)
    return merged


def _join_decisions(chunks: list[Chunk], max_words: int) -> list[Chunk]:
    """A decision chunk and its neighbouring recommendation chunk become one, in their order."""
    out: list[Chunk] = []
    for chunk in chunks:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.item == chunk.item
            and prev.standalone != chunk.standalone
            and _recommends(chunk if prev.standalone else prev)
            and not _recommends(prev if prev.standalone else chunk)  # not joined already
            and prev.words + chunk.words <= max_words
        ):
            _absorb(prev, chunk)
            prev.standalone = True
            continue
        out.append(chunk)
    return out


def _absorb(into: Chunk, chunk: Chunk) -> None:
    """`chunk` joins the end of `into`; every section's text is led by its name."""
    if len(into.sections) == 1:
        into.paragraphs = _with_heading(into)
    labelled = len(chunk.sections) > 1  # merged sections already lead with their name
    into.paragraphs += chunk.paragraphs if labelled else _with_heading(chunk)
    into.sections += chunk.sections
    into.words += chunk.words
    into.pages += chunk.pages
    into.heading_path = into.heading_path or chunk.heading_path
    _set_pages(into)


def _recommends(chunk: Chunk) -> bool:
    return any(is_filed_recommendation(s) for s in chunk.sections)


def _with_heading(chunk: Chunk) -> list[str]:
    """Paragraphs of a chunk merged into another, led by its section name."""
    name = chunk.section
    if name and (not chunk.paragraphs or not chunk.paragraphs[0].startswith(name)):
        return [f"{name}: {chunk.paragraphs[0]}", *chunk.paragraphs[1:]]
    return list(chunk.paragraphs)


def _set_pages(chunk: Chunk) -> None:
    if chunk.pages:
        chunk.page_start, chunk.page_end = min(chunk.pages), max(chunk.pages)
