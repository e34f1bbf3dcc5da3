"""Export a trained checkpoint to int8 ONNX (+ tokenizer) and measure it on the held-out pair sets."""

from __future__ import annotations

import json
import logging
import shutil
import time
from pathlib import Path
from typing import Any

import torch

from verifier.training.model import LABELS, CrossEncoder, backbone_path

log = logging.getLogger(__name__)


def export(checkpoint: Path, out: Path, name: str = "judge") -> Path:
    """`<out>/<name>.int8.onnx` + tokenizer.json; the head size is read from the checkpoint."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    out.mkdir(parents=True, exist_ok=True)
    state = torch.load(checkpoint, weights_only=True)
    model = CrossEncoder.from_backbone(n_labels=int(state["model"]["head.weight"].shape[0]))
    model.load_state_dict(state["model"])
    model.eval()
    dummy = {
        "input_ids": torch.ones((2, 16), dtype=torch.long),
        "attention_mask": torch.ones((2, 16), dtype=torch.long),
        "token_type_ids": torch.zeros((2, 16), dtype=torch.long),
    }
    fp32 = out / f"{name}.fp32.onnx"
    axes = {name: {0: "batch", 1: "seq"} for name in dummy}
    torch.onnx.export(
        model,
        (dummy["input_ids"], dummy["attention_mask"], dummy["token_type_ids"]),
        str(fp32),
        input_names=list(dummy),
        output_names=["logits"],
        dynamic_axes={**axes, "logits": {0: "batch"}},
        opset_version=17,
        dynamo=False,
    )
    target = out / f"{name}.int8.onnx"
    quantize_dynamic(str(fp32), str(target), weight_type=QuantType.QInt8)
    fp32.unlink()
    shutil.copy(backbone_path() / "tokenizer.json", out / "tokenizer.json")
    log.info("exported %s (%.1f MB) from step %s", target, target.stat().st_size / 1e6, state.get("step"))
    return target


def _metrics(gold: list[int], pred: list[int], binary: bool) -> dict[str, float]:
    """Accuracy and macro-F1 (over the gold labels present) with the harness's own metric functions."""
    from verifier.evaluation.metrics import accuracy, macro_f1
    from verifier.judges.nli import LABELS as VERDICTS  # model order: entail, neutral, contra

    if binary:  # entailment vs not (fever_symmetric has no neutral: count neutral as not-entailment)
        gold = [0 if g == 0 else 1 for g in gold]
        pred = [0 if p == 0 else 1 for p in pred]
    g, p = [VERDICTS[i] for i in gold], [VERDICTS[i] for i in pred]
    return {"n": len(gold), "accuracy": round(accuracy(g, p), 4), "macro_f1": round(macro_f1(g, p), 4)}


def evaluate_heldout(model_dir: Path, data: Path, limit: int = 0) -> dict[str, Any]:
    from verifier.judges.pairs import PairScorer

    scorer = PairScorer(model_dir)
    results: dict[str, Any] = {}
    for path in sorted((data / "heldout").glob("*.jsonl")):
        rows = [json.loads(line) for line in path.open(encoding="utf-8")]
        rows = [r for r in rows if r["label"] in LABELS][: limit or None]
        t0 = time.time()
        probs = scorer.score([(r["premise"], r["hypothesis"]) for r in rows])
        elapsed = time.time() - t0
        pred = [int(p.argmax()) for p in probs]
        gold = [LABELS.index(r["label"]) for r in rows]
        res: dict[str, Any] = dict(_metrics(gold, pred, binary=path.stem == "fever_symmetric"))
        res["pairs_per_s"] = round(len(rows) / elapsed, 1)
        if path.stem == "fever_symmetric":
            res["note"] = "2-way: entailment vs not"
        results[path.stem] = res
    return results
