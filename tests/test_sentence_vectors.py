"""Sentence candidates, and their vectors stored once at ingest (real embedder, real Chroma)."""

import numpy as np
import pytest

from ingest.pipeline import Ingestor
from vectorstore.chroma import ChromaStore, open_client
from vectorstore.sentences import passage_sentences, sentence_key

NOTE = """Opsamling på temamøde om trafik den 3. marts 2021

Nedenfor er en kort opsamling af pointer fra temamødet om trafik i kommunen.

Oplæg fra trafikplanlægger Anne Holm

Anne viste, hvordan biltrafikken er vokset i de seneste ti år, og hvad det betyder for skolevejene.

Drøftelse af indsatser

- Flere cykelstier langs de store veje.
- Lavere hastighed ved skolerne i hele kommunen.
"""

OTHER = """Notat om affald

Kommunen indfører sortering af madaffald i alle boliger fra næste år.
Det sker, fordi loven kræver det.
"""


def test_headings_are_candidates_and_leads_name_their_section():
    text = (
        "Opsamling på mødet den 3. december 2019: Nedenfor er en kort opsamling.\n"
        "Oplæg fra sociolog Eva Steensig: Eva gav os et billede af virkeligheden.\n"
        "Generelt: Ønske om mål, der styres efter.\n"
        "Fraværende: Anders And\n"
        "Navn: Jens Hansen | Beløb: 5.000 kr. | Dato: 3. maj 2019"
    )
    section = "Opsamling på mødet den 3. december 2019 / Oplæg fra sociolog Eva Steensig / Generelt"
    pairs = passage_sentences(text, section)
    assert ("Oplæg fra sociolog Eva Steensig", "Oplæg fra sociolog Eva Steensig") in pairs
    assert ("Oplæg fra sociolog Eva Steensig", "Eva gav os et billede af virkeligheden.") in pairs
    # a lead with digits and dots is stripped too; a one-word heading is no candidate
    assert ("Opsamling på mødet den 3. december 2019", "Nedenfor er en kort opsamling.") in pairs
    assert ("Generelt", "Generelt") not in pairs
    assert ("Generelt", "Ønske om mål, der styres efter.") in pairs
    assert not any("Anders" in s for _, s in pairs)
    # a table row (ingest.tables labels its cells) is one candidate, whole
    assert ("Generelt", "Navn: Jens Hansen | Beløb: 5.000 kr. | Dato: 3. maj 2019") in pairs


def test_a_short_decision_is_one_candidate():
    pairs = passage_sentences("Godkendt. Dog skal sagen forelægges igen i maj.", "Beslutning")
    assert pairs == [("Beslutning", "Godkendt. Dog skal sagen forelægges igen i maj.")]


@pytest.fixture
def notes(tmp_path):
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "trafik.txt").write_text(NOTE, encoding="utf-8")
    (folder / "affald.txt").write_text(OTHER, encoding="utf-8")
    return folder


def stored_keys(store: ChromaStore) -> set[str]:
    return set(store.sentences.collection.get(include=[])["ids"])


def needed_keys(store: ChromaStore) -> set[str]:
    return {
        sentence_key(s)
        for p, _ in store.iter_passages()
        for _, s in passage_sentences(p.text, p.metadata.section)
    }


def test_ingest_stores_each_sentence_vector_once_and_sweeps_orphans(make_store, notes, embedder):
    store, catalog = make_store()
    ingestor = Ingestor(store, catalog)
    first = ingestor.run([notes])
    assert not first.failed and store.sentences_complete()
    assert stored_keys(store) == needed_keys(store)
    assert first.sentences_embedded == len(needed_keys(store)) > 5

    heading = "Oplæg fra trafikplanlægger Anne Holm"
    vector = store.sentences.vectors([sentence_key(heading)])[sentence_key(heading)]
    assert float(vector @ embedder.embed_passages([heading])[0]) > 0.999

    second = ingestor.run([notes])
    assert second.sentences_embedded == 0  # nothing new: nothing embedded

    (notes / "trafik.txt").write_text(NOTE.replace("Flere cykelstier", "Bredere fortove"))
    third = ingestor.run([notes])
    assert third.sentences_embedded == 1  # only the changed bullet line
    (notes / "affald.txt").unlink()
    ingestor.run([notes], prune=True)
    assert stored_keys(store) == needed_keys(store)  # the gone note's sentences are swept
    assert sentence_key("Det sker, fordi loven kræver det.") not in stored_keys(store)


def test_a_store_from_before_sentence_vectors_is_completed_on_the_next_run(
    make_store, notes, tmp_path
):
    store, catalog = make_store()
    Ingestor(store, catalog).run([notes])
    # as a store built before sentence vectors: no sentence collection, no marker
    store.client.delete_collection(store.sentences.name)
    meta = dict(store.collection.metadata)
    meta.pop("sentences")
    store.collection.modify(metadata=meta)

    reopened = ChromaStore(open_client(tmp_path / "store"), store.embedder, create=False)
    assert reopened.sentences.vectors(needed_keys(store)) == {}  # readers do without

    store, catalog = make_store()  # what `referent ingest` opens
    report = Ingestor(store, catalog).run([notes])
    assert {f.status for f in report.files} == {"unchanged"}
    assert report.sentences_embedded == len(needed_keys(store))
    assert store.sentences_complete() and stored_keys(store) == needed_keys(store)


def test_vectors_of_unknown_keys_are_left_out(make_store):
    store, _ = make_store()
    keys = ["a" * 24, "b" * 24]
    store.sentences.add(keys[:1], ["Én sætning med ord."], np.ones((1, 384), dtype=np.float32))
    assert list(store.sentences.vectors(keys)) == keys[:1]
    assert store.sentences.missing(keys) == keys[1:]
