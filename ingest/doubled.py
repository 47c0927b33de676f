"""Doubled text runs: a line a PDF drew twice (for bold or a shadow) read back once.

The PDF loader drops a span drawn again over itself (same text, overlapping box), which is the
robust way. What slips through (the two layers cut into different spans, or drawn one after the
other on the line) is caught here, on the text of one line, only when the doubling is the whole
line: "Godkendelse af dagsorden Godkendelse af dagsorden", every word twice ("Beslutning
Beslutning", "Takster Takster 2025 2025") or every character twice ("BBeesslluuttnniinngg").
A phrase repeated inside running text ("meget, meget") is left alone.
"""

from __future__ import annotations

MIN_RUN_WORDS = 3  # a whole line of a run this long said twice is doubled text, never wording
MIN_LETTERS = 4  # shorter: "Beslutning Beslutning" is doubled, "ja ja" may be wording


def collapse_doubled(line: str) -> str:
    """The line once, when the whole line is a doubled run; else the line unchanged."""
    words = line.split()
    n = len(words)
    if n >= 2 and n % 2 == 0 and words[: n // 2] == words[n // 2 :]:
        half = words[: n // 2]
        letters = sum(ch.isalpha() for word in half for ch in word)
        if len(half) >= MIN_RUN_WORDS or letters >= MIN_LETTERS:
            return " ".join(half)
    if n >= 4 and n % 2 == 0 and all(words[i] == words[i + 1] for i in range(0, n, 2)):
        pairs = words[::2]
        if len(set(pairs)) >= 2 and any(sum(ch.isalpha() for ch in w) >= 3 for w in pairs):
            return " ".join(pairs)
    compact = line.strip()
    if (
        len(compact) >= 8
        and len(compact) % 2 == 0
        and compact[::2] == compact[1::2]
        and sum(ch.isalpha() for ch in compact) >= 6
    ):
        return compact[::2]
    return line
