"""Grounded mode (`--against`): the given documents only, no store, exact citation offsets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import REPO
from verifier.cli import app
from verifier.errors import SourceReadError
from verifier.store.grounded import GroundedRetriever
from verifier.store.sources import iter_documents

EXAMPLES = REPO / "evidence" / "examples"
RECALL = EXAMPLES / "brightwell-sunny-spread-recall.html"
PETITION = EXAMPLES / "greyford-library-petition.txt"
runner = CliRunner()


def test_retriever_returns_every_passage_with_exact_offsets() -> None:
    retriever = GroundedRetriever.from_paths([RECALL, PETITION])
    hits = retriever.search("Brightwell recalled peanut jars", k=1)
    assert len(hits) == retriever.size > 2  # k is ignored: every passage is judged
    assert hits[0].passage.source_id == RECALL.name  # best word overlap first
    sources = {src.id: src for src, _ in iter_documents([RECALL, PETITION])}
    for hit in hits:
        p = hit.passage
        assert sources[p.source_id].text[p.start : p.end] == p.text


def test_missing_and_binary_documents_are_one_line_errors(tmp_path: Path) -> None:
    with pytest.raises(SourceReadError, match="no such file"):
        GroundedRetriever.from_paths([tmp_path / "absent.txt"])
    binary = tmp_path / "blob.txt"
    binary.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(SourceReadError):
        GroundedRetriever.from_paths([binary])


@pytest.mark.slow
def test_check_against_cites_the_given_document_and_writes_no_store(isolated_home: Path) -> None:
    claim = "Brightwell Foods recalled Sunny Spread jars because of undeclared peanut."
    result = runner.invoke(
        app, ["check", claim, "--against", str(RECALL), "--against", str(PETITION), "-f", "json"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["label"] == "supported"
    text = next(src.text for src, _ in iter_documents([RECALL]))
    for c in report["citations"]:
        assert c["source_id"] == RECALL.name
        assert text[c["start"] : c["end"]] == c["quote"]
    assert not (isolated_home / "store").exists()
    assert not (isolated_home / "examples-store").exists()


@pytest.mark.slow
def test_audit_against_checks_the_article_on_the_given_document(tmp_path: Path) -> None:
    article = tmp_path / "article.md"
    article.write_text(
        "Brightwell Foods recalled its Sunny Spread jars over an undeclared peanut allergen.\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["audit", str(article), "--against", str(RECALL), "-f", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    cited = {c["source_id"] for v in report["claims"] for c in v["citations"]}
    assert cited <= {RECALL.name}


def test_against_errors_are_one_line(tmp_path: Path) -> None:
    result = runner.invoke(app, ["check", "A claim.", "--against", str(tmp_path / "nope.txt")])
    assert result.exit_code == 1
    assert "nope.txt: no such file" in result.stderr
    assert "Traceback" not in result.output
    result = runner.invoke(app, ["check", "A claim.", "--against", str(RECALL), "--store", str(tmp_path)])
    assert result.exit_code == 1
    assert "leave out --store" in result.stderr
