"""The store contract: what ingest, the snapshot publisher and the orphan sweep rely on a
`PassageStore` (and its `SentenceVectorStore`) to do, as test classes any implementation runs,
the way `haystack.testing.document_store` runs one contract against every document store.

To run it against a store, subclass `PassageStoreContract` in a test module and give it
fixtures:

    class TestMyStore(PassageStoreContract):
        @pytest.fixture
        def store(self):       # an empty store whose embedder is `HashEmbedder(DIM)`
            return MyStore(HashEmbedder(DIM))

        @pytest.fixture
        def reopen(self, store):  # a second client of the same data (optional)
            return lambda: MyStore.open_again(...)

Each capability is a class of its own (`UpsertContract`, `SentenceVectorsContract`, …), so an
implementation can run a part while it is being written. The tests use the store's methods
only, never its internals: what a test checks is what a caller may rely on.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from ingest.orphans import sweep_orphans
from ingest.report import IngestReport
from ingest.sentence_index import complete, sentence_texts
from vectorstore.catalog import FileRecord
from vectorstore.protocols import Embedder, PassageStore, SentenceVectorStore
from vectorstore.records import Passage, PassageMetadata, stable_hash
from vectorstore.snapshots import SnapshotPublisher, SnapshotReader

DIM = 16  # the contract's vectors; the store under test is built with `HashEmbedder(DIM)`


# -- the data ----------------------------------------------------------------------------------


def make_passages(source: str, texts: list[str], **fields: Any) -> list[Passage]:
    """Passages of one source with every metadata field set (none left at its default, so a
    field the store drops or changes shows); `fields` overrides them for all."""
    doc = source.rsplit(".", 1)[0]
    out = []
    for i, text in enumerate(texts):
        meta = PassageMetadata(
            source=source, source_format="txt", doc_id=doc, chunk_id=stable_hash(source, str(i)),
            chunk_index=i, title=f"Referat {doc}", doc_type="referat",
            committee="Børne- og Skoleudvalget", meeting_date="2025-03-24",
            date_ordinal=739334, case_number="25/1234", item_number=str(i + 1),
            item_title="Varme i skolerne", section="Beslutning", heading_path="Punkt > Beslutning",
            page_start=i + 1, page_end=i + 2, access="internal", contact="Skoleafdelingen",
            content_hash=stable_hash(text), embed_hash=stable_hash("embed", text),
            file_hash=stable_hash("file", source),
        )  # fmt: skip
        for name, value in fields.items():
            setattr(meta, name, value)
        out.append(Passage(text=text, embed_text=f"passage: {text}", metadata=meta))
    return out


def unit_vectors(n: int, seed: int = 0) -> np.ndarray:
    rows = np.random.default_rng(seed).normal(size=(n, DIM)).astype(np.float32)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def write(store: PassageStore, passages: list[Passage], seed: int = 0) -> np.ndarray:
    vectors = unit_vectors(len(passages), seed)
    store.upsert(passages, vectors)
    return vectors


SCHOOLS = [
    "Byrådet godkendte indstillingen om varmen i skolerne.",
    "Udvalget bad om en plan for ventilation i klasselokalerne.",
    "Forvaltningen indstiller, at der afsættes 2 mio. kr. til køling.",
]
ROADS = ["Støjskærme langs ringvejen koster 12 mio. kr.", "Vejen lukkes om vinteren."]


def stored_vectors(store: PassageStore) -> dict[str, np.ndarray]:
    return {p.chunk_id: v for p, v in store.iter_passages(with_vectors=True)}


# -- the signatures ------------------------------------------------------------------------------


def _shape(sig: inspect.Signature) -> tuple:
    params = [(p.name, p.kind, p.default, str(p.annotation)) for p in sig.parameters.values()]
    return params, str(sig.return_annotation)


def protocol_mismatches(protocol: type, obj: Any) -> list[str]:
    """How `obj` (an instance, or a class for its methods only) differs from `protocol`: a
    missing member, or a method whose parameters (names, kinds, defaults, annotations) or
    return annotation are not the Protocol's. `isinstance` on a runtime-checkable Protocol
    compares names only; this compares what a caller writes."""
    cls = obj if isinstance(obj, type) else type(obj)
    problems = []
    for name, member in vars(protocol).items():
        if name.startswith("_") or not (callable(member) or isinstance(member, property)):
            continue
        impl = inspect.getattr_static(cls, name, None)
        if impl is None:
            problems.append(f"{cls.__name__}.{name} is missing")
        elif isinstance(member, property):
            if not isinstance(impl, property) and not isinstance(obj, type):
                problems.append(f"{cls.__name__}.{name} is not a property")
        elif _shape(inspect.signature(member)) != _shape(inspect.signature(getattr(cls, name))):
            problems.append(
                f"{cls.__name__}.{name}{inspect.signature(getattr(cls, name))} differs from "
                f"{protocol.__name__}.{name}{inspect.signature(member)}"
            )
    if not isinstance(obj, type):
        problems += [
            f"{cls.__name__} has no attribute {name!r}"
            for name in protocol.__annotations__
            if not hasattr(obj, name)
        ]
    return problems


class SignatureContract:
    def test_the_store_has_the_protocols_methods_as_declared(self, store):
        assert protocol_mismatches(PassageStore, store) == []
        assert protocol_mismatches(SentenceVectorStore, store.sentences) == []
        assert isinstance(store.embedder, Embedder)


# -- passages --------------------------------------------------------------------------------


class EmptyStoreContract:
    def test_an_empty_store_holds_nothing(self, store):
        assert store.count() == 0
        assert store.get(["nope"]) == []
        assert list(store.iter_passages()) == []
        assert store.ids_where({"source": "a.txt"}) == []
        assert store.ids_outside(["a.txt"]) == [] and store.ids_outside([]) == []
        assert store.vectors_for_embed_hashes(["nope"]) == {}
        assert store.delete_source("a.txt") == 0
        assert not store.sentences_complete()
        assert store.sentences.count() == 0


class UpsertContract:
    def test_text_metadata_and_vector_read_back_as_written(self, store):
        passages = make_passages("a.txt", SCHOOLS)
        vectors = write(store, passages)
        assert store.count() == 3
        got = store.get([p.chunk_id for p in passages])
        assert [(g.chunk_id, g.text, g.metadata) for g in got] == [
            (p.chunk_id, p.text, p.metadata) for p in passages
        ]
        back = stored_vectors(store)
        for p, v in zip(passages, vectors, strict=True):
            assert back[p.chunk_id].shape == (DIM,)
            assert np.allclose(back[p.chunk_id], v, atol=1e-6)

    def test_upserting_an_id_again_replaces_it(self, store):
        first = make_passages("a.txt", SCHOOLS)
        write(store, first, seed=1)
        again = make_passages("a.txt", ["Ny tekst.", *SCHOOLS[1:]], committee="Byrådet")
        vectors = write(store, again[:1], seed=2)
        assert store.count() == 3, "replaced, not added"
        (got,) = store.get([first[0].chunk_id])
        assert (got.text, got.metadata) == ("Ny tekst.", again[0].metadata)
        assert np.allclose(stored_vectors(store)[first[0].chunk_id], vectors[0], atol=1e-6)
        assert store.get([first[1].chunk_id])[0].metadata.committee == "Børne- og Skoleudvalget"

    def test_one_vector_per_passage_is_required(self, store):
        with pytest.raises(ValueError):
            store.upsert(make_passages("a.txt", SCHOOLS), unit_vectors(2))
        assert store.count() == 0

    def test_an_id_twice_in_one_upsert_is_refused(self, store):
        passages = make_passages("a.txt", SCHOOLS * 2)  # ids repeat after the first three
        for i, p in enumerate(passages):
            p.metadata.chunk_id = stable_hash("a.txt", str(i % 3))
        with pytest.raises(ValueError):
            store.upsert(passages, unit_vectors(6))
        assert store.count() == 0, "nothing written"

    def test_vectors_of_another_dimension_are_refused(self, store):
        write(store, make_passages("a.txt", SCHOOLS))
        before = stored_vectors(store)
        other = make_passages("b.txt", ROADS)
        with pytest.raises(Exception):  # noqa: B017 Chroma's own error type, ValueError in memory
            store.upsert(other, np.ones((2, DIM + 1), dtype=np.float32))
        assert store.count() == 3 and store.get([other[0].chunk_id]) == []
        assert stored_vectors(store).keys() == before.keys()

    def test_an_empty_upsert_changes_nothing(self, store):
        generation = store.generation()
        store.upsert([], np.zeros((0, DIM), dtype=np.float32))
        assert store.count() == 0 and store.generation() == generation


class GetContract:
    def test_get_keeps_the_order_asked_and_leaves_out_unknown_ids(self, store):
        a, b = make_passages("a.txt", SCHOOLS), make_passages("b.txt", ROADS)
        write(store, a + b)
        asked = [b[1].chunk_id, "unknown", a[0].chunk_id, a[2].chunk_id]
        assert [g.chunk_id for g in store.get(asked)] == [
            b[1].chunk_id,
            a[0].chunk_id,
            a[2].chunk_id,
        ]
        assert store.get([]) == []

    def test_many_ids_in_one_get(self, store):
        passages = make_passages("a.txt", [f"Punkt {i} om skolerne." for i in range(25)])
        write(store, passages)
        asked = [p.chunk_id for p in reversed(passages)] + [f"x{i}" for i in range(10)]
        assert [g.chunk_id for g in store.get(asked)] == [p.chunk_id for p in reversed(passages)]

    def test_get_with_vectors_gives_each_its_own_vector_in_the_order_asked(self, store):
        a = make_passages("a.txt", SCHOOLS)
        vectors = write(store, a)
        got = store.get_with_vectors([a[2].chunk_id, "unknown", a[0].chunk_id])
        assert [p.chunk_id for p, _ in got] == [a[2].chunk_id, a[0].chunk_id]
        assert got[0][0].text == a[2].text
        for (_, vector), want in zip(got, [vectors[2], vectors[0]], strict=True):
            assert vector.dtype == np.float32 and np.allclose(vector, want, atol=1e-6)
        assert store.get_with_vectors([]) == []

    def test_writes_are_noted_in_the_journal_before_they_happen(self, store, tmp_path):
        """What an index publish reads back instead of the whole store (`vectorstore.journal`)."""
        from vectorstore.journal import ChangeJournal

        store.journal = ChangeJournal(tmp_path)
        start = store.generation()
        a = make_passages("a.txt", SCHOOLS)
        write(store, a)
        store.delete_source("a.txt")
        noted = store.journal.ids()
        assert noted == [p.chunk_id for p in a]  # written, then deleted: once each
        # each write recorded the generations it went between: an unbroken chain
        assert store.journal.continuous(start, store.generation())
        assert not store.journal.continuous("another", store.generation())
        store.journal.clear()
        write(store, a[:1])
        store.delete_ids([a[1].chunk_id, "unknown"])
        assert store.journal.ids() == [a[0].chunk_id, a[1].chunk_id, "unknown"]

    def test_an_unknown_access_level_reads_as_closed(self, store):
        """Access fails closed: a passage stored without a known level counts as closed."""
        odd = make_passages("a.txt", SCHOOLS[:2])
        odd[0].metadata.access, odd[1].metadata.access = "secret", ""
        write(store, odd + make_passages("b.txt", ROADS[:1], access="public"))
        levels = {p.chunk_id: p.metadata.access for p, _ in store.iter_passages()}
        assert sorted(levels.values()) == ["closed", "closed", "public"]
        assert [g.metadata.access for g in store.get([p.chunk_id for p in odd])] == ["closed"] * 2


class DeleteContract:
    def test_delete_ids_removes_those_and_ignores_unknown_ones(self, store):
        a, b = make_passages("a.txt", SCHOOLS), make_passages("b.txt", ROADS)
        write(store, a + b)
        store.delete_ids(i for i in [a[0].chunk_id, "unknown", b[1].chunk_id])  # any iterable
        assert store.count() == 3
        assert store.get([a[0].chunk_id, b[1].chunk_id]) == []
        store.delete_ids([])
        assert store.count() == 3

    def test_delete_source_removes_its_passages_and_says_how_many(self, store):
        a, b = make_passages("a.txt", SCHOOLS), make_passages("b.txt", ROADS)
        write(store, a + b)
        assert store.delete_source("a.txt") == 3
        assert store.delete_source("a.txt") == 0
        assert store.count() == 2 and store.ids_where({"source": "a.txt"}) == []
        assert store.vectors_for_embed_hashes(p.metadata.embed_hash for p in a) == {}
        assert {p.chunk_id for p, _ in store.iter_passages()} == {p.chunk_id for p in b}


class IdsContract:
    def test_ids_where_a_field_has_a_value(self, store):
        a = make_passages("a.txt", SCHOOLS)
        b = make_passages("b.txt", ROADS, committee="Teknik- og Miljøudvalget", access="closed")
        write(store, a + b)
        ids = lambda where: set(store.ids_where(where))  # noqa: E731
        a_ids, b_ids = {p.chunk_id for p in a}, {p.chunk_id for p in b}
        assert ids({"source": "a.txt"}) == a_ids
        assert ids({"access": "closed"}) == b_ids
        assert ids({"source": {"$ne": ""}}) == a_ids | b_ids
        assert ids({"source": {"$in": ["b.txt", "c.txt"]}}) == b_ids
        assert ids({"source": {"$nin": ["b.txt"]}}) == a_ids
        assert ids({"chunk_index": {"$gte": 2}}) == {a[2].chunk_id}
        assert ids({"$and": [{"source": "b.txt"}, {"chunk_index": 1}]}) == {b[1].chunk_id}
        assert ids({"$or": [{"source": "b.txt"}, {"chunk_index": 0}]}) == b_ids | {a[0].chunk_id}
        assert ids({"source": "none.txt"}) == set()

    def test_ids_outside_are_those_of_no_listed_source(self, store):
        a, b = make_passages("a.txt", SCHOOLS), make_passages("b.txt", ROADS)
        c = make_passages("c.txt", ["En tredje kilde."])
        write(store, a + b + c)
        outside = lambda sources: set(store.ids_outside(sources))  # noqa: E731
        assert outside(["a.txt", "b.txt", "c.txt"]) == set()
        assert outside(["a.txt", "c.txt"]) == {p.chunk_id for p in b}
        assert outside({"a.txt"}) == {p.chunk_id for p in b + c}, "any collection"
        assert outside([]) == {p.chunk_id for p in a + b + c}, "no sources: every passage"
        many = [f"other-{i}.txt" for i in range(40)] + ["b.txt"]  # a list too long for one query
        assert outside(many) == {p.chunk_id for p in a + c}


class IterContract:
    def test_every_passage_once_vectors_when_asked(self, store):
        passages = make_passages("a.txt", [f"Punkt {i} om skolerne." for i in range(12)])
        vectors = write(store, passages)
        plain = list(store.iter_passages())
        assert sorted(p.chunk_id for p, _ in plain) == sorted(p.chunk_id for p in passages)
        assert all(v is None for _, v in plain)
        expected = {p.chunk_id: v for p, v in zip(passages, vectors, strict=True)}
        rows = list(store.iter_passages(with_vectors=True))
        assert len(rows) == 12
        for passage, vector in rows:
            assert np.allclose(vector, expected[passage.chunk_id], atol=1e-6)

    def test_a_where_filter_limits_the_passages(self, store):
        write(store, make_passages("a.txt", SCHOOLS) + make_passages("b.txt", ROADS))
        got = [p.metadata.source for p, _ in store.iter_passages(where={"source": "b.txt"})]
        assert got == ["b.txt", "b.txt"]


class VectorReuseContract:
    def test_vectors_are_found_by_embedding_input(self, store):
        a = make_passages("a.txt", SCHOOLS)
        copy = make_passages("copy.txt", SCHOOLS[:1])  # the same text: the same embed hash
        vectors = write(store, a)
        store.upsert(copy, vectors[:1])
        wanted = [a[0].metadata.embed_hash, a[2].metadata.embed_hash, "unknown"]
        found = store.vectors_for_embed_hashes(h for h in wanted)  # any iterable
        assert set(found) == set(wanted[:2]), "one entry per hash, unknown ones left out"
        assert np.allclose(found[wanted[0]], vectors[0], atol=1e-6)
        assert np.allclose(found[wanted[1]], vectors[2], atol=1e-6)
        assert found[wanted[0]].dtype == np.float32
        assert store.vectors_for_embed_hashes([]) == {}


class GenerationContract:
    def test_every_write_changes_the_generation_and_reads_do_not(self, store):
        seen = [store.generation()]
        a = make_passages("a.txt", SCHOOLS)
        write(store, a)
        seen.append(store.generation())
        store.get([a[0].chunk_id]), store.count(), list(store.iter_passages())
        assert store.generation() == seen[-1], "reads leave it"
        write(store, a[:1], seed=3)
        seen.append(store.generation())
        store.delete_ids([a[0].chunk_id])
        seen.append(store.generation())
        store.delete_source("a.txt")
        seen.append(store.generation())
        assert len(set(seen)) == len(seen), seen
        assert all(isinstance(g, str) for g in seen)

    def test_another_client_sees_the_writes(self, store, reopen):
        write(store, make_passages("a.txt", SCHOOLS))
        other = reopen()
        assert other.generation() == store.generation() and other.count() == 3
        store.delete_source("a.txt")
        assert other.generation() == store.generation() and other.count() == 0

    def test_sentences_complete_once_marked_for_every_client(self, store, reopen):
        assert not store.sentences_complete()
        store.mark_sentences_complete()
        assert store.sentences_complete() and reopen().sentences_complete()


# -- sentence vectors ----------------------------------------------------------------------------


class SentenceVectorsContract:
    def test_added_vectors_read_back_by_key(self, store):
        sentences = store.sentences
        keys, vectors = ["k1", "k2", "k3"], unit_vectors(3, seed=4)
        sentences.add(keys, ["en", "to", "tre"], vectors)
        assert sentences.count() == 3
        found = sentences.vectors(k for k in ["k3", "nope", "k1", "k3"])  # any iterable
        assert set(found) == {"k1", "k3"}
        assert np.allclose(found["k3"], vectors[2], atol=1e-6)
        assert found["k1"].dtype == np.float32
        assert sentences.vectors([]) == {}

    def test_missing_keys_in_their_first_order_once(self, store):
        store.sentences.add(["k2"], ["to"], unit_vectors(1))
        assert store.sentences.missing(iter(["k3", "k2", "k1", "k3"])) == ["k3", "k1"]
        assert store.sentences.missing([]) == []

    def test_adding_a_key_again_replaces_its_vector(self, store):
        store.sentences.add(["k1", "k2"], ["en", "to"], unit_vectors(2, seed=5))
        again = unit_vectors(1, seed=6)
        store.sentences.add(["k1"], ["en"], again)
        assert store.sentences.count() == 2
        assert np.allclose(store.sentences.vectors(["k1"])["k1"], again[0], atol=1e-6)

    def test_one_key_text_and_vector_per_sentence(self, store):
        with pytest.raises(ValueError):
            store.sentences.add(["k1", "k2"], ["en"], unit_vectors(2))
        with pytest.raises(ValueError):
            store.sentences.add(["k1"], ["en"], unit_vectors(2))
        assert store.sentences.count() == 0

    def test_sweep_keeps_only_the_keys_asked(self, store):
        keys = [f"k{i}" for i in range(7)]
        store.sentences.add(keys, keys, unit_vectors(7))
        assert store.sentences.sweep({"k1", "k5", "unknown"}) == 5
        assert store.sentences.count() == 2
        assert store.sentences.missing(keys) == [k for k in keys if k not in ("k1", "k5")]
        assert store.sentences.sweep({"k1", "k5"}) == 0


# -- what the pipeline and the publisher do with a store -----------------------------------------


class ConsumersContract:
    def test_ingest_completes_and_sweeps_the_sentence_vectors(self, store):
        a, b = make_passages("a.txt", SCHOOLS), make_passages("b.txt", ROADS)
        write(store, a + b)
        complete(store, IngestReport(), swept=False)  # a store from before sentence vectors
        everything = sentence_texts((p.text, p.metadata.section) for p in a + b)
        assert store.sentences_complete()
        assert store.sentences.count() == len(everything) and not store.sentences.missing(
            everything
        )
        store.delete_source("b.txt")
        complete(store, IngestReport(), swept=True)
        kept = sentence_texts((p.text, p.metadata.section) for p in a)
        assert store.sentences.count() == len(kept) and not store.sentences.missing(kept)

    def test_orphans_of_the_catalog_are_swept(self, store):
        a, b = make_passages("a.txt", SCHOOLS), make_passages("b.txt", ROADS)
        c = make_passages("c.txt", ["En kopi af en anden fil."])
        write(store, a + b + c)
        catalog = {  # FileCatalog.get: the record of a source, None when there is none
            "a.txt": FileRecord("a.txt", "h1"),
            "c.txt": FileRecord("c.txt", "h3", status="alternate"),
        }
        removed = sweep_orphans(store, catalog, owners={"a.txt"})
        assert removed == 3, "b.txt has no record; c.txt is an alternate"
        assert {p.chunk_id for p, _ in store.iter_passages()} == {p.chunk_id for p in a}

    def test_a_published_snapshot_holds_what_the_store_holds(self, store, tmp_path):
        a, b = make_passages("a.txt", SCHOOLS), make_passages("b.txt", ROADS, access="public")
        vectors = write(store, a + b)
        complete(store, IngestReport(), swept=False)
        publisher = SnapshotPublisher(store, tmp_path / "index")
        assert publisher.is_stale()
        publisher.publish()
        assert not publisher.is_stale()
        snapshot = SnapshotReader(tmp_path / "index").current()
        assert snapshot.store_generation == store.generation() and len(snapshot) == 5
        ids = [p.chunk_id for p in a + b]
        assert [(s.chunk_id, s.text, s.metadata) for s in snapshot.get(ids)] == [
            (s.chunk_id, s.text, s.metadata) for s in store.get(ids)
        ]
        for chunk_id, vector in zip(ids, vectors, strict=True):
            stored = snapshot.vector(snapshot.rows([chunk_id])[0])
            # as the store holds it, to the precision the snapshot keeps it in
            atol = 1e-3 if stored.dtype == np.float16 else 1e-6
            assert np.allclose(stored, np.asarray(vector), atol=atol)
        keys = list(sentence_texts((p.text, p.metadata.section) for p in a + b))
        assert set(snapshot.sentence_vectors(keys)) == set(keys)
        store.delete_source("b.txt")
        assert publisher.is_stale(), "a write makes the snapshot stale"


class PassageStoreContract(
    SignatureContract,
    EmptyStoreContract,
    UpsertContract,
    GetContract,
    DeleteContract,
    IdsContract,
    IterContract,
    VectorReuseContract,
    GenerationContract,
    SentenceVectorsContract,
    ConsumersContract,
):
    """The whole contract. Subclasses provide `store` (empty, embedder `HashEmbedder(DIM)`)
    and `reopen` (a second client of the same data; the store itself when there is one)."""

    @pytest.fixture
    def reopen(self, store) -> Callable[[], PassageStore]:
        return lambda: store
