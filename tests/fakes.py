"""The test doubles the suite shares, in one place. Each implements one of our Protocols
(`verifier.protocols`) at an edge a test wants to control; everything else in the tests is real."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from verifier.aggregate import DecisionPolicy, decide
from verifier.models import Claim, Evidence, Hit, Label, Passage, StanceProbs, Verdict


class WholeTextExtractor:
    """ClaimExtractor: the whole text is one claim."""

    def extract(self, text: str) -> list[Claim]:
        return [Claim.from_text(text)]


class SentenceSplitExtractor:
    """ClaimExtractor: one claim per ". "-separated piece, in order."""

    def extract(self, text: str) -> list[Claim]:
        return [Claim.from_text(s, span=(0, 1)) for s in text.split(". ")]


@dataclass
class ListStore:
    """Retriever: the given passages, in order, as hits with score 1 (none by default)."""

    passages: Sequence[Passage] = ()
    embedder: None = None

    def search(self, query: str, k: int) -> list[Hit]:
        return [Hit(p, 1.0) for p in self.passages[:k]]


@dataclass
class RecordingJudge:
    """Judge: records the claims it is asked to judge, finds no evidence, leaves every claim unverified."""

    name: str = "fake"
    relevance_weighted: bool = False
    seen: list[str] = field(default_factory=list)

    def judge(self, claim: Claim, hits: Sequence[Hit]) -> list[Evidence]:
        self.seen.append(claim.text)
        return []

    def decide(self, claim: Claim, evidence: Sequence[Evidence]) -> Verdict:
        return Verdict(claim, Label.UNVERIFIED, 0.5)


class AgreeingJudge:
    """Judge: believes every passage supports the claim (the numbers blind spot of a weak model)."""

    name = "agreeing"
    relevance_weighted = False

    def judge(self, claim: Claim, hits: Sequence[Hit]) -> list[Evidence]:
        return [
            Evidence(
                h.passage, h.score, Label.SUPPORTED, StanceProbs(0.9, 0.05, 0.05), (0, len(h.passage.text))
            )
            for h in hits
        ]

    def decide(self, claim: Claim, evidence: Sequence[Evidence]) -> Verdict:
        return decide(claim, evidence, DecisionPolicy())


def evidence_for(text: str, probs: StanceProbs, stance: Label = Label.SUPPORTED) -> Evidence:
    """A one-passage Evidence whose window is the whole text."""
    passage = Passage(id="s#0", source_id="s", text=text, start=0, end=len(text))
    return Evidence(passage=passage, retrieval_score=1.0, stance=stance, probs=probs, span=(0, len(text)))
