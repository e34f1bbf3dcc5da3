"""The judge's stored decision policy: thresholds and calibration (no model)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from verifier.judges.nli import Policy


def test_policy_loads_thresholds_calibration_and_the_relevance_flag(tmp_path: Path) -> None:
    path = tmp_path / "thresholds.json"
    path.write_text(
        json.dumps(
            {
                "support_threshold": 0.6,
                "contradict_threshold": 0.7,
                "conflict_margin": 0.1,
                "max_citations": 3,
                "relevance_weighting": True,
                "calibration": [[0, 0.1], [1, 0.9]],
                "report": {"ignored": "by the loader"},
            }
        )
    )
    policy = Policy.load(path)
    assert policy.decision.support_threshold == 0.6 and policy.decision.contradict_threshold == 0.7
    assert policy.decision.max_citations == 3 and policy.relevance_weighting
    assert policy.calibrate(0.5) == pytest.approx(0.5)
    assert policy.calibrate(0.0) == pytest.approx(0.1) and policy.calibrate(2.0) == pytest.approx(0.9)


def test_missing_policy_file_gives_defaults(tmp_path: Path) -> None:
    policy = Policy.load(tmp_path / "absent.json")
    assert policy.decision.support_threshold == 0.5 and not policy.relevance_weighting
