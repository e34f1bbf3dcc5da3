"""Batched judge scoring is batch-invariant with the fp32-dequantised judge: a pair's scores are
identical alone and inside a batch (real shipped model, rewritten by `verifier.training.dequantize`)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import REPO
from verifier.judges.pairs import MODEL_DIR, MODEL_FILE, PairScorer

pytest.importorskip("onnx", reason="the dequantize rewrite needs onnx (the dev / train extra)")


@pytest.fixture(scope="module")
def fp32_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from verifier.training.dequantize import dequantize

    out = tmp_path_factory.mktemp("judge-fp32")
    (out / "tokenizer.json").write_bytes((MODEL_DIR / "tokenizer.json").read_bytes())
    info = dequantize(MODEL_DIR / MODEL_FILE, out / "judge.fp32.onnx")
    assert "MatMulInteger" not in info["ops"] and "DynamicQuantizeLinear" not in info["ops"]
    return out


def pairs() -> list[tuple[str, str]]:
    rows = [json.loads(x) for x in (REPO / "eval/numeric/pairs.jsonl").open(encoding="utf-8")][:40]
    return [(r["evidence"], r["claim"]) for r in rows]


def test_scores_identical_alone_and_in_a_batch(fp32_dir: Path) -> None:
    scorer = PairScorer(fp32_dir, batch_size=16, model_file="judge.fp32.onnx", bucket=16)
    batch = pairs()
    together = scorer.score(batch)
    alone = np.stack([scorer.score([p])[0] for p in batch])
    assert np.array_equal(together, alone)
    shuffled = batch[::-1]
    assert np.array_equal(scorer.score(shuffled), together[::-1])


def test_dequantised_judge_agrees_with_the_shipped_one(fp32_dir: Path) -> None:
    batch = pairs()
    shipped = PairScorer().score(batch)
    fp32 = PairScorer(fp32_dir, batch_size=16, model_file="judge.fp32.onnx", bucket=16).score(batch)
    assert (shipped.argmax(1) == fp32.argmax(1)).mean() >= 0.9
    assert np.abs(shipped - fp32).max() < 0.5
