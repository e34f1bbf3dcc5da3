"""The NumericReviewer on real Evidence objects, with the real judge where it re-reads a window."""

from __future__ import annotations

import pytest

from tests.fakes import evidence_for
from verifier.aggregate import DecisionPolicy, decide
from verifier.judges.nli import NLIJudge
from verifier.models import Claim, Evidence, Hit, Label, Passage, StanceProbs
from verifier.review.numeric import NumericReviewer


def test_reviewer_moves_mass_to_contradiction_with_a_reason() -> None:
    claim = Claim.from_text("The petition has 200,000 signatures.")
    ev = evidence_for(
        "The petition has 126,000 signatures, its organisers said.", StanceProbs(0.8, 0.15, 0.05)
    )
    out = NumericReviewer().review(claim, ev)
    assert out.stance is Label.CONTRADICTED
    assert out.probs.contradiction == pytest.approx(0.9)
    assert sum((out.probs.entailment, out.probs.neutral, out.probs.contradiction)) == pytest.approx(
        1.0, abs=1e-3
    )
    assert "claim says 200,000 signatures; source says 126,000" in out.reasons
    verdict = decide(claim, [out], DecisionPolicy())
    assert verdict.label is Label.CONTRADICTED
    assert "claim says 200,000 signatures; source says 126,000" in verdict.reasons


def test_reviewer_keeps_the_judges_stance_when_figures_agree() -> None:
    claim = Claim.from_text("About 480,000 people live in the city.")
    probs = StanceProbs(0.2, 0.3, 0.5)
    ev = evidence_for("The census counted 479,812 people in the city.", probs, Label.CONTRADICTED)
    out = NumericReviewer().review(claim, ev)
    assert out.probs == probs and out.stance is Label.CONTRADICTED
    assert any(r.startswith("figures agree") for r in out.reasons)


@pytest.mark.parametrize(
    ("claim", "evidence"),
    [
        ("More than 3,400 people were evacuated from the flood zone.",
         "Police said 3,412 people were evacuated from the flood zone on Tuesday."),
        ("Nearly half a million homes lost power during the storm.",
         "During the storm 480,000 homes lost power, the utility said."),
    ],
)  # fmt: skip
def test_reviewer_rejudges_agreeing_figures_with_the_real_judge(
    nli_judge: NLIJudge, claim: str, evidence: str
) -> None:
    """The real judge cannot do arithmetic; once the figures are written the claim's way it accepts."""
    c = Claim.from_text(claim)
    (judged,) = nli_judge.judge(c, [Hit(Passage(id="s#0", source_id="s", text=evidence, start=0,
                                                end=len(evidence)), 1.0)])  # fmt: skip
    reviewed = NumericReviewer(rescorer=nli_judge).review(c, judged)
    assert reviewed.probs.entailment > judged.probs.entailment
    assert nli_judge.decide(c, [reviewed]).label is Label.SUPPORTED


def test_an_unsettled_figure_cannot_support_the_claim() -> None:
    claim = Claim.from_text("More than 200,000 people have signed the petition.")
    ev = evidence_for("More than 126,000 people have signed the petition.", StanceProbs(0.7, 0.2, 0.1))
    out = NumericReviewer().review(claim, ev)
    assert out.probs.entailment == 0.0 and out.probs.neutral == pytest.approx(0.9)
    assert out.stance is Label.UNVERIFIED
    assert any(r.startswith("figures overlap but do not settle it") for r in out.reasons)


def test_reviewer_leaves_unrelated_evidence_alone() -> None:
    claim = Claim.from_text("The school has 35 classrooms.")
    ev = evidence_for(
        "The school has 842 pupils and 61 teachers.", StanceProbs(0.1, 0.8, 0.1), Label.UNVERIFIED
    )
    assert NumericReviewer().review(claim, ev) == ev


def test_reviewer_reads_relative_dates_against_the_dateline() -> None:
    text = "Published Friday 13 March 2026. The mayor of Dunmore resigned on Wednesday, citing ill health."
    ev = evidence_for(text, StanceProbs(0.7, 0.2, 0.1))
    wrong = NumericReviewer().review(Claim.from_text("The mayor of Dunmore resigned on 4 March 2026."), ev)
    right = NumericReviewer().review(Claim.from_text("The mayor of Dunmore resigned on 11 March 2026."), ev)
    assert wrong.stance is Label.CONTRADICTED
    assert right.stance is Label.SUPPORTED


def test_figures_that_count_other_things_are_set_aside_by_the_real_judge(nli_judge: NLIJudge) -> None:
    """The judge reads '35 classrooms' against '842 pupils' as a contradiction; with the window's figures
    written as the claim's it sees no conflict in the words, so the window is neutral. A window whose
    figure measures the same thing is left to the comparison (the aligned, conflicting case)."""
    claim = Claim.from_text("The school has 35 classrooms.")
    text = "The school has 842 pupils and 61 teachers."
    (judged,) = nli_judge.judge(claim, [Hit(Passage(id="s#0", source_id="s", text=text, start=0,
                                                    end=len(text)), 1.0)])  # fmt: skip
    reviewed = NumericReviewer(rescorer=nli_judge).review(claim, judged)
    if judged.probs.contradiction > judged.probs.neutral:
        assert reviewed.probs.contradiction < judged.probs.contradiction
    assert reviewed.stance is Label.UNVERIFIED
    assert reviewed.probs.entailment <= judged.probs.entailment
    same_thing = Claim.from_text("The school has 900 pupils.")
    (judged,) = nli_judge.judge(same_thing, [Hit(Passage(id="s#0", source_id="s", text=text, start=0,
                                                         end=len(text)), 1.0)])  # fmt: skip
    assert NumericReviewer(rescorer=nli_judge).review(same_thing, judged).stance is Label.CONTRADICTED


def test_a_figure_about_something_unmentioned_is_set_aside_by_the_real_judge(nli_judge: NLIJudge) -> None:
    """'40,000 weekend tickets' against '126,000 visitors': the claim's noun never occurs in the window,
    so the numbers cannot decide it, whatever the judge reads into them."""
    claim = Claim.from_text("The festival sold 40,000 weekend tickets.")
    text = "The festival drew 126,000 visitors over its three days, organisers said."
    (judged,) = nli_judge.judge(claim, [Hit(Passage(id="f#0", source_id="f", text=text, start=0,
                                                    end=len(text)), 1.0)])  # fmt: skip
    reviewed = NumericReviewer(rescorer=nli_judge).review(claim, judged)
    assert reviewed.probs.contradiction <= judged.probs.contradiction
    assert reviewed.stance is not Label.CONTRADICTED


def judged(judge: NLIJudge, claim: str, text: str) -> tuple[Claim, Evidence]:
    c = Claim.from_text(claim)
    (ev,) = judge.judge(c, [Hit(Passage(id="p#0", source_id="p", text=text, start=0, end=len(text)), 1.0)])
    return c, ev


def test_a_computed_figure_supports_with_the_real_judge(nli_judge: NLIJudge) -> None:
    """The judge cannot do the sum (it reads 200 -> 250 against '25 per cent' as a contradiction); the
    reviewer does, says so, and a wrong percentage still contradicts."""
    text = "The price of a season ticket rose from 200 to 250 dollars."
    claim, ev = judged(nli_judge, "The price of a season ticket rose by 25 per cent.", text)
    reviewed = NumericReviewer(rescorer=nli_judge).review(claim, ev)
    assert reviewed.stance is Label.SUPPORTED
    assert any("200 to 250 dollars, 25%" in r for r in reviewed.reasons)
    claim, ev = judged(nli_judge, "The price of a season ticket rose by 40 per cent.", text)
    assert NumericReviewer(rescorer=nli_judge).review(claim, ev).stance is Label.CONTRADICTED


def test_a_date_the_window_never_gives_is_judged_on_the_words(nli_judge: NLIJudge) -> None:
    """No date of the window is the postal deadline: the judge's reading of '30 April' against '7 May'
    is set aside; the window cannot support the deadline, and contradicts it only if the words do."""
    claim, ev = judged(nli_judge, "Postal votes must be received by 30 April 2026.",
                       "The election will be held on Thursday 7 May 2026.")  # fmt: skip
    reviewed = NumericReviewer(rescorer=nli_judge).review(claim, ev)
    assert reviewed.probs.entailment == 0.0
    assert reviewed.stance is Label.UNVERIFIED
    # an aligned date still decides: same verb, another day
    claim, ev = judged(nli_judge, "The election will be held on 14 May 2026.",
                       "The election will be held on Thursday 7 May 2026.")  # fmt: skip
    assert NumericReviewer(rescorer=nli_judge).review(claim, ev).stance is Label.CONTRADICTED


def test_a_figure_that_differs_across_sources_is_said_in_the_verdict(nli_judge: NLIJudge) -> None:
    claim = Claim.from_text("The petition was signed by 126,000 people.")
    texts = {
        "a": "The petition was signed by 126,000 people.",
        "b": "The petition was signed by 131,000 people.",
    }
    hits = [
        Hit(Passage(id=f"{k}#0", source_id=k, text=t, start=0, end=len(t), title=f"Report {k.upper()}"), 1.0)
        for k, t in texts.items()
    ]
    reviewer = NumericReviewer(rescorer=nli_judge)
    verdict = nli_judge.decide(claim, [reviewer.review(claim, ev) for ev in nli_judge.judge(claim, hits)])
    assert verdict.conflicting
    assert (
        "the figure differs across sources: Report A says 126,000; Report B says 131,000" in verdict.reasons
    )
