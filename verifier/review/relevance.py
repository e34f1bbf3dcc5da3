"""Relevance reviewers: a window that does not address the claim cannot decide it."""

from __future__ import annotations

from dataclasses import dataclass, replace

from verifier.models import Claim, Evidence, StanceProbs, indexed_text
from verifier.protocols import Relevance
from verifier.review.stance import stance_of
from verifier.text.words import content_words


@dataclass(frozen=True, slots=True)
class OffTopicReviewer:
    """A window that shares no content word with the claim cannot contradict it: its contradiction
    becomes neutral. The pipeline's fallback when `RelevanceWeighting` does not run (the baseline
    judge, or the weighting switched off). The trained judge reads unrelated facts as conflicts ("The
    attendance ... was 38,000" against a library's visitor numbers). Paraphrased contradictions with no
    word in common are lost. Measured effect: eval/numeric/RESULTS.md ("Relevance reviewers")."""

    def review(self, claim: Claim, evidence: Evidence) -> Evidence:
        if evidence.probs.contradiction == 0.0 or content_words(claim.text) & content_words(evidence.quote):
            return evidence
        p = evidence.probs
        probs = StanceProbs(p.entailment, round(p.neutral + p.contradiction, 4), 0.0)
        return replace(evidence, probs=probs, stance=stance_of(probs))


@dataclass(frozen=True)
class RelevanceWeighting:
    """Entailment and contradiction scaled by relevance ** `exponent` (the rest becomes neutral): a
    passage the evidence reranker rates as not addressing the claim cannot decide it, whatever the
    judge reads into it. The judge over-calls contradiction on same-topic near misses ("The festival
    sold 40,000 weekend tickets" against a report of its 126,000 visitors); the reranker was trained on
    exactly those. It replaces `OffTopicReviewer` for the judge tuned with it (measured effect:
    eval/numeric/RESULTS.md, "Relevance reviewers").
    Relevance is read once per passage that could matter: the reranker's score when it already ran,
    else one run of `relevance`."""

    relevance: Relevance
    exponent: float = 0.5
    floor: float = 0.1  # both stances below this decide nothing, scaled or not: no run needed
    note_below: float = 0.25  # say so in the reasons when the passage barely addresses the claim

    def review(self, claim: Claim, evidence: Evidence) -> Evidence:
        p = evidence.probs
        if max(p.entailment, p.contradiction) < self.floor:
            return evidence
        score = evidence.relevance
        if score is None:
            (score,) = self.relevance.relevance(claim.text, [indexed_text(evidence.passage)])
            score = round(score, 4)
        scale = max(score, 0.0) ** self.exponent
        entail, contra = round(p.entailment * scale, 4), round(p.contradiction * scale, 4)
        probs = StanceProbs(entail, round(1.0 - entail - contra, 4), contra)
        reasons = evidence.reasons
        if score < self.note_below:
            reasons = (*reasons, f"the passage barely addresses the claim (relevance {score:.2f})")
        return replace(evidence, probs=probs, stance=stance_of(probs), relevance=score, reasons=reasons)
