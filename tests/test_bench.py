"""`verifier bench` produces every measurement (timings are measured, never asserted)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import DATA
from verifier.config import Settings
from verifier.evaluation.bench import run_bench, subset_corpus, summary_lines


def test_subset_corpus_takes_the_first_rows(tmp_path: Path) -> None:
    out = subset_corpus(DATA / "corpus.jsonl", 2, tmp_path / "sub.jsonl")
    assert [json.loads(line)["id"] for line in out.read_text().splitlines()] == ["doc-heron", "doc-tram"]
    assert subset_corpus(DATA / "sources", 2, tmp_path / "x.jsonl") == DATA / "sources"


def test_bench_reports_every_number(isolated_home: Path) -> None:
    settings = Settings.resolve(judge="baseline", progress="never")
    result = run_bench(
        settings, corpus=DATA / "corpus.jsonl", claims=DATA / "claims.jsonl", docs=3, queries=2, pairs=4,
        cold_runs=0, articles=[DATA / "articles" / p.name for p in sorted((DATA / "articles").iterdir())][:1],
        embed_passages=2,
    )  # fmt: skip
    assert result["ingest"]["sources"] == 3 and result["ingest"]["passages"] >= 3
    assert result["retrieval"]["n"] == 2 and result["check_warm"]["n"] == 2
    assert result["judge_throughput"]["pairs"] >= 3 and result["judge"] == "baseline-lexical-v1"
    assert result["audit"]["words"] > 0 and result["peak_rss_mb"] > 0
    arithmetic = result["arithmetic"]
    assert arithmetic["passages"] == 2 and arithmetic["chosen"] == "onnx fp32"
    paths = arithmetic["alternatives"]
    assert {"onnx fp32", "torch fp32", "torch bf16"} <= set(paths)
    assert paths["onnx fp32"]["min_cosine_to_torch_fp32"] >= 0.999
    lines = summary_lines(result)
    assert "check_cold" not in result and len(lines) == 8 + len(paths)
    assert any(line.startswith("  * onnx fp32:") for line in lines)
