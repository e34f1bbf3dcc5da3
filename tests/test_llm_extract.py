"""The LLM claim extractor: claims mapped back to their sentence spans, unmappable claims dropped and
counted, long articles in chunks, and an audit end to end with both roles."""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.llm_scripted import ScriptedChatModel, answer
from verifier.config import Settings
from verifier.llm.compose import LLMParts, llm_components
from verifier.pipeline import build_checker
from verifier.store.embedding import MiniLMEmbedder
from verifier.store.evidence import EvidenceStore

ARTICLE = (
    "Corvane Systems had a strong year.\n\n"
    "The company signed 37 new enterprise customers in the quarter. It also opened an office in Porto.\n\n"
    "Analysts expect more growth."
)


def extractor_parts(respond, **settings: object) -> LLMParts:  # type: ignore[no-untyped-def]
    values = {"llm": "fake:scripted", "llm_role": "extract", "llm_cache": False, **settings}
    return llm_components(Settings.resolve(**values), model=ScriptedChatModel(respond=respond))


def claims_reply(*items: tuple[str, str | int]) -> str:
    return json.dumps({"claims": [{"claim": c, "sentence": s} for c, s in items]})


def test_llm_extract_maps_claims_to_their_sentence_spans() -> None:
    reply = claims_reply(
        ("Corvane Systems signed 37 new enterprise customers in the quarter.", "S2"),
        ("Corvane Systems opened an office in Porto.", 3),  # an int id is read as S3
        ("Corvane opened an office in Porto.", "S1"),  # a wrong id: mapped by its words to S3
        ("The moon is made of cheese.", "S2"),  # maps to no sentence: dropped
    )
    p = extractor_parts(lambda _: reply)
    assert p.extractor is not None
    claims = p.extractor.extract(ARTICLE)
    assert [c.text for c in claims] == [
        "Corvane Systems signed 37 new enterprise customers in the quarter.",
        "Corvane Systems opened an office in Porto.",
        "Corvane opened an office in Porto.",
    ]
    for c in claims:
        assert c.span is not None and c.context_span == c.span
        assert ARTICLE[c.span[0] : c.span[1]] == c.context
    assert claims[1].context == "It also opened an office in Porto." == claims[2].context
    assert p.meter.claims_dropped == 1


def test_llm_extract_numbers_the_sentences_as_data() -> None:
    model = ScriptedChatModel(respond=lambda _: claims_reply())
    p = llm_components(Settings.resolve(llm="fake:scripted", llm_cache=False), model=model)
    assert p.extractor is not None and p.extractor.extract(ARTICLE) == []
    prompt = model.requests[0][1].text
    assert "<<<ARTICLE>>>" in prompt and "[S2] The company signed 37 new enterprise customers" in prompt
    assert "[S4] Analysts expect more growth." in prompt


def test_llm_extract_chunks_long_articles_and_respects_the_budget() -> None:
    sentences = " ".join(f"Sentence {i} says the plant made {i} cars." for i in range(1, 11))
    asked: list[int] = []

    def respond(prompt: str) -> str:
        ids = [int(i) for i in re.findall(r"^\[S(\d+)\]", prompt, re.MULTILINE)]
        asked.append(len(ids))
        return claims_reply(*((f"The plant made {i} cars.", f"S{i}") for i in ids))

    p = extractor_parts(respond, llm_sentences_per_call=4, max_llm_calls=2)
    assert p.extractor is not None
    claims = p.extractor.extract(sentences)
    assert asked == [4, 4] and len(claims) == 8  # the third chunk is not read: the budget is spent
    assert p.meter.budget_spent and p.meter.calls == 2


def test_llm_extract_garbage_answer_yields_no_claim() -> None:
    p = extractor_parts(lambda _: "Here are the claims: the company grew.")
    assert p.extractor is not None and p.extractor.extract(ARTICLE) == []
    assert p.meter.calls == 2  # the answer and one retry


def test_llm_audit_with_both_roles(examples_store: Path, embedder: MiniLMEmbedder) -> None:
    def respond(prompt: str) -> str:
        if "<<<ARTICLE>>>" in prompt:
            return claims_reply(("Corvane signed 37 new enterprise customers in the quarter.", "S2"))
        return answer("supported", "W1", "it says so")

    settings = Settings.resolve(llm="fake:scripted", llm_cache=False, top_k=3)
    store = EvidenceStore.open(examples_store, embedder)
    report = build_checker(settings, store=store, llm=ScriptedChatModel(respond=respond)).audit(
        ARTICLE, source="inline"
    )
    (v,) = report.verdicts
    assert report.judge == "llm:fake:scripted" and v.claim.span is not None
    assert ARTICLE[v.claim.span[0] : v.claim.span[1]].startswith("The company signed 37")
    assert report.usage is not None and report.usage.calls == 2 and report.usage.roles == ("extract", "judge")
