"""Prompts live in prompts/ as templates with declared placeholders; the code fills exactly those, and
no prompt text is written in the Python code."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.llm_scripted import ScriptedChatModel, answer
from verifier.config import Settings
from verifier.errors import ModelLoadError
from verifier.llm import prompts
from verifier.llm.compose import llm_components
from verifier.models import Claim

FILES = prompts.prompt_files()
MAX_WORDS = 14  # a longer string constant in verifier/llm would be prompt text
PROMPT_LIKE = re.compile(r"\byou are (?:a|an|the) \w|\banswer with\b|\bclaim:", re.IGNORECASE)


def test_llm_prompts_live_in_the_top_level_folder() -> None:
    assert prompts.PROMPTS_DIR == REPO / "prompts"
    assert {p.stem for p in FILES} == {"judge", "window", "extract", "sentence", "repair"}


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_llm_prompt_placeholders_are_declared_and_used(path: Path) -> None:
    prompt = prompts.load_prompt(path.stem)
    assert prompt.placeholders, "declare the placeholders in the header"
    assert set(prompt.placeholders) == prompt.used_placeholders()
    assert prompt.version.startswith("1-")


def test_llm_code_fills_exactly_the_declared_placeholders(monkeypatch: pytest.MonkeyPatch) -> None:
    filled: dict[str, set[str]] = {}
    render = prompts.Prompt.render

    def spy(self: prompts.Prompt, fields: dict[str, str]) -> list[tuple[str, str]]:
        filled.setdefault(self.name, set()).update(fields)
        return render(self, fields)

    monkeypatch.setattr(prompts.Prompt, "render", spy)
    replies = iter(["not json", '{"claims": [{"claim": "Corvane cut 240 jobs.", "sentence": "S1"}]}',
                    answer("supported", "W1")])  # fmt: skip
    p = llm_components(
        Settings.resolve(llm="fake:scripted", llm_cache=False),
        model=ScriptedChatModel(respond=lambda _: next(replies)),
    )
    assert p.extractor is not None and p.judge is not None
    (claim,) = p.extractor.extract("Corvane cut 240 jobs. Nothing else.")
    from tests.llm_scripted import hits_of

    p.judge.judge(Claim.from_text(claim.text), hits_of("Corvane cut 240 jobs in March."))
    assert filled == {p.stem: set(prompts.load_prompt(p.stem).placeholders) for p in FILES}
    with pytest.raises(ValueError, match="declares"):
        render(prompts.load_prompt("judge"), {"claim": "x"})


def test_llm_no_prompt_text_inline_in_python() -> None:
    for path in sorted((REPO / "verifier" / "llm").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
            and node.body
            and isinstance(node.body[0], ast.Expr)
            and isinstance(node.body[0].value, ast.Constant)
        }
        # error messages (inside `raise`) are for the user, not the model
        messages = {id(n) for r in ast.walk(tree) if isinstance(r, ast.Raise) for n in ast.walk(r)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
                if id(node) in messages:
                    continue
                text = node.value
                assert len(text.split()) <= MAX_WORDS, f"{path.name}:{node.lineno}: {text[:60]!r}"
                assert not PROMPT_LIKE.search(text), f"{path.name}:{node.lineno}: {text[:60]!r}"


def test_llm_missing_prompt_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ModelLoadError, match="prompt template .*judge.txt is missing"):
        prompts.load_prompt("judge", tmp_path)
    (tmp_path / "bad.txt").write_text("# version: 1\n### assistant\nhi\n")
    with pytest.raises(ModelLoadError, match="unknown section 'assistant'"):
        prompts.load_prompt("bad", tmp_path)
