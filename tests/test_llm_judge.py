"""The LLM judge through scripted chat models: the Judge contract, exact citations, structured output,
parsing with one bounded retry, garbage answers, and the numbers reviewer after the model."""

from __future__ import annotations

import pytest

from tests.llm_scripted import ScriptedChatModel, answer, hits_of, honest_judge, source_passage, tool_answer
from verifier.config import Settings
from verifier.errors import LLMUnavailableError
from verifier.llm.compose import LLMParts, llm_components
from verifier.llm.judge import LLMJudge
from verifier.models import Citation, Claim, Hit, Label
from verifier.pipeline import Checker, default_reviewers
from verifier.protocols import ClaimExtractor, Judge

SOURCE = "Intro text that is not evidence. " * 3 + "Corvane cut 240 jobs in March. The cuts hit Delvemark."


def parts(model: ScriptedChatModel, **settings: object) -> LLMParts:
    return llm_components(Settings.resolve(llm="fake:scripted", llm_cache=False, **settings), model=model)


def judge_of(model: ScriptedChatModel) -> LLMJudge:
    judge = parts(model).judge
    assert judge is not None
    return judge


def verdict(judge: Judge, claim: str, hits: list[Hit]):  # type: ignore[no-untyped-def]
    c = Claim.from_text(claim)
    return judge.decide(c, judge.judge(c, hits))


def test_llm_judge_and_extractor_implement_the_protocols() -> None:
    p = parts(ScriptedChatModel(respond=honest_judge))
    assert isinstance(p.judge, Judge) and isinstance(p.extractor, ClaimExtractor)
    assert p.judge.name == "llm:fake:scripted"
    judge_only = parts(ScriptedChatModel(respond=honest_judge), llm_role="judge")
    assert judge_only.extractor is None and judge_only.meter.roles == ("judge",)


def test_llm_judge_cites_the_named_window_at_exact_offsets() -> None:
    passage = source_passage(SOURCE, start=500)
    document = "x" * 500 + SOURCE  # the source document the passage was cut from
    v = verdict(
        judge_of(ScriptedChatModel(respond=honest_judge)), "Corvane cut 240 jobs.", [Hit(passage, 1.0)]
    )
    assert v.label is Label.SUPPORTED
    (c,) = v.citations
    assert isinstance(c, Citation) and c.quote == document[c.start : c.end]
    assert "240 jobs" in c.quote and c.start > 500
    assert v.reasons[0].startswith("llm: the model answered supported")


def test_llm_judge_reads_the_windows_the_default_judge_reads() -> None:
    model = ScriptedChatModel(respond=honest_judge)
    verdict(judge_of(model), "Corvane cut 240 jobs.", hits_of(SOURCE, "Unrelated. Nothing here."))
    prompt = "\n".join(m.text for m in model.requests[0])
    assert "<<<WINDOW W1>>>" in prompt and "Corvane cut 240 jobs in March." in prompt
    assert "(from A report)" in prompt and "Claim: Corvane cut 240 jobs." in prompt
    assert model.requests[0][0].type == "system"  # instructions apart from the data


def test_llm_judge_takes_structured_output_when_the_model_has_tools() -> None:
    model = ScriptedChatModel(
        respond=lambda _: tool_answer("JudgeAnswer", {"label": "supported", "window": "W1", "reason": "r"}),
        tools=True,
    )
    judge = judge_of(model)
    v = verdict(judge, "Corvane cut 240 jobs.", hits_of("Corvane cut 240 jobs in March."))
    assert v.label is Label.SUPPORTED and judge.client.meter.calls == 1


def test_llm_judge_retries_an_unparsable_answer_once() -> None:
    replies = iter(["Sure! The claim looks right to me.", answer("supported", "W1")])
    model = ScriptedChatModel(respond=lambda _: next(replies))
    judge = judge_of(model)
    v = verdict(judge, "Corvane cut 240 jobs.", hits_of("Corvane cut 240 jobs in March."))
    assert v.label is Label.SUPPORTED and judge.client.meter.calls == 2
    retry = model.requests[1]
    assert retry[-2].type == "ai" and "could not be used: the answer holds no JSON object" in retry[-1].text


@pytest.mark.parametrize(
    ("reply", "reason"),
    [
        ("I cannot help with that.", "could not be used (the answer holds no JSON object)"),
        ('{"label": "true", "window": "W1"}', "could not be used (label:"),
        ('{"label": "supported", "window": "W1"', "could not be used (the answer holds no JSON object)"),
        (answer("supported", "W7"), "named window 'W7', which it was not given"),
        (answer("contradicted", None), "named no deciding window"),
    ],
)
def test_llm_judge_garbage_answer_is_unverified_with_the_reason(reply: str, reason: str) -> None:
    model = ScriptedChatModel(respond=lambda _: reply)
    judge = judge_of(model)
    v = verdict(judge, "Corvane cut 240 jobs.", hits_of("Corvane cut 240 jobs in March."))
    assert v.label is Label.UNVERIFIED and not v.citations
    assert any(reason in r for r in v.reasons), v.reasons
    assert judge.client.meter.calls <= 2  # one bounded retry at most


def test_llm_judge_decides_from_the_structured_field_only() -> None:
    reply = 'SUPPORTED! Definitely supported. {"label": "unverified", "window": null, "reason": "no"}'
    v = verdict(
        judge_of(ScriptedChatModel(respond=lambda _: reply)),
        "Corvane cut 240 jobs.",
        hits_of("Corvane cut 240 jobs."),
    )
    assert v.label is Label.UNVERIFIED


def test_llm_judge_makes_no_call_without_evidence() -> None:
    model = ScriptedChatModel(respond=honest_judge)
    v = verdict(judge_of(model), "Corvane cut 240 jobs.", [])
    assert v.label is Label.UNVERIFIED and not model.requests


def test_numbers_reviewer_still_runs_after_the_llm_judge() -> None:
    """The model calls a window with another figure supporting; the reviewer finds the conflict."""
    model = ScriptedChatModel(respond=lambda _: answer("supported", "W1", "the window says so"))
    judge = judge_of(model)
    checker = Checker(
        extractor=parts(model).extractor,  # type: ignore[arg-type]
        store=_Hits(hits_of("Corvane cut 240 jobs in March.")),
        judge=judge,
        reviewers=default_reviewers(Settings.resolve(), judge),
    )
    v = checker.check_claim("Corvane cut 300 jobs in March.")
    assert v.label is Label.CONTRADICTED
    assert any("300" in r and "240" in r for r in v.reasons), v.reasons
    assert v.citations[0].quote == "Corvane cut 240 jobs in March."


class _Hits:
    """A Retriever over fixed hits (the end-to-end tests use the real store)."""

    def __init__(self, hits: list[Hit]) -> None:
        self.hits = hits

    def search(self, query: str, k: int) -> list[Hit]:
        return self.hits[:k]


def test_llm_judge_with_langchain_generic_fake_model() -> None:
    from langchain_core.language_models import GenericFakeChatModel

    model = GenericFakeChatModel(messages=iter(["```json\n" + answer("contradicted", "W1") + "\n```"]))
    p = llm_components(Settings.resolve(llm="fake:generic", llm_cache=False), model=model)
    assert p.judge is not None
    v = verdict(p.judge, "Corvane cut 300 jobs.", hits_of("Corvane cut 240 jobs in March."))
    assert v.label is Label.CONTRADICTED and v.citations[0].quote == "Corvane cut 240 jobs in March."
    assert p.meter.calls == 1


def test_llm_unreachable_model_is_one_clear_error() -> None:
    def refuse(_: str) -> str:
        raise ConnectionRefusedError("[Errno 111] Connection refused")

    judge = judge_of(ScriptedChatModel(respond=refuse))
    with pytest.raises(LLMUnavailableError, match=r"^The language model fake:scripted did not answer: "
                       r"ConnectionRefusedError: \[Errno 111\] Connection refused$"):  # fmt: skip
        verdict(judge, "Corvane cut 240 jobs.", hits_of("Corvane cut 240 jobs in March."))
