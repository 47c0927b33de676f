"""Briefings: an ordered collection of citations with notes, exported to DOCX and Markdown."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from assistant.answer import Citation, danish_date
from assistant.errors import BriefingExportError
from assistant.source_text import inert


@dataclass
class BriefingItem:
    citation: Citation
    note: str = ""


@dataclass
class Briefing:
    title: str = "Briefing"
    items: list[BriefingItem] = field(default_factory=list)

    def add(self, citation: Citation, note: str = "") -> None:
        if not any(i.citation.chunk_id == citation.chunk_id for i in self.items):
            self.items.append(BriefingItem(citation, note))

    def remove(self, chunk_id: str) -> None:
        self.items = [i for i in self.items if i.citation.chunk_id != chunk_id]

    def move(self, chunk_id: str, offset: int) -> None:
        index = next(i for i, it in enumerate(self.items) if it.citation.chunk_id == chunk_id)
        target = max(0, min(len(self.items) - 1, index + offset))
        self.items.insert(target, self.items.pop(index))

    def summary(self) -> list[str]:
        """The summary: each cited sentence once, numbered as in the list below it; the
        sentence's own marks and tags made inert, so each [n] is the briefing's own."""
        return [f"{inert(item.citation.quote)} [{n}]" for n, item in enumerate(self.items, start=1)]

    # -- exports -------------------------------------------------------------------------------

    def to_markdown(self) -> str:
        lines = [f"# {self.title}", "", f"Udarbejdet {danish_date(date.today().isoformat())}."]
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
        return "\n".join(lines).rstrip() + "\n"

    def _document(self):
        import docx
        from docx.shared import Pt

        document = docx.Document()
        document.core_properties.title = self.title
        document.add_heading(self.title, level=1)
        document.add_paragraph(f"Udarbejdet {danish_date(date.today().isoformat())}.")
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
                # the cited sentences stand out (a quote of several joins them with " … ")
                run.bold = any(part in para for part in c.quote.split(" … "))
            if item.note:
                note = document.add_paragraph()
                note.add_run("Note: ").italic = True
                note.add_run(item.note)
            ref = document.add_paragraph()
            ref_run = ref.add_run(f"[{n}] {c.reference()}")
            ref_run.font.size = Pt(8)
        return document

    def to_docx(self, path: Path) -> Path:
        path = Path(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._document().save(str(path))
        except OSError as exc:
            raise BriefingExportError(f"Briefingen kunne ikke gemmes i {path}: {exc}") from exc
        return path

    def docx_bytes(self) -> bytes:
        import io

        buffer = io.BytesIO()
        self._document().save(buffer)
        return buffer.getvalue()
