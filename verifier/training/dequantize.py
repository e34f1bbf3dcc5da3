"""A batch-invariant copy of a dynamically quantised int8 ONNX cross-encoder (judge or reranker).

`quantize_dynamic` replaced each weight MatMul by DynamicQuantizeLinear(x) -> MatMulInteger -> Cast ->
Mul(x scale * w scale): the activation scale is computed over the whole batch, so a pair's scores move
with its batch mates. This rewrite replaces each such chain by
MatMul(x, w) with the int8 weights dequantised to fp32 initializers (the file grows to ~90 MB; a
DequantizeLinear node is not folded by onnxruntime, which then dequantises on every run), so every row
is computed on its own, in fp32, whatever else is in the batch.

    python -m verifier.training dequantize --model verifier/judges/model/judge.int8.onnx --out OUT.onnx
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


def dequantize(model_path: Path, out: Path) -> dict[str, Any]:
    import numpy as np
    import onnx
    from onnx import helper, numpy_helper

    model = onnx.load(str(model_path))
    graph = model.graph
    producer = {o: n for n in graph.node for o in n.output}
    consumers: dict[str, list[Any]] = {}
    for n in graph.node:
        for i in n.input:
            consumers.setdefault(i, []).append(n)
    inits = {i.name: i for i in graph.initializer}
    dequantised: dict[str, Any] = {}
    drop: set[int] = set()
    added: dict[int, list[Any]] = {}
    rewritten = 0
    for node in graph.node:
        if node.op_type != "MatMulInteger":
            continue
        xq, wq, _, wzp = node.input
        dql = producer[xq]
        (cast,) = consumers[node.output[0]]
        (mul,) = consumers[cast.output[0]]
        scales = mul.input[1] if mul.input[0] == cast.output[0] else mul.input[0]
        scale_mul = producer[scales]
        ws = next(i for i in scale_mul.input if i != dql.output[1])
        if dql.op_type != "DynamicQuantizeLinear" or cast.op_type != "Cast" or mul.op_type != "Mul":
            raise ValueError(f"unexpected pattern around {node.name}")
        weight = wq + "_fp32"
        if weight not in dequantised:
            q = numpy_helper.to_array(inits[wq]).astype(np.float32)
            zero = numpy_helper.to_array(inits[wzp]).astype(np.float32)
            dequantised[weight] = numpy_helper.from_array(
                ((q - zero) * numpy_helper.to_array(inits[ws]).astype(np.float32)).astype(np.float32), weight
            )
        added[id(node)] = [
            helper.make_node("MatMul", [dql.input[0], weight], [mul.output[0]], name=node.name + "_fp32"),
        ]
        drop.update({id(cast), id(mul)})
        rewritten += 1
    nodes: list[Any] = []
    for n in graph.node:
        if id(n) in added:
            nodes.extend(added[id(n)])
        elif id(n) not in drop:
            nodes.append(n)
    # drop what no longer feeds anything (the activation quantisers and their scale products)
    outputs = {o.name for o in graph.output}
    while True:
        used = {i for n in nodes for i in n.input} | outputs
        kept = [n for n in nodes if any(o in used for o in n.output)]
        if len(kept) == len(nodes):
            break
        nodes = kept
    del graph.node[:]
    graph.node.extend(nodes)
    used = {i for n in nodes for i in n.input}
    kept_inits = [i for i in graph.initializer if i.name in used]
    del graph.initializer[:]
    graph.initializer.extend([*kept_inits, *dequantised.values()])
    onnx.checker.check_model(model)
    out.parent.mkdir(parents=True, exist_ok=True)
    onnx.save(model, str(out))
    ops = sorted({n.op_type for n in nodes})
    log.info("dequantised %d MatMulInteger into fp32 MatMul: %s", rewritten, out)
    return {"rewritten": rewritten, "ops": ops, "size_mb": round(out.stat().st_size / 1e6, 1)}
