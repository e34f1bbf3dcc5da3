"""`verify_store` / `repair_store` and the CLI's `verifier store verify|repair` on real damaged stores, and
an ingest killed with SIGKILL in a real subprocess: the re-run completes and the store verifies."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import DATA, REPO
from verifier.cli import app
from verifier.errors import StoreInconsistentError, StoreNotFoundError
from verifier.store.embedding import MiniLMEmbedder
from verifier.store.evidence import EvidenceStore
from verifier.store.integrity import chroma_ids, repair_store, verify_store

runner = CliRunner()


@pytest.fixture
def filled(tmp_path: Path, embedder: MiniLMEmbedder) -> EvidenceStore:
    store = EvidenceStore.open(tmp_path / "store", embedder)
    store.ingest([DATA / "sources", DATA / "corpus.jsonl"], progress="never")
    return store


def test_a_fresh_store_verifies(filled: EvidenceStore) -> None:
    check = verify_store(filled)
    assert check.ok, check.problems
    assert check.sources == filled.count_sources() and check.passages == check.vectors == check.lexical > 0
    check.raise_if_inconsistent()


def test_verify_names_each_difference_and_repair_fixes_them(filled: EvidenceStore) -> None:
    ids = sorted(chroma_ids(filled))
    filled.collection.delete(ids=[ids[0]])  # a missing vector
    filled.collection.upsert(
        ids=["ghost#0"], embeddings=[[0.1] * 384], documents=["x"], metadatas=[{"source_id": "ghost"}]
    )
    shutil.rmtree(filled.path / "bm25")
    manifest = json.loads((filled.path / "manifest.json").read_text())
    (filled.path / "manifest.json").write_text(json.dumps({**manifest, "passages": 999}))
    check = verify_store(filled)
    text = "; ".join(check.problems)
    assert f"chroma collection lacks 1 passage(s): {ids[0]}" in text
    assert "chroma collection has 1 passage(s) the source table does not: ghost#0" in text
    assert "lexical index (bm25/ids.json) is missing" in text
    assert f"manifest says 999 passages, the source table has {check.passages}" in text
    assert len(check.problems) == 4
    with pytest.raises(StoreInconsistentError, match="run: verifier store repair"):
        check.raise_if_inconsistent()
    stats = repair_store(filled)
    assert (stats.orphan_vectors, stats.vectors_added, stats.lexical_passages) == (1, 1, check.passages)
    after = verify_store(filled)
    assert after.ok, after.problems
    hits = filled.search("grey herons Fallow Marsh", 3)
    assert hits and hits[0].passage.source_id == "doc-heron"


def test_half_written_source_is_named_and_rolled_back(filled: EvidenceStore) -> None:
    with filled.db:
        filled.db.execute("INSERT INTO pending VALUES ('doc-heron')")
    check = verify_store(filled)
    assert check.problems == ("1 source(s) half-written by an interrupted ingest: doc-heron",)
    stats = repair_store(filled)
    assert stats.rolled_back == 1 and filled.get_source("doc-heron") is None
    assert verify_store(filled).ok
    again = filled.ingest([DATA / "corpus.jsonl"], progress="never")  # a re-run brings it back
    assert again.added == 1 and verify_store(filled).ok


def test_verify_of_no_store_is_an_error(tmp_path: Path, embedder: MiniLMEmbedder) -> None:
    with pytest.raises(StoreNotFoundError, match="No store at"):
        verify_store(EvidenceStore.open(tmp_path / "nothing", embedder))
    assert not (tmp_path / "nothing").exists()  # verify created nothing


def test_cli_verify_exits_1_naming_the_difference_and_repair_fixes_it(filled: EvidenceStore) -> None:
    path = str(filled.path)
    ok = runner.invoke(app, ["store", "verify", "--store", path])
    assert ok.exit_code == 0 and "is consistent" in ok.output
    shutil.rmtree(filled.path / "bm25")
    bad = runner.invoke(app, ["store", "verify", "--store", path, "--format", "json"])
    assert bad.exit_code == 1
    assert json.loads(bad.stdout)["problems"] == ["lexical index (bm25/ids.json) is missing or unreadable"]
    lines = bad.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"Error: Store {path} is inconsistent: lexical index")
    fixed = runner.invoke(app, ["store", "repair", "--store", path])
    assert fixed.exit_code == 0 and "The store is consistent." in fixed.output, fixed.output
    assert runner.invoke(app, ["store", "verify", "--store", path]).exit_code == 0


def _write_sources(folder: Path, n: int) -> None:
    folder.mkdir()
    for i in range(n):
        (folder / f"report-{i:03d}.txt").write_text(
            f"Survey {i} at Fallow Marsh\n\nVolunteers counted {i + 11} herons on day {i}. "
            f"The count at station {i} was taken by warden number {i * 7}.\n",
            encoding="utf-8",
        )


def _sources_written(db_file: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db_file}?mode=ro", uri=True, timeout=0.1) as db:
            return int(db.execute("SELECT COUNT(*) FROM sources").fetchone()[0])
    except sqlite3.Error:
        return 0


@pytest.mark.slow
def test_kill_9_mid_ingest_then_rerun_completes_and_verifies(
    tmp_path: Path, embedder: MiniLMEmbedder
) -> None:
    n = 200
    folder, path = tmp_path / "sources", tmp_path / "store"
    _write_sources(folder, n)
    env = {**os.environ, "PYTHONPATH": str(REPO), "VERIFIER_INGEST_BATCH_SIZE": "8"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "verifier", "ingest", str(folder), "--store", str(path)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 300
        while _sources_written(path / "sources.sqlite") < 24 and proc.poll() is None:
            assert time.monotonic() < deadline, "the ingest never got going"
            time.sleep(0.05)
        assert proc.poll() is None, proc.stderr.read()  # type: ignore[union-attr]
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.kill()
        proc.wait()
    store = EvidenceStore.open(path, embedder)
    written = store.count_sources()
    assert 24 <= written < n
    assert not verify_store(store).ok  # at least the manifest and the bm25 index are behind
    stats = store.ingest([folder], progress="never")  # the re-run takes over the dead process's lock
    assert stats.added + stats.unchanged == n and stats.added >= n - written
    check = verify_store(store)
    assert check.ok, check.problems
    ids = chroma_ids(store)
    assert len(ids) == len(set(ids)) == store.count_passages() == check.lexical
    assert {p.source_id for p in store.passages()} == {f"report-{i:03d}.txt" for i in range(n)}
    hits = store.search("How many herons were counted on day 150?", 3)
    assert any(h.passage.source_id == "report-150.txt" for h in hits)
    store.close()


def test_streamed_ingest_small_batches_and_duplicate_ids(tmp_path: Path, embedder: MiniLMEmbedder) -> None:
    """Batches are written as they fill (here every 2 passages); a repeated id: the later row wins,
    whether the earlier one is still in the open batch or already written."""
    texts = {i: f"Station {i} counted {i + 3} herons in March." for i in range(4)}
    rows = [
        ("doc-0", texts[0]),
        ("doc-0", "Station zero was closed."),
        ("doc-1", texts[1]),  # in the batch
        ("doc-2", texts[2]),
        ("doc-3", texts[3]),
        ("doc-1", "Station one moved."),
    ]  # already written
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in rows), encoding="utf-8")
    store = EvidenceStore.open(tmp_path / "store", embedder)
    stats = store.ingest([corpus], batch_size=2, progress="never")
    assert (stats.added, stats.updated, stats.unchanged) == (4, 0, 0)
    got = {s.id: s.text for s in store.sources()}
    assert got == {
        "doc-0": "Station zero was closed.",
        "doc-1": "Station one moved.",
        "doc-2": texts[2],
        "doc-3": texts[3],
    }
    check = verify_store(store)
    assert check.ok and check.sources == 4 == check.passages, check.problems
    # a re-run writes nothing: each earlier row is still in the open batch when its later one comes
    again = store.ingest([corpus], batch_size=2, progress="never")
    assert (again.added, again.updated, again.unchanged) == (0, 0, 4)
    assert {s.id: s.text for s in store.sources()} == got and verify_store(store).ok
    store.close()
