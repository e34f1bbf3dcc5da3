"""The evidence reranker: ordering rules on given scores, and the shipped model on real passages."""

from __future__ import annotations

from pathlib import Path

import pytest

from verifier.config import Settings
from verifier.models import Claim, Evidence, Hit, Label, Passage, StanceProbs
from verifier.pipeline import build_checker, default_reviewers, reranking
from verifier.protocols import Relevance, Retriever
from verifier.review.numeric import NumericReviewer
from verifier.review.relevance import OffTopicReviewer, RelevanceWeighting
from verifier.store.embedding import MiniLMEmbedder
from verifier.store.evidence import EvidenceStore
from verifier.store.rerank import (
    CrossEncoderRelevance,
    RerankConfig,
    RerankingRetriever,
    rerank,
    reranker_available,
)


def _hit(pid: str, text: str = "text") -> Hit:
    source, _, _ = pid.partition("#")
    return Hit(Passage(id=pid, source_id=source, text=text, start=0, end=len(text)), score=0.0)


def test_rerank_orders_by_relevance_and_records_it() -> None:
    hits = [_hit("a#0"), _hit("b#0"), _hit("c#0")]
    out = rerank(hits, [0.1, 0.9, 0.5], 3, RerankConfig(rank_weight=0.0))
    assert [h.passage.id for h in out] == ["b#0", "c#0", "a#0"]
    assert [h.relevance for h in out] == [0.9, 0.5, 0.1]


def test_rank_weight_lets_the_fused_order_break_near_ties() -> None:
    hits = [_hit("a#0"), _hit("b#0")]
    assert rerank(hits, [0.50, 0.55], 2, RerankConfig(rank_weight=0.0))[0].passage.id == "b#0"
    assert rerank(hits, [0.50, 0.55], 2, RerankConfig(rank_weight=0.5))[0].passage.id == "a#0"


def test_each_source_best_passage_comes_before_second_passages() -> None:
    hits = [_hit("a#0"), _hit("a#1"), _hit("b#0")]
    out = rerank(hits, [0.9, 0.8, 0.3], 2, RerankConfig())
    assert [h.passage.id for h in out] == ["a#0", "b#0"]


def test_reranking_is_off_with_depth_zero(store: EvidenceStore) -> None:
    assert reranking(Settings.resolve(rerank_depth=0), store) is store


needs_reranker = pytest.mark.skipif(not reranker_available(), reason="the reranker model is not shipped")


@pytest.fixture(scope="module")
def relevance() -> CrossEncoderRelevance:
    model = CrossEncoderRelevance()
    model.relevance("warm", ["up"])
    return model


@needs_reranker
def test_shipped_reranker_implements_the_protocol(relevance: CrossEncoderRelevance) -> None:
    assert isinstance(relevance, Relevance)


@needs_reranker
def test_deciding_passage_outranks_same_topic_and_off_topic_ones(relevance: CrossEncoderRelevance) -> None:
    claim = "The Greyford library petition gathered 126,000 signatures."
    passages = [
        "The council will debate the future of Greyford's library services next spring.",  # same topic
        "A petition to keep Greyford library open had gathered 126,000 signatures by Friday.",  # decides
        "The ferry terminal at Harlow Bay will close for two weeks of repairs.",  # off topic
    ]
    scores = relevance.relevance(claim, passages)
    assert scores[1] == max(scores)
    assert scores[2] == min(scores)
    assert scores == relevance.relevance(claim, passages)  # reproducible


@needs_reranker
def test_reranking_retriever_over_a_real_store(examples_store: Path, embedder: MiniLMEmbedder) -> None:
    store = EvidenceStore.open(examples_store, embedder)
    retriever = reranking(Settings.resolve(rerank_depth=24), store)
    assert isinstance(retriever, RerankingRetriever) and isinstance(retriever, Retriever)
    hits = retriever.search("The Greyford library petition gathered 126,000 signatures.", 5)
    assert len(hits) == 5
    assert all(h.relevance is not None for h in hits)
    assert hits[0].passage.source_id.startswith("greyford-library-petition")
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    store.close()


@needs_reranker
def test_checker_weights_evidence_by_relevance_and_keeps_the_fused_order_by_default(
    examples_store: Path, embedder: MiniLMEmbedder
) -> None:
    store = EvidenceStore.open(examples_store, embedder)
    checker = build_checker(Settings.resolve(judge="nli"), store=store)
    assert checker.store is store
    kinds = [type(r) for r in checker.reviewers]
    assert kinds == [NumericReviewer, RelevanceWeighting]  # the weighting replaces the off-topic gate
    off = build_checker(Settings.resolve(judge="nli", relevance_weighting=False), store=store)
    assert [type(r) for r in off.reviewers] == [NumericReviewer, OffTopicReviewer]
    # the baseline judge's thresholds were not tuned on weighted evidence: it stays as it was
    baseline = build_checker(Settings.resolve(judge="baseline"), store=store)
    assert [type(r) for r in baseline.reviewers] == [NumericReviewer, OffTopicReviewer]
    # the tuner, about to fit thresholds for weighted evidence, asks for the weighting explicitly
    tuning = default_reviewers(Settings.resolve(), baseline.judge, tuned=True)
    assert [type(r) for r in tuning] == [NumericReviewer, RelevanceWeighting]
    store.close()


def _evidence(text: str, probs: StanceProbs, relevance: float | None = None) -> Evidence:
    passage = Passage(id="p#0", source_id="p", text=text, start=0, end=len(text))
    return Evidence(passage, 1.0, Label.CONTRADICTED, probs, (0, len(text)), relevance=relevance)


@needs_reranker
def test_relevance_weighting_scales_both_stances_and_says_why(relevance: CrossEncoderRelevance) -> None:
    weighting = RelevanceWeighting(relevance, exponent=0.5)
    claim = Claim.from_text("The festival sold 40,000 weekend tickets.")
    out = weighting.review(claim, _evidence("x", StanceProbs(0.1, 0.1, 0.8), relevance=0.04))
    assert out.probs == StanceProbs(0.02, 0.82, 0.16)
    assert out.stance is Label.UNVERIFIED
    assert "barely addresses the claim (relevance 0.04)" in out.reasons[-1]
    # relevance read by the model when retrieval did not: an unrelated passage is scaled down hard
    text = "The ferry terminal at Harlow Bay will close for two weeks of repairs."
    read = weighting.review(claim, _evidence(text, StanceProbs(0.05, 0.15, 0.8)))
    assert read.relevance is not None and read.probs.contradiction < 0.8 * 0.6
    # nothing to weigh: no model run, unchanged
    quiet = _evidence(text, StanceProbs(0.02, 0.95, 0.03))
    assert weighting.review(claim, quiet) is quiet
