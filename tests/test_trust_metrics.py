"""The trust metrics of `verifier eval` (coverage, false rates, risk-coverage, per-label threshold
curves, AUROC), on hand-computed values."""

from __future__ import annotations

import pytest

from verifier.evaluation.metrics import auroc, coverage, false_rate, label_curve, risk_coverage
from verifier.evaluation.runs import compute_metrics
from verifier.models import Label as L

S, C, U = L.SUPPORTED, L.CONTRADICTED, L.UNVERIFIED


def test_coverage_and_false_rates() -> None:
    gold = [S, S, U, U, C]
    pred = [S, C, C, U, C]
    assert coverage(pred) == {S: 0.2, C: 0.6, U: 0.2}
    # gold not-contradicted: S, S, U, U -> two of the four were called contradicted
    assert false_rate(gold, pred, C) == 0.5
    # gold not-supported: U, U, C -> none called supported
    assert false_rate(gold, pred, S) == 0.0
    assert false_rate([C], [C], C) is None


def test_auroc_hand_computed() -> None:
    # right: 0.9, 0.6; wrong: 0.7, 0.2. Pairs (right > wrong): 0.9>0.7, 0.9>0.2, 0.6>0.2 -> 3 of 4
    assert auroc([0.9, 0.7, 0.6, 0.2], [True, False, True, False]) == 0.75
    # a tie between a right and a wrong verdict counts one half: (1 + 0.5) / 2
    assert auroc([0.8, 0.5, 0.5], [True, True, False]) == 0.75
    assert auroc([0.1, 0.9], [True, False]) == 0.0
    assert auroc([0.1, 0.9], [True, True]) is None


def test_risk_coverage_keeps_ties_together() -> None:
    correct = [True, False, True, True]
    conf = [0.9, 0.8, 0.8, 0.3]
    points = risk_coverage(correct, conf)
    assert [(p.threshold, p.coverage, p.precision, p.decided) for p in points] == [
        (0.9, 0.25, 1.0, 1),
        (0.8, 0.75, pytest.approx(2 / 3), 3),
        (0.3, 1.0, 0.75, 4),
    ]
    assert risk_coverage([], []) == []


def test_label_curve_needs_the_label_to_beat_the_other_stance() -> None:
    gold = [S, S, U, C]
    entail = [0.9, 0.4, 0.6, 0.5]
    contra = [0.1, 0.1, 0.1, 0.7]  # the last claim's entailment 0.5 is beaten: never supported
    points = label_curve(gold, entail, contra, S, [0.3, 0.5, 0.8, 0.95])
    # t 0.3: claims 1, 2, 3 -> 2 right of 3; t 0.5: claims 1, 3 -> 1 of 2; t 0.8: claim 1; t 0.95: none
    assert [(p.coverage, p.precision, p.decided) for p in points] == [
        (0.75, pytest.approx(2 / 3), 3),
        (0.5, 0.5, 2),
        (0.25, 1.0, 1),
        (0.0, None, 0),
    ]


def _row(i: int, gold: L, pred: L, conf: float, entail: float, contra: float) -> dict[str, object]:
    return {
        "id": str(i), "claim": "c", "gold": gold.value, "pred": pred.value, "confidence": conf,
        "conflicting": False, "cited": [], "citations": [], "judged": [], "retrieved": [],
        "gold_evidence": [], "seconds": 0.1, "entailment": entail, "contradiction": contra,
    }  # fmt: skip


def test_compute_metrics_reports_the_trust_numbers() -> None:
    rows = [
        _row(0, S, S, 0.9, 0.9, 0.1),
        _row(1, U, C, 0.7, 0.1, 0.7),
        _row(2, C, C, 0.6, 0.2, 0.6),
        _row(3, U, U, 0.8, 0.2, 0.3),
    ]
    m = compute_metrics(rows, judge="j", top_k=8)
    assert m["coverage"] == {"supported": 0.25, "contradicted": 0.5, "unverified": 0.25}
    assert m["per_class"]["contradicted"]["coverage"] == 0.5
    assert m["decided_coverage"] == 0.75
    assert m["false_contradicted"] == pytest.approx(1 / 3, abs=1e-4)  # gold S, U, U: one called C
    # right: 0.9, 0.6, 0.8; wrong: 0.7 -> right > wrong in 2 of 3 pairs
    assert m["auroc"] == pytest.approx(2 / 3, abs=1e-4)
    # decided verdicts by confidence: 0.9 right, 0.7 wrong, 0.6 right
    assert [(p["coverage"], p["precision"]) for p in m["risk_coverage"]] == [
        (pytest.approx(1 / 3, abs=1e-4), 1.0),
        (pytest.approx(2 / 3, abs=1e-4), 0.5),
        (1.0, pytest.approx(2 / 3, abs=1e-4)),
    ]
    contra = {p["threshold"]: p for p in m["label_curves"]["contradicted"]}
    assert contra[0.65] == {"threshold": 0.65, "coverage": 0.25, "precision": 0.0}
    assert contra[0.5] == {"threshold": 0.5, "coverage": 0.5, "precision": 0.5}


def test_runs_without_stance_scores_get_no_threshold_curves() -> None:
    row = _row(0, S, S, 0.9, 0.9, 0.1)
    del row["entailment"], row["contradiction"]
    assert "label_curves" not in compute_metrics([row], judge="j", top_k=8)
