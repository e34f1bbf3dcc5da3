"""Evidence -> Verdict: pure decision rules shared by the judges (no models, no I/O)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from verifier.models import Citation, Claim, Evidence, FigureRelation, Label, Verdict


@dataclass(frozen=True, slots=True)
class DecisionPolicy:
    """Thresholds on the strongest entailment / contradiction over all judged passages."""

    support_threshold: float = 0.5
    contradict_threshold: float = 0.5
    conflict_margin: float = 0.1  # both over threshold and closer than this: no winner (unverified)
    max_citations: int = 3
    cite_floor: float = 0.5  # further citations (after the deciding one) need at least this stance score


@dataclass(frozen=True, slots=True)
class Decision:
    label: Label
    confidence: float
    conflicting: bool
    entailment: float
    contradiction: float


def decide_scores(entailment: float, contradiction: float, policy: DecisionPolicy) -> Decision:
    """The decision table over the two strongest stance scores."""
    supports = entailment >= policy.support_threshold
    contradicts = contradiction >= policy.contradict_threshold
    conflicting = supports and contradicts
    if conflicting and abs(entailment - contradiction) < policy.conflict_margin:
        label, conf = Label.UNVERIFIED, 1.0 - max(entailment, contradiction)
    elif supports and entailment > contradiction:
        label, conf = Label.SUPPORTED, entailment
    elif contradicts and contradiction >= entailment:
        label, conf = Label.CONTRADICTED, contradiction
    else:  # nothing passes, or the one that passes is outscored by the other stance
        label, conf = Label.UNVERIFIED, 1.0 - max(entailment, contradiction)
    return Decision(label, round(conf, 4), conflicting, entailment, contradiction)


def _entail(e: Evidence) -> float:
    return e.probs.entailment


def _contra(e: Evidence) -> float:
    return e.probs.contradiction


def pick_citations(
    evidence: Sequence[Evidence], key: Callable[[Evidence], float], threshold: float, limit: int
) -> list[Evidence]:
    """The strongest evidence by `key` at or over `threshold` (always the best one), one per source."""
    ranked = sorted(evidence, key=lambda e: (-key(e), e.passage.id))
    if not ranked or limit <= 0:
        return []
    picked = [ranked[0]]
    seen = {ranked[0].passage.source_id}
    for e in ranked[1:]:
        if len(picked) >= limit or key(e) < threshold:
            break
        if e.passage.source_id not in seen:
            picked.append(e)
            seen.add(e.passage.source_id)
    return picked


def cite(ev: Evidence, role: Label) -> Citation:
    """A citation for `ev` in the role it plays in the verdict (supporting or contradicting)."""
    return Citation.from_evidence(replace(ev, stance=role))


def decide(
    claim: Claim,
    evidence: Sequence[Evidence],
    policy: DecisionPolicy,
    calibrate: Callable[[float], float] | None = None,
) -> Verdict:
    """Aggregate judged evidence into a verdict; supported/contradicted always carry a citation."""
    entail = max((_entail(e) for e in evidence), default=0.0)
    contra = max((_contra(e) for e in evidence), default=0.0)
    d = decide_scores(entail, contra, policy)
    citations: list[Citation] = []
    reasons = [f"strongest entailment {entail:.2f}, strongest contradiction {contra:.2f}"]
    if d.label is Label.SUPPORTED:
        picked = pick_citations(
            evidence, _entail, max(policy.support_threshold, policy.cite_floor), policy.max_citations
        )
        citations = [cite(e, Label.SUPPORTED) for e in picked]
        reasons.append(f"entailment {entail:.2f} >= threshold {policy.support_threshold:.2f}")
    elif d.label is Label.CONTRADICTED:
        picked = pick_citations(
            evidence, _contra, max(policy.contradict_threshold, policy.cite_floor), policy.max_citations
        )
        citations = [cite(e, Label.CONTRADICTED) for e in picked]
        reasons.append(f"contradiction {contra:.2f} >= threshold {policy.contradict_threshold:.2f}")
    elif not evidence:
        reasons = ["no passage was retrieved for this claim"]
    else:
        reasons.append("no passage is strong enough evidence either way")
    if d.conflicting:
        reasons.append("evidence points both ways")
        if d.label is Label.UNVERIFIED:
            citations = [
                cite(pick_citations(evidence, _entail, 1.0, 1)[0], Label.SUPPORTED),
                cite(pick_citations(evidence, _contra, 1.0, 1)[0], Label.CONTRADICTED),
            ]
        else:
            other_key, other_label = (
                (_contra, Label.CONTRADICTED) if d.label is Label.SUPPORTED else (_entail, Label.SUPPORTED)
            )
            citations.append(cite(pick_citations(evidence, other_key, 1.0, 1)[0], other_label))
    for ev in evidence:
        if any(c.passage_id == ev.passage.id for c in citations):
            reasons.extend(r for r in ev.reasons if r not in reasons)
    differ = figures_across_sources(evidence)
    if differ:
        reasons.append(differ)
    confidence = calibrate(d.confidence) if calibrate is not None else d.confidence
    return Verdict(
        claim=claim,
        label=d.label,
        confidence=round(min(1.0, max(0.0, confidence)), 4),
        citations=tuple(citations),
        evidence=tuple(evidence),
        conflicting=d.conflicting,
        reasons=tuple(reasons),
    )


def figures_across_sources(evidence: Sequence[Evidence]) -> str | None:
    """When one source's figure agrees with the claim and another's conflicts with it (the numeric
    reviewer's reasons), say so: the figure differs across sources."""
    agree: dict[str, str] = {}
    conflict: dict[str, str] = {}
    for ev in evidence:
        name = ev.passage.title or ev.passage.url or ev.passage.source_id
        for f in ev.figures:
            if f.relation is FigureRelation.AGREE and ev.stance is Label.SUPPORTED:
                agree.setdefault(ev.passage.source_id, f"{name} says {f.source}")
            elif f.relation is FigureRelation.CONFLICT and ev.stance is Label.CONTRADICTED:
                conflict.setdefault(ev.passage.source_id, f"{name} says {f.source}")
    pairs = [(a, c) for a in agree for c in conflict if a != c]
    if not pairs:
        return None
    a, c = pairs[0]
    return f"the figure differs across sources: {agree[a]}; {conflict[c]}"
