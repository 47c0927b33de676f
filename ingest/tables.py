"""Table rows as self-contained statements: each cell led by its column's header.

Loaders give a table as one row per line, cells joined by " | " (an empty cell stays an empty
position, so columns line up). A row read alone ("Forældre til elever | 6 | For høj fart")
does not say what its numbers and words are; with the header row's labels it does
("Afsender: Forældre til elever | Antal: 6 | Hovedtema: For høj fart"), so each row can be
found, embedded and quoted on its own, also when a long table is cut between passages.

The header is the first row of two or more cells (after single-cell caption rows such as
"Tabel 1: …") whose cells are all short labels: a letter in each (a year such as "2025" also
counts: budget tables head their columns with years), none longer than `MAX_LABEL_WORDS` and
none opening with a date (a timeline's first row is an event).
A row of data nearly always has a number or a long text, so a table without a header row keeps
its rows as they are. A row with one cell more than the header has a row label in its first
cell (the header leaves that column blank); a row whose cells do not line up with the header
(merged cells) is kept unlabelled rather than mislabelled. Rows keep " | " between cells:
`vectorstore.sentences` recognises a row by it and quotes the row whole.
"""

from __future__ import annotations

import re

from danish.dates import MONTH_PATTERN

CELL_SEPARATOR = " | "
MAX_LABEL_WORDS = 8  # a longer cell is a statement, not a column label
_YEAR = re.compile(r"^(?:19|20)\d\d$")
# a cell that opens with a date ("15. januar", "24/1-22") is a row of a timeline, not a label
_DATE_FIRST = re.compile(rf"^\d{{1,2}}\.?\s*(?:{MONTH_PATTERN})\b|^\d{{1,2}}[/.-]\d{{1,2}}\b", re.I)
_LETTER = re.compile(r"[^\W\d_]")


def row_cells(row: str) -> list[str]:
    """The cells of a row line, empty positions included."""
    return [cell.strip() for cell in row.split("|")]


def join_cells(cells: list[str]) -> str:
    return CELL_SEPARATOR.join(c for c in cells if c)


def label_table(text: str) -> str:
    """The table's rows with the header's labels on their cells; the header row itself is
    dropped when it labels rows (every row then says it), kept otherwise."""
    rows = [row_cells(line) for line in text.split("\n") if line.strip()]
    at = _header_index(rows)
    if at is None:
        return "\n".join(join_cells(cells) for cells in rows)
    labels = [label.rstrip(":").strip() for label in rows[at]]
    out = [join_cells(cells) for cells in rows[:at]]  # captions above the header
    body = [_labelled(labels, cells) for cells in rows[at + 1 :]]
    if not any(labelled for labelled, _ in body):
        out.append(join_cells(rows[at]))  # nothing it could label: it is a line of its own
    out += [line for _, line in body]
    return "\n".join(line for line in out if line)


def _header_index(rows: list[list[str]]) -> int | None:
    for index, cells in enumerate(rows[:-1]):
        filled = [c for c in cells if c]
        if len(filled) < 2:
            continue  # a caption ("Tabel 1: Høringssvar") or a blank row
        return index if all(_is_label(c) for c in filled) else None
    return None


def _is_label(cell: str) -> bool:
    if len(cell.split()) > MAX_LABEL_WORDS or _DATE_FIRST.match(cell):
        return False
    return bool(_LETTER.search(cell) or _YEAR.match(cell))


def _labelled(labels: list[str], cells: list[str]) -> tuple[bool, str]:
    """(whether the header labels it, the row line)."""
    if len(cells) == len(labels) + 1 and cells[0]:  # a row label under a blank header cell
        stub, cells = cells[0], cells[1:]
    elif len(cells) == len(labels):
        stub = ""
    else:
        return False, join_cells(cells)
    parts = [
        f"{label}: {cell}" if label else cell
        for label, cell in zip(labels, cells, strict=True)
        if cell
    ]
    return True, join_cells([stub, *parts])
