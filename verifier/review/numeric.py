"""Evidence review: checks that run on a judged window before the verdict, starting with numbers.

`NumericReviewer` aligns each quantity, date and named actor of the claim with the one in the deciding
window (`evidence.quote`) that measures the same thing, and moves probability mass to contradiction
when they conflict ("claim says 162,000 visitors; source says 126,000"). Compatible figures only add a
reason; a claim figure the evidence does not mention is not a contradiction.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from verifier.models import Claim, Evidence, StanceProbs
from verifier.protocols import PairJudge
from verifier.review import actors as names
from verifier.review import quantities as numbers
from verifier.review.align import Match, Relation, align, comparable_dimensions, describe, figure_check
from verifier.review.rewrite import in_source_figures, normalise_figures, strip_figures
from verifier.review.stance import contradict, stance_of, support, unsettled, with_findings
from verifier.text.words import content_words

# ---------------------------------------------------------------- comparison


# ---------------------------------------------------------------- alignment


# ---------------------------------------------------------------- the reviewer


def _reference(evidence: Evidence) -> date | None:
    ref, _ = numbers.reference_date(evidence.passage.text)
    return ref or numbers.parse_iso(evidence.passage.published)


@dataclass(frozen=True, slots=True)
class NumericReviewer:
    """Quantities, dates and actors of the claim checked against the deciding window.

    - A conflicting figure, or an action given to another actor, contradicts (`conflict_strength`).
    - A claim figure that is what the window's figures add up to (`derive`: "rose by 25 per cent"
      against "from 200 to 250 dollars", "a quarter of" against "100 of the 400", "lasted a week"
      against two dates) supports (`computed_strength`): a sum the judge cannot do.
    With a `rescorer` (the judge itself):
    - a window the judge reads as contradicting although its figures agree is judged again with the
      figures written alike (the claim's way in the window, and the window's way in the claim), so the
      model decides on the words alone;
    - a window none of whose figures measures the claim's ("Postal votes must be received by 30 April"
      against "The election will be held on 7 May") cannot support the claim, and contradicts it only
      when the judge still reads a contradiction with the figures set aside, as its most likely reading.
    """

    conflict_strength: float = 0.9  # contradiction probability after a conflicting figure
    name_strength: float = 0.8  # ... after a swapped actor
    computed_strength: float = 0.8  # entailment when the claim's figure is what the source's add up to
    # a window whose figures were never compared is judged again when its contradiction reaches this
    # (the tuned thresholds decide at ~0.12, so "more than neutral" would leave most of them alone)
    recheck_above: float = 0.1
    rescorer: PairJudge | None = None

    def review(self, claim: Claim, evidence: Evidence) -> Evidence:
        quote = evidence.quote
        ref = _reference(evidence)
        _, dateline_end = numbers.reference_date(quote)
        text = quote[dateline_end:] if dateline_end else quote
        matches = align(claim.text, text, ref=ref)
        conflicts = [m for m in matches if m.relation is Relation.CONFLICT]
        swaps = [] if conflicts else names.swap_cues(claim.text, text)
        if conflicts:
            reasons = [describe(m) + (f" ({m.note})" if m.note else "") for m in conflicts]
            return contradict(evidence, self.conflict_strength, reasons, [figure_check(m) for m in conflicts])
        if swaps:
            return contradict(evidence, self.name_strength, swaps)
        computed = [m for m in matches if m.evidence.role == "derived"]
        if computed and all(m.relation is Relation.SAME for m in matches):
            # the claim states what the source's figures add up to: a sum the judge cannot do
            reasons = [
                f"figures agree: claim says {m.claim.describe()}; source says {m.evidence.text}"
                for m in matches
            ]
            return support(evidence, self.computed_strength, reasons, [figure_check(m) for m in matches])
        if matches:
            same = [m for m in matches if m.relation is Relation.SAME]
            reasons = [
                f"figures agree: claim says {m.claim.describe()}; source says {m.evidence.text}" for m in same
            ]
            reasons += [
                f"figures overlap but do not settle it: claim says {m.claim.describe()}; "
                f"source says {m.evidence.text}"
                for m in matches if m.relation is Relation.CONSISTENT
            ]  # fmt: skip
            checks = [figure_check(m) for m in same]
            checks += [figure_check(m) for m in matches if m.relation is Relation.CONSISTENT]
            evidence = with_findings(evidence, reasons, checks)
            if self.rescorer is not None and self._contradicting(evidence):
                # the judge reads a conflict although the figures agree: check it is not the figures,
                # written the claim's way in the window, then the window's way in the claim
                rewrites = self.rescorer.score_pairs(
                    [
                        (normalise_figures(text, matches), claim.text),
                        (text, in_source_figures(claim.text, matches)),
                    ]
                )
                better = [p for p in rewrites if p.contradiction < evidence.probs.contradiction]
                if better:  # the clearer of the two readings
                    p = max(better, key=lambda p: p.entailment - p.contradiction)
                    evidence = replace(evidence, probs=p, stance=stance_of(p))
            if any(m.relation is Relation.CONSISTENT for m in matches):
                evidence = unsettled(evidence)
        elif self.rescorer is not None and self._contradicting(evidence):
            evidence = self._figures_aside(claim, evidence, text, ref)
            if self._contradicting(evidence):
                evidence = self._without_figures(claim, evidence, ref)
        return evidence

    def _contradicting(self, evidence: Evidence) -> bool:
        p = evidence.probs
        return p.contradiction >= self.recheck_above and p.contradiction > p.entailment

    def _without_figures(self, claim: Claim, evidence: Evidence, ref: date | None) -> Evidence:
        """No figure of the window measures what the claim's figures do ("Postal votes must be received
        by 30 April" against "The election will be held on 7 May"), yet the judge reads a contradiction:
        judge the claim's words without its figures. A contradiction in the words stays; one that was
        only the unrelated figures goes, and the window cannot support a figure it never gives."""
        c_qs = numbers.parse(claim.text, ref)
        if not c_qs:
            return evidence
        bare = strip_figures(claim.text, c_qs)
        if not content_words(bare):
            return evidence
        (p,) = self.rescorer.score_pairs([(evidence.quote, bare)]) if self.rescorer else (evidence.probs,)
        contra = min(p.contradiction, evidence.probs.contradiction)
        if contra <= max(p.entailment, p.neutral):
            contra = 0.0  # the words alone do not contradict it either: the judge's own reading
        if contra >= evidence.probs.contradiction:
            return evidence
        probs = StanceProbs(0.0, round(1.0 - contra, 4), round(contra, 4))
        return replace(evidence, probs=probs, stance=stance_of(probs))

    def _figures_aside(self, claim: Claim, evidence: Evidence, text: str, ref: date | None) -> Evidence:
        """No figure of the window was aligned with the claim's (they count other things: "35 classrooms"
        against "842 pupils"), yet the judge reads a contradiction: judge again with the window's figures
        written as the claim's. If the contradiction was only the numbers differing, it goes; a
        contradiction in the words stays."""
        c_qs = numbers.parse(claim.text, ref)
        e_qs = numbers.parse(text, ref)
        if not c_qs or not e_qs:
            return evidence
        pairs = [(c, e) for c in c_qs for e in e_qs if comparable_dimensions(c, e)]
        if not pairs:
            return evidence  # nothing of the claim's kind to rewrite
        edits = [Match(c, e, Relation.SAME, 0.0) for c, e in {e.span: (c, e) for c, e in pairs}.values()]
        rescored = self._rescore(claim, evidence, normalise_figures(text, edits))
        if rescored.probs.contradiction >= evidence.probs.contradiction:
            return evidence
        p = rescored.probs  # the numbers cannot support the claim either: they were never compared
        probs = StanceProbs(0.0, round(p.neutral + p.entailment, 4), p.contradiction)
        return replace(evidence, probs=probs, stance=stance_of(probs))

    def _rescore(self, claim: Claim, evidence: Evidence, normalised: str) -> Evidence:
        assert self.rescorer is not None
        (probs,) = self.rescorer.score_pairs([(normalised, claim.text)])
        return replace(evidence, probs=probs, stance=stance_of(probs))


# ---------------------------------------------------------------- evaluation on gold pairs
