"""Figure alignment: which figure of the evidence measures what the claim's does, and how they compare."""

from __future__ import annotations

from datetime import date

import pytest

from verifier.review.align import Relation, align
from verifier.review.quantities import parse


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


def test_scores_compare_as_one_figure() -> None:
    (m,) = align("Harlow Bay won 3-1.", "Harlow Bay won the match 2-1.")
    assert m.relation is Relation.CONFLICT and m.claim.text == "3-1"
    (m,) = align("Harlow Bay lost 1-3.", "Harlow Bay won the match 3-1.")
    assert m.relation is Relation.SAME
    # the crowd is never compared with one side of the score (was: "claim says 38,000; source says 1")
    for claim in ("The match drew 38,000 fans.", "The match drew a crowd of 38,000."):
        matches = align(claim, "Harlow Bay won the match 3-1 in front of 38,000 fans.")
        assert all(m.evidence.text != "1" and m.evidence.dimension != "score" for m in matches)


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


STRIKE = "The strike began on 2 February 2026 and ended on 9 February 2026."


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


def test_a_number_inside_a_name_is_no_figure() -> None:
    assert [q.text for q in parse("COVID-19 killed 225,530 people, the CDC said.")] == ["225,530"]
    assert parse("An Su-30 jet flew over the G-20 summit.") == []
    assert [q.text for q in parse("The CDC counted 19 COVID-19 deaths.")] == ["19"]
