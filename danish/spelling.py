"""Danish letters typed without a Danish keyboard: "aa" for å, "ae" for æ, "oe" for ø.

"Hvornaar besluttede byraadet …" finds nothing by its words, and the model reads it less well:
the stems "hvornaar" and "byraad" are in no document. Only a word the index does not know is
respelled, and only to a spelling it does know, so "Aarhus", "Michael" and "poesi" stay.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from itertools import combinations

_PAIR = re.compile(r"aa|ae|oe", re.IGNORECASE)
_LETTER = {"aa": "å", "ae": "æ", "oe": "ø"}
_WORD = re.compile(r"\w+")
MAX_PLACES = 4  # more pairs in one word than this: it is left as it is


def danish_spellings(word: str) -> list[str]:
    """The word with some of its "aa", "ae" and "oe" written as "å", "æ" and "ø", those with
    the most replaced first; [] when it has none."""
    places = [m.span() for m in _PAIR.finditer(word)]
    if not places or len(places) > MAX_PLACES:
        return []
    out = []
    for n in range(len(places), 0, -1):
        for chosen in combinations(places, n):
            spelled, last = [], 0
            for start, end in chosen:
                pair = word[start:end]
                letter = _LETTER[pair.lower()]
                spelled += [word[last:start], letter.upper() if pair[0].isupper() else letter]
                last = end
            out.append("".join([*spelled, word[last:]]))
    return out


def respell(text: str, known: Callable[[str], bool]) -> str:
    """`text` with each word `known` rejects written in the first of its Danish spellings it
    accepts; other words as they are."""

    def one(match: re.Match) -> str:
        word = match.group(0)
        spellings = danish_spellings(word)
        if not spellings or known(word):
            return word
        return next((s for s in spellings if known(s)), word)

    return _WORD.sub(one, text)
