"""Figures a source implies: changes, shares and spans, as intervals (plus properties, hypothesis)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from verifier.review.derive import Derived, change_direction, derive, direction_before
from verifier.review.quantities import parse


def derived(text: str) -> list[Derived]:
    return derive(text, parse(text))


def only(text: str, kind: str, dimension: str) -> Derived:
    found = [d for d in derived(text) if d.kind == kind and d.quantity.dimension == dimension]
    assert len(found) == 1, derived(text)
    return found[0]


def test_a_change_from_one_figure_to_another() -> None:
    text = "The price of a season ticket rose from 200 to 250 dollars."
    change = only(text, "change", "percent")
    assert (change.quantity.lo, change.quantity.hi) == pytest.approx((25.0, 25.0))
    assert change.sign == 1 and change.quantity.role == "derived"
    assert "200 to 250 dollars" in change.quantity.text
    ratio = only(text, "change", "ratio")
    assert (ratio.quantity.lo, ratio.quantity.hi) == pytest.approx((1.25, 1.25))


def test_a_fall_written_to_then_from_gives_points_between_percentages() -> None:
    text = "Unemployment fell to 4.1 percent in March from 4.4 percent in February."
    points = only(text, "change", "points")
    assert points.sign == -1
    assert points.quantity.lo <= 0.3 <= points.quantity.hi
    assert points.quantity.hi - points.quantity.lo < 0.25  # the rounding of both figures, no more


def test_thousands_separators_and_years_inside_a_change() -> None:
    ratio = only("The club's membership grew from 800 in 2015 to 2,300 in 2025.", "change", "ratio")
    assert ratio.quantity.lo <= 2300 / 800 <= ratio.quantity.hi
    assert ratio.quantity.hi < 3.0  # "nearly tripled" holds, "tripled" would not be implied


@pytest.mark.parametrize(
    ("text", "share"),
    [
        ("A report found that 61 of the 74 bridges inspected needed repairs.", 100 * 61 / 74),
        ("Of the 400 patients in the trial, 100 reported side effects.", 25.0),
    ],
)
def test_a_share_from_a_part_and_its_whole(text: str, share: float) -> None:
    d = only(text, "share", "percent")
    assert d.quantity.lo == pytest.approx(share)


def test_no_share_between_counts_of_different_things() -> None:
    assert not [d for d in derived("The school has 842 pupils and 61 teachers.") if d.kind == "share"]


def test_spans_between_the_only_two_days_or_years() -> None:
    strike = only("The strike began on 2 February 2026 and ended on 9 February 2026.", "span", "duration")
    assert strike.quantity.lo == 7 * 86400
    law = only("The law was passed in 2019 and came into force in 2021.", "span", "duration")
    assert law.quantity.lo == pytest.approx(2 * 31557600)
    assert not derived("The treaty was signed in 1951, ratified in 1953 and renewed in 1990.")


def test_which_claim_figures_are_changes() -> None:
    def ask(text: str) -> tuple[bool, int]:
        q = next(q for q in parse(text) if q.dimension not in ("year", "date"))
        return change_direction(text, q)

    assert ask("The price rose by 25 per cent.") == (True, 1)
    assert ask("Sales fell 12% in the quarter.") == (True, -1)
    assert ask("Membership nearly tripled between 2015 and 2025.") == (True, 1)
    assert ask("A quarter of the patients reported side effects.") == (False, 0)
    text = "Unemployment rose to 4.1 percent in March."
    assert direction_before(text, parse(text)[0]) == 1


@given(st.integers(min_value=1, max_value=10**6), st.integers(min_value=1, max_value=10**6))
def test_a_change_contains_its_exact_value(x: int, y: int) -> None:
    """Whatever the figures, the computed interval holds the exact change, with the right direction."""
    text = f"The fee went from {x:,} to {y:,} dollars."
    ratio = only(text, "change", "ratio")
    assert ratio.quantity.lo <= y / x * (1 + 1e-9) and ratio.quantity.hi >= y / x * (1 - 1e-9)
    if x != y:
        change = only(text, "change", "percent")
        assert change.sign == (1 if y > x else -1)
        assert change.quantity.lo <= abs(y / x - 1) * 100 * (1 + 1e-9) + 1e-9
        assert change.quantity.hi >= abs(y / x - 1) * 100 * (1 - 1e-9) - 1e-9
