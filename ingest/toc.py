"""Tables of contents: recognised in a document's lines, kept as structure, never as text.

A table of contents repeats the item titles with page numbers; taken for text it makes passages
and section names ("Godkendelse af dagsorden.......3") that match every question about those
items. Its entries are still worth keeping: they are the document's own list of items.

What counts as a table of contents (every rule is about the layout, none about one file):

- a line with a dot leader ("....", ". . .", "…") and a trailing page number;
- a run of lines with a wide gap or tab before a trailing page number (a tab leader) whose page
  numbers never decrease and point forward (a table of counts is not a contents list);
- a contents title ("Indholdsfortegnelse", "Indhold", "Table of contents") followed by entries,
  with page numbers or as numbered titles, up to the first number that repeats (the first item);
- a list of numbered titles ("1. Godkendelse af dagsorden") whose titles come back later in the
  same document under the same numbers: the item list before the first item;
- lines a format marks as contents (Word's TOC field and styles), given by the loader.

Lines keep a tab where the layout had a wide gap (the loaders put it there).
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Sequence
from dataclasses import asdict, dataclass, field, replace

from ingest.document import Block

_TITLE = re.compile(
    r"^\s*(?:indholdsfortegnelse|indhold|indholdsoversigt|oversigt over (?:dagsordens)?punkter|"
    r"dagsordensoversigt|punktoversigt|table of contents|contents)\s*:?\s*$",
    re.IGNORECASE,
)
_LEADER = r"(?:\.{4,}|(?:\. ?){4,}|…{2,}|_{4,}|·{4,}|-{6,})"
_DOT_ENTRY = re.compile(rf"^(?P<title>.*?)\s*{_LEADER}\s*(?P<page>\d{{1,4}})\s*$")
_TAB_ENTRY = re.compile(r"^(?P<title>.*?\S)\s*\t\s*(?P<page>\d{1,4})\s*$")
_NUMBERED = re.compile(
    r"^(?:(?i:punkt|pkt\.?)\s*(?P<n1>\d{1,4})\s*[.:)–-]?|(?P<n2>\d{1,4}(?:\.\d{1,3})*)[.)]?)"
    r"\s+(?P<title>[A-ZÆØÅ0-9»\"'“„(].*)$"
)
_ITEM_LINE = re.compile(
    r"^(?:(?i:punkt|pkt\.?)\s*(?P<n1>\d{1,4})\s*[.:)–-]?|(?P<n2>\d{1,4})[.)])"
    r"\s+(?P<title>[A-ZÆØÅ»\"'“„(].*)$"
)
_SPACES = re.compile(r"[ \u00a0]+")
_TABS = re.compile(r" ?\t[\t ]*")
MAX_HEADER_WORDS = 5  # "Punkt nr. Side", "Åbent referat": column and part labels in a contents
MAX_ENTRY_WORDS = 30
MAX_LINE_CHARS = 400  # a longer line is text, whatever it holds (and is never parsed as an entry)
LONG = "\x00 long line"
MIN_TAB_RUN = 3  # tab-leader lines needed without a contents title
KEY_CHARS = 24  # a listed title and its item heading agree this far (either may wrap)


@dataclass(frozen=True)
class TocEntry:
    number: str  # "3", "2.1"; "" when the entry has none
    title: str
    page: int = 0  # 0 when the contents gives no page


@dataclass
class Toc:
    lines: set[int] = field(default_factory=set)  # indices of the lines that are contents
    entries: list[TocEntry] = field(default_factory=list)

    def metadata(self) -> str:
        """The entries as a JSON list of {number, title, page}, for `doc.metadata["toc"]`."""
        return json.dumps([asdict(e) for e in self.entries], ensure_ascii=False)


def is_toc_title(line: str) -> bool:
    return bool(_TITLE.match(line))


def has_dot_leader(text: str) -> bool:
    """Whether the text holds a dot leader: a contents line, whatever else it is."""
    return bool(re.search(_LEADER, text))


def find_toc(
    lines: Sequence[str],
    pages: Sequence[int] | None = None,
    page_count: int = 0,
    forced: Collection[int] = (),
) -> Toc:
    """The lines that form tables of contents, and their entries in order.

    `pages` gives each line's page (PDF), so tab-leader entries must point forward;
    `forced` are lines the format itself marks as contents (Word's TOC field or styles).
    """
    texts = [
        _TABS.sub("\t", _SPACES.sub(" ", line)).strip() if len(line) <= MAX_LINE_CHARS else LONG
        for line in lines
    ]
    keys = [(i, k) for i, t in enumerate(texts) if (k := _key(t))]
    toc = Toc()
    i = 0
    while i < len(texts):
        run = _run_from(texts, keys, i, pages, page_count, forced)
        if run is None:
            i += 1
            continue
        end, entries = run
        toc.lines.update(range(i, end))
        toc.entries += entries
        i = end
    return toc


def mark_toc(blocks: list[Block]) -> tuple[list[Block], Toc]:
    """The blocks with their contents lines made "toc" blocks, for loaders whose blocks keep
    the source's line breaks (plain text); a block part contents, part text is split."""
    per_block = [block.text.split("\n") for block in blocks]
    toc = find_toc([line for lines in per_block for line in lines])
    if not toc.lines:
        return blocks, toc
    out: list[Block] = []
    index = 0
    for block, lines in zip(blocks, per_block, strict=True):
        runs: list[tuple[bool, list[str]]] = []
        for line in lines:
            is_toc = index in toc.lines
            index += 1
            if not runs or runs[-1][0] != is_toc:
                runs.append((is_toc, []))
            runs[-1][1].append(line)
        for is_toc, part in runs:
            text = "\n".join(part)
            if is_toc:
                out.append(replace(block, text=text, kind="toc", level=0))
            elif text.strip():
                out.append(replace(block, text=text) if len(runs) > 1 else block)
    return out, toc


def parse_entry(text: str) -> TocEntry | None:
    """An entry from a contents line with a page number (dot or tab leader), else None."""
    text = text.strip()
    match = _DOT_ENTRY.match(text) or _TAB_ENTRY.match(text)
    if not match:
        return None
    title = " ".join(match.group("title").split())
    if not any(ch.isalpha() for ch in title) or len(title.split()) > MAX_ENTRY_WORDS:
        return None
    number, title = _split_number(title)
    return TocEntry(number, title, int(match.group("page")))


def _split_number(title: str) -> tuple[str, str]:
    match = _NUMBERED.match(title)
    if not match:
        return "", title.rstrip(" .")
    number = match.group("n1") or match.group("n2")
    return number, " ".join(match.group("title").split()).rstrip(" .")


def _numbered(text: str) -> TocEntry | None:
    """A numbered title without a page ("3. Takster 2025"), as in an item list."""
    if len(text.split()) > MAX_ENTRY_WORDS or text.endswith((",", ";")):
        return None
    match = _ITEM_LINE.match(" ".join(text.split()))
    if not match:
        return None
    return TocEntry(match.group("n1") or match.group("n2"), match.group("title").rstrip(" ."))


def _leader_kind(text: str) -> str:
    if _DOT_ENTRY.match(text) and parse_entry(text):
        return "dots"
    if "\t" in text and _TAB_ENTRY.match(text) and parse_entry(text):
        return "tab"
    return ""


def _run_from(
    texts: Sequence[str],
    keys: Sequence[tuple[int, str]],
    start: int,
    pages: Sequence[int] | None,
    page_count: int,
    forced: Collection[int],
) -> tuple[int, list[TocEntry]] | None:
    """(end, entries) of a table of contents beginning at `start`, or None."""
    first = texts[start]
    titled = bool(_TITLE.match(first))
    if not (titled or start in forced or _leader_kind(first) or _numbered(first)):
        return None
    entries: list[TocEntry] = []
    kinds: list[str] = []  # how each entry was recognised: dots | tab | forced | numbered
    numbers: set[str] = set()
    j = start + 1 if titled else start
    since_entry = 0  # non-entry lines since the last entry (headers, part labels)
    end = j
    while j < len(texts):
        text = texts[j]
        if not text:
            j += 1
            continue
        entry, kind, used = _entry_at(texts, j, forced, titled or bool(kinds))
        if entry is None:
            short = len(text.split()) <= MAX_HEADER_WORDS
            if short and since_entry < 2 and (titled or entries) and _entry_follows(texts, j):
                since_entry += 1
                j += 1
                continue
            break
        if entry.number and entry.number in numbers:
            break  # the first item itself: its number was listed already
        if kind == "numbered" and kinds and "numbered" not in kinds and not titled:
            break
        numbers.add(entry.number)
        entries.append(entry)
        kinds.append(kind)
        since_entry = 0
        j += used
        end = j
    if not entries:
        return None
    if not _credible(keys, entries, kinds, titled, start, end, pages, page_count):
        return None
    return end, entries


def _entry_at(
    texts: Sequence[str], j: int, forced: Collection[int], in_toc: bool
) -> tuple[TocEntry | None, str, int]:
    """The entry at line j (maybe wrapped onto the next line), how it was told, lines used."""
    text = texts[j]
    kind = _leader_kind(text)
    if kind:
        return parse_entry(text), kind, 1
    nxt = texts[j + 1] if j + 1 < len(texts) else ""
    # a title wrapped onto a second line that carries the leader and page number
    if nxt and _leader_kind(nxt) and not _NUMBERED.match(nxt) and len(text.split()) <= 20:
        joined = parse_entry(f"{text} {nxt}".replace(" \t", "\t"))
        if joined is not None and (in_toc or _numbered(text)):
            return joined, _leader_kind(nxt), 2
    if j in forced:
        number, title = _split_number(text.replace("\t", " "))
        return TocEntry(number, title), "forced", 1
    if in_toc or _numbered(text):
        entry = _numbered(text.replace("\t", " "))
        if entry is not None:
            return entry, "numbered", 1
    return None, "", 1


def _entry_follows(texts: Sequence[str], j: int) -> bool:
    ahead = [text for text in texts[j + 1 : j + 8] if text][:2]
    return any(_leader_kind(text) or _numbered(text) for text in ahead)


def _credible(
    keys: Sequence[tuple[int, str]],
    entries: list[TocEntry],
    kinds: list[str],
    titled: bool,
    start: int,
    end: int,
    pages: Sequence[int] | None,
    page_count: int,
) -> bool:
    """Whether a run of entries is a table of contents rather than a list or a table."""
    if "forced" in kinds or "dots" in kinds:
        return True  # a dot leader before a page number, or Word's own mark: nothing else is
    if "tab" in kinds:
        numbered = [e.page for e in entries if e.page]
        forward = pages is None or not numbered or min(numbered) >= pages[start]
        ordered = numbered == sorted(numbered)
        enough = titled or kinds.count("tab") >= MIN_TAB_RUN
        return enough and ordered and forward and _pages_fit(entries, page_count)
    # numbered titles only: a contents title over them, or their titles come back later
    if titled:
        return True
    if len(entries) < 2:
        return False
    later = {k[:KEY_CHARS] for i, k in keys if i >= end}
    relisted = sum(1 for e in entries if _key(f"{e.number}. {e.title}")[:KEY_CHARS] in later)
    return relisted >= max(2, (len(entries) * 2 + 2) // 3)


def _pages_fit(entries: list[TocEntry], page_count: int) -> bool:
    return not page_count or all(e.page <= page_count + 2 for e in entries)


def _key(text: str) -> str:
    """A numbered title compared loosely: number and the title's first words, lower-cased."""
    entry = _numbered(text.replace("\t", " "))
    if entry is None:
        return ""
    return f"{entry.number} {' '.join(entry.title.lower().split())}"
