"""A Danish sentence splitter, and the lines of minutes that are no statement.

A regex with an abbreviation list: fast enough for the whole corpus (library splitters with
Danish rules cost milliseconds per paragraph), and good enough for choosing chunk boundaries
and the sentences an answer quotes. "kr." and "pct." are not in the list: they close amounts,
and before a capital they close the sentence too ("… 5,8 mio. kr. Der er …").
"""

from __future__ import annotations

import re

# the month abbreviations here are not `danish.dates.MONTHS`' ("jun", "jul" are missing): a
# change would move sentence boundaries, and with them the stored sentence vectors
# (`vectorstore.sentences.SENTENCES_VERSION`)
ABBREVIATIONS = {
    "bl.a", "f.eks", "jf", "mio", "mia", "nr", "ca", "pkt", "stk", "mv", "m.m", "dvs",
    "evt", "inkl", "ekskl", "vedr", "iflg", "ift", "pga", "mht", "hhv", "osv", "kl", "tlf",
    "fx", "s", "d", "dec", "jan", "feb", "mar", "apr", "aug", "sep", "sept", "okt",
    "nov", "ref", "adm", "afd", "pr", "m.fl", "t.o.m", "f.o.m", "o.l", "el", "vejl",
    "bek", "lbk", "ff", "jr", "hr", "fru", "dr", "prof", "ang", "red",
}  # fmt: skip
_CANDIDATE = re.compile(r"([.!?…]+[\"”’)]*)\s+(?=[\"“”(]?[A-ZÆØÅ0-9•])")
# who was not there ("Fraværende: …", "Afbud fra …"): a note in minutes, not a statement
ABSENCE_NOTE = re.compile(r"^\s*(fraværende|ikke til stede|afbud)\b", re.IGNORECASE)


def split_sentences(text: str) -> list[str]:
    sentences: list[str] = []
    start = 0
    for match in _CANDIDATE.finditer(text):
        end = match.end(1)
        before = text[start:end]
        word = re.search(r"([\w.]+)\.$", before)
        if match.group(1) == "." and word:
            token = word.group(1).lower()
            if token in ABBREVIATIONS or re.fullmatch(r"\d{1,2}", token) or len(token) == 1:
                continue  # "f.eks.", "kr.", "5. december", "A."
        sentences.append(text[start:end].strip())
        start = match.end()
    tail = text[start:].strip()
    if tail:
        sentences.append(tail)
    return sentences


def is_absence_note(line: str) -> bool:
    return bool(ABSENCE_NOTE.match(line))
