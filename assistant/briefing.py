"""Briefings: an ordered collection of citations with notes, exported to DOCX and Markdown.

A reference whose source has a public page (`Citation.url`) links to it: a Markdown link
`[Se på kommunens side](<url>)`, a DOCX hyperlink; a URL that is not http(s) is left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from assistant.answer import Answer, Citation
from assistant.errors import BriefingExportError
from assistant.source_text import inert
from danish.dates import danish_date
from referent_errors import os_reason
from vectorstore.records import safe_url

LINK_LABEL = "Se på kommunens side"


@dataclass
class BriefingItem:
    citation: Citation
    note: str = ""


@dataclass
class BriefingAnswer:
    """A direct answer kept in a briefing: its citation marks point at passages (chunk ids),
    renumbered as the briefing's sources stand when it is exported."""

    question: str
    direct: str
    cites: dict[int, str]  # the answer's own number → chunk id

    def text(self, numbers: dict[str, int]) -> str:
        """The direct answer with the briefing's numbers; a mark of a removed source goes."""

        def renumber(match: re.Match[str]) -> str:
            n = numbers.get(self.cites.get(int(match.group(1)), ""))
            return f"[{n}]" if n else ""

        return " ".join(_MARK.sub(renumber, self.direct).split())


_MARK = re.compile(r"\[(\d{1,3})\]")


@dataclass
class Briefing:
    title: str = "Briefing"
    items: list[BriefingItem] = field(default_factory=list)
    answers: list[BriefingAnswer] = field(default_factory=list)

    def add(self, citation: Citation, note: str = "") -> None:
        if not any(i.citation.chunk_id == citation.chunk_id for i in self.items):
            self.items.append(BriefingItem(citation, note))

    def add_answer(self, answer: Answer) -> None:
        """The answer's direct answer ("Kort svar") and its sources; an answer that asserts
        nothing (uncertain) adds only its sources: a briefing states no more than the chat."""
        for citation in answer.citations:
            self.add(citation)
        if answer.direct and not any(a.question == answer.question for a in self.answers):
            cites = {c.n: c.chunk_id for c in answer.citations}
            self.answers.append(BriefingAnswer(answer.question, answer.direct, cites))

    def short_answers(self) -> list[tuple[str, str]]:
        """(question, direct answer) with the sources' current numbers."""
        numbers = {item.citation.chunk_id: n for n, item in enumerate(self.items, start=1)}
        return [(a.question, a.text(numbers)) for a in self.answers]

    def remove(self, chunk_id: str) -> None:
        self.items = [i for i in self.items if i.citation.chunk_id != chunk_id]

    def move(self, chunk_id: str, offset: int) -> None:
        index = next(i for i, it in enumerate(self.items) if it.citation.chunk_id == chunk_id)
        target = max(0, min(len(self.items) - 1, index + offset))
        self.items.insert(target, self.items.pop(index))

    def summary(self) -> list[str]:
        """The summary: each cited sentence once, a line of its own (never several joined
        into one), numbered as in the list below it; the sentence's own marks and tags made
        inert, so each [n] is the briefing's own."""
        return [
            f"{inert(sentence)} [{n}]"
            for n, item in enumerate(self.items, start=1)
            for sentence in item.citation.sentences()
        ]

    # -- exports -------------------------------------------------------------------------------

    def to_markdown(self) -> str:
        lines = [f"# {self.title}", "", f"Udarbejdet {danish_date(date.today().isoformat())}."]
        if self.answers:
            lines += ["", "## Korte svar", ""]
            for question, direct in self.short_answers():
                lines += [f"**{question}**", "", direct, ""]
        if self.items:
            lines += ["", "## Sammenfatning", ""]
            lines += [f"- {s}" for s in self.summary()]
            lines += ["", "## Kilder", ""]
        for n, item in enumerate(self.items, start=1):
            c = item.citation
            lines.append(f"### [{n}] {c.item_title or c.title}")
            lines.append("")
            lines += [f"> {para}" for para in c.text.split("\n") if para.strip()]
            lines.append("")
            if item.note:
                lines += [f"*Note:* {item.note}", ""]
            lines += [f"[{n}] {c.reference()}", ""]
            if url := safe_url(c.url):  # percent-encoded: nothing in it ends the link
                lines += [f"[{LINK_LABEL}](<{url}>)", ""]
        return "\n".join(lines).rstrip() + "\n"

    def _document(self):
        import docx
        from docx.shared import Pt

        document = docx.Document()
        document.core_properties.title = self.title
        document.add_heading(self.title, level=1)
        document.add_paragraph(f"Udarbejdet {danish_date(date.today().isoformat())}.")
        if self.answers:
            document.add_heading("Korte svar", level=2)
            for question, direct in self.short_answers():
                document.add_paragraph().add_run(question).bold = True
                document.add_paragraph(direct)
        if self.items:
            document.add_heading("Sammenfatning", level=2)
            for sentence in self.summary():
                document.add_paragraph(sentence, style="List Bullet")
            document.add_heading("Kilder", level=2)
        for n, item in enumerate(self.items, start=1):
            c = item.citation
            document.add_heading(f"[{n}] {c.item_title or c.title}", level=3)
            for para in c.text.split("\n"):
                if not para.strip():
                    continue
                p = document.add_paragraph(style="Quote")
                run = p.add_run(para)
                run.bold = any(part in para for part in c.sentences())  # the cited ones stand out
            if item.note:
                note = document.add_paragraph()
                note.add_run("Note: ").italic = True
                note.add_run(item.note)
            ref = document.add_paragraph()
            ref_run = ref.add_run(f"[{n}] {c.reference()}")
            ref_run.font.size = Pt(8)
            if url := safe_url(c.url):
                ref.add_run(" ").font.size = Pt(8)
                _hyperlink(ref, url, LINK_LABEL)
        return document

    def to_docx(self, path: Path) -> Path:
        path = Path(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._document().save(str(path))
        except OSError as exc:
            raise _not_saved(path, exc) from exc
        return path

    def save(self, path: Path) -> Path:
        """Markdown for a .md path, else DOCX; a path that cannot be written is a
        `BriefingExportError`."""
        path = Path(path)
        if path.suffix.lower() != ".md":
            return self.to_docx(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(self.to_markdown(), encoding="utf-8")
        except OSError as exc:
            raise _not_saved(path, exc) from exc
        return path

    def docx_bytes(self) -> bytes:
        import io

        buffer = io.BytesIO()
        self._document().save(buffer)
        return buffer.getvalue()


def _hyperlink(paragraph, url: str, text: str) -> None:
    """A clickable link in a DOCX paragraph (python-docx has no API for one): an external
    relationship to the URL and a `w:hyperlink` run in the Hyperlink style's colours."""
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    rel_id = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rel_id)
    run = OxmlElement("w:r")
    props = OxmlElement("w:rPr")
    for tag, attr, value in (("w:color", "w:val", "0563C1"), ("w:u", "w:val", "single"),
                             ("w:sz", "w:val", "16")):  # fmt: skip
        element = OxmlElement(tag)
        element.set(qn(attr), value)
        props.append(element)
    run.append(props)
    label = OxmlElement("w:t")
    label.text = text
    run.append(label)
    link.append(run)
    paragraph._p.append(link)


def _not_saved(path: Path, exc: OSError) -> BriefingExportError:
    why = os_reason(exc)
    return BriefingExportError(
        f"Cannot write the briefing to {path}: {exc}",
        user_message=f"Briefingen kunne ikke gemmes i {path}" + (f": {why}." if why else "."),
    )
