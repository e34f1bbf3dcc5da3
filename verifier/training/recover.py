"""Recover a trainable state dict from a shipped int8 ONNX judge, to warm-start the next training run.

Dynamic int8 quantisation keeps every weight as (int8, scale, zero point), so dequantising gives the
trained weights back within ~1% (the quantisation noise), which further fine-tuning absorbs. Linear
layers appear as MatMulInteger nodes whose result flows (Cast, Mul) into the original bias Add; the
bias initializer's name names the layer.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np
import torch

log = logging.getLogger(__name__)


def _dequantize(inits: dict[str, Any], base: str) -> np.ndarray:
    from onnx import numpy_helper

    q = numpy_helper.to_array(inits[base + "_quantized"]).astype(np.float32)
    scale = numpy_helper.to_array(inits[base + "_scale"]).astype(np.float32)
    zero = numpy_helper.to_array(inits[base + "_zero_point"]).astype(np.float32)
    return (q - zero) * scale  # type: ignore[no-any-return]


def state_from_onnx(path: Path) -> dict[str, torch.Tensor]:
    """The CrossEncoder state dict (parameter name -> tensor) stored in an int8 ONNX judge."""
    import onnx
    from onnx import numpy_helper

    graph = onnx.load(str(path)).graph
    inits = {i.name: i for i in graph.initializer}
    consumers: dict[str, list[Any]] = defaultdict(list)
    for node in graph.node:
        for name in node.input:
            consumers[name].append(node)
    state: dict[str, torch.Tensor] = {}
    for name, init in inits.items():
        if not name.endswith(("_quantized", "_scale", "_zero_point")):
            state[name] = torch.from_numpy(numpy_helper.to_array(init).copy())
    for name in inits:
        if not name.endswith("_quantized"):
            continue
        base = name[: -len("_quantized")]
        weight = _dequantize(inits, base)
        if all(n.op_type == "Gather" for n in consumers[name]):  # embedding tables keep their names
            state[base] = torch.from_numpy(weight)
            continue
        # a MatMul weight is stored [in, out]; torch's Linear keeps [out, in]
        layer = base[: -len(".weight")] if not base.startswith("onnx::") else None
        layer = layer or _bias_of(consumers, inits, name)[: -len(".bias")]
        state[layer + ".weight"] = torch.from_numpy(weight.T.copy())
    return state


def _bias_of(consumers: dict[str, list[Any]], inits: dict[str, Any], weight: str) -> str:
    """Follow a quantised weight's MatMulInteger forward to the Add of its layer's bias."""
    frontier = list(consumers[weight])
    for _ in range(6):
        nxt = []
        for node in frontier:
            if node.op_type == "Add":
                biases = [i for i in node.input if i in inits and i.endswith(".bias")]
                if biases:
                    return str(biases[0])
            for out in node.output:
                nxt.extend(consumers[out])
        frontier = nxt
    raise ValueError(f"no bias Add found after {weight}")


def recover(onnx_path: Path, out: Path) -> Path:
    from verifier.training.model import CrossEncoder

    model = CrossEncoder.from_backbone()
    state = state_from_onnx(onnx_path)
    expected = model.state_dict()
    missing = [k for k in expected if k not in state]
    extra = [k for k in state if k not in expected]
    if extra:
        log.warning("ignored %d tensors not in the model: %s", len(extra), extra[:5])
    if missing:  # e.g. position_ids buffers: keep the backbone's
        log.info("kept %d backbone tensors: %s", len(missing), missing[:5])
    model.load_state_dict({**expected, **{k: v for k, v in state.items() if k in expected}})
    out.parent.mkdir(parents=True, exist_ok=True)
    torch.save({"model": model.state_dict(), "step": 0, "recovered_from": str(onnx_path)}, out)
    return out
