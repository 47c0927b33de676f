"""Briefings from real answers: DOCX (read back with python-docx) and Markdown."""

from datetime import date

import docx
import pytest

from assistant.assistant import Assistant
from assistant.briefing import Briefing
from assistant.errors import BriefingExportError
from assistant.retrieve import Retriever


@pytest.fixture
def briefing(example_searcher):
    assistant = Assistant(Retriever(example_searcher[0]), today=date(2025, 11, 1))
    answer = assistant.ask("Hvad har byrådet besluttet om varmen i skolerne?")
    doc = Briefing(title="Varmen i skolerne")
    for citation in answer.citations:
        doc.add(citation)
    doc.add(answer.citations[0])  # adding twice keeps one
    assert len(doc.items) == len(answer.citations) >= 2
    doc.items[0].note = "Til borgmesterens orientering."
    return doc


def test_docx_has_heading_summary_quotes_and_references(briefing, tmp_path):
    path = briefing.to_docx(tmp_path / "ud" / "briefing.docx")
    document = docx.Document(str(path))
    paragraphs = [(p.style.name, p.text) for p in document.paragraphs]
    texts = [t for _, t in paragraphs]
    assert texts[0] == "Varmen i skolerne"
    assert "Sammenfatning" in texts and "Kilder" in texts
    first = briefing.items[0].citation
    bullets = [t for style, t in paragraphs if style == "List Bullet"]
    # each quoted sentence a bullet of its own, never several joined with " … "
    assert [t for t in bullets if t.endswith("[1]")] == [f"{s} [1]" for s in first.sentences()]
    assert not any(" … " in t for t in bullets)
    quoted = [t for style, t in paragraphs if style == "Quote"]
    for part in first.sentences():  # every quoted sentence is in the passage shown
        assert any(part in t for t in quoted)
    references = [t for t in texts if t.startswith("[1] «")]
    assert references and "24. marts 2025" in references[0] and "sag 24-018452" in references[0]
    assert "Til borgmesterens orientering." in " ".join(texts)
    assert briefing.docx_bytes()[:2] == b"PK"


def test_markdown_reorder_and_remove(briefing):
    order = [i.citation for i in briefing.items]
    second = briefing.items[1].citation
    briefing.move(second.chunk_id, -1)
    assert briefing.items[0].citation is second
    md = briefing.to_markdown()
    assert md.startswith("# Varmen i skolerne")
    assert "## Sammenfatning" in md and f"[1] {second.reference()}" in md
    briefing.remove(second.chunk_id)
    assert [i.citation for i in briefing.items] == [order[0], *order[2:]]
    assert briefing.items[0].note == "Til borgmesterens orientering."


def test_unwritable_path_is_a_clear_error(briefing, tmp_path):
    blocker = tmp_path / "fil"
    blocker.write_text("x")
    with pytest.raises(BriefingExportError) as refused:
        briefing.to_docx(blocker / "briefing.docx")
    assert refused.value.user_message == f"Briefingen kunne ikke gemmes i {blocker}/briefing.docx."
    assert str(refused.value).startswith(f"Cannot write the briefing to {blocker}/briefing.docx")
    for name in ("briefing.docx", "briefing.md"):  # DOCX and Markdown alike
        with pytest.raises(BriefingExportError) as refused:
            briefing.save(blocker / "mappe" / name)
        assert refused.value.user_message == (
            f"Briefingen kunne ikke gemmes i {blocker}/mappe/{name}: en del af stien er en fil, "
            "ikke en mappe."
        )


def test_a_short_answer_keeps_its_sources_numbers_as_the_briefing_changes(example_searcher):
    assistant = Assistant(Retriever(example_searcher[0]), today=date(2025, 11, 1))
    answer = assistant.ask("Hvad har byrådet besluttet om varmen i skolerne?")
    assert answer.confidence == "answered" and answer.direct.endswith("[1]")
    doc = Briefing(title="Varmen")
    doc.add(answer.citations[-1])  # a source added by hand first: the answer's [1] is second
    doc.add_answer(answer)
    ((question, direct),) = doc.short_answers()
    assert question == answer.question and direct.endswith("[2]")
    assert direct.removesuffix(" [2]") == answer.direct.removesuffix(" [1]")
    markdown = doc.to_markdown()
    assert "## Korte svar" in markdown and direct in markdown
    doc.remove(answer.citations[0].chunk_id)  # its source removed: the mark goes, not a wrong one
    assert not doc.short_answers()[0][1].endswith("]")
    uncertain = Briefing()
    answer.direct = ""
    uncertain.add_answer(answer)
    assert not uncertain.answers and uncertain.items, "an uncertain answer adds only sources"


def test_a_citation_of_several_sentences_is_summarised_a_sentence_a_line():
    from assistant.answer import Citation

    citation = Citation(1, "c1", "a.txt", "Byrådet godkendte planen.", "…")
    citation.add_quote("Udgiften er 2 mio. kr.")
    citation.add_quote("Byrådet godkendte planen.")  # once
    doc = Briefing(title="Plan")
    doc.add(citation)
    assert doc.summary() == ["Byrådet godkendte planen. [1]", "Udgiften er 2 mio. kr. [1]"]
    assert "- Udgiften er 2 mio. kr. [1]" in doc.to_markdown()
