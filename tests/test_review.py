"""Alignment, judgement and the NumericReviewer seam (issue 6 examples), on real Evidence objects."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.fakes import AgreeingJudge, ListStore, WholeTextExtractor
from verifier.aggregate import DecisionPolicy, decide
from verifier.evaluation.pairs import evaluate_pairs, load_pairs
from verifier.judges.baseline import BaselineJudge
from verifier.judges.nli import NLIJudge
from verifier.models import Claim, Evidence, Hit, Label, Passage, StanceProbs
from verifier.pipeline import Checker
from verifier.protocols import EvidenceReviewer
from verifier.review.actors import swap_cues
from verifier.review.align import Relation, align
from verifier.review.numeric import NumericReviewer
from verifier.review.quantities import parse
from verifier.review.relevance import OffTopicReviewer
from verifier.review.rewrite import in_source_figures, normalise_figures, strip_figures

PAIRS = Path(__file__).resolve().parents[1] / "eval" / "numeric" / "pairs.jsonl"


def relations(claim: str, evidence: str) -> list[Relation]:
    return [m.relation for m in align(claim, evidence)]


@pytest.mark.parametrize(
    ("claim", "evidence", "expected"),
    [
        ("Nearly half a million people signed.", "In all, 480,000 people signed.", [Relation.SAME]),
        ("More than 100,000 people signed.", "126,000 people signed.", [Relation.SAME]),
        ("130,000 people signed the petition.", "Nearly half a million people signed the petition.",
         [Relation.CONFLICT]),
        ("The company was founded in 2018.", "The company was founded in 2020.", [Relation.CONFLICT]),
        ("An 11-year-old boy was hurt.", "A 14-year-old boy was hurt.", [Relation.CONFLICT]),
        ("More than 200,000 people signed.", "More than 126,000 people signed.", [Relation.CONSISTENT]),
        ("The city has about 480,000 residents.", "The census counted 479,812 residents.", [Relation.SAME]),
        ("The city has more than 480,000 residents.", "The census counted 479,812 residents.",
         [Relation.CONFLICT]),
        ("The tunnel is 2,400 metres long.", "The tunnel is 2.4 kilometres long.", [Relation.SAME]),
        ("The fine was 250,000 dollars.", "The fine was €250,000.", [Relation.CONFLICT]),
    ],
)  # fmt: skip
def test_align_and_judge(claim: str, evidence: str, expected: list[Relation]) -> None:
    assert relations(claim, evidence) == expected


def test_a_figure_the_evidence_does_not_mention_is_not_compared() -> None:
    assert align("The festival sold 40,000 weekend tickets.", "The festival drew 126,000 visitors.") == []
    assert (
        align("The city's police budget is $600 million.", "The city approved a budget of $2.4 billion.")
        == []
    )


def test_the_figure_for_the_same_noun_is_chosen() -> None:
    (m,) = align("The school has 842 teachers.", "The school has 842 pupils and 61 teachers.")
    assert m.relation is Relation.CONFLICT and m.evidence.text == "61"


def test_a_figure_for_another_time_is_not_compared() -> None:
    assert align("Inflation fell below 2% in 2025.", "Inflation fell to 3.2% in March 2024.") == []


def test_swapped_actors() -> None:
    assert swap_cues("Bello scored the goal after a pass from Ortiz.",
                     "The goal was scored by Ortiz after a pass from Bello.")  # fmt: skip
    assert not swap_cues("Carl Dunning was sentenced to six years by Judge Amelia Stroud.",
                         "Judge Amelia Stroud sentenced Carl Dunning to six years in prison.")  # fmt: skip
    assert not swap_cues("Senator Kaye wrote the bill.", "Senator Kaye voted for the bill.")


def evidence_for(text: str, probs: StanceProbs, stance: Label = Label.SUPPORTED) -> Evidence:
    passage = Passage(id="s#0", source_id="s", text=text, start=0, end=len(text))
    return Evidence(passage=passage, retrieval_score=1.0, stance=stance, probs=probs, span=(0, len(text)))


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


def test_normalised_figures_read_as_the_claim_writes_them() -> None:
    claim = "Nearly half a million people signed the petition by Friday."
    evidence = "By Friday the petition had 480,000 signatures and 3 sponsors."
    same = [m for m in align(claim, evidence) if m.relation is Relation.SAME]
    assert normalise_figures(evidence, same) == (
        "By Friday the petition had Nearly half a million signatures and 3 sponsors."
    )
    assert normalise_figures(evidence, []) == evidence


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


def test_checker_applies_reviewers_before_the_decision() -> None:
    text = "The festival drew 126,000 visitors over its three days, organisers said."
    store = ListStore([Passage(id="f#0", source_id="f", text=text, start=0, end=len(text))])
    plain = Checker(extractor=WholeTextExtractor(), store=store, judge=AgreeingJudge())
    reviewed = Checker(
        extractor=WholeTextExtractor(), store=store, judge=AgreeingJudge(), reviewers=(NumericReviewer(),)
    )
    claim = "The festival drew 162,000 visitors."
    assert plain.check_claim(claim).label is Label.SUPPORTED
    verdict = reviewed.check_claim(claim)
    assert verdict.label is Label.CONTRADICTED
    assert "claim says 162,000 visitors; source says 126,000" in verdict.reasons
    assert isinstance(NumericReviewer(), EvidenceReviewer)


def test_evaluate_pairs_on_ten_rows() -> None:
    rows = load_pairs(PAIRS)[:10]
    result = evaluate_pairs(BaselineJudge(), rows)
    assert result["n"] == 10
    assert result["reviewed"] >= result["alone"]
    assert set(result["per_kind"]) == {"cardinal"}


def test_scores_compare_as_one_figure() -> None:
    (m,) = align("Harlow Bay won 3-1.", "Harlow Bay won the match 2-1.")
    assert m.relation is Relation.CONFLICT and m.claim.text == "3-1"
    (m,) = align("Harlow Bay lost 1-3.", "Harlow Bay won the match 3-1.")
    assert m.relation is Relation.SAME
    # the crowd is never compared with one side of the score (was: "claim says 38,000; source says 1")
    for claim in ("The match drew 38,000 fans.", "The match drew a crowd of 38,000."):
        matches = align(claim, "Harlow Bay won the match 3-1 in front of 38,000 fans.")
        assert all(m.evidence.text != "1" and m.evidence.dimension != "score" for m in matches)


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


def test_a_figure_whose_noun_the_window_has_is_still_compared() -> None:
    """'fell during the storm' shares no verb with 'brought', but rain is rain: 100 mm vs 198 mm."""
    (m,) = align("Less than 100 mm of rain fell during the storm.", "The storm brought 198 mm of rain.")
    assert m.relation is Relation.CONFLICT


def test_the_only_date_of_a_window_equal_to_the_claims_is_aligned() -> None:
    (m,) = align(
        "The hospital's new wing opened in December 2025.",
        "The hospital opened its new wing last month.",
        ref=date(2026, 1, 10),
    )
    assert m.relation is Relation.SAME
    # two dates in the window: the predicate decides ("ended" is the 9th, not the 2nd)
    (m,) = align(
        "The strike ended on 2 February 2026.",
        "The strike began on 2 February 2026 and ended on 9 February 2026.",
    )
    assert m.relation is Relation.CONFLICT


def test_co_agents_are_not_a_swap() -> None:
    evidence = "Councillors Dev Malhotra and Priya Lindqvist voted against the plan."
    assert swap_cues("Councillor Dev Malhotra voted against the plan.", evidence) == []
    assert swap_cues("Priya Lindqvist voted against the plan.", evidence) == []
    listed = "Councillors Priya Lindqvist, Tom Ash and Dev Malhotra voted against the plan."
    assert swap_cues("Councillor Dev Malhotra voted against the plan.", listed) == []


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


STRIKE = "The strike began on 2 February 2026 and ended on 9 February 2026."


def judged(judge: NLIJudge, claim: str, text: str) -> tuple[Claim, Evidence]:
    c = Claim.from_text(claim)
    (ev,) = judge.judge(c, [Hit(Passage(id="p#0", source_id="p", text=text, start=0, end=len(text)), 1.0)])
    return c, ev


@pytest.mark.parametrize(
    ("claim", "evidence", "relation"),
    [
        ("Most of the bridges inspected needed repairs.", "61 of the 74 bridges inspected needed repairs.",
         Relation.SAME),
        ("A quarter of the patients reported side effects.",
         "Of the 400 patients in the trial, 100 reported side effects.", Relation.SAME),
        ("The price of a season ticket rose by 25 per cent.", "The price rose from 200 to 250 dollars.",
         Relation.SAME),
        ("The price of a season ticket rose by 40 per cent.", "The price rose from 200 to 250 dollars.",
         Relation.CONFLICT),
        ("The price of a season ticket fell by 25 per cent.",
         "The price of a season ticket went from 200 to 250 dollars.",
         Relation.CONFLICT),
        ("Unemployment fell by 0.3 percentage points in March.",
         "Unemployment fell to 4.1 percent in March from 4.4 percent in February.", Relation.SAME),
        ("Membership nearly tripled.", "Membership grew from 800 in 2015 to 2,300 in 2025.", Relation.SAME),
        ("The strike lasted a week.", STRIKE, Relation.SAME),
        ("The strike lasted a fortnight.", STRIKE, Relation.CONFLICT),
    ],
)  # fmt: skip
def test_claims_that_state_what_the_source_figures_add_up_to(
    claim: str, evidence: str, relation: Relation
) -> None:
    (m,) = align(claim, evidence)
    assert m.relation is relation
    assert m.evidence.role == "derived"


def test_the_direction_of_a_change_is_part_of_the_figure() -> None:
    (m,) = align("Unemployment rose to 4.1 percent in March.", "Unemployment fell to 4.1 percent in March.")
    assert m.relation is Relation.CONFLICT and "other way" in m.note


def test_a_width_is_not_a_length() -> None:
    assert align("The cruise ship is 45 metres wide.", "The cruise ship is 300 metres long.") == []
    (m,) = align("The cruise ship is 0.3 km long.", "The cruise ship is 300 metres long.")
    assert m.relation is Relation.SAME


def test_rewriting_figures_for_the_judge() -> None:
    claim = "Between 80 and 90 vessels took part in the rescue."
    matches = align(claim, "Dozens of vessels took part in the rescue.")
    assert in_source_figures(claim, matches) == "Dozens of vessels took part in the rescue."
    assert (
        normalise_figures("Dozens of vessels took part.", matches) == "Between 80 and 90 vessels took part."
    )
    text = "Postal votes must be received by 30 April 2026."
    assert strip_figures(text, parse(text)) == "Postal votes must be received."
    text = "The union has 14,000 members."
    assert strip_figures(text, parse(text)) == "The union has members."


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


def test_a_number_inside_a_name_is_no_figure() -> None:
    assert [q.text for q in parse("COVID-19 killed 225,530 people, the CDC said.")] == ["225,530"]
    assert parse("An Su-30 jet flew over the G-20 summit.") == []
    assert [q.text for q in parse("The CDC counted 19 COVID-19 deaths.")] == ["19"]
