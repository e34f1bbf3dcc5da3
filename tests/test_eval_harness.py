"""The eval harness: FEVER-style input, the dataset registry and splits, the new metrics (hand-computed),
resumable run directories, report/compare/plots, and a tiny end-to-end eval with the real models."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from verifier.cli import app
from verifier.errors import EvalDataError
from verifier.evaluation import datasets
from verifier.evaluation.gold import load_claims
from verifier.evaluation.metrics import (
    calibration_bins,
    expected_calibration_error,
    recall_curve,
    strict_score,
)
from verifier.evaluation.plots import write_plots
from verifier.evaluation.report import compare, report_markdown
from verifier.evaluation.runs import compute_metrics, open_run, prediction_sink, read_predictions
from verifier.models import Label as L

pytestmark = pytest.mark.slow  # end to end: real models, real stores, the CLI

S, C, U = L.SUPPORTED, L.CONTRADICTED, L.UNVERIFIED
runner = CliRunner()

# --------------------------------------------------------------------------- input formats

FEVER_ROWS = [
    {
        "id": 75397,
        "verifiable": "VERIFIABLE",
        "label": "SUPPORTS",
        "claim": "Nikolaj Coster-Waldau worked with the Fox Broadcasting Company.",
        "evidence": [
            [[92206, 104971, "Nikolaj_Coster-Waldau", 7], [92206, 104971, "Fox_Broadcasting_Company", 0]]
        ],
    },
    {
        "id": 150448,
        "label": "REFUTES",
        "claim": "Roman Atwood is a content creator.",
        "evidence": [[[1, 2, "Roman_Atwood", 1]], [[3, 4, "Roman_Atwood", 3]]],
    },
    {
        "id": 3,
        "label": "NOT ENOUGH INFO",
        "claim": "Nothing decides this.",
        "evidence": [[[5, None, None, None]]],
    },
    {"id": 4, "label": "SUPPORTS", "claim": "No evidence listed."},
]


def test_fever_style_rows_are_read(tmp_path: Path) -> None:
    path = tmp_path / "fever.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in FEVER_ROWS))
    gold = load_claims(path)
    assert [g.id for g in gold] == ["75397", "150448", "3", "4"]
    assert [g.label for g in gold] == [S, C, U, S]
    assert gold[0].evidence == ["Nikolaj_Coster-Waldau", "Fox_Broadcasting_Company"]
    assert gold[1].evidence == ["Roman_Atwood"] and gold[2].evidence == [] and gold[3].evidence == []


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"id": 7, "claim": "c", "label": "DISPUTED"}', "bad.jsonl:2: label"),
        (
            '{"id": "x", "claim": "c", "label": "SUPPORTS", "evidence": [[{"page": 1}]]}',
            "bad.jsonl:2: evidence",
        ),
        ('{"id": "ok", "claim": "again", "label": "supported"}', "bad.jsonl:2: id 'ok' repeats line 1"),
    ],
)
def test_malformed_rows_name_file_and_line(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"id": "ok", "claim": "fine", "label": "unverified"}\n' + line + "\n")
    with pytest.raises(EvalDataError, match=message):
        load_claims(path)


# --------------------------------------------------------------------------- registry and splits


@pytest.fixture
def registry(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    (data / "toy").mkdir(parents=True)
    (data / "toy" / "claims.jsonl").write_text('{"id": "a", "claim": "x", "label": "supported"}\n')
    (data / "toy" / "corpus.jsonl").write_text('{"id": "d", "text": "x"}\n')
    reg = tmp_path / "datasets.toml"
    reg.write_text(
        '[datasets.toy]\nclaims = "toy/claims.jsonl"\ncorpus = "toy/corpus.jsonl"\nsplit = "scifact"\n'
        '[datasets.gone]\nclaims = "gone/claims.jsonl"\ncorpus = "gone/corpus.jsonl"\n'
    )
    return reg


def test_registry_resolves_names_through_flag_and_env(
    registry: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ds = datasets.resolve("toy", tmp_path / "data", registry=registry)
    assert ds.claims == tmp_path / "data" / "toy" / "claims.jsonl"
    assert ds.split_file == datasets.splits_dir() / "scifact.json"
    monkeypatch.setenv(datasets.DATA_ENV, str(tmp_path / "data"))
    assert datasets.resolve("toy", registry=registry).corpus == tmp_path / "data" / "toy" / "corpus.jsonl"
    with pytest.raises(EvalDataError, match="Unknown dataset 'nope'; choose from toy, gone"):
        datasets.resolve("nope", registry=registry)
    with pytest.raises(EvalDataError, match="gone/claims.jsonl is missing .set --data-dir"):
        datasets.resolve("gone", registry=registry)


def test_shipped_registry_names_the_dev_sets_and_examples() -> None:
    assert datasets.dataset_names() == ["scifact-dev", "climate-fever-dev", "averitec-dev", "examples"]
    ex = datasets.resolve("examples")
    assert ex.claims.name == "claims.jsonl" and ex.corpus.is_dir() and ex.split_file is None


def test_split_files(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_text('{"train": ["a", "b"], "val": ["c"]}')
    assert datasets.load_split(path, "val") == {"c"}
    assert datasets.load_split(path, "all") is None
    with pytest.raises(EvalDataError, match="No split file"):
        datasets.load_split(tmp_path / "missing.json", "train")
    path.write_text('{"train": "a"}')
    with pytest.raises(EvalDataError, match="no list of claim ids under 'train'"):
        datasets.load_split(path, "train")


@pytest.mark.parametrize("name", ["scifact", "climate_fever", "averitec"])
def test_committed_splits_are_disjoint(name: str) -> None:
    data = json.loads((datasets.splits_dir() / f"{name}.json").read_text())
    roles = [set(data[r]) for r in ("train", "tune", "val")]
    assert data["tune"] and data["val"], "thresholds need tune claims, reports need val claims"
    assert all(not a & b for i, a in enumerate(roles) for b in roles[i + 1 :])


# --------------------------------------------------------------------------- metric arithmetic


def test_recall_curve_by_hand() -> None:
    gold = [["a"], ["b"], [], ["c", "d"]]  # the third claim has no gold evidence: left out
    ranked = [["x", "a", "y"], ["b"], ["z"], ["y", "y", "d"]]
    curve = recall_curve(gold, ranked, depth=5)
    assert curve[1] == pytest.approx(1 / 3)  # only "b" at rank 1
    assert curve[2] == pytest.approx(2 / 3)  # + "a" at rank 2
    assert curve[3] == curve[5] == 1.0  # + "d" at rank 3 (k counts passages, repeats included)
    assert recall_curve([[]], [["a"]], depth=2) == {1: None, 2: None}


def test_strict_score_by_hand() -> None:
    gold = [S, S, C, U, S, C]
    pred = [S, S, C, U, U, C]
    evidence = [["a"], ["a"], ["b"], [], [], []]
    cited = [["a"], ["x"], ["c", "b"], [], [], []]
    # 1 right + cited; 2 right, wrong citation; 3 right + cited; 4 unverified: label only;
    # 5 wrong label; 6 right, no gold evidence listed: label only  -> 4 / 6
    assert strict_score(gold, pred, evidence, cited) == pytest.approx(4 / 6)
    assert strict_score([], [], [], []) == 0.0


def test_expected_calibration_error_by_hand() -> None:
    conf = [0.95, 0.85, 0.55, 0.15, 1.0]
    correct = [True, False, True, False, True]
    # bin 0.9-1.0: {0.95, 1.0} conf 0.975 acc 1 -> 2/5 * 0.025; bin 0.8: 1/5 * 0.85;
    # bin 0.5: 1/5 * 0.45; bin 0.1: 1/5 * 0.15  -> 0.01 + 0.17 + 0.09 + 0.03 = 0.30
    assert expected_calibration_error(conf, correct) == pytest.approx(0.30)
    bins = calibration_bins(conf, correct)
    assert len(bins) == 10 and bins[9].count == 2 and bins[9].confidence == pytest.approx(0.975)
    assert expected_calibration_error([], []) is None
    assert expected_calibration_error([0.7, 0.7], [True, False]) == pytest.approx(0.2)


def _row(
    i: int, gold: L, pred: L, conf: float, evidence: list[str], judged: list[str], cited: list[str]
) -> dict[str, Any]:
    return {
        "id": f"c{i}",
        "claim": f"claim {i}",
        "gold": gold.value,
        "pred": pred.value,
        "confidence": conf,
        "conflicting": False,
        "cited": cited,
        "citations": [],
        "judged": judged,
        "retrieved": judged + ["z"] * 12,
        "gold_evidence": evidence,
        "seconds": 0.1 * (i + 1),
    }


ROWS = [
    _row(0, S, S, 0.9, ["a"], ["a", "b"], ["a"]),
    _row(1, C, S, 0.8, ["b"], ["x", "b"], ["x"]),
    _row(2, U, U, 0.6, [], ["q", "r"], []),
    _row(3, C, C, 0.7, ["d"], ["y", "w"], ["y"]),
]


def test_compute_metrics_from_rows_by_hand() -> None:
    m = compute_metrics(ROWS, judge="j", top_k=2)
    assert m["n"] == 4 and m["accuracy"] == 0.75
    # supported P 1/2 R 1 F1 2/3; contradicted P 1 R 1/2 F1 2/3; unverified 1 -> macro (2/3+2/3+1)/3
    assert m["macro_f1"] == round((2 / 3 + 2 / 3 + 1) / 3, 4)
    assert m["confusion"]["contradicted"] == {"supported": 1, "contradicted": 1, "unverified": 0}
    assert m["n_with_evidence"] == 3
    assert m["evidence_recall_at_k"] == round(2 / 3, 4)  # "a" and "b" among the judged, "d" not
    assert m["recall_retrieved"]["1"] == round(1 / 3, 4) and m["recall_retrieved"]["20"] == round(2 / 3, 4)
    assert m["recall_cited"]["1"] == round(1 / 3, 4) and m["cited_recall"] == round(1 / 3, 4)
    assert m["strict"] == 0.5  # c0 (cited a), c2 (unverified); c3 right label but "y" is not gold
    # ECE: 0.9 ok (0.1), 0.8 wrong (0.8), 0.6 ok (0.4), 0.7 ok (0.3) -> (0.1 + 0.8 + 0.4 + 0.3) / 4
    assert m["ece"] == 0.4
    assert m["seconds_per_claim"] == 0.25 and m["median_seconds_per_claim"] == 0.25


def test_report_compare_and_plots(tmp_path: Path) -> None:
    m = compute_metrics(ROWS, judge="j", top_k=2)
    md = report_markdown(m)
    assert "| macro-F1 | 0.778 |" in md and "| contradicted | 1 | 1 | 0 |" in md
    other = {**m, "macro_f1": 0.5, "ece": None}
    deltas = {name: d for name, _, _, d in compare(m, other)}
    assert deltas["macro_f1"] == pytest.approx(0.2778) and deltas["accuracy"] == 0.0 and deltas["ece"] is None
    for path in write_plots(m, tmp_path):
        assert path.read_bytes()[:4] == b"\x89PNG"


# --------------------------------------------------------------------------- run directories


def test_run_dir_resumes_only_the_same_config(tmp_path: Path) -> None:
    out = tmp_path / "run"
    config = {"dataset": "toy", "split": "all", "judge": "j", "top_k": 8}
    assert open_run(out, config) == {}
    with prediction_sink(out) as write:
        write(ROWS[0])
        write(ROWS[1])
    assert list(open_run(out, config)) == ["c0", "c1"]
    with pytest.raises(EvalDataError, match=r"another run \(top_k 8 -> 5\); pass --fresh"):
        open_run(out, {**config, "top_k": 5})
    assert open_run(out, {**config, "top_k": 5}, fresh=True) == {}


def test_torn_last_line_is_dropped(tmp_path: Path) -> None:
    path = tmp_path / "predictions.jsonl"
    path.write_text(json.dumps(ROWS[0]) + "\n" + '{"id": "c1", "cla')
    assert [r["id"] for r in read_predictions(path)] == ["c0"]
    assert path.read_text() == json.dumps(ROWS[0]) + "\n"  # cut, so appends start on a clean line
    path.write_text('{"nope": 1}\n' + json.dumps(ROWS[0]) + "\n")
    with pytest.raises(EvalDataError, match="predictions.jsonl:1: not a prediction row"):
        read_predictions(path)


# --------------------------------------------------------------------------- end to end (real models)


def _hand_metrics(rows: list[dict[str, Any]]) -> dict[str, float]:
    """The headline numbers recomputed from predictions.jsonl with plain loops."""
    n = len(rows)
    right = [r["gold"] == r["pred"] for r in rows]
    f1s = []
    for label in ("supported", "contradicted", "unverified"):
        tp = sum(1 for r in rows if r["gold"] == label == r["pred"])
        n_pred = sum(1 for r in rows if r["pred"] == label)
        n_gold = sum(1 for r in rows if r["gold"] == label)
        if n_gold:
            p, rec = (tp / n_pred if n_pred else 0.0), tp / n_gold
            f1s.append(2 * p * rec / (p + rec) if p + rec else 0.0)
    with_ev = [r for r in rows if r["gold_evidence"]]
    strict = 0
    for r, ok in zip(rows, right, strict=True):
        evidence_ok = not r["gold_evidence"] or set(r["cited"]) & set(r["gold_evidence"])
        strict += ok and (r["gold"] == "unverified" or bool(evidence_ok))
    return {
        "accuracy": round(sum(right) / n, 4),
        "macro_f1": round(sum(f1s) / len(f1s), 4),
        "evidence_recall_at_k": round(
            sum(1 for r in with_ev if set(r["judged"]) & set(r["gold_evidence"])) / len(with_ev), 4
        ),
        "strict": round(strict / n, 4),
    }


def test_tiny_end_to_end_eval_of_the_examples(tmp_path: Path) -> None:
    out = tmp_path / "run"
    args = ["eval", "examples", "--judge", "baseline", "--top-k", "4", "--out", str(out), "--no-progress"]
    result = runner.invoke(app, [*args, "--limit", "3", "-f", "json"])
    assert result.exit_code == 0, result.output
    metrics = json.loads(result.stdout)
    assert metrics["n"] == 3 and metrics["predicted_now"] == 3 and metrics["dataset"] == "examples"
    result = runner.invoke(app, [*args, "--limit", "6", "-f", "json"])  # resumes: 3 more
    assert result.exit_code == 0, result.output
    metrics = json.loads(result.stdout)
    assert (metrics["n"], metrics["predicted_now"], metrics["resumed"]) == (6, 3, 3)
    rows = [json.loads(line) for line in (out / "predictions.jsonl").read_text().splitlines()]
    assert [r["id"] for r in rows] == [f"ex-00{i}" for i in range(1, 7)]
    assert all(len(r["judged"]) == 4 and len(r["retrieved"]) > 4 for r in rows)
    for key, value in _hand_metrics(rows).items():
        assert metrics[key] == value, key
    assert json.loads((out / "metrics.json").read_text())["macro_f1"] == metrics["macro_f1"]
    assert metrics["peak_rss_mb"] > 50 and metrics["seconds_per_claim"] > 0
    for name in ("report.md", "confusion.png", "reliability.png", "recall.png", "run.json"):
        assert (out / name).stat().st_size > 0, name
    again = runner.invoke(app, [*args, "--limit", "6", "--compare", str(out)])
    assert again.exit_code == 0 and "+0.000" in again.stdout and "macro_f1" in again.stdout
    changed = runner.invoke(app, [*args[:-3], "--top-k", "5", "--out", str(out)])
    assert changed.exit_code == 1 and "another run (top_k 4 -> 5); pass --fresh" in changed.stderr


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["eval"], "Name a dataset (scifact-dev, climate-fever-dev, averitec-dev, examples)"),
        (["eval", "nope"], "Unknown dataset 'nope'"),
        (["eval", "examples", "--split", "val"], "--split val needs a dataset with a split file"),
        (["eval", "examples", "--split", "dev"], "--split must be one of train, tune, val, all"),
        (["eval", "examples", "--claims", "x.jsonl"], "not both"),
        (["eval", "scifact-dev", "--data-dir", "/nonexistent"], "is missing (set --data-dir"),
    ],
)
def test_eval_usage_errors_are_one_line(argv: list[str], fragment: str) -> None:
    result = runner.invoke(app, argv)
    assert result.exit_code == 1, result.output
    assert result.stderr.strip() == "Error: " + result.stderr.strip().removeprefix("Error: ")
    assert fragment in result.stderr, result.stderr
