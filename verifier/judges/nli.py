"""The default judge: our trained MiniLM cross-encoder (int8 ONNX), scored on sentence windows.

Each retrieved passage is cut into windows of one or two sentences; the windows that share most words
with the claim are scored, and the window with the strongest stance decides that passage. The verdict
comes from the strongest entailment and contradiction over all passages, with thresholds and a
confidence calibration tuned on dev claims and stored beside the weights (`model/thresholds.json`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

import verifier.aggregate as aggregate
from verifier.aggregate import DecisionPolicy
from verifier.errors import InputError
from verifier.judges.pairs import MODEL_DIR, PairScorer
from verifier.judges.windows import judged_windows, sentence_chunks, token_pieces
from verifier.models import Claim, Evidence, Hit, Label, StanceProbs, Verdict
from verifier.text.words import addresses, content_words

BALANCED = "balanced"  # the operating point stored at the top level of thresholds.json
LABELS = (Label.SUPPORTED, Label.UNVERIFIED, Label.CONTRADICTED)  # model order: entail, neutral, contra


@dataclass(frozen=True)
class Policy:
    """Decision thresholds and the confidence calibration, both tuned on dev claims (see MODEL_CARD.md)."""

    decision: DecisionPolicy = DecisionPolicy()
    # piecewise-linear calibration: raw winning score -> probability that the verdict is right
    calibration: tuple[tuple[float, float], ...] = ((0.0, 0.0), (1.0, 1.0))
    # the thresholds were tuned on evidence weighted by the reranker's relevance, so the pipeline must
    # weight it the same way (`pipeline.relevance_reviewers`)
    relevance_weighting: bool = False
    # per verdict label (label value -> knots), fitted where the point was: a supported verdict at raw 0.6
    # and an unverified one at 0.6 are not equally likely right; labels absent here use `calibration`
    label_calibration: tuple[tuple[str, tuple[tuple[float, float], ...]], ...] = ()
    # only windows that address the claim (`text.words.addresses`: a name it names, or a figure to
    # compare with) may support or contradict it; the others are read as neutral before deciding
    require_subject: bool = False

    @classmethod
    def load(cls, path: Path, strictness: str = BALANCED) -> Policy:
        """The policy stored in `path` at the operating point `strictness`: the file's top-level
        thresholds and calibration are the balanced point (tuned for macro-F1); `operating_points`
        holds the others (e.g. "strict": tuned for precision), each overriding what it names."""
        if not path.is_file():
            return cls()
        raw: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        points: dict[str, Any] = raw.get("operating_points", {})
        if strictness != BALANCED:
            if strictness not in points:
                named = ", ".join([BALANCED, *points])
                raise InputError(f"Unknown strictness {strictness!r} for this judge; choose from {named}")
            raw = {**raw, **points[strictness]}
        fields = {k: raw[k] for k in DecisionPolicy.__dataclass_fields__ if k in raw}
        knots = tuple((float(a), float(b)) for a, b in raw.get("calibration", ((0.0, 0.0), (1.0, 1.0))))
        by_label = tuple(
            (str(label), tuple((float(a), float(b)) for a, b in pts))
            for label, pts in raw.get("calibration_by_label", {}).items()
        )
        return cls(
            decision=DecisionPolicy(**fields),
            calibration=knots,
            relevance_weighting=bool(raw.get("relevance_weighting", False)),
            label_calibration=by_label,
            require_subject=bool(raw.get("require_subject", False)),
        )

    def calibrate(self, raw: float, label: Label | None = None) -> float:
        """P(the verdict is right) for a verdict with winning raw score `raw` (and label `label`)."""
        knots = dict(self.label_calibration).get(label.value, self.calibration) if label else self.calibration
        xs = [x for x, _ in knots]
        ys = [y for _, y in knots]
        return float(np.clip(np.interp(raw, xs, ys), 0.0, 1.0))


def neutral(evidence: Evidence) -> Evidence:
    """`evidence` read as saying nothing either way (its entailment and contradiction become neutral)."""
    p = evidence.probs
    probs = StanceProbs(0.0, round(p.entailment + p.neutral + p.contradiction, 4), 0.0)
    return replace(evidence, probs=probs, stance=Label.UNVERIFIED, reasons=(*evidence.reasons, NOT_ADDRESSED))


NOT_ADDRESSED = "the passage names nothing the claim names: it cannot decide it"


class NLIJudge:
    """Judge protocol implementation backed by the packaged, trained cross-encoder."""

    def __init__(
        self,
        model_dir: Path = MODEL_DIR,
        windows_per_passage: int = 3,
        strictness: str = BALANCED,
        chunk_sentences: Sequence[int] = (),
        chunk_tokens: int = 0,
    ) -> None:
        """`strictness`: the operating point (`Settings.strictness`); `chunk_sentences` / `chunk_tokens`:
        document-level judging (off by default), see `Settings.judge_chunk_sentences`."""
        self.model_dir = model_dir
        self.windows_per_passage = windows_per_passage
        self.chunk_sentences = tuple(chunk_sentences)
        self.chunk_tokens = chunk_tokens
        card = model_dir / "thresholds.json"
        self.policy = Policy.load(card, strictness)
        self.strictness = strictness
        version = json.loads(card.read_text())["model_id"] if card.is_file() else "untuned"
        # the balanced point keeps the judge's historic name (runs and reports made with it still match)
        name = f"nli:{version}" if strictness == BALANCED else f"nli:{version}@{strictness}"
        chunks = [*(f"s{n}" for n in self.chunk_sentences), *([f"t{chunk_tokens}"] if chunk_tokens else [])]
        self.name = name + (f"+chunks:{','.join(chunks)}" if chunks else "")
        self.relevance_weighted = self.policy.relevance_weighting

    @classmethod
    def from_settings(cls, settings: Any) -> NLIJudge:
        return cls(
            strictness=settings.strictness,
            chunk_sentences=settings.judge_chunk_sentences,
            chunk_tokens=settings.judge_chunk_tokens,
        )

    @cached_property
    def scorer(self) -> PairScorer:
        return PairScorer(self.model_dir)

    def score_pairs(self, pairs: Sequence[tuple[str, str]]) -> list[StanceProbs]:
        return [StanceProbs(float(p[0]), float(p[1]), float(p[2])) for p in self.scorer.score(pairs)]

    def _windows(self, claim_words: set[str], text: str, budget: int = 0) -> list[tuple[int, int]]:
        """The 1-2 sentence windows, then (when configured) the multi-sentence chunks of `text`."""
        spans = judged_windows(claim_words, text, self.windows_per_passage)
        for size in self.chunk_sentences:
            spans.extend(sentence_chunks(text, size))
        if budget > 0:
            spans.extend(token_pieces(text, budget, self.scorer.token_counts))
        return list(dict.fromkeys(spans))

    def _token_budget(self, claim: str) -> int:
        """Tokens a piece may have beside `claim` within the judge's input ([CLS] piece [SEP] claim [SEP])."""
        if not self.chunk_tokens:
            return 0
        room = self.scorer.max_length - self.scorer.token_counts([claim])[0] - 3
        return min(self.chunk_tokens, room)

    def judge(self, claim: Claim, hits: Sequence[Hit]) -> list[Evidence]:
        claim_words = content_words(claim.text)
        budget = self._token_budget(claim.text)
        spans: list[tuple[int, tuple[int, int]]] = []
        for h_idx, hit in enumerate(hits):
            spans.extend((h_idx, w) for w in self._windows(claim_words, hit.passage.text, budget))
        probs = self.scorer.score([(hits[h].passage.text[s:e], claim.text) for h, (s, e) in spans])
        best: dict[int, tuple[float, int]] = {}
        for row, (h_idx, _) in enumerate(spans):
            strength = float(max(probs[row, 0], probs[row, 2]))
            if h_idx not in best or strength > best[h_idx][0]:
                best[h_idx] = (strength, row)
        evidence: list[Evidence] = []
        for h_idx, hit in enumerate(hits):
            if h_idx not in best:
                continue
            row = best[h_idx][1]
            p = probs[row]
            evidence.append(
                Evidence(
                    passage=hit.passage,
                    retrieval_score=hit.score,
                    relevance=hit.relevance,
                    stance=LABELS[int(np.argmax(p))],
                    probs=StanceProbs(float(p[0]), float(p[1]), float(p[2])),
                    span=spans[row][1],
                )
            )
        return evidence

    def decide(self, claim: Claim, evidence: Sequence[Evidence]) -> Verdict:
        policy = self.policy
        if policy.require_subject:
            evidence = [e if addresses(claim.text, e.quote) else neutral(e) for e in evidence]
        if not policy.label_calibration:
            return aggregate.decide(claim, evidence, policy.decision, calibrate=policy.calibrate)
        entail = max((e.probs.entailment for e in evidence), default=0.0)
        contra = max((e.probs.contradiction for e in evidence), default=0.0)
        label = aggregate.decide_scores(entail, contra, policy.decision).label
        return aggregate.decide(
            claim, evidence, policy.decision, calibrate=lambda raw: policy.calibrate(raw, label)
        )
