"""The judge's stored decision policy: thresholds, calibration and the learned aggregator (no model)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from verifier.judges.nli import FEATURES, Logistic, Policy, evidence_features
from verifier.models import Evidence, Label, Passage, StanceProbs


def _ev(entail: float, contra: float, pid: str = "s#0") -> Evidence:
    passage = Passage(id=pid, source_id=pid.split("#")[0], text="Some text.", start=0, end=10)
    probs = StanceProbs(entail, 1.0 - entail - contra, contra)
    return Evidence(passage=passage, retrieval_score=0.1, stance=Label.UNVERIFIED, probs=probs, span=(0, 10))


def test_features_by_hand() -> None:
    feats = evidence_features([_ev(0.9, 0.05, "a#0"), _ev(0.1, 0.6, "b#0")])
    got = dict(zip(FEATURES, feats, strict=True))
    assert got["max_entail"] == 0.9 and got["max_contra"] == 0.6
    assert got["first_entail"] == 0.9 and got["first_contra"] == 0.05
    assert got["share_entail"] == 0.5 and got["share_contra"] == 0.5
    assert got["max_margin"] == pytest.approx(0.85) and got["min_margin"] == pytest.approx(-0.5)
    assert evidence_features([]) == [0.0] * len(FEATURES)


def _policy(bias: tuple[float, float, float]) -> Policy:
    zero = tuple((0.0,) * len(FEATURES) for _ in range(3))
    return Policy(logistic=Logistic(weights=zero, bias=bias, floor=0.3))


def test_learned_decision_respects_the_floor() -> None:
    policy = _policy((5.0, 0.0, 0.0))  # always prefers "supported"
    strong = policy.learned_decision([_ev(0.8, 0.1)])
    assert strong is not None and strong.label is Label.SUPPORTED
    weak = policy.learned_decision([_ev(0.2, 0.1)])  # nothing entails: it cannot be supported (uncitable)
    assert weak is not None and weak.label is Label.UNVERIFIED
    assert policy.learned_decision([]) is None


def test_policy_loads_the_aggregator(tmp_path: Path) -> None:
    path = tmp_path / "thresholds.json"
    path.write_text(
        json.dumps(
            {
                "support_threshold": 0.6,
                "contradict_threshold": 0.7,
                "conflict_margin": 0.1,
                "max_citations": 3,
                "calibration": [[0, 0.1], [1, 0.9]],
                "aggregator": {
                    "kind": "logistic",
                    "weights": [[0.0] * 10] * 3,
                    "bias": [0, 1, 0],
                    "floor": 0.2,
                },
            }
        )
    )
    policy = Policy.load(path)
    assert policy.decision.support_threshold == 0.6 and policy.decision.contradict_threshold == 0.7
    assert policy.logistic is not None and policy.logistic.floor == 0.2
    assert policy.calibrate(0.5) == pytest.approx(0.5)
    decision = policy.learned_decision([_ev(0.5, 0.1)])
    assert decision is not None and decision.label is Label.UNVERIFIED


def test_missing_policy_file_gives_defaults(tmp_path: Path) -> None:
    policy = Policy.load(tmp_path / "absent.json")
    assert policy.logistic is None and policy.decision.support_threshold == 0.5
