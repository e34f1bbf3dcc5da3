"""Named operating points (strictness): stored in thresholds.json, loaded by the judge's Policy, chosen
through Settings; the strict point fitted for precision on tune claims only."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from verifier.config import Settings
from verifier.errors import InputError
from verifier.judges.nli import NLIJudge, Policy
from verifier.judges.pairs import MODEL_DIR
from verifier.models import Claim, Evidence, Passage, StanceProbs
from verifier.models import Label as L
from verifier.text.words import addresses
from verifier.training.tune import NEVER, fit_operating_point, point_report

STORED = {
    "model_id": "m",
    "support_threshold": 0.125,
    "contradict_threshold": 0.125,
    "conflict_margin": 0.0,
    "relevance_weighting": True,
    "calibration": [[0, 0.4], [1, 0.6]],
    "operating_points": {
        "strict": {
            "support_threshold": 0.7,
            "contradict_threshold": 0.9,
            "calibration": [[0, 0.2], [1, 0.95]],
        }
    },
}


def test_balanced_is_the_top_level_and_strict_overrides_what_it_names(tmp_path: Path) -> None:
    path = tmp_path / "thresholds.json"
    path.write_text(json.dumps(STORED))
    balanced = Policy.load(path)
    assert (balanced.decision.support_threshold, balanced.decision.contradict_threshold) == (0.125, 0.125)
    assert balanced.calibrate(1.0) == pytest.approx(0.6)
    strict = Policy.load(path, "strict")
    assert (strict.decision.support_threshold, strict.decision.contradict_threshold) == (0.7, 0.9)
    assert strict.decision.conflict_margin == 0.0 and strict.relevance_weighting  # inherited
    assert strict.calibrate(1.0) == pytest.approx(0.95)
    with pytest.raises(InputError, match="Unknown strictness 'lax'.*balanced, strict"):
        Policy.load(path, "lax")


def test_the_shipped_balanced_point_is_the_macro_f1_tuning() -> None:
    shipped = json.loads((MODEL_DIR / "thresholds.json").read_text())
    policy = Policy.load(MODEL_DIR / "thresholds.json", "balanced")
    assert policy.decision.support_threshold == shipped["support_threshold"] == 0.125
    assert policy.decision.contradict_threshold == shipped["contradict_threshold"] == 0.125


def test_strictness_comes_from_settings_and_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VERIFIER_STRICTNESS", "strict")
    assert Settings.resolve().strictness == "strict"
    assert Settings.resolve(strictness="balanced").strictness == "balanced"
    monkeypatch.setenv("VERIFIER_STRICTNESS", "loose")
    with pytest.raises(InputError, match="strictness"):
        Settings.resolve()


def _row(i: int, dataset: str, split: str, gold: str, entail: float, contra: float) -> dict[str, object]:
    return {"dataset": dataset, "id": f"{dataset}-{i}", "split": split, "gold": gold,
            "entail": entail, "contra": contra}  # fmt: skip


def test_strict_point_is_fitted_on_tune_claims_for_the_target_precision() -> None:
    # scifact tune: supported scores 0.95 .. 0.55 right, one wrong at 0.6 -> precision >= 0.85 only
    # from above 0.6 (at 0.6: 5 right of 6 = 0.83)
    rows = [
        _row(i, "scifact", "tune", "supported", e, 0.0) for i, e in enumerate((0.95, 0.9, 0.8, 0.7, 0.65))
    ]
    rows.append(_row(10, "scifact", "tune", "unverified", 0.6, 0.0))
    rows += [_row(20 + i, "scifact", "tune", "unverified", 0.0, 0.9) for i in range(5)]  # never right
    # val claims would pull the thresholds anywhere: they must not count
    rows += [_row(30 + i, "scifact", "val", "contradicted", 0.0, 0.9) for i in range(50)]
    rows += [_row(90 + i, "scifact", "val", "unverified", 0.99, 0.0) for i in range(50)]
    policy = fit_operating_point(rows, target=0.85)
    assert policy.decision.support_threshold == pytest.approx(0.61)
    assert policy.decision.contradict_threshold == NEVER  # no threshold makes it right
    report = point_report(rows, policy)
    tune = report["tune"]["scifact"]
    assert tune["supported"] == {"precision": 1.0, "given": 5, "coverage": 0.4545, "recall": 1.0}
    assert tune["contradicted"]["given"] == 0 and tune["false_contradicted"] == 0.0
    val = report["val"]["scifact"]
    # the 50 gold-unverified val claims (of 100 not supported) are called supported
    assert val["supported"]["precision"] == 0.0 and val["false_supported"] == 0.5


def test_per_label_calibration_is_used_for_that_label(tmp_path: Path) -> None:
    stored = {
        **STORED,
        "operating_points": {
            "strict": {
                "support_threshold": 0.5,
                "contradict_threshold": 0.5,
                "calibration": [[0, 0.5], [1, 0.5]],
                "calibration_by_label": {"supported": [[0, 0.1], [1, 0.9]]},
            }
        },
    }
    (tmp_path / "thresholds.json").write_text(json.dumps(stored))
    policy = Policy.load(tmp_path / "thresholds.json", "strict")
    assert policy.calibrate(0.75, L.SUPPORTED) == pytest.approx(0.7)
    assert policy.calibrate(0.75, L.UNVERIFIED) == pytest.approx(0.5)  # no knots of its own: pooled
    assert policy.calibrate(0.75) == pytest.approx(0.5)
    # the judge calibrates each verdict with its own label's knots (no model is loaded for deciding)
    judge = NLIJudge(model_dir=tmp_path, strictness="strict")
    assert judge.name == "nli:m@strict"
    text = "Quoted words here."
    passage = Passage(id="s#0", source_id="s", text=text, start=0, end=len(text))
    supported = Evidence(passage, 0.5, L.SUPPORTED, StanceProbs(0.75, 0.2, 0.05), span=(0, len(text)))
    verdict = judge.decide(Claim.from_text("A claim."), [supported])
    assert verdict.label is L.SUPPORTED and verdict.confidence == pytest.approx(0.7)
    weak = Evidence(passage, 0.5, L.UNVERIFIED, StanceProbs(0.3, 0.6, 0.1), span=(0, len(text)))
    verdict = judge.decide(Claim.from_text("A claim."), [weak])
    assert verdict.label is L.UNVERIFIED and verdict.confidence == pytest.approx(0.5)


def test_a_window_naming_nothing_the_claim_names_cannot_decide_it(tmp_path: Path) -> None:
    stored = {
        **STORED,
        "operating_points": {"strict": {"support_threshold": 0.5, "contradict_threshold": 0.5}},
    }
    (tmp_path / "thresholds.json").write_text(json.dumps(stored))
    claim = Claim.from_text("Brightwell employs about 1,100 people across its three sites.")
    text = "Fourteen vaccination vans visited 212 sites during the autumn."
    passage = Passage(id="h#0", source_id="h", text=text, start=0, end=len(text))
    off_subject = Evidence(passage, 0.5, L.CONTRADICTED, StanceProbs(0.05, 0.15, 0.8), span=(0, len(text)))
    assert (
        NLIJudge(model_dir=tmp_path, strictness="strict").decide(claim, [off_subject]).label is L.CONTRADICTED
    )
    stored["operating_points"]["strict"]["require_subject"] = True  # type: ignore[index]
    (tmp_path / "thresholds.json").write_text(json.dumps(stored))
    verdict = NLIJudge(model_dir=tmp_path, strictness="strict").decide(claim, [off_subject])
    assert verdict.label is L.UNVERIFIED and not verdict.citations
    # the same window naming the company decides it
    text = "Brightwell has about 900 staff at its three sites."
    passage = Passage(id="b#0", source_id="b", text=text, start=0, end=len(text))
    on_subject = Evidence(passage, 0.5, L.CONTRADICTED, StanceProbs(0.05, 0.15, 0.8), span=(0, len(text)))
    assert (
        NLIJudge(model_dir=tmp_path, strictness="strict").decide(claim, [on_subject]).label is L.CONTRADICTED
    )


@pytest.mark.parametrize(
    ("claim", "window", "expected"),
    [
        ("Brightwell employs about 1,100 people.", "Brightwell has 900 staff.", True),
        ("Brightwell employs about 1,100 people.", "The vans visited 212 sites.", False),
        ("The film runs for 132 minutes.", "The film is 118 minutes long.", True),  # a figure to compare
        ("The film runs for 132 minutes.", "The film is long.", False),
        ("global warming is driving polar bears toward extinction", "Polar bear numbers are stable.", True),
        ("global warming is driving polar bears toward extinction", "Sea levels rose.", False),
    ],
)
def test_addresses(claim: str, window: str, expected: bool) -> None:
    assert addresses(claim, window) is expected


def test_cli_refuses_an_unknown_strictness_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from verifier.cli import app

    monkeypatch.setenv("VERIFIER_HOME", str(tmp_path))
    result = CliRunner().invoke(app, ["check", "The film runs for 132 minutes.", "--strictness", "lax"])
    assert result.exit_code != 0
    assert result.stderr.strip().splitlines() == [
        "Error: Invalid settings: strictness: Input should be 'strict' or 'balanced'"
    ]
    assert "--strictness" in CliRunner().invoke(app, ["eval", "--help"]).stdout
