"""Plain text and Markdown, including older Danish files in cp1252/latin-1.

Paragraphs are separated by blank lines; a short line without closing punctuation that stands
alone or opens a paragraph is a heading. Markdown `#` lines are headings by definition. A
numbered line followed by a case-number line ("3. Takster 2025" / "Sagsnr.: 24-008831") or a
section label ("Resumé:") is an agenda item's heading, however long its title or whatever it
starts with ("5. Lukket: …", "Sag nr. 5 …"); a number on a line of its own ("Punkt 4") and the
title on the next are one heading.
"""

from __future__ import annotations

import re
from pathlib import Path

from danish.decisions import CASE_LINE
from danish.sections import section_name, split_label
from ingest.clean import normalize_text
from ingest.document import Block, SourceDocument
from ingest.errors import UndecodableText
from ingest.items import NUMBER_ONLY, parse_item_heading
from ingest.toc import mark_toc

_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*$")
_KEY_VALUE = re.compile(r"^[\w .-]{2,25}:\s")
_MD_EMPHASIS = re.compile(r"(\*\*|__|`)(.+?)\1")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f]")


def decode_bytes(data: bytes) -> str:
    """UTF-8 when valid, else cp1252 (a superset of latin-1 for text), else rejected."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if b"\x00" in data[:4096]:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            return data.decode("utf-16")
        raise UndecodableText("filen ser binær ud")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            text = data.decode("latin-1")
    if len(_CONTROL.findall(text[:4096])) > 8:
        raise UndecodableText("filen indeholder styretegn")
    return text


def load_text(path: Path) -> list[SourceDocument]:
    text = normalize_text(decode_bytes(path.read_bytes()))
    markdown = path.suffix.lower() in {".md", ".markdown"}
    if markdown:
        text = _MD_EMPHASIS.sub(r"\2", text)
    blocks, toc = mark_toc(text_to_blocks(text, markdown=markdown))
    doc = SourceDocument(
        blocks=blocks,
        source_format="markdown" if markdown else "txt",
        header_text="\n".join(text.split("\n")[:40]),
    )
    if toc.entries:  # the table of contents is structure (see ingest.toc), never text
        doc.metadata["toc"] = toc.metadata()
        doc.noted("toc_entries", len(toc.entries))
    return [doc]


def _looks_like_heading(line: str) -> bool:
    words = line.split()
    return (
        0 < len(words) <= 9
        and len(line) <= 80
        and line[-1] not in ".,;:!?"
        and (line[0].isupper() or line[0].isdigit())
        and any(ch.isalpha() for ch in line)
        and not _KEY_VALUE.match(line)
    )


def _is_item_heading(line: str, following: list[str]) -> bool:
    """A numbered title whose next line gives the case number or opens a section, or that
    stands alone."""
    if not parse_item_heading(line) or len(line) > 150 or line[-1] in ".,;:!?":
        return False
    return not following or _opens_item_text(following[0])


def _opens_item_text(line: str) -> bool:
    """A case line or a section label ("Sagsnr.: …", "Resumé:", "Beslutning i Byrådet …")."""
    return bool(CASE_LINE.match(line) or section_name(line) is not None or split_label(line))


def _split_title(lines: list[str]) -> str | None:
    """ "Punkt 4" (or "4.") on a line of its own with the title on the next: the heading."""
    if len(lines) < 2 or not NUMBER_ONLY.match(lines[0].strip()):
        return None
    title = lines[1].strip()
    if _opens_item_text(title) or title[-1] in ".,;:!?" or len(title) > 150:
        return None
    heading = f"{lines[0].strip()} {title}"
    return heading if parse_item_heading(heading) else None


def text_to_blocks(text: str, markdown: bool = False) -> list[Block]:
    """Blocks whose text keeps the source's line breaks; the cleaner joins them later."""
    blocks: list[Block] = []
    for para in re.split(r"\n\s*\n", text):
        lines = [line for line in para.split("\n") if line.strip()]
        while lines:
            first = lines[0]
            md = _MD_HEADING.match(first) if markdown else None
            if md:
                blocks.append(Block(text=md.group(2), kind="heading", level=len(md.group(1))))
                lines = lines[1:]
                continue
            if not markdown and (heading := _split_title(lines)):
                blocks.append(Block(text=heading, kind="heading", level=2))
                lines = lines[2:]
                continue
            if not markdown and (
                _is_item_heading(first, lines[1:])
                or (
                    _looks_like_heading(first)
                    and (len(lines) == 1 or len(lines[1]) > len(first) + 15)
                )
            ):
                blocks.append(Block(text=first, kind="heading", level=2))
                lines = lines[1:]
                continue
            blocks.append(Block(text="\n".join(lines)))
            break
    return blocks
