"""Every command through typer's CliRunner: JSON shapes, help, and one-line errors for bad input."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import DATA, REPO
from verifier.cli import app

pytestmark = pytest.mark.slow  # end to end: real models, real stores, the CLI

runner = CliRunner()
HEAVY = ("torch", "chromadb", "sentence_transformers", "bm25s", "onnxruntime", "transformers")


def run(*args: str, input: str | bytes | None = None) -> object:
    return runner.invoke(app, list(args), input=input)


def assert_one_line_error(result: object, fragment: str) -> None:
    assert result.exit_code == 1, (result.exit_code, result.output)  # type: ignore[attr-defined]
    err = result.stderr  # type: ignore[attr-defined]
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith("Error: ") and fragment in lines[0], lines[0]
    assert "Traceback" not in result.output  # type: ignore[attr-defined]


@pytest.mark.parametrize("command", [[], ["ingest"], ["check"], ["audit"], ["eval"]])
def test_help_for_every_command(command: list[str]) -> None:
    result = run(*command, "--help")
    assert result.exit_code == 0 and "Usage" in result.output
    if command in (["check"], ["audit"], ["eval"]):
        assert "baseline" in result.output


def test_help_imports_nothing_heavy_and_is_fast() -> None:
    code = f"import sys, verifier.cli; print(sorted(m for m in {HEAVY!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "verifier", "--help"], capture_output=True, check=True, cwd=REPO)
    assert time.perf_counter() - start < 2.0  # measured ~0.2 s; generous for a busy machine


def test_check_json_shape(data_store: Path) -> None:
    result = run("check", "Volunteers counted 57 grey herons at Fallow Marsh in March 2025.",
                 "--store", str(data_store), "--judge", "baseline", "--format", "json")  # fmt: skip
    assert result.exit_code == 0, result.output
    obj = json.loads(result.stdout)
    assert set(obj) == {"claim", "label", "confidence", "conflicting", "judge", "citations", "reasons"}
    assert obj["label"] == "supported" and obj["judge"] == "baseline-lexical-v1"
    assert obj["citations"] and set(obj["citations"][0]) == {
        "source_id", "passage_id", "title", "url", "quote", "start", "end", "score",
    }  # fmt: skip
    corpus = {r["id"]: r for r in map(json.loads, (DATA / "corpus.jsonl").read_text().splitlines())}
    c = obj["citations"][0]
    assert corpus[c["source_id"]]["text"][c["start"] : c["end"]] == c["quote"]


def test_check_text_output(data_store: Path) -> None:
    result = run("check", "The Brackley tram line carried 9.1 million passengers in its first year.",
                 "--store", str(data_store), "--judge", "baseline")  # fmt: skip
    assert result.exit_code == 0
    assert "Verdict:" in result.stdout and "CONTRADICTED" in result.stdout


def test_audit_json_shape_spans_and_stdin(data_store: Path) -> None:
    article_path = DATA / "articles" / "tollmere-weekly.txt"
    article = article_path.read_text(encoding="utf-8")
    result = run("audit", str(article_path), "--store", str(data_store), "--judge", "baseline", "-f", "json")
    assert result.exit_code == 0, result.output
    obj = json.loads(result.stdout)
    assert set(obj) == {"source", "judge", "claims"} and obj["source"] == str(article_path)
    assert len(obj["claims"]) == 5  # + the fact attributed to the parish council (article extractor)
    for claim in obj["claims"]:
        assert set(claim) == {
            "claim",
            "label",
            "confidence",
            "conflicting",
            "judge",
            "citations",
            "reasons",
            "span",
        }
        s, e = claim["span"]
        assert 0 <= s < e <= len(article) and article[s:e].strip()
        if claim["label"] != "unverified":
            assert claim["citations"]
    labels = [c["label"] for c in obj["claims"]]
    assert labels[0] == "supported" and labels[1] == "contradicted"  # 250,000 vs 184,500 pounds
    piped = run("audit", "-", "--store", str(data_store), "--judge", "baseline", "-f", "json", input=article)
    assert piped.exit_code == 0
    assert json.loads(piped.stdout)["source"] == "<stdin>"
    assert [c["label"] for c in json.loads(piped.stdout)["claims"]] == labels


def test_audit_text_table(data_store: Path) -> None:
    result = run("audit", str(DATA / "articles" / "tollmere-weekly.txt"), "--store", str(data_store),
                 "--judge", "baseline")  # fmt: skip
    assert result.exit_code == 0
    assert "5 claims:" in result.stdout


def test_ingest_json_and_idempotency(tmp_path: Path) -> None:
    store = tmp_path / "store"
    first = run(
        "ingest", str(DATA / "sources"), str(DATA / "corpus.jsonl"), "--store", str(store), "-f", "json"
    )
    assert first.exit_code == 0, first.output
    obj = json.loads(first.stdout)
    assert {k: obj[k] for k in ("added", "updated", "unchanged", "sources_in_store")} == {
        "added": 7, "updated": 0, "unchanged": 0, "sources_in_store": 7,
    }  # fmt: skip
    again = json.loads(run("ingest", str(DATA / "sources"), "--store", str(store), "-f", "json").stdout)
    assert (again["added"], again["unchanged"], again["passages"]) == (0, 3, 0)
    text = run("ingest", str(DATA / "sources"), "--store", str(store))
    assert text.exit_code == 0 and "0 added, 0 updated, 3 unchanged" in text.stdout


def test_eval_command_writes_metrics(tmp_path: Path) -> None:
    out = tmp_path / "run"
    result = run("eval", "--claims", str(DATA / "claims.jsonl"), "--corpus", str(DATA / "corpus.jsonl"),
                 "--out", str(out), "--judge", "baseline", "--limit", "3", "-f", "json")  # fmt: skip
    assert result.exit_code == 0, result.output
    metrics = json.loads(result.stdout)
    assert metrics["n"] == 3 and 0.0 <= metrics["macro_f1"] <= 1.0
    assert json.loads((out / "metrics.json").read_text())["accuracy"] == metrics["accuracy"]
    assert len((out / "predictions.jsonl").read_text().splitlines()) == 3
    text = run("eval", "--claims", str(DATA / "claims.jsonl"), "--corpus", str(DATA / "corpus.jsonl"),
               "--out", str(out), "--judge", "baseline")  # fmt: skip
    assert text.exit_code == 0 and "macro-F1" in text.stdout


def test_default_store_is_built_from_the_shipped_examples(isolated_home: Path) -> None:
    result = run(
        "check", "Eastmoor Rovers beat Port Calder 3-1 in the Calder Valley Cup final.", "-f", "json"
    )
    assert result.exit_code == 0, result.output
    assert "shipped examples" in result.stderr
    assert json.loads(result.stdout)["citations"][0]["source_id"] == "eastmoor-rovers-cup-final.html"
    again = run("check", "Eastmoor Rovers beat Port Calder 3-1.", "-f", "json")
    assert "shipped examples" not in again.stderr  # built once
    assert (isolated_home / "examples-store" / "manifest.json").exists()


@pytest.fixture
def bad_files(tmp_path: Path) -> dict[str, Path]:
    files = {
        "empty": ("empty.txt", b""),
        "binary": ("binary.txt", b"\x89PNG\r\n\x00\x00data"),
        "latin1": ("latin1.txt", "Caf\u00e9 prices rose in M\u00fcnster.".encode("cp1252")),
        "garbage": ("garbage.txt", bytes(range(1, 256)) * 4),
        "unsupported": ("table.csv", b"a,b\n"),
        "a_file": ("store-file", b"not a directory"),
        "bad_claims": ("claims.jsonl", b'{"id": "1", "claim": "x", "label": "nope"}\n'),
    }
    out = {}
    for key, (name, content) in files.items():
        (tmp_path / name).write_bytes(content)
        out[key] = tmp_path / name
    out["missing"] = tmp_path / "missing.txt"
    out["empty_dir"] = tmp_path / "empty-store"
    out["empty_dir"].mkdir()
    return out


BAD_INPUTS = [
    (["check", ""], "The claim is empty"),
    (["check", "   "], "The claim is empty"),
    (["audit", "{missing}"], "no such file"),
    (["audit", "{empty}"], "file is empty"),
    (["audit", "{binary}"], "binary"),
    (["audit", "{garbage}"], "not UTF-8 and no known text encoding fits"),
    (["ingest", "{missing}"], "no such file"),
    (["ingest", "{empty}"], "file is empty"),
    (["ingest", "{binary}"], "binary"),
    (["ingest", "{garbage}"], "not UTF-8 and no known text encoding fits"),
    (["ingest", "{unsupported}"], "unsupported file type"),
    (["ingest", "{latin1}", "--store", "{a_file}"], "is a file"),
    (["check", "A claim.", "--store", "{a_file}"], "is a file"),
    (["audit", "{garbage}", "--store", "{a_file}"], "not UTF-8"),
    (["check", "A claim.", "--store", "{empty_dir}"], "No sources ingested"),
    (["check", "A claim.", "--judge", "oracle"], "Unknown judge 'oracle'"),
    (["check", "A claim.", "--top-k", "0"], "top_k"),
    (["eval", "--claims", "{bad_claims}", "--corpus", "{missing}"], "claims.jsonl:1: label"),
    (["eval", "--claims", str(DATA / "claims.jsonl"), "--corpus", "{missing}"], "no such file"),
    (["eval", "--claims", "{missing}", "--corpus", str(DATA / "corpus.jsonl")], "no such file"),
]


@pytest.mark.parametrize(("argv", "fragment"), BAD_INPUTS, ids=[" ".join(a)[:40] for a, _ in BAD_INPUTS])
def test_bad_input_is_one_line_and_exit_1(bad_files: dict[str, Path], argv: list[str], fragment: str) -> None:
    args = [a.format(**{k: str(v) for k, v in bad_files.items()}) for a in argv]
    assert_one_line_error(run(*args), fragment)


def test_empty_stdin_is_an_error() -> None:
    assert_one_line_error(run("audit", "-", input=""), "input is empty")


def test_store_built_with_another_model(tmp_path: Path) -> None:
    store = tmp_path / "store"
    assert run("ingest", str(DATA / "corpus.jsonl"), "--store", str(store)).exit_code == 0
    manifest = json.loads((store / "manifest.json").read_text())
    manifest["embedding_model"] = "e5-large@9"
    (store / "manifest.json").write_text(json.dumps(manifest))
    assert_one_line_error(
        run("check", "A claim.", "--store", str(store)), "built with embedding model e5-large@9"
    )
    (store / "manifest.json").write_text("{broken")
    assert_one_line_error(run("check", "A claim.", "--store", str(store)), "corrupted")


def test_python_dash_m_entry_point() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "verifier", "check", ""], capture_output=True, text=True, cwd=REPO
    )
    assert out.returncode == 1 and out.stderr.strip() == "Error: The claim is empty"
