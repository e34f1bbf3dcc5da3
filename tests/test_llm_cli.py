"""The LLM options on the command line: one-line errors, settings from the environment, and nothing of
LangChain imported without --llm."""

from __future__ import annotations

import subprocess
import sys

import pytest
from typer.testing import CliRunner

from tests.conftest import REPO
from tests.test_cli import assert_one_line_error
from verifier.cli import app
from verifier.config import Settings

runner = CliRunner()


def test_llm_cli_missing_gguf_is_one_line_and_exit_1() -> None:
    result = runner.invoke(app, ["check", "x", "--llm", "llamacpp:/nonexistent.gguf"])
    assert_one_line_error(result, "no GGUF model file at /nonexistent.gguf")


@pytest.mark.parametrize(
    ("spec", "fragment"),
    [
        ("bogus", "name a model as provider:model"),
        ("nosuchprovider:m", "unknown provider 'nosuchprovider'"),
        ("ollama:llama3.1", "pip install langchain-ollama"),  # the provider package is not installed here
    ],
)
def test_llm_cli_bad_model_specs_are_one_line_errors(spec: str, fragment: str) -> None:
    pytest.importorskip("langchain_core")
    for command in (["check", "x"], ["audit", "-"]):
        result = runner.invoke(app, [*command, "--llm", spec], input="Corvane cut 240 jobs.")
        assert_one_line_error(result, fragment)


def test_llm_cli_settings_from_flags_and_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VERIFIER_LLM", "ollama:llama3.1")
    monkeypatch.setenv("VERIFIER_MAX_LLM_CALLS", "5")
    s = Settings.resolve(llm_role="judge")
    assert (s.llm, s.llm_role, s.max_llm_calls) == ("ollama:llama3.1", "judge", 5)
    assert Settings.resolve(llm="openai:gpt-4o-mini").llm == "openai:gpt-4o-mini"
    result = runner.invoke(app, ["check", "x", "--llm-role", "everything"])
    assert result.exit_code == 2  # typer rejects an unknown role before anything runs
    help_text = runner.invoke(app, ["audit", "--help"]).output
    assert "--llm" in help_text and "--max-llm-calls" in help_text


def test_llm_nothing_of_langchain_is_imported_without_llm() -> None:
    code = (
        "import sys, verifier, verifier.cli, verifier.pipeline, verifier.report.formats;"
        "from verifier.config import Settings; Settings.resolve();"
        "print([m for m in sys.modules if m.startswith(('langchain', 'verifier.llm'))])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True)
    assert out.stdout.strip() == "[]"
