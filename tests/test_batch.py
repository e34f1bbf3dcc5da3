"""Batch audits: inputs (files, folders, globs, JSONL), the resumable JSONL output, per-article failures,
and the same lines from a dask LocalCluster of 2 workers on 127.0.0.1 as from the serial run."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tests.conftest import DATA
from verifier.batch.inputs import article_files, count_articles, is_batch, iter_articles
from verifier.batch.output import JsonlSink, recover
from verifier.batch.run import run_batch
from verifier.cli import app
from verifier.config import Settings
from verifier.errors import InputError

# small articles about the test sources (tests/data): supported, contradicted and unverifiable claims
ARTICLES = [
    (
        "bridge",
        "The Ash Creek footbridge in Tollmere reopened on 9 January 2026 after eleven weeks of repairs.",
    ),
    ("bridge-cost", "The repairs to the Ash Creek footbridge cost 250,000 pounds, the parish council said."),
    ("orchard", "The Marlow Orchard cooperative picked 212 tonnes of apples in 2025."),
    ("orchard-farms", "The Marlow Orchard cooperative has 52 member farms across the Tollmere valley."),
    ("herons", "Volunteers counted 57 grey herons at Fallow Marsh in March 2025."),
    ("tram", "The Brackley tram line carried 3.1 million passengers in its first year of service."),
    ("bakery", "Orla Byrne's bakery in Cresswell won the regional bread award in 2025."),
    ("lighthouse", "The Penmor lighthouse was automated in 1987. It no longer has a resident keeper."),
    ("festival", "The Marlow harvest festival on 4 October 2025 drew about 3,000 visitors."),
    ("council", "Harlow Bay City Council voted 7-2 to rebuild the North Quay ferry terminal."),
]


def write_articles(path: Path, extra: list[dict[str, object]] | None = None) -> Path:
    rows = [{"id": aid, "text": text, "date": "2026-02-14"} for aid, text in ARTICLES]
    path.write_text("".join(json.dumps(r) + "\n" for r in [*rows, *(extra or [])]), encoding="utf-8")
    return path


def lines_by_id(path: Path) -> dict[str, dict[str, object]]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    by_id = {r["id"]: r for r in rows}
    assert len(by_id) == len(rows), "an id was written twice"
    return by_id


# --------------------------------------------------------------------------- inputs


def test_inputs_expand_folders_globs_and_jsonl(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "one.txt").write_text("One.", encoding="utf-8")
    (tmp_path / "a" / "two.md").write_text("Two.", encoding="utf-8")
    (tmp_path / "a" / "skip.png").write_bytes(b"\x89PNG")
    (tmp_path / "a" / ".hidden.txt").write_text("Hidden.", encoding="utf-8")
    rows = tmp_path / "rows.jsonl"
    rows.write_text(
        '{"id": "r1", "text": "Row one.", "url": "https://x.test/1", "date": "2026-01-02"}\n\n'
        '{"id": "r2", "text": ""}\nnot json\n{"text": "no id"}\n',
        encoding="utf-8",
    )
    files = article_files([str(tmp_path / "a"), str(tmp_path / "*.jsonl")])
    assert [p.name for p in files] == ["one.txt", "two.md", "rows.jsonl"]
    assert count_articles(files) == 6
    got = list(iter_articles(files))
    assert [(a.id, a.text, a.error is None) for a in got[:3]] == [
        (str(tmp_path / "a" / "one.txt"), "One.", True),
        (str(tmp_path / "a" / "two.md"), "Two.", True),
        ("r1", "Row one.", True),
    ]
    assert (got[2].url, got[2].date) == ("https://x.test/1", "2026-01-02")
    assert got[3].id == "r2" and "has no text" in (got[3].error or "")
    assert got[4].id == f"{rows}:4" and "invalid JSON" in (got[4].error or "")
    assert got[5].id == f"{rows}:5" and "needs an 'id'" in (got[5].error or "")


def test_batch_mode_is_chosen_by_the_inputs(tmp_path: Path) -> None:
    one = tmp_path / "one.txt"
    one.write_text("One.", encoding="utf-8")
    assert not is_batch([str(one)]) and not is_batch(["-"])
    assert (
        is_batch([str(one), str(one)]) and is_batch([str(tmp_path)]) and is_batch([str(tmp_path / "*.txt")])
    )
    assert is_batch(["articles.jsonl"])
    with pytest.raises(InputError, match="no file matches"):
        article_files([str(tmp_path / "*.md")])
    with pytest.raises(InputError, match="no such file"):
        article_files([str(tmp_path / "missing.txt")])


# --------------------------------------------------------------------------- output


def test_recover_cuts_a_torn_last_line_and_lists_the_ids(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    out.write_text('{"id":"a","claims":[]}\n{"id":"b","error":"x"}\n{"id":"c","cla', encoding="utf-8")
    assert recover(out) == {"a", "b"}
    assert out.read_text(encoding="utf-8") == '{"id":"a","claims":[]}\n{"id":"b","error":"x"}\n'
    sink = JsonlSink.append_to(out)
    sink.write({"id": "c", "claims": []})
    sink.close()
    assert recover(out) == {"a", "b", "c"}
    assert recover(tmp_path / "new.jsonl") == set()


def test_recover_refuses_a_file_that_is_not_a_batch_output(tmp_path: Path) -> None:
    out = tmp_path / "notes.jsonl"
    out.write_text("hello\n{}\n", encoding="utf-8")
    with pytest.raises(InputError, match="notes.jsonl:1"):
        recover(out)
    assert out.read_text(encoding="utf-8") == "hello\n{}\n"  # untouched


# --------------------------------------------------------------------------- serial runs


def test_cli_batch_reports_failures_per_article_and_resumes(tmp_path: Path, data_store: Path) -> None:
    good = tmp_path / "in" / "bridge.txt"
    good.parent.mkdir()
    good.write_text(ARTICLES[0][1], encoding="utf-8")
    (tmp_path / "in" / "binary.txt").write_bytes(b"abc\x00def")
    (tmp_path / "in" / "empty.md").write_text("  \n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    args = [
        "audit",
        str(tmp_path / "in"),
        "--store",
        str(data_store),
        "--judge",
        "baseline",
        "--out",
        str(out),
    ]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "Audited 3 articles (2 failed" in result.stderr
    lines = lines_by_id(out)
    assert set(lines) == {str(good), str(tmp_path / "in" / "binary.txt"), str(tmp_path / "in" / "empty.md")}
    assert "binary" in str(lines[str(tmp_path / "in" / "binary.txt")]["error"])
    assert "empty" in str(lines[str(tmp_path / "in" / "empty.md")]["error"])
    audited = lines[str(good)]
    assert audited["source"] == str(good) and audited["judge"] == "baseline-lexical-v1"
    assert audited["claims"] and all("label" in c and "span" in c for c in audited["claims"])  # type: ignore[union-attr]

    # a killed run left a torn line; the re-run cuts it, skips what is done and audits the rest
    with out.open("a", encoding="utf-8") as fh:
        fh.write('{"id": "torn')
    more = tmp_path / "in" / "orchard.txt"
    more.write_text(ARTICLES[2][1], encoding="utf-8")
    again = CliRunner().invoke(app, args)
    assert again.exit_code == 0, again.output
    assert "Audited 1 articles" in again.stderr and "3 already done" in again.stderr
    assert set(lines_by_id(out)) == {*lines, str(more)}


def test_cli_single_file_stays_a_single_audit(data_store: Path) -> None:
    article = DATA / "articles" / "tollmere-weekly.txt"
    result = CliRunner().invoke(
        app, ["audit", str(article), "--store", str(data_store), "--judge", "baseline", "-f", "json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["source"] == str(article)  # the audit object, not a batch line


def test_cli_batch_refuses_single_article_formats(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["audit", str(DATA / "articles"), "-f", "html"])
    assert result.exit_code == 1 and "a batch writes one JSON line per article" in result.stderr


# --------------------------------------------------------------------------- dask


@pytest.mark.slow
def test_local_cluster_of_two_workers_equals_the_serial_run(
    tmp_path: Path, data_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """10 articles (plus one without text) on 2 worker processes bound to 127.0.0.1: each line equals the
    serial run's; the models were built once per worker; nothing listened beyond loopback."""
    import psutil

    from verifier.batch import run as batch_run

    articles = write_articles(tmp_path / "articles.jsonl", extra=[{"id": "blank", "text": " "}])
    files = article_files([str(articles)])
    serial_out, dask_out = tmp_path / "serial.jsonl", tmp_path / "dask.jsonl"
    base = Settings.resolve(store=data_store, progress="never")

    listening: list[str] = []
    loaded: dict[str, int] = {}
    real_client = batch_run.dask_client

    @contextmanager
    def watching_client(settings: Settings) -> Iterator[Any]:
        """The real client; on the way out, what each worker process holds and every listening socket."""
        with real_client(settings) as client:
            yield client
            loaded.update(client.run(batch_run.loaded_checkers))
            for proc in [psutil.Process(), *psutil.Process().children(recursive=True)]:
                for conn in proc.net_connections(kind="inet"):
                    if conn.status == psutil.CONN_LISTEN:
                        listening.append(conn.laddr.ip)

    monkeypatch.setattr(batch_run, "dask_client", watching_client)
    for settings, out in ((base, serial_out), (base.model_copy(update={"workers": 2}), dask_out)):
        sink = JsonlSink.append_to(out)
        summary = run_batch(settings, iter_articles(files), sink.write, total=count_articles(files))
        sink.close()
        assert (summary.audited, summary.failed, summary.workers) == (11, 1, 1 + (out == dask_out))

    serial, distributed = lines_by_id(serial_out), lines_by_id(dask_out)
    assert set(serial) == {aid for aid, _ in ARTICLES} | {"blank"}
    for aid in serial:
        assert distributed[aid] == serial[aid], aid
    labels = {c["label"] for r in serial.values() for c in r.get("claims", [])}  # type: ignore[union-attr]
    assert {"supported", "contradicted"} <= labels  # the articles exercise real verdicts
    assert sorted(loaded.values()) == [1, 1]  # one checker per worker process, whatever the task count
    assert listening and set(listening) == {"127.0.0.1"}
