"""The gold-pair harness of eval/numeric."""

from __future__ import annotations

from pathlib import Path

from verifier.evaluation.pairs import evaluate_pairs, load_pairs
from verifier.judges.baseline import BaselineJudge

PAIRS = Path(__file__).resolve().parents[1] / "eval" / "numeric" / "pairs.jsonl"


def test_evaluate_pairs_on_ten_rows() -> None:
    rows = load_pairs(PAIRS)[:10]
    result = evaluate_pairs(BaselineJudge(), rows)
    assert result["n"] == 10
    assert result["reviewed"] >= result["alone"]
    assert set(result["per_kind"]) == {"cardinal"}
