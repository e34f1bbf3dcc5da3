"""Protocols for the swappable parts. Concrete classes are named only in `pipeline.build_checker`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

from verifier.models import Claim, Evidence, Hit, StanceProbs, Verdict


@runtime_checkable
class Embedder(Protocol):
    name: str  # model identity recorded in the store manifest
    dimension: int

    def embed(self, texts: Sequence[str]) -> list[list[float]]: ...


@runtime_checkable
class Retriever(Protocol):
    def search(self, query: str, k: int) -> list[Hit]: ...


@runtime_checkable
class ClaimExtractor(Protocol):
    def extract(self, text: str) -> list[Claim]: ...


@runtime_checkable
class Judge(Protocol):
    name: str  # backend + model id, shown in reports
    # its thresholds were tuned on evidence weighted by the reranker's relevance: the pipeline must weigh
    # judged evidence the same way (`pipeline.relevance_reviewers`)
    relevance_weighted: bool

    def judge(self, claim: Claim, hits: Sequence[Hit]) -> list[Evidence]:
        """Score each retrieved passage against the claim (one Evidence per hit)."""
        ...

    def decide(self, claim: Claim, evidence: Sequence[Evidence]) -> Verdict:
        """Aggregate judged evidence into a verdict, using this judge's calibrated thresholds."""
        ...


@runtime_checkable
class PairJudge(Protocol):
    """A judge that can read one more (evidence text, claim) pair on request, e.g. the evidence with its
    figures rewritten the way the claim writes them (`review.NumericReviewer`)."""

    def score_pairs(self, pairs: Sequence[tuple[str, str]]) -> list[StanceProbs]: ...


@runtime_checkable
class Relevance(Protocol):
    """How strongly each passage decides a claim, either way (0-1): weights judged evidence
    (`review.RelevanceWeighting`) and can re-order retrieval candidates (`rerank.RerankingRetriever`)."""

    name: str

    def relevance(self, claim: str, passages: Sequence[str]) -> list[float]: ...


@runtime_checkable
class EvidenceReviewer(Protocol):
    def review(self, claim: Claim, evidence: Evidence) -> Evidence:
        """The same evidence, possibly with adjusted stance, probabilities and reasons."""
        ...
