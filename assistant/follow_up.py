"""Does a question need the conversation's topic? Only general Danish grammar and word classes.

A question is read with the topic when it refers back to it (a pronoun standing for it: "Hvad
koster det?", "sagen", "dem"), or when it names no topic of its own: an ellipsis ("Og i 2024?",
"Hvad med Økonomiudvalget?") or only question words, function words, generic verbs ("koste",
"beslutte", "stemme") and aspects every case has ("prisen", "tidsplanen"). A question with a
content word the topic does not have ("Hvornår åbner den nye svømmehal?") starts fresh:
"den nye svømmehal" is an article before a noun phrase, not a pronoun.

Words are compared as Danish Snowball stems, the index's own stemmer, without its compound
halves: a new compound sharing a half with the topic ("skolebibliotek" after "skolerne") is a
new topic. Misreading a new topic as a follow-up answers the old case; reading a follow-up that
names its subject as fresh still retrieves that subject, so doubt goes to "fresh".
"""

from __future__ import annotations

import re
from functools import lru_cache

from danish.analyzer import DanishAnalyzer
from danish.committees import BODY_NAME
from danish.questions import (
    ARTICLE_PRONOUNS,
    CASE_NOUNS,
    DEMONSTRATIVES,
    DUMMY_VERBS,
    FUNCTION_WORDS,
    GENERIC_WORDS,
    PREPOSITIONS,
    PRONOUNS,
    QUESTION_STEMS,
    TIME_NOUNS,
)

_TOKEN = re.compile(r"\w+|[^\w\s]")
_YEAR = re.compile(r"^\d+$")


_analyzer: DanishAnalyzer | None = None


def _stems(words: list[str]) -> set[str]:
    global _analyzer
    if _analyzer is None:
        _analyzer = DanishAnalyzer()
    return {stem for w in words for stem in _analyzer(w)}


@lru_cache(maxsize=1)
def _generic_stems() -> frozenset[str]:
    return frozenset(_stems(GENERIC_WORDS) | QUESTION_STEMS)


def _words(text: str) -> list[str]:
    """Lower-cased words and punctuation marks, bodies' names taken out."""
    return [t.lower() for t in _TOKEN.findall(BODY_NAME.sub(" ", text))]


def content_stems(text: str) -> set[str]:
    """Stems of the words that could name a topic."""
    words = [w for w in _words(text) if w[0].isalnum() and not _YEAR.match(w)]
    generic = _generic_stems()
    return {s for s in _stems(words) if s not in generic}


def _is_word(token: str | None) -> bool:
    return token is not None and token[0].isalnum()


def _is_article(tokens: list[str], i: int) -> bool:
    """Is "den"/"det"/"de" at `i` an article: followed by a weak adjective ("nye", "samlede")
    or a number and then a noun, or "de" after a preposition ("for de ældre": a pronoun there
    would be "dem")?"""
    nxt = tokens[i + 1] if i + 1 < len(tokens) else None
    after = tokens[i + 2] if i + 2 < len(tokens) else None
    if tokens[i] == "de" and i > 0 and tokens[i - 1] in PREPOSITIONS:
        return True
    if not _is_word(nxt) or nxt in FUNCTION_WORDS:
        return False
    adjective = nxt.endswith("e") or nxt.isdigit()
    return adjective and _is_word(after) and after not in FUNCTION_WORDS


def _is_dummy_det(tokens: list[str], i: int) -> bool:
    """Is "det" at `i` a dummy subject: "det at bygge", "det muligt, at", "det, der", "går det
    med"?"""
    if tokens[i] != "det":
        return False
    following = [t for t in tokens[i + 1 : i + 4] if t != ","]
    if following[:1] in (["at"], ["der"], ["som"]) or following[1:2] == ["at"]:
        return following[:2] != ["til", "at"]
    prev = tokens[i - 1] if i > 0 else ""
    return prev in DUMMY_VERBS and following[:1] in (["med"], ["ud"], ["til"])


def refers_back(question: str) -> bool:
    """Does the question use a pronoun or a generic case noun standing for something said
    before?"""
    tokens = _words(question)
    for i, token in enumerate(tokens):
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        if token in PRONOUNS:
            return True
        if token in ARTICLE_PRONOUNS and not (_is_article(tokens, i) or _is_dummy_det(tokens, i)):
            return True
        if token in DEMONSTRATIVES and nxt not in TIME_NOUNS:
            return True
        if token in CASE_NOUNS and nxt not in PREPOSITIONS:
            return True
    return False


def needs_context(question: str, topic: str) -> bool:
    """Should `question` be read with the conversation's `topic` (its earlier questions and
    answers)? Yes when it refers back or names nothing the topic does not already hold."""
    return refers_back(question) or not (content_stems(question) - content_stems(topic))
