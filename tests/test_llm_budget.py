"""The LLM path end to end over a real store of the shipped examples: the call budget, token counts,
the on-disk answer cache, and what the JSON and Markdown reports record."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from langchain_core.messages import AIMessage

from tests.llm_scripted import ScriptedChatModel, honest_judge
from verifier.config import Settings
from verifier.models import Label
from verifier.pipeline import Checker, build_checker
from verifier.report.formats import Stamp, render
from verifier.store.embedding import MiniLMEmbedder
from verifier.store.evidence import EvidenceStore

CLAIMS = ("Corvane had 5,420 employees at the end of 2025.", "Corvane signed 37 new customers.", "x 1 y")


@pytest.fixture
def examples(examples_store: Path, embedder: MiniLMEmbedder) -> EvidenceStore:
    return EvidenceStore.open(examples_store, embedder)


def checker(store: EvidenceStore, model: ScriptedChatModel, **settings: object) -> Checker:
    s = Settings.resolve(**{"llm": "fake:scripted", "llm_role": "judge", "top_k": 4, **settings})
    return build_checker(s, store=store, llm=model)


def test_llm_judge_end_to_end_cites_the_store(examples: EvidenceStore) -> None:
    report = checker(examples, ScriptedChatModel(respond=honest_judge)).check(CLAIMS[0])
    (v,) = report.verdicts
    assert report.judge == "llm:fake:scripted" and v.label is Label.SUPPORTED
    assert "5,420 employees" in v.citations[0].quote
    obj = json.loads(render(report, "json", audit=False, stamp=Stamp("2026-01-01", "0")))
    assert obj["judge"] == "llm:fake:scripted"
    assert obj["llm"]["model"] == "fake:scripted" and obj["llm"]["calls"] == 1


def test_llm_budget_stops_cleanly_and_the_rest_is_unverified(examples: EvidenceStore) -> None:
    c = checker(examples, ScriptedChatModel(respond=honest_judge), max_llm_calls=1, llm_cache=False)
    verdicts = [c.check_claim(text) for text in CLAIMS]
    assert verdicts[0].label is Label.SUPPORTED
    for v in verdicts[1:]:
        assert v.label is Label.UNVERIFIED
        assert v.reasons[0] == "llm: not judged: the budget of 1 model calls is spent"
    usage = c.check(CLAIMS[0]).usage
    assert usage is not None and usage.calls == 1 and usage.budget_spent and usage.max_calls == 1


def test_llm_tokens_are_counted_from_the_model_or_estimated(examples: EvidenceStore) -> None:
    def metered(prompt: str) -> AIMessage:
        text = honest_judge(prompt)
        usage = {"input_tokens": 900, "output_tokens": 25, "total_tokens": 925}
        return AIMessage(content=text, usage_metadata=usage)  # type: ignore[arg-type]

    c = checker(examples, ScriptedChatModel(respond=metered), llm_cache=False)
    report = c.audit("Corvane signed 37 new customers.", source="inline")  # judge role: default extractor
    usage = report.usage
    assert usage is not None and usage.calls == len(report.verdicts) >= 1
    assert (usage.input_tokens, usage.output_tokens) == (900 * usage.calls, 25 * usage.calls)
    assert not usage.tokens_estimated
    estimated = checker(examples, ScriptedChatModel(respond=honest_judge), llm_cache=False).check(CLAIMS[1])
    assert estimated.usage is not None and estimated.usage.tokens_estimated
    assert estimated.usage.input_tokens > 100  # the prompt's characters / 4


def test_llm_cache_makes_a_rerun_free(examples: EvidenceStore, isolated_home: Path) -> None:
    first_model = ScriptedChatModel(respond=honest_judge)
    first = checker(examples, first_model).check(CLAIMS[0])
    again_model = ScriptedChatModel(respond=lambda _: "never asked")
    again = checker(examples, again_model).check(CLAIMS[0])
    assert not again_model.requests and again.verdicts == first.verdicts
    assert again.usage is not None and (again.usage.calls, again.usage.cached) == (0, 1)
    files = list((isolated_home / "llm-cache").rglob("*.json"))
    assert len(files) == 1 and json.loads(files[0].read_text())["answer"]["label"] == "supported"
    # another model, or another prompt version, is another key
    other = checker(examples, ScriptedChatModel(respond=honest_judge), llm="fake:other").check(CLAIMS[0])
    assert other.usage is not None and other.usage.calls == 1


def test_llm_usage_in_markdown_and_absent_without_llm(examples: EvidenceStore) -> None:
    report = checker(examples, ScriptedChatModel(respond=honest_judge), llm_cache=False).check(CLAIMS[0])
    md = render(report, "markdown", audit=False, stamp=Stamp("2026-01-01", "0"))
    assert "**Language model:** fake:scripted (judge): 1 call, 0 cached, about " in md
    default = build_checker(Settings.resolve(judge="baseline", top_k=4), store=examples).check(CLAIMS[0])
    assert default.usage is None
    assert "llm" not in json.loads(render(default, "json", audit=False, stamp=Stamp("2026-01-01", "0")))
