"""Plain questions on a store holding one note (the seeds' theme-meeting note, two renditions):
answered by meaning, not by whether each word of the question is in the note."""

import shutil

import pytest

from assistant.assistant import Assistant
from assistant.retrieve import Retriever
from ingest.pipeline import Ingestor
from tests.stores import searcher_for


@pytest.fixture
def note_assistant(make_store, shared_corpus, tmp_path):
    docs = tmp_path / "seeds"
    shutil.copytree(shared_corpus / "seeds", docs)
    store, catalog = make_store()
    report = Ingestor(store, catalog).run([docs])
    assert report.documents == 1 and store.sentences_complete()
    searcher = searcher_for(store, tmp_path / "bm25")
    return Assistant(Retriever(searcher))


def test_who_is_answered_from_a_heading(note_assistant):
    answer = note_assistant.ask("Hvem holdt oplæg på temamødet om integration?")
    assert not answer.declined
    # the heading names who, as the label of the sentence under it (in the direct answer when
    # it is asserted, else among the evidence), never glued into another sentence
    assert "«Oplæg fra sociolog Eva Steensig»: Eva gav os et billede" in answer.text, answer.text
    assert answer.text.count("Oplæg fra sociolog Eva Steensig") == 1


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Skal der laves særlige indsatser kun for målgruppen?", "ikke være særlige"),
        ("Hvad blev der sagt om børn og unges danskkundskaber?", "alderssvarende"),
        ("Hvorfor mente økonomiudvalget, at målgruppen var for bred?", "ramte for bredt"),
    ],
)
def test_plain_questions_whose_words_the_note_lacks(note_assistant, question, expected):
    answer = note_assistant.ask(question)
    assert not answer.declined, answer.signals
    assert expected in answer.text
    # cited from the text rendition only: the PDF rendition (001_) is its alternate, not indexed
    assert answer.citations
    assert {c.source for c in answer.citations} == {"000_45d4e5fde29ee43a.txt"}
    assert any(expected in c.text for c in answer.citations), "the answer's words are cited"


@pytest.mark.parametrize(
    "question",
    ["Hvad koster en ny hundeskov?", "Hvornår åbner den nye svømmehal?",
     "Hvad mener kommunen om parkering ved stationen?"],
)  # fmt: skip
def test_questions_the_note_does_not_answer_are_declined(note_assistant, question):
    answer = note_assistant.ask(question)
    assert answer.declined and not answer.citations, answer.text
