"""Danish words for search and word overlap: stop words, Snowball stems and compounds.

Danish writes compounds as one word ("underskudsgaranti", "skolevejen"), so a word of a
question is often a part of a word of the text. There is one notion of a compound here, two
words written as one (with a linking "s" or "e": "integration-s-politik"), read at two
strengths:

- `Decompounder.parts`: the two halves of a compound, where both are words the corpus itself
  uses often enough. Strict, because the halves become index tokens (BM25) of passages and
  questions alike; built from the indexed texts and persisted with the index.
- `inside_compound`: a word found at the start or the end of a longer word, without a
  vocabulary. Loose, because it only gives partial credit when a sentence is scored against
  a question's words (`assistant.sentence_choice`), and it must work whether or not the index
  splits compounds (it does not by default).
"""

from __future__ import annotations

import re

_TOKEN = re.compile(r"\w+", re.UNICODE)
# a part matched by its place alone (`inside_compound`): shorter stems match inside too many
# unrelated words
MIN_LOOSE_PART = 4


class DanishAnalyzer:
    """Lower-case words, Danish stop words removed, Snowball-stemmed."""

    def __init__(self) -> None:
        import Stemmer
        from bm25s.stopwords import STOPWORDS_DANISH

        self._stemmer = Stemmer.Stemmer("danish")
        self._stop = set(STOPWORDS_DANISH)

    def __call__(self, text: str) -> list[str]:
        words = [
            w
            for w in _TOKEN.findall(text.lower())
            if w not in self._stop and (len(w) > 1 or w.isdigit())
        ]
        return self._stemmer.stemWords(words)


class Decompounder:
    """Adds the two halves of Danish compounds ("skolevejen" → "skol", "vej") as extra tokens.

    A word is split where both halves are words or stems the corpus itself uses often enough,
    allowing the linking "s" and "e" ("integration-s-politik"). Built from the indexed texts,
    persisted with the index, applied alike to passages and questions.
    """

    MIN_WORD = 7
    MIN_PART = 3

    def __init__(self, analyzer: DanishAnalyzer, known: set[str]) -> None:
        self.analyzer = analyzer
        self.known = known
        self._cache: dict[str, tuple[str, ...]] = {}

    @classmethod
    def learn(cls, analyzer: DanishAnalyzer, texts: list[str], min_df: int = 3) -> Decompounder:
        df: dict[str, int] = {}
        for text in texts:
            words = set(_TOKEN.findall(text.lower()))
            words |= set(analyzer._stemmer.stemWords(list(words)))
            for w in words:
                df[w] = df.get(w, 0) + 1
        known = {w for w, n in df.items() if n >= min_df and len(w) >= cls.MIN_PART and w.isalpha()}
        return cls(analyzer, known)

    def parts(self, word: str) -> tuple[str, ...]:
        if word in self._cache:
            return self._cache[word]
        found: tuple[str, ...] = ()
        if len(word) >= self.MIN_WORD and word.isalpha():
            for i in range(len(word) - self.MIN_PART, self.MIN_PART - 1, -1):
                left, right = word[:i], word[i:]
                if right not in self.known:
                    continue
                if left in self.known:
                    found = (left, right)
                elif left[-1] in "se" and left[:-1] in self.known and i - 1 >= self.MIN_PART:
                    found = (left[:-1], right)
                if found:
                    break
        stems = tuple(self.analyzer._stemmer.stemWords(list(found))) if found else ()
        self._cache[word] = stems
        return stems

    def __call__(self, text: str) -> list[str]:
        tokens = self.analyzer(text)
        for stem in list(tokens):
            tokens.extend(self.parts(stem))
        return tokens


def inside_compound(term: str, token: str) -> bool:
    """The term as a part of a written compound ("underskud" in "underskudsgaranti"), or the
    written word as the first part of the compound asked ("kontakt" of "kontaktperson")."""
    if len(term) >= MIN_LOOSE_PART and len(token) > len(term):
        return token.startswith(term) or token.endswith(term)
    return len(token) > MIN_LOOSE_PART and len(term) > len(token) and term.startswith(token)
