from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from verifier import report as reporting
from verifier.judges.baseline import BaselineJudge
from verifier.models import Citation, Claim, Label, Report, Verdict
from verifier.store.embedding import MiniLMEmbedder
from verifier.store.evidence import EvidenceStore

CHECK_KEYS = {"claim", "label", "confidence", "conflicting", "judge", "citations", "reasons"}
CITATION_KEYS = {"source_id", "passage_id", "title", "url", "quote", "start", "end", "score"}

FIXED = Verdict(
    claim=Claim.from_text("The bridge reopened in January.", span=(10, 41)),
    label=Label.SUPPORTED,
    confidence=0.8123,
    citations=(
        Citation(
            "bridge.md",
            "bridge.md#0",
            "Bridge",
            "https://example.test/b",
            "It reopened in January.",
            5,
            28,
            0.81,
            Label.SUPPORTED,
        ),
    ),  # fmt: skip
    reasons=("entailment 0.81 >= threshold 0.50",),
)


def test_check_and_audit_json_shapes_are_exact() -> None:
    obj = reporting.verdict_dict(FIXED, "baseline-lexical-v1")
    assert set(obj) == CHECK_KEYS and set(obj["citations"][0]) == CITATION_KEYS
    assert obj["label"] == "supported" and obj["judge"] == "baseline-lexical-v1"
    report = Report(input="article.txt", verdicts=(FIXED,), judge="baseline-lexical-v1")
    audit = json.loads(reporting.to_json(reporting.audit_dict(report)))
    assert set(audit) == {"source", "judge", "claims"}
    assert set(audit["claims"][0]) == CHECK_KEYS | {"span"}
    assert audit["claims"][0]["span"] == [10, 41]


def test_golden_json_and_text(golden: Callable[[str, str], None]) -> None:
    report = Report(input="article.txt", verdicts=(FIXED,), judge="baseline-lexical-v1")
    golden("audit.json", reporting.to_json(reporting.audit_dict(report)) + "\n")
    golden(
        "check.txt",
        reporting.render_text(reporting.check_renderable(FIXED, "baseline-lexical-v1"), width=100),
    )


def test_text_rendering_mentions_verdict_and_citation() -> None:
    text = reporting.render_text(reporting.check_renderable(FIXED, "baseline-lexical-v1"))
    assert "SUPPORTED" in text and "It reopened in January." in text and "bridge.md [5:28]" in text
    report = Report(input="a.txt", verdicts=(FIXED,), judge="j")
    table = reporting.render_text(reporting.audit_renderable(report), width=140)
    assert "1 claims: 1 supported, 0 contradicted, 0 unverified" in table


def test_quotes_equal_the_source_text_slice(examples_store: Path, embedder: MiniLMEmbedder) -> None:
    store = EvidenceStore.open(examples_store, embedder)
    judge = BaselineJudge(embedder=embedder)
    for text in [
        "Eastmoor Rovers beat Port Calder 3-1 in the Calder Valley Cup final.",
        "The attendance at the Calder Valley Cup final was 38,000.",
        "Corvane Systems reported revenue of EUR 312.4 million in the fourth quarter of 2025.",
    ]:
        claim = Claim.from_text(text)
        verdict = judge.decide(claim, judge.judge(claim, store.search(text, 8)))
        assert verdict.label is not Label.UNVERIFIED, text
        for c in reporting.verdict_dict(verdict, judge.name)["citations"]:
            source = store.get_source(c["source_id"])
            assert source is not None and source.text[c["start"] : c["end"]] == c["quote"]
