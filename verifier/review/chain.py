"""Reviewers applied in order to every judged window of a claim, before the judge decides."""

from __future__ import annotations

from collections.abc import Sequence

from verifier.models import Claim, Evidence
from verifier.protocols import EvidenceReviewer


def review_all(
    reviewers: Sequence[EvidenceReviewer], claim: Claim, evidence: Sequence[Evidence]
) -> list[Evidence]:
    out = list(evidence)
    for reviewer in reviewers:
        out = [reviewer.review(claim, ev) for ev in out]
    return out
