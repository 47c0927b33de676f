"""A corpus of layouts written at test time: minutes PDFs and DOCX files as agenda systems print.

The real documents in ../shared/corpus are few and may not be copied here; these generators
reproduce the layouts that matter for structure (PyMuPDF and python-docx, no other tools):

- `minutes_pdf`: a council's full minutes. A front page ("REFERAT", the council, "Mødedato:"
  with its value set apart in a second column), a table of contents (dot leaders, tab leaders
  or a bare item list), items as numbered headings ("1. Godkendelse af dagsorden" or "Punkt 2:
  …") with a case line and sections ("Indstilling", "Sagsfremstilling", "Beslutning"), a running
  header with the meeting's name and date and "Side N af M", a footer, and, on request, text
  drawn twice (bold by overprinting, offset by a fraction of a point).
- `repeated_heading_pdf`: a policy whose pages open with the same heading over its text: not
  furniture. `numbers_table_pdf`: label–number rows with wide gaps: not a table of contents.
- `minutes_docx`: the same minutes as Word writes them, its contents as a TOC field, a content
  control, or typed by hand under "Indholdsfortegnelse".

Other tests may reuse these: every generator writes into the given path and returns it.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from pathlib import Path

MEETING = "Byrådet"
DATE_TEXT = "Mandag d. 24. marts 2025"
HEADER = "REFERAT Byrådet d. 24. marts 2025"
FOOTER = "Lindbæk Kommune, Rådhustorvet 1, 4000 Lindbæk"
PAGE_WIDTH, PAGE_HEIGHT = 595, 842
LEFT, RIGHT, TOP, BOTTOM = 72, 523, 110, 760


@dataclass(frozen=True)
class Item:
    number: str
    title: str
    case: str
    sections: tuple[tuple[str, str], ...]  # (section name, its text)

    @property
    def words(self) -> str:
        """Words that occur only in this item's text."""
        return f"særpræg{self.number} kendetegn{self.number}"


def _text(number: str, topic: str, n: int) -> str:
    sentence = (
        f"Sagen om {topic} særpræg{number} kendetegn{number} drøftes af byrådet, som tager "
        "stilling til administrationens forslag og de økonomiske konsekvenser for kommunen."
    )
    return " ".join([sentence] * n)


def _item(number: str, title: str, case: str, topic: str, long: int) -> Item:
    return Item(
        number,
        title,
        case,
        (
            ("Sagsfremstilling", _text(number, topic, long)),
            ("Indstilling", f"Administrationen indstiller, at {topic} godkendes."),
            ("Beslutning", "Godkendt."),
        ),
    )


def many_items(n: int) -> tuple[Item, ...]:
    """n items with long titles (some wrap in a table of contents) and texts of varied length."""
    topics = ["vejbelysning", "skolebyggeri", "affaldsordning", "lokalplan", "klimatilpasning"]
    return tuple(
        _item(
            str(k),
            f"Forslag om {topics[k % 5]} i område {k} med tilhørende anlægsbevilling og "
            f"høring af borgere og foreninger{' i hele kommunen' if k % 3 == 0 else ''}",
            f"25-{k:06d}",
            f"{topics[k % 5]}{k}",
            4 + (k * 7) % 11,
        )
        for k in range(1, n + 1)
    )


ITEMS = (
    _item("1", "Godkendelse af dagsorden", "25-000101", "dagsordenen", 2),
    _item("2", "Budget 2026 - første behandling", "25-000202", "budgettet", 14),
    _item("3", "Takster for affald 2026", "25-000303", "taksterne", 9),
    _item("4", "Lokalplan for Stationsvej", "25-000404", "lokalplanen", 12),
    _item("5", "Klimaplan - status", "25-000505", "klimaplanen", 7),
    _item("6", "Meddelelser", "25-000606", "meddelelserne", 3),
)


class _Pages:
    """Writes lines top-down over pages, opening a new page when one is full."""

    def __init__(self, doc) -> None:
        self.doc = doc
        self.page = None
        self.y = 0.0
        self.new_page()

    def new_page(self) -> None:
        self.page = self.doc.new_page(width=PAGE_WIDTH, height=PAGE_HEIGHT)
        self.y = TOP

    def line(self, text: str, size: float = 10, bold: bool = False, x: float = LEFT,
             doubled: bool = False, gap: float = 1.45) -> None:  # fmt: skip
        if self.y + size * gap > BOTTOM:
            self.new_page()
        self.y += size * gap
        font = "hebo" if bold else "helv"
        self.page.insert_text((x, self.y), text, fontsize=size, fontname=font)
        if doubled:  # bold by overprinting: the same run again, a fraction of a point off
            self.page.insert_text((x + 0.3, self.y + 0.2), text, fontsize=size, fontname=font)

    def beside(self, x: float, text: str, size: float = 10, bold: bool = False) -> None:
        """Text on the current line, in another column."""
        self.page.insert_text((x, self.y), text, fontsize=size, fontname="hebo" if bold else "helv")

    def paragraph(self, text: str, size: float = 10) -> None:
        for line in textwrap.wrap(text, 88):
            self.line(line, size)
        self.y += size * 0.6


def minutes_pdf(
    path: Path,
    *,
    toc: str = "dots",  # dots | tabs | list | none
    items: tuple[Item, ...] = ITEMS,
    doubled: bool = True,
    label: str = "inline",  # "REFERAT … Side 3 af 9" | "right": apart on the header's line |
    # "footer": at the foot of the page
    punkt_style: bool = False,  # "Punkt 2: …" headings instead of "2. …"
    page_per_item: bool = True,  # else items run on, each where the last one ended
) -> Path:
    """A council's full minutes as agenda systems print them; see the module's description."""
    import pymupdf

    doc = pymupdf.open()
    pages = _Pages(doc)
    pages.line("REFERAT", 24, bold=True)
    pages.line(MEETING, 16, bold=True, gap=1.8)
    pages.y += 12
    for label, value in (
        ("Mødedato:", DATE_TEXT),
        ("Mødetidspunkt:", "17:00"),
        ("Mødested:", "Byrådssalen, Lindbæk Rådhus"),
        ("Medlemmer:", "Karen Holm (A), Jens Friis (V), Rikke Lund (F)"),
    ):
        pages.line(label, 10, bold=True)
        pages.beside(LEFT + 110, value)
    heading = (lambda it: f"Punkt {it.number}: {it.title}") if punkt_style else None
    heading = heading or (lambda it: f"{it.number}. {it.title}")
    if toc != "none":
        pages.y += 30
        if toc != "list":
            pages.line("Indholdsfortegnelse", 14, bold=True, gap=2)
        for n, item in enumerate(items):
            page_ref = str(3 + n)
            if toc == "dots":
                entry = f"{heading(item)} "
                if len(entry) > 70:  # a long title wraps; the leader ends its last line
                    cut = entry.rfind(" ", 0, 70)
                    pages.line(entry[:cut], 10, bold=True)
                    entry = entry[cut + 1 :]
                dots = "." * max(4, int((RIGHT - 40 - LEFT - len(entry) * 5.6) / 2.8))
                pages.line(entry + dots, 10, bold=True)
                pages.beside(RIGHT - 12, page_ref, bold=True)
            elif toc == "tabs":
                pages.line(f"{item.number}.", 10)
                pages.beside(LEFT + 30, item.title)
                pages.beside(RIGHT - 12, page_ref)
            else:
                pages.line(heading(item), 11)
    for n, item in enumerate(items):
        if page_per_item or n == 0:
            pages.new_page()
        else:
            pages.y += 20
        for part in textwrap.wrap(heading(item), 60):
            pages.line(part, 14, bold=True, doubled=doubled)
        pages.line(f"Sagsnr.: {item.case}", 9)
        for name, text in item.sections:
            pages.y += 6
            pages.line(name, 11, bold=True, doubled=doubled and name == "Beslutning")
            pages.paragraph(text)
    if doubled:  # a PDF that writes a line's text twice into one string
        pages.line("Godkendelse af dagsorden Godkendelse af dagsorden", 11, bold=True)
        pages.paragraph("Dagsordenen blev godkendt uden bemærkninger fra medlemmerne.")
    total = doc.page_count
    for number, page in enumerate(doc, start=1):
        text = f"Side {number} af {total}"
        if label == "inline":
            page.insert_text((LEFT, 50), f"{HEADER} {text}", fontsize=9, fontname="helv")
        else:
            page.insert_text((LEFT, 50), HEADER, fontsize=9, fontname="helv")
            at = (RIGHT - 50, 50) if label == "right" else (RIGHT - 50, 810)
            page.insert_text(at, text, fontsize=8, fontname="helv")
        page.insert_text((LEFT, 800), FOOTER, fontsize=8, fontname="helv")
    doc.save(path)
    doc.close()
    return path


def repeated_heading_pdf(path: Path, pages_n: int = 6) -> Path:
    """A policy whose every page opens with the same heading and its text: content, not
    furniture; with a running header of its own, which is furniture."""
    import pymupdf

    doc = pymupdf.open()
    for n in range(pages_n):
        page = doc.new_page(width=PAGE_WIDTH, height=PAGE_HEIGHT)
        page.insert_text((LEFT, 50), "Politik for Kultur og Fritid", fontsize=9, fontname="helv")
        y = TOP
        page.insert_text((LEFT, y), "Vi vil:", fontsize=11, fontname="hebo")
        for k in range(20):
            y += 15
            page.insert_text(
                (LEFT + 20, y),
                f"- styrke indsats {n}-{k} for foreninger, frivillige og kulturlivet i kommunen",
                fontsize=10,
                fontname="helv",
            )
    doc.save(path)
    doc.close()
    return path


def numbers_table_pdf(path: Path) -> Path:
    """Label–number rows with a wide gap before the number: a table, not contents."""
    import pymupdf

    doc = pymupdf.open()
    page = doc.new_page(width=PAGE_WIDTH, height=PAGE_HEIGHT)
    page.insert_text((LEFT, TOP), "Nøgletal for dagtilbud", fontsize=14, fontname="hebo")
    y = TOP + 20
    for label, value in (
        ("Antal pladser i vuggestuer", "120"),
        ("Antal pladser i børnehaver", "45"),
        ("Antal dagplejere", "87"),
        ("Antal ansatte pædagoger", "12"),
    ):
        y += 16
        page.insert_text((LEFT, y), label, fontsize=10, fontname="helv")
        page.insert_text((RIGHT - 20, y), value, fontsize=10, fontname="helv")
    y += 30
    page.insert_text(
        (LEFT, y), "Tallene er opgjort pr. 1. januar 2025.", fontsize=10, fontname="helv"
    )
    doc.save(path)
    doc.close()
    return path


def minutes_docx(path: Path, *, toc: str = "field", items: tuple[Item, ...] = ITEMS) -> Path:
    """The minutes as Word writes them; `toc` is "field" (a TOC field with toc styles), "sdt"
    (the field inside a Table of Contents content control) or "plain" (typed by hand)."""
    import docx
    from docx.enum.style import WD_STYLE_TYPE

    document = docx.Document()
    cover = document.add_table(rows=3, cols=1)
    for row, text in zip(cover.rows, ("Referat", MEETING, DATE_TEXT), strict=True):
        row.cells[0].text = text
    document.add_paragraph("Indholdsfortegnelse", style="Heading 1" if toc == "plain" else None)
    if toc != "plain":
        style = document.styles.add_style("toc 1", WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = document.styles["Normal"]
    entries = []
    for n, item in enumerate(items):
        paragraph = document.add_paragraph(style=None if toc == "plain" else "toc 1")
        if toc != "plain" and n == 0:
            _field(paragraph, "begin", 'TOC \\o "1-1" \\h \\z \\u')
        paragraph.add_run(f"{item.number}. {item.title}\t{3 + n}")
        entries.append(paragraph)
    if toc != "plain":
        end = document.add_paragraph()
        _field(end, "end")
        entries.append(end)
    if toc == "sdt":
        _into_content_control(entries)
    for item in items:
        document.add_heading(f"{item.number}. {item.title}", level=1)
        document.add_paragraph(f"Sagsnr.: {item.case}")
        for name, text in item.sections:
            document.add_heading(name, level=2)
            document.add_paragraph(text)
    document.save(path)
    return path


def _field(paragraph, kind: str, instruction: str = "") -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def run_with(tag: str, **attrs: str):
        run = paragraph.add_run()
        element = OxmlElement(tag)
        for name, value in attrs.items():
            element.set(qn(name), value)
        run._r.append(element)
        return element

    if kind == "begin":
        run_with("w:fldChar", **{"w:fldCharType": "begin"})
        run_with("w:instrText").text = instruction
        run_with("w:fldChar", **{"w:fldCharType": "separate"})
    else:
        run_with("w:fldChar", **{"w:fldCharType": "end"})


def _into_content_control(paragraphs) -> None:
    """Moves the paragraphs into a Table of Contents content control (w:sdt), as Word does."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    sdt = OxmlElement("w:sdt")
    properties = OxmlElement("w:sdtPr")
    part = OxmlElement("w:docPartObj")
    gallery = OxmlElement("w:docPartGallery")
    gallery.set(qn("w:val"), "Table of Contents")
    part.append(gallery)
    properties.append(part)
    content = OxmlElement("w:sdtContent")
    sdt.append(properties)
    sdt.append(content)
    first = paragraphs[0]._p
    first.addprevious(sdt)
    for paragraph in paragraphs:
        content.append(paragraph._p)
