from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.fakes import AgreeingJudge, ListStore, WholeTextExtractor
from verifier.claims.extract import SentenceClaimExtractor
from verifier.config import Settings
from verifier.errors import InputError, StoreNotFoundError
from verifier.judges.baseline import BaselineJudge
from verifier.models import Claim, Label, Passage
from verifier.pipeline import Checker, examples_dir, open_store
from verifier.protocols import EvidenceReviewer
from verifier.review.numeric import NumericReviewer
from verifier.store.embedding import MiniLMEmbedder
from verifier.store.evidence import EvidenceStore


def test_examples_are_found_in_the_repo_and_in_the_package_data() -> None:
    found = examples_dir()
    assert found == REPO / "evidence" / "examples"
    packaged = REPO / "verifier" / "data" / "examples"
    assert sorted(p.name for p in packaged.iterdir()) == sorted(p.name for p in found.iterdir())


def _checker(path: Path, embedder: MiniLMEmbedder) -> Checker:
    store = EvidenceStore.open(path, embedder)
    return Checker(SentenceClaimExtractor(), store, BaselineJudge(embedder=embedder), top_k=4)


def test_checker_rejects_empty_input(data_store: Path, embedder: MiniLMEmbedder) -> None:
    checker = _checker(data_store, embedder)
    with pytest.raises(InputError, match="The claim is empty"):
        checker.check_claim(" \n ")
    with pytest.raises(InputError, match="empty"):
        checker.audit("   ", source="a.txt")


def test_audit_returns_one_verdict_per_claim_with_spans(data_store: Path, embedder: MiniLMEmbedder) -> None:
    article = "The Penmor lighthouse was automated in 1987. Orla Byrne has run her bakery since 2011."
    report = _checker(data_store, embedder).audit(article, source="inline")
    assert report.input == "inline" and report.judge == "baseline-lexical-v1"
    assert [v.claim.span for v in report.verdicts] == [(0, 44), (45, len(article))]
    assert all(v.label is Label.SUPPORTED for v in report.verdicts)
    assert report.counts[Label.SUPPORTED] == 2


def test_explicit_empty_store_is_an_error_but_default_uses_examples(
    tmp_path: Path, embedder: MiniLMEmbedder, isolated_home: Path
) -> None:
    with pytest.raises(StoreNotFoundError, match="verifier ingest"):
        open_store(Settings.resolve(store=tmp_path / "empty"), embedder)
    notices: list[str] = []
    store = open_store(Settings.resolve(), embedder, notices.append)
    assert store.path == isolated_home / "examples-store" and store.count_sources() == 9
    assert len(notices) == 1 and "shipped examples" in notices[0]
    open_store(Settings.resolve(), embedder, notices.append)
    assert len(notices) == 1  # built once


def test_the_topic_is_a_field_of_the_claim_not_part_of_its_text() -> None:
    claim = replace(Claim.from_text("The project will cost $52 million."), topic="Harlow Bay City Council")
    assert claim.text == "The project will cost $52 million."  # what the judge reads
    assert claim.shown == "The project will cost $52 million [Harlow Bay City Council]."  # searched, shown
    quote = replace(Claim.from_text('Omar Feld said: "We lost 2,000 pounds."'), topic="Kestrel Mobile")
    assert quote.shown == 'Omar Feld said: "We lost 2,000 pounds." [Kestrel Mobile]'
    plain = Claim.from_text("A [sic] word stays, and so does this.")
    assert plain.shown == plain.text


def test_checker_applies_reviewers_before_the_decision() -> None:
    text = "The festival drew 126,000 visitors over its three days, organisers said."
    store = ListStore([Passage(id="f#0", source_id="f", text=text, start=0, end=len(text))])
    plain = Checker(extractor=WholeTextExtractor(), store=store, judge=AgreeingJudge())
    reviewed = Checker(
        extractor=WholeTextExtractor(), store=store, judge=AgreeingJudge(), reviewers=(NumericReviewer(),)
    )
    claim = "The festival drew 162,000 visitors."
    assert plain.check_claim(claim).label is Label.SUPPORTED
    verdict = reviewed.check_claim(claim)
    assert verdict.label is Label.CONTRADICTED
    assert "claim says 162,000 visitors; source says 126,000" in verdict.reasons
    assert isinstance(NumericReviewer(), EvidenceReviewer)
