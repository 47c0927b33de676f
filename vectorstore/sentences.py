"""The sentences of a passage, as answers quote them and as their vectors are stored.

What a passage's quotable sentences are (`passage_sentences`) is part of the store: their
vectors are computed at ingest under `sentence_key` ids and `SENTENCES_VERSION` says when they
must be computed anew. The Danish rules it applies (the sentence splitter, absence notes, what
a decision is) are `danish.sentences` and `danish.decisions`.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache

from danish.decisions import is_decision
from danish.sentences import is_absence_note, split_sentences

# bump when `passage_sentences` changes: the next ingest embeds the sentences it lacks
SENTENCES_VERSION = "5"  # 3: table rows are sentences; 4: headings with a colon lead;
# 5: "Beslutningstema", "Beslutningen træffes af" are no decisions (split into sentences)
DECISION_WORDS = 60  # a decision up to this long is one statement, quoted whole
MIN_WORDS = 3  # shorter lines ("Generelt", "Bilag") say nothing on their own
_SECTION_PREFIX = re.compile(r"^([^:\n]{3,150}):\s+")  # a lead only when it names a section
CELL_SEPARATOR = " | "  # between a table row's cells (ingest.tables), and only there


def passage_sentences(text: str, section: str) -> list[tuple[str, str]]:
    """(section, sentence) pairs of a passage: the candidates an answer may quote.

    One answer reads a passage's sentences in three stages (rescoring, sentence meanings,
    choosing); they are split once (cached by text and section)."""
    return list(_passage_sentences(text, section))


@lru_cache(maxsize=4096)
def _passage_sentences(text: str, section: str) -> tuple[tuple[str, str], ...]:
    """See `passage_sentences`.

    Passages that merge small sections mark each with a "Heading: " lead. The lead tells the
    sentence's section, and a heading of some words ("Oplæg fra sociolog Eva Steensig") is a
    candidate of its own: in notes, headings often carry the answer. Bullet lines are lines;
    absence notes are left out. A table row ("Afsender: Naboer | Antal: 3 | Hovedtema: …",
    its cells led by the header's labels) is one statement, quoted whole; a row too long for
    one quote gives its cells' sentences instead.
    """
    sections = [s.strip() for s in section.split(" / ") if s.strip()]
    current = sections[0] if sections else ""
    out: list[tuple[str, str]] = []
    for line in text.split("\n"):
        line = line.strip()
        lead = _section_lead(line, sections)
        if lead:
            current = lead
            line = line[len(lead) + 1 :].strip()
            if len(current.split()) >= MIN_WORDS:
                out.append((current, current))
        if not line or is_absence_note(line):
            continue
        if CELL_SEPARATOR in line:
            out += [(current, row) for row in _row_sentences(line)]
            continue
        if is_decision(current) and len(line.split()) <= DECISION_WORDS:
            out.append((current, line))
            continue
        for sentence in split_sentences(line):
            if len(sentence.split()) >= MIN_WORDS:
                out.append((current, sentence))
    return tuple(out)


def _section_lead(line: str, sections: list[str]) -> str:
    """The section whose "Heading: " leads the line; the longest, since a heading may hold a
    colon itself ("Notat: Borgerhenvendelser om …")."""
    prefix = _SECTION_PREFIX.match(line)
    if prefix and prefix.group(1) in sections:
        return prefix.group(1)
    leads = [s for s in sections if ":" in s and line.startswith(f"{s}: ")]
    return max(leads, key=len, default="")


def sentence_key(sentence: str) -> str:
    """The id of a sentence's stored vector: its text's hash, so a sentence that recurs in
    many passages (an agenda and its minutes) is stored and embedded once."""
    return hashlib.blake2b(sentence.encode("utf-8"), digest_size=12).hexdigest()


def _row_sentences(row: str) -> list[str]:
    """A table row as one quote, or the sentences of its cells when it is long prose."""
    if len(row.split()) <= DECISION_WORDS:
        return [row] if len(row.split()) >= MIN_WORDS and re.search(r"[^\W\d_]", row) else []
    return [
        sentence
        for cell in row.split(CELL_SEPARATOR)
        for sentence in split_sentences(cell)
        if len(sentence.split()) >= MIN_WORDS
    ]
