"""Opt-in: the LLM path with a real local GGUF model through llama-cpp-python (not in CI).

    VERIFIER_TEST_GGUF=/path/model.gguf pytest -m llm tests/test_llm_real.py

Needs langchain-community and llama-cpp-python built as ../shared/MODELS.md says (without the AMX
kernel). Asserts only what any model must give: exact citations and a well-formed report."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from verifier.config import Settings
from verifier.pipeline import build_checker
from verifier.store.embedding import MiniLMEmbedder
from verifier.store.evidence import EvidenceStore

GGUF = os.environ.get("VERIFIER_TEST_GGUF", "")

pytestmark = [
    pytest.mark.llm,
    pytest.mark.skipif(not GGUF or not Path(GGUF).is_file(), reason="set VERIFIER_TEST_GGUF to a GGUF file"),
]


def test_llm_real_model_checks_and_audits(examples_store: Path, embedder: MiniLMEmbedder) -> None:
    pytest.importorskip("llama_cpp")
    pytest.importorskip("langchain_community")
    store = EvidenceStore.open(examples_store, embedder)
    checker = build_checker(Settings.resolve(llm=f"llamacpp:{GGUF}", top_k=4), store=store)
    report = checker.check("Corvane had 5,420 employees at the end of 2025.")
    assert report.judge == f"llm:llamacpp:{GGUF}" and report.usage is not None and report.usage.calls >= 1
    for v in report.verdicts:
        for c in v.citations:
            assert c.end - c.start == len(c.quote)
    article = "Corvane Systems signed 37 new enterprise customers in the fourth quarter of 2025."
    audit = checker.audit(article, source="inline")
    for v in audit.verdicts:
        assert v.claim.span is not None and article[v.claim.span[0] : v.claim.span[1]]
