"""A baseline judge, honest about what it is: word overlap, embedding similarity and mismatch cues.

It cannot understand the claim. Per passage it picks the window (one or two sentences) that covers
most of the claim's words; a high overlap reads as support, unless the window disagrees on negation,
on a number, or uses an antonym of a claim word, which reads as contradiction.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Any

from verifier.aggregate import DecisionPolicy, decide
from verifier.models import Claim, Evidence, Hit, Label, StanceProbs, Verdict
from verifier.protocols import Embedder
from verifier.text.sentences import sentence_windows
from verifier.text.words import tokenize

NAME = "baseline-lexical-v1"

_NEGATION = re.compile(
    r"\b(?:not|no|never|none|nobody|nothing|neither|nor|without|cannot|refused?|refuses|denie[sd]|deny|"
    r"rejected|rejects?|failed|fails?|false|unable|lacks?|lacked)\b|n't\b"
)
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_ANTONYMS = [
    ("increase", "decrease"), ("increased", "decreased"), ("increase", "reduce"), ("increased", "reduced"),
    ("rise", "fall"), ("rose", "fell"), ("risen", "fallen"), ("higher", "lower"), ("more", "less"),
    ("more", "fewer"), ("up", "down"), ("gain", "loss"), ("won", "lost"), ("win", "lose"),
    ("approved", "rejected"), ("above", "below"), ("before", "after"), ("first", "last"),
    ("largest", "smallest"), ("maximum", "minimum"), ("positive", "negative"), ("warmer", "cooler"),
    ("warming", "cooling"), ("highest", "lowest"), ("better", "worse"), ("safe", "unsafe"),
    ("increasing", "decreasing"), ("accept", "reject"), ("accepted", "rejected"), ("open", "closed"),
]  # fmt: skip
_OPPOSITE: dict[str, set[str]] = {}
for _a, _b in _ANTONYMS:
    _OPPOSITE.setdefault(_a, set()).add(_b)
    _OPPOSITE.setdefault(_b, set()).add(_a)


def _numbers(text: str) -> set[str]:
    from verifier.text.words import normalise_number

    return {normalise_number(n) for n in _NUMBER.findall(text)}


def _matches(token: str, vocab: set[str]) -> bool:
    if token in vocab:
        return True
    if len(token) >= 6 and not token[0].isdigit():
        return any(len(v) >= 6 and v[:5] == token[:5] for v in vocab)
    return False


def coverage(claim_tokens: Sequence[str], window_tokens: set[str]) -> float:
    """Share of the claim's content tokens found in the window; numbers count double."""
    if not claim_tokens:
        return 0.0
    weights = [2.0 if t[0].isdigit() else 1.0 for t in claim_tokens]
    found = sum(w for t, w in zip(claim_tokens, weights, strict=True) if _matches(t, window_tokens))
    return found / sum(weights)


def _scoped_negations(text: str, other: set[str], scope: int = 4) -> int:
    """Negations whose next few content words are shared with the other text (so they bear on it)."""
    count = 0
    lowered = text.lower()
    for m in _NEGATION.finditer(lowered):
        following = tokenize(lowered[m.end() : m.end() + 80])[:scope]
        if any(_matches(tok, other) for tok in following):
            count += 1
    return count


def mismatch_cues(claim: str, window: str) -> list[str]:
    """Reasons to read a related window as contradicting the claim."""
    cues: list[str] = []
    c_vocab, w_vocab = set(tokenize(claim)), set(tokenize(window))
    c_neg = _scoped_negations(claim, w_vocab)
    w_neg = _scoped_negations(window, c_vocab)
    if (c_neg > 0) != (w_neg > 0):
        who = "the claim" if c_neg else "the passage"
        cues.append(f"negation mismatch: only {who} is negated")
    c_nums, w_nums = _numbers(claim), _numbers(window)
    missing = sorted(c_nums - w_nums)
    if missing and w_nums:
        cues.append(
            f"number mismatch: {', '.join(missing)} not in the passage (it has {', '.join(sorted(w_nums))})"
        )
    c_words = set(tokenize(claim, keep_stopwords=True))
    w_words = set(tokenize(window, keep_stopwords=True))
    for word in sorted(c_words):
        opposite = _OPPOSITE.get(word, set()) & w_words
        if opposite and word not in w_words:
            cues.append(f"antonym: claim says {word!r}, passage says {sorted(opposite)[0]!r}")
            break
    return cues


def _cosine(a: Sequence[float], b: Sequence[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b, strict=True))
    na = math.sqrt(sum(x * x for x in a))
    nb = math.sqrt(sum(y * y for y in b))
    return dot / (na * nb) if na and nb else 0.0


def stance_probs(overlap: float, similarity: float | None, cues: Sequence[str]) -> StanceProbs:
    """Heuristic scores: relatedness from overlap (+ similarity); cues turn relatedness into contradiction."""
    sem = overlap if similarity is None else min(1.0, max(0.0, (similarity - 0.35) / 0.5))
    related = 0.65 * overlap + 0.35 * sem
    if cues and related >= 0.45:
        contra = min(0.9, 0.25 + 0.7 * related)
        entail = 0.05
    else:
        entail = min(0.95, max(0.0, (related - 0.35) / 0.55))
        contra = 0.05 * (1.0 - entail)
    neutral = max(0.0, 1.0 - entail - contra)
    return StanceProbs(round(entail, 4), round(neutral, 4), round(contra, 4))


class BaselineJudge:
    """Judge protocol: lexical overlap + negation/number/antonym cues (+ MiniLM similarity when given)."""

    name = NAME
    relevance_weighted = False  # its thresholds were set by hand, on unweighted evidence

    def __init__(self, embedder: Embedder | None = None, policy: DecisionPolicy | None = None) -> None:
        self.embedder = embedder
        self.policy = policy or DecisionPolicy(support_threshold=0.5, contradict_threshold=0.55)

    @classmethod
    def from_settings(cls, settings: Any, embedder: Embedder | None = None) -> BaselineJudge:
        return cls(embedder=embedder)

    def _best_window(self, claim_tokens: list[str], text: str) -> tuple[tuple[int, int], float]:
        best: tuple[tuple[int, int], float] = ((0, len(text)), -1.0)
        for s, e in sentence_windows(text, size=2) or [(0, len(text))]:
            cov = coverage(claim_tokens, set(tokenize(text[s:e])))
            # prefer higher coverage, then the shorter window
            if cov > best[1] + 1e-9 or (abs(cov - best[1]) <= 1e-9 and e - s < best[0][1] - best[0][0]):
                best = ((s, e), cov)
        return best

    def judge(self, claim: Claim, hits: Sequence[Hit]) -> list[Evidence]:
        claim_tokens = list(dict.fromkeys(tokenize(claim.text)))
        picked = [self._best_window(claim_tokens, h.passage.text) for h in hits]
        sims: list[float | None] = [None] * len(hits)
        if self.embedder is not None and hits:
            vecs = self.embedder.embed(
                [claim.text] + [h.passage.text[s:e] for h, ((s, e), _) in zip(hits, picked, strict=True)]
            )
            sims = [_cosine(vecs[0], v) for v in vecs[1:]]
        out: list[Evidence] = []
        for hit, ((s, e), cov), sim in zip(hits, picked, sims, strict=True):
            window = hit.passage.text[s:e]
            cues = mismatch_cues(claim.text, window) if cov >= 0.4 else []
            probs = stance_probs(cov, sim, cues)
            ranked = sorted(
                [(probs.entailment, Label.SUPPORTED), (probs.contradiction, Label.CONTRADICTED),
                 (probs.neutral, Label.UNVERIFIED)],
                key=lambda t: -t[0],
            )  # fmt: skip
            reasons = [f"overlap {cov:.2f}" + (f", similarity {sim:.2f}" if sim is not None else "")]
            out.append(
                Evidence(
                    passage=hit.passage,
                    retrieval_score=hit.score,
                    relevance=hit.relevance,
                    stance=ranked[0][1],
                    probs=probs,
                    span=(s, e),
                    reasons=tuple(reasons + cues),
                )
            )
        return out

    def decide(self, claim: Claim, evidence: Sequence[Evidence]) -> Verdict:
        return decide(claim, evidence, self.policy)
