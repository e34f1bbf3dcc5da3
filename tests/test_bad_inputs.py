"""The bad-input matrix: every command, fed bad input, prints exactly one `Error: ...` line on stderr,
exits 1 and never shows a traceback; usage errors exit 2. Messages are asserted in full."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tests.conftest import DATA
from verifier.cli import app
from verifier.store.evidence import FORMAT_VERSION, LOCK_FILE

runner = CliRunner()
SUFFIXES = ".txt, .md, .markdown, .html, .htm, .jsonl"

FILES: dict[str, bytes] = {
    "empty.txt": b"",
    "blank.md": b" \n\n\t\n",
    "report.pdf.txt": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n",
    "image.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    "nul.md": b"text then \x00 a NUL byte",
    "garbage.txt": bytes(range(1, 256)) * 4,
    "table.csv": b"a,b\n1,2\n",
    "markup.html": b"<html><script>x()</script><style>p{}</style></html>",
    "bad.jsonl": b'{"id": "a", "text": "fine"}\n{not json}\n',
    "notext.jsonl": b'{"id": "a"}\n',
    "array.jsonl": b'["id", "text"]\n',
    "deep.jsonl": b"[" * 100_000 + b"\n",
    "bad_claims.jsonl": b'{"id": "1", "claim": "x", "label": "nope"}\n',
    "store-file": b"not a directory",
    "gold.jsonl": b'{"nope": 1}\n',
}


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """Paths of the bad files (and folders), by name."""
    out = {}
    for name, content in FILES.items():
        (tmp_path / name).write_bytes(content)
        out[name] = str(tmp_path / name)
    for folder in ("empty-dir", "no-sources"):
        (tmp_path / folder).mkdir()
        out[folder] = str(tmp_path / folder)
    (tmp_path / "no-sources" / "photo.png").write_bytes(b"\x89PNG")
    out["missing"] = str(tmp_path / "missing.txt")
    out["tmp"] = str(tmp_path)
    return out


def case(argv: list[str], message: str, *, env: dict[str, str] | None = None, stdin: bytes = b"") -> Any:
    """argv and the exact error line (after "Error: "); `{name}` is a path from the `env` fixture."""
    return pytest.param(argv, env or {}, stdin, message, id=" ".join(argv)[:60])


CORPUS = str(DATA / "corpus.jsonl")
NOT_TEXT = "not text; extract its text first"
CASES = [
    case(["check", ""], "The claim is empty"),
    case(["check", " \n\t "], "The claim is empty"),
    case(
        ["check", "A claim.", "--store", "{store-file}"], "Store path {store-file} is a file, not a directory"
    ),
    case(
        ["check", "A claim.", "--store", "{empty-dir}"],
        "No sources ingested in {empty-dir}; run: verifier ingest PATH --store {empty-dir}",
    ),
    case(["check", "A claim.", "--judge", "oracle"], "Unknown judge 'oracle'; choose from nli, baseline"),
    case(
        ["check", "A claim.", "--top-k", "0"],
        "Invalid settings: top_k: Input should be greater than or equal to 1",
    ),
    case(
        ["check", "A claim."],
        "Invalid settings: top_k: Input should be a valid integer, unable to parse string as an integer",
        env={"VERIFIER_TOP_K": "many"},
    ),
    case(
        ["check", "A claim."],
        "Invalid settings: max_file_mb: Input should be greater than 0",
        env={"VERIFIER_MAX_FILE_MB": "-1"},
    ),
    case(["audit", "{missing}"], "{missing}: no such file"),
    case(["audit", "{empty.txt}"], "{empty.txt}: file is empty"),
    case(["audit", "{blank.md}"], "{blank.md}: file is empty"),
    case(["audit", "{report.pdf.txt}"], f"{{report.pdf.txt}}: looks like a PDF file, {NOT_TEXT}"),
    case(
        ["audit", "{garbage.txt}"],
        "{garbage.txt}: not UTF-8 and no known text encoding fits (binary data?); convert it to UTF-8",
    ),
    case(["audit", "-"], "<stdin>: input is empty", stdin=b""),
    case(["audit", "-"], f"<stdin>: looks like a PNG image, {NOT_TEXT}", stdin=b"\x89PNG\r\n\x1a\n\x00"),
    case(["ingest", "{missing}"], "{missing}: no such file or directory"),
    case(["ingest", "{empty.txt}"], "{empty.txt}: file is empty"),
    case(["ingest", "{image.txt}"], f"{{image.txt}}: looks like a PNG image, {NOT_TEXT}"),
    case(["ingest", "{nul.md}"], f"{{nul.md}}: looks like binary data (it contains NUL bytes), {NOT_TEXT}"),
    case(["ingest", "{table.csv}"], f"{{table.csv}}: unsupported file type '.csv'; use one of {SUFFIXES}"),
    case(["ingest", "{no-sources}"], f"{{no-sources}}: no {SUFFIXES} files in this folder"),
    case(["ingest", "{markup.html}"], "{markup.html}: no text left after removing markup"),
    case(
        ["ingest", "{bad.jsonl}"],
        "{bad.jsonl}:2: invalid JSON (Expecting property name enclosed in double quotes)",
    ),
    case(["ingest", "{notext.jsonl}"], "{notext.jsonl}:1: each row needs an 'id' and a non-empty 'text'"),
    case(["ingest", "{array.jsonl}"], "{array.jsonl}:1: expected a JSON object"),
    case(["ingest", "{deep.jsonl}"], "{deep.jsonl}:1: invalid JSON (nested too deeply)"),
    case(["ingest", CORPUS, "--store", "{store-file}"], "Store path {store-file} is a file, not a directory"),
    case(
        ["ingest", CORPUS],
        f"{CORPUS}: 0.0 MB is over the maximum file size of 0.0 MB (VERIFIER_MAX_FILE_MB)",
        env={"VERIFIER_MAX_FILE_MB": "0.0001"},
    ),
    case(
        ["eval"],
        "Name a dataset (scifact-dev, climate-fever-dev, averitec-dev, examples) "
        "or give both --claims and --corpus",
    ),
    case(
        ["eval", "examples", "--claims", "{bad_claims.jsonl}"],
        "Give a dataset name or --claims/--corpus, not both",
    ),
    case(["eval", "examples", "--split", "nope"], "--split must be one of train, tune, val, all"),
    case(
        ["eval", "--claims", "{bad_claims.jsonl}", "--corpus", "{missing}"],
        "{bad_claims.jsonl}:1: label: Input should be 'supported', 'contradicted' or 'unverified'",
    ),
    case(["eval", "--claims", "{missing}", "--corpus", CORPUS], "{missing}: no such file"),
    case(["eval-claims", "--gold", "{missing}"], "{missing}: no such gold file"),
    case(["eval-claims", "--gold", "{image.txt}"], f"{{image.txt}}: looks like a PNG image, {NOT_TEXT}"),
    case(
        ["eval-claims", "--gold", "{gold.jsonl}"], "{gold.jsonl}:1: not a gold article row (Field required)"
    ),  # noqa: E501
    case(
        ["eval-claims", "--extractor", "oracle"], "Unknown extractor 'oracle'; choose from article, sentences"
    ),
    case(["store", "verify", "--store", "{empty-dir}"], "No store at {empty-dir} (no manifest.json)"),
    case(["store", "repair", "--store", "{empty-dir}"], "No store at {empty-dir} (no manifest.json)"),
    case(
        ["store", "verify", "--store", "{store-file}"], "Store path {store-file} is a file, not a directory"
    ),
]


def _fill(text: str, env: dict[str, str]) -> str:
    for name, path in env.items():
        text = text.replace("{" + name + "}", path)
    return text


@pytest.mark.parametrize(("argv", "extra", "stdin", "message"), CASES)
def test_bad_input_matrix(
    env: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    argv: list[str],
    extra: dict[str, str],
    stdin: bytes,
    message: str,
) -> None:
    for key, value in extra.items():
        monkeypatch.setenv(key, value)
    result = runner.invoke(app, [_fill(a, env) for a in argv], input=stdin)
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert (result.exit_code, lines) == (1, ["Error: " + _fill(message, env)]), result.output
    assert (
        "Traceback" not in result.output
        and result.exception is None
        or isinstance(result.exception, SystemExit)
    )


@pytest.mark.parametrize(
    "argv",
    [
        ["check"],  # missing argument
        ["check", "A claim.", "--nope"],  # unknown option
        ["check", "A claim.", "--top-k", "many"],  # not an integer
        ["audit", "a.txt", "--format", "pdf"],  # not a choice
        ["ingest"],
        ["store", "verify", "extra"],
        ["frobnicate"],  # unknown command
    ],
)
def test_usage_errors_exit_2_without_a_traceback(argv: list[str]) -> None:
    result = runner.invoke(app, argv)
    assert result.exit_code == 2 and "Usage:" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize(
    "command", [[], ["ingest"], ["check"], ["audit"], ["eval"], ["eval-claims"], ["bench"], ["store"],
                ["store", "verify"], ["store", "repair"]],
)  # fmt: skip
def test_every_command_documents_its_exit_codes(command: list[str]) -> None:
    result = runner.invoke(app, [*command, "--help"], env={"COLUMNS": "400"})
    assert result.exit_code == 0
    assert "Exit codes: 0 ok; 1 user error" in result.output and "2 usage error" in result.output


@pytest.fixture
def small_store(tmp_path: Path) -> Path:
    path = tmp_path / "store"
    assert runner.invoke(app, ["ingest", str(DATA / "corpus.jsonl"), "--store", str(path)]).exit_code == 0
    return path


def _one_error_line(argv: list[str]) -> str:
    result = runner.invoke(app, argv)
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert result.exit_code == 1 and len(lines) == 1 and "Traceback" not in result.output, result.output
    return lines[0]


def test_store_problems_are_one_exact_line(small_store: Path) -> None:
    store = str(small_store)
    manifest = json.loads((small_store / "manifest.json").read_text())
    (small_store / "manifest.json").write_text(json.dumps({**manifest, "sources": 99}))
    assert _one_error_line(["store", "verify", "--store", store]) == (
        f"Error: Store {store} is inconsistent: manifest says 99 sources, the source table has "
        f"{manifest['sources']}; run: verifier store repair --store {store}"
    )
    (small_store / "manifest.json").write_text(json.dumps({**manifest, "format_version": FORMAT_VERSION - 1}))
    assert _one_error_line(["check", "A claim.", "--store", store]) == (
        f"Error: Store {store} has format version {FORMAT_VERSION - 1}, "
        f"this verifier reads {FORMAT_VERSION}; re-ingest"
    )


def test_a_locked_store_is_one_exact_line(small_store: Path) -> None:
    from tests.test_store_lock import held_by_other_process

    lock = small_store / LOCK_FILE
    with held_by_other_process(lock) as holder:
        for argv in (["ingest", str(DATA / "sources")], ["store", "verify"], ["store", "repair"]):
            assert _one_error_line([*argv, "--store", str(small_store)]) == (
                f"Error: Store {small_store} is being written by another verifier process (pid {holder.pid}; "
                f"lock file {lock}); wait for it to finish and try again"
            )
    assert os.path.exists(lock)
