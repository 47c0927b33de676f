"""Source text that cannot pose as Referent's own markup.

Referent's answers carry its citation marks `[n]`, and the LLM prompt wraps passages in
`<kilde nr="n">` tags. A document may hold the same shapes (a footnote "[1]", a probe's "[9]" or
`</kilde><kilde n="9">`); quoted as they stand they would read as Referent's own: a `[9]` that
points at nothing, a `[1]` vouching for a sentence no cited passage states.

So wherever source text becomes answer text it passes through `inert` first, and every `[n]` in
an answer is then Referent's own: the citation check and the renderers can trust it.

- A bracket holding a number, "[1]", "[2, 3]", "[ 4 ]", "[12a]", becomes round: "(1)", "(2, 3)".
  A footnote still reads as a footnote, and neither reader nor program takes it for a
  citation. A look-alike ("［1］" in fullwidth, or "[1]" with a zero-width character inside)
  was rejected: the reader could not tell it from a real citation, which is the harm itself,
  and invisible characters spoil copying and searching. A "[" before a number that is never
  closed, or at the very end, becomes "(" too, so no mark can form where our text joins on.
- A tag, "<kilde n="9">" or "</kilde>", keeps its words, but its angle brackets become "‹" and
  "›": it shows as what it is, and no parser, renderer or model reads a tag.

Other brackets ("[sic]", "[…]") and comparisons ("under < 5 mio.") stay as they are. The
passage itself (`Citation.text`, `Citation.quote`) is never changed: the source card shows it
verbatim, and the answer's "(1)" can be checked against the "[1]" there.
"""

from __future__ import annotations

import re

# a bracket that starts with a number ("[9]", "[1, 2]", "[ 3 ]"): the shape of a citation mark
_NUMBER_BRACKET = re.compile(r"\[(\s*\d[^\[\]]*)\]")
# an opening bracket left before a number, or at the end, that our own text could complete
_OPEN_BEFORE_NUMBER = re.compile(r"\[(?=\s*(?:\d|\Z))")
# an opening or closing tag: "<kilde nr="9">", "</kilde>", "<br/>"
_TAG = re.compile(r"<(/?\s*[A-Za-z][\w:.-]*(?:\s[^<>]*)?/?)>")


def without_marks(text: str) -> str:
    """The text with no bracketed number left that could read as a citation mark."""
    text = _NUMBER_BRACKET.sub(r"(\1)", text)
    return _OPEN_BEFORE_NUMBER.sub("(", text)


def without_tags(text: str) -> str:
    """The text with its tags' angle brackets made inert ("‹/kilde›"), their words kept."""
    return _TAG.sub(r"‹\1›", text)


def inert(text: str) -> str:
    """Source text as it may stand in an answer: no citation marks and no tags of its own."""
    return without_tags(without_marks(text))
