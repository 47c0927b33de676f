"""Text cleaning shared by all loaders: Unicode, whitespace, hyphenation, page furniture.

Line-end hyphenation is undone only at line ends and only between two lower-case letters;
a hyphen the document also uses mid-line for the same word ("ikke-etnisk") is kept, and
hyphens after capitals or digits ("VVM-screening", "P-huse") are always kept.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import replace

from ingest.document import Block

_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"), None)
_LIGATURES = {0xFB00: "ff", 0xFB01: "fi", 0xFB02: "fl", 0xFB03: "ffi", 0xFB04: "ffl", 0xFB06: "st"}
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_WORD = re.compile(r"[^\W\d_][\w-]*[^\W\d_]|[^\W\d_]", re.UNICODE)
_HYPHEN_BREAK = re.compile(r"([^\W\d_]+)[-\u2010\u2011]\s*\n\s*([^\W\d_]+)")
_PAGE_LABEL = re.compile(
    r"^\s*(?:side|page|s\.)\s*\d+\s*(?:(?:af|of|/)\s*\d+)?\s*$|^\s*-?\s*\d{1,3}\s*-?\s*$|"
    r"^\s*\d+\s*/\s*\d+\s*$|^\s*\d+\s+(?:af|of)\s+\d+\s*$",
    re.IGNORECASE,
)
# a page label that says so ("Side 3", "Side 3 af 60", "3 af 60"), not a bare number
_LABELLED_PAGE = re.compile(
    r"^\s*(?:side|page|s\.)\s*\d+(?:\s*(?:af|of|/)\s*\d+)?\s*$|^\s*\d+\s+(?:af|of)\s+\d+\s*$",
    re.IGNORECASE,
)
_DIGITS = re.compile(r"\d+")
_ALWAYS_HYPHENATED_PREFIXES = {"ikke", "non", "ex"}


def normalize_text(text: str) -> str:
    """NFC, no soft hyphens, zero-width characters or ligatures, single spaces, trimmed lines."""
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE).translate(_LIGATURES)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return "\n".join(lines)


def collapse_whitespace(text: str) -> str:
    return " ".join(text.split())


def vocabulary(texts: Iterable[str]) -> set[str]:
    """Lower-cased words (hyphenated forms included) that occur mid-line in the texts."""
    words: set[str] = set()
    for text in texts:
        for line in text.split("\n"):
            words.update(w.lower() for w in _WORD.findall(line))
    return words


def join_lines(text: str, vocab: set[str] | None = None) -> str:
    """Join the lines of one paragraph, undoing line-end hyphenation."""
    vocab = vocab if vocab is not None else vocabulary([text])

    def repair(match: re.Match[str]) -> str:
        left, right = match.group(1), match.group(2)
        hyphenated = f"{left}-{right}"
        if not (left[-1].islower() and right[0].islower()):
            return hyphenated  # "VVM-screening", "P-huse", "Aarhus-Kommune"
        if left.lower() in _ALWAYS_HYPHENATED_PREFIXES:
            return hyphenated  # "ikke-etnisk": Danish writes these prefixes with a hyphen
        if hyphenated.lower() in vocab and (left + right).lower() not in vocab:
            return hyphenated  # the document writes it with a hyphen elsewhere
        return left + right

    text = _HYPHEN_BREAK.sub(repair, text)
    return collapse_whitespace(text.replace("\n", " "))


def dehyphenate(text: str) -> str:
    """Undo line-end hyphenation but keep the line breaks (for letterhead parsing)."""
    return _HYPHEN_BREAK.sub(
        lambda m: m.group(0) if m.group(1)[-1].isupper() else m.group(1) + m.group(2) + "\n", text
    )


def is_page_label(line: str) -> bool:
    return bool(_PAGE_LABEL.match(line))


def is_labelled_page(line: str) -> bool:
    """A page label that names itself one, so it is furniture wherever it stands."""
    return bool(_LABELLED_PAGE.match(line))


def furniture_keys(pages: Sequence[Sequence[str]], min_share: float = 0.6) -> set[str]:
    """Lines that repeat on most pages (running headers and footers), digits ignored.

    Candidates are the caller's margin lines; a line counts once per page.
    """
    if len(pages) < 3:
        return set()
    counts: Counter[str] = Counter()
    for lines in pages:
        counts.update({furniture_key(line) for line in lines if line.strip()})
    threshold = max(3, int(len(pages) * min_share + 0.999))
    return {key for key, n in counts.items() if n >= threshold and len(key.split()) <= 14}


def furniture_key(line: str) -> str:
    return _DIGITS.sub("#", collapse_whitespace(line).lower())


def clean_blocks(blocks: list[Block]) -> list[Block]:
    """Join wrapped lines, undo hyphenation with the document's own vocabulary, drop empties."""
    vocab = vocabulary(b.text for b in blocks)
    cleaned: list[Block] = []
    for block in blocks:
        if block.kind in ("table", "toc"):  # one row or entry per line
            text = "\n".join(collapse_whitespace(row) for row in block.text.split("\n"))
        else:
            text = join_lines(block.text, vocab)
        if text.strip() and not is_page_label(text):
            cleaned.append(replace(block, text=text))
    return cleaned
