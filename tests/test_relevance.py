"""Relevance reviewers: a window that does not address the claim cannot decide it."""

from __future__ import annotations

from tests.fakes import evidence_for
from verifier.models import Claim, Label, StanceProbs
from verifier.protocols import EvidenceReviewer
from verifier.review.relevance import OffTopicReviewer


def test_a_window_with_no_word_of_the_claim_cannot_contradict_it() -> None:
    claim = Claim.from_text("The attendance at the Calder Valley Cup final was 38,000.")
    library = evidence_for(
        "Elm Street library has 4,800 registered members and recorded about 61,000 visits in 2025.",
        StanceProbs(0.05, 0.15, 0.8),
        Label.CONTRADICTED,
    )
    out = OffTopicReviewer().review(claim, library)
    assert out.probs == StanceProbs(0.05, 0.95, 0.0) and out.stance is Label.UNVERIFIED
    final = evidence_for(
        "The attendance at the final was 41,286, a record.", StanceProbs(0.05, 0.15, 0.8), Label.CONTRADICTED
    )
    assert OffTopicReviewer().review(claim, final) == final
    assert isinstance(OffTopicReviewer(), EvidenceReviewer)
