"""A judged window's stance from its probabilities, and moving it (settling it) to a label with a strength."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from verifier.models import Evidence, FigureCheck, Label, StanceProbs


def stance_of(probs: StanceProbs) -> Label:
    """The label with the most probability (ties: supported, then unverified)."""
    return max(
        ((probs.entailment, Label.SUPPORTED), (probs.neutral, Label.UNVERIFIED),
         (probs.contradiction, Label.CONTRADICTED)),
        key=lambda t: t[0],
    )[1]  # fmt: skip


def unsettled(evidence: Evidence) -> Evidence:
    """A figure the window neither confirms nor excludes ("more than 126,000" for "more than 200,000"):
    the window cannot support the claim; it can still contradict it through its words."""
    p = evidence.probs
    probs = StanceProbs(0.0, round(p.neutral + p.entailment, 4), p.contradiction)
    return replace(evidence, probs=probs, stance=stance_of(probs))


def settle(
    evidence: Evidence,
    label: Label,
    strength: float,
    reasons: Sequence[str],
    figures: Sequence[FigureCheck] = (),
) -> Evidence:
    """The window's stance moved to `label` with at least `strength`; the other two scaled to fit."""
    p = evidence.probs
    probs = {Label.SUPPORTED: p.entailment, Label.UNVERIFIED: p.neutral, Label.CONTRADICTED: p.contradiction}
    top = max(probs[label], strength)
    rest = sum(v for k, v in probs.items() if k is not label)
    scale = (1.0 - top) / rest if rest > 0 else 0.0
    out = {k: round(top if k is label else v * scale, 4) for k, v in probs.items()}
    if rest <= 0:
        out[Label.UNVERIFIED] = round(1.0 - top, 4)
    settled = StanceProbs(out[Label.SUPPORTED], out[Label.UNVERIFIED], out[Label.CONTRADICTED])
    return replace(with_findings(evidence, reasons, figures), probs=settled, stance=label)


def with_findings(
    evidence: Evidence, reasons: Sequence[str], figures: Sequence[FigureCheck] = ()
) -> Evidence:
    """`evidence` with the reasons and figure checks it does not have yet added, in order."""
    new_reasons = tuple(r for r in reasons if r not in evidence.reasons)
    new_figures = tuple(f for f in figures if f not in evidence.figures)
    if not new_reasons and not new_figures:
        return evidence
    return replace(evidence, reasons=evidence.reasons + new_reasons, figures=evidence.figures + new_figures)


def support(
    evidence: Evidence, strength: float, reasons: Sequence[str], figures: Sequence[FigureCheck] = ()
) -> Evidence:
    return settle(evidence, Label.SUPPORTED, strength, reasons, figures)


def contradict(
    evidence: Evidence, strength: float, reasons: Sequence[str], figures: Sequence[FigureCheck] = ()
) -> Evidence:
    return settle(evidence, Label.CONTRADICTED, strength, reasons, figures)
