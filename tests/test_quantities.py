"""The quantity and date parser: table-driven readings, plus properties (hypothesis)."""

from __future__ import annotations

import math
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from verifier.review.quantities import Quantity, lemma, parse, reference_date

REF = date(2026, 3, 13)  # a Friday


def one(text: str, ref: date | None = None) -> Quantity:
    found = parse(text, ref)
    assert len(found) == 1, found
    return found[0]


def day(y: int, m: int, d: int) -> float:
    return float(date(y, m, d).toordinal())


@pytest.mark.parametrize(
    ("text", "dimension", "lo", "hi", "noun"),
    [
        ("The festival drew 126,000 visitors.", "count", 125_500, 126_500, "visitor"),
        ("Police said 3,412 people were evacuated.", "count", 3412, 3412, "person"),
        ("The airline flew 1214 flights in June.", "count", 1214, 1214, "flight"),
        ("Two dozen firefighters tackled the blaze.", "count", 24, 24, "firefighter"),
        ("A dozen firefighters came.", "count", 12, 12, "firefighter"),
        ("Organisers said half a million people came.", "count", 500_000, 500_000, "person"),
        ("A quarter of a million households lost power.", "count", 250_000, 250_000, "household"),
        ("It will hire three thousand staff.", "count", 3000, 3000, "staff"),
        ("It will hire three hundred staff.", "count", 300, 300, "staff"),
        ("The breach affected 1.2m customer accounts.", "count", 1_150_000, 1_250_000, "account"),
        ("Between 80 and 90 vessels took part.", "count", 80, 90, "vessel"),
        ("At least 40 people were injured.", "count", 40, math.inf, "person"),
        ("Fewer than 20 people were injured.", "count", 0, 20, "person"),
        ("Scientists counted roughly a thousand nests.", "count", 900, 1100, "nest"),
        ("Turnout was 64.3% this time.", "percent", 64.25, 64.35, ""),
        ("Sales rose by twelve per cent.", "percent", 12, 12, ""),
        ("Nine out of ten residents felt safe.", "percent", 90, 90, "resident"),
        ("A third of respondents switched.", "percent", 100 / 3 - 2, 100 / 3 + 2, "respondent"),
        ("It fell by 0.3 percentage points.", "points", 0.25, 0.35, ""),
        ("The club paid £45m for him.", "money", 45e6, 45e6, ""),
        ("The budget is $2.4 billion.", "money", 2.35e9, 2.45e9, ""),
        ("A grant of 3.2 million Australian dollars.", "money", 3.15e6, 3.25e6, ""),
        ("An 11-year-old girl was found safe.", "age", 11, 11, "girl"),
        ("The actor, who is 74, will receive an award.", "age", 74, 74, "actor"),
        ("Marta Kowal, 29, won the race.", "age", 29, 29, "kowal"),
        ("The scheme is open to children aged 5 to 12.", "age", 5, 12, "child"),
        ("The victim, a man in his forties, was hurt.", "age", 40, 50, ""),
        ("The tunnel is 2.4 kilometres long.", "length", 2350, 2450, "length"),
        ("The cruise ship is 45 metres wide.", "length", 45, 45, "width"),
        ("The tunnel runs 40 metres below the surface.", "length", 40, 40, "depth"),
        ("The new voters are under 18.", "age", 0, 18, ""),
        ("About a fifth of respondents switched.", "percent", 18, 22, "respondent"),
        ("An eight-year-old is eligible for the scheme.", "age", 8, 8, "person"),
        ("Fourteen-year-olds are eligible for the scheme.", "age", 14, 14, "person"),
        ("The oldest competitor was 72.", "age", 72, 72, "competitor"),
        ("The strike lasted a week.", "duration", 604800, 604800, ""),
        ("Membership nearly tripled.", "ratio", 2.7, 3.0, ""),
        ("Prices rose fivefold.", "ratio", 4.5, 5.5, ""),
        ("The cost increased by more than half.", "percent", 50, math.inf, ""),
        ("The storm brought 198 mm of rain.", "length", 0.198, 0.198, "rain"),
        ("The fire burned 5,000 hectares of forest.", "area", 5e7 - 1e6, 5e7 + 1e6, "forest"),
        ("It burned 50 square kilometres of forest.", "area", 5e7, 5e7, "forest"),
        ("It holds 3.2 million cubic metres of water.", "volume", 3.15e6, 3.25e6, "water"),
        ("The meeting lasted an hour and a half.", "duration", 5400, 5400, ""),
        ("The car averaged 87.6 km/h.", "speed", 87.55, 87.65, ""),
        ("The treaty was signed in 1951.", "year", 1951, 1951, ""),
        ("It was founded in the late 1990s.", "year", 1997, 1999, ""),
    ],
)
def test_parse_table(text: str, dimension: str, lo: float, hi: float, noun: str) -> None:
    q = one(text)
    assert q.dimension == dimension
    assert q.lo == pytest.approx(lo, rel=1e-3, abs=1e-6)
    assert q.hi == pytest.approx(hi, rel=1e-3, abs=1e-6) if hi != math.inf else q.hi == math.inf
    assert q.noun == noun
    assert text[q.span[0] : q.span[1]] == q.text


def test_shorthand_figures_need_their_cue() -> None:
    """'a week' is a duration after 'lasted'/'for', not in 'once a week' or a weekly rate."""
    assert parse("We met once a week.") == []
    (wage,) = parse("He earns 200 pounds a week.")
    assert wage.dimension == "money" and wage.unit == "GBP/week"
    assert [q.dimension for q in parse("The records go back more than a century.")] == ["duration"]


def test_ages_at_an_event() -> None:
    """The age someone died at, however the clause runs, is an age at an event; an age in apposition
    is not; 'The number was 72' is no age at all."""
    assert one("The founder, who died on Monday aged 91, was a chemist.").role == "event"
    assert one("The founder died aged 81.").role == "event"
    assert one("The founder was 91 at the time of death.").role == "event"
    assert one("Marta Kowal, aged 29, won the race.").role == ""
    assert one("The number was 72.").dimension == "count"


def test_bounds_are_strict_where_the_words_are() -> None:
    more = one("More than 480,000 residents")
    assert more.lo > 480_000 and more.hi == math.inf
    nearly = one("nearly half a million people")
    assert 450_000 <= nearly.lo < 480_000 < nearly.hi < 500_000
    about = one("about 480,000 residents")
    assert about.lo <= 479_812 <= about.hi


def test_currency_and_rates() -> None:
    assert one("The fine was €250,000.").unit == "EUR"
    assert one("He earns £200,000 a week.").unit == "GBP/week"
    assert one("An A$3.2m grant.").unit == "AUD"


def test_partitive_and_inherited_nouns() -> None:
    q = one("The union said 9,800 of its members voted.")
    assert q.partitive and q.noun == "member"
    objects, shown = parse(
        "The collection contains 2.3 million objects, of which about 4,000 are on display."
    )
    assert shown.noun == "object" and shown.partitive and not objects.partitive


def test_no_passengers_is_zero() -> None:
    crew, passengers = parse("The ship carried 23 crew members and no passengers.")
    assert (crew.lo, crew.noun) == (23, "member")
    assert (passengers.lo, passengers.hi, passengers.noun) == (0, 0, "passenger")


def test_revised_figures_carry_their_role() -> None:
    first, then = parse("The death toll, initially put at 12, rose to 19 by Thursday evening.")
    assert first.role == "initial" and then.role == "latest"


@pytest.mark.parametrize(
    ("text", "lo", "hi"),
    [
        ("The election is on Thursday 7 May 2026.", day(2026, 5, 7), day(2026, 5, 7)),
        ("The film opens on June 12, 2026.", day(2026, 6, 12), day(2026, 6, 12)),
        ("It reopened in March 2026.", day(2026, 3, 1), day(2026, 3, 31)),
        ("It happened on 2026-03-14.", day(2026, 3, 14), day(2026, 3, 14)),
        ("The festival runs from 3 to 6 August 2026.", day(2026, 8, 3), day(2026, 8, 6)),
        ("It will be held in early August 2026.", day(2026, 8, 1), day(2026, 8, 10)),
        ("The deadline is the end of January 2026.", day(2026, 1, 27), day(2026, 1, 31)),
    ],
)
def test_dates(text: str, lo: float, hi: float) -> None:
    q = one(text)
    assert (q.dimension, q.lo, q.hi) == ("date", lo, hi)


@pytest.mark.parametrize(
    ("text", "dimension", "lo", "hi"),
    [
        ("The mayor resigned on Wednesday.", "date", day(2026, 3, 11), day(2026, 3, 11)),
        ("The trial began yesterday.", "date", day(2026, 3, 12), day(2026, 3, 12)),
        ("Last week the firm cut jobs.", "date", day(2026, 3, 2), day(2026, 3, 8)),
        ("The wing opened last month.", "date", day(2026, 2, 1), day(2026, 2, 28)),
        ("Results come a week from today.", "date", day(2026, 3, 20), day(2026, 3, 20)),
        ("It was founded ten years ago.", "year", 2016, 2016),
        ("It happened two weeks ago.", "date", day(2026, 2, 27), day(2026, 2, 27)),
        ("The vote will be held on Tuesday.", "date", day(2026, 3, 17), day(2026, 3, 17)),
    ],
)
def test_relative_dates_need_a_reference(text: str, dimension: str, lo: float, hi: float) -> None:
    q = one(text, REF)
    assert (q.dimension, q.lo, q.hi) == (dimension, lo, hi)
    assert parse(text) == [] or all(p.dimension != "date" for p in parse(text))


def test_dateline() -> None:
    ref, end = reference_date("Published Friday 13 March 2026. The mayor resigned on Wednesday.")
    assert ref == REF and end == len("Published Friday 13 March 2026.")
    assert reference_date("No dateline here.") == (None, 0)


def test_times_of_day_are_not_quantities() -> None:
    assert [q.dimension for q in parse("The ceasefire began at 6am on 1 March 2026.")] == ["date"]


def test_lemma() -> None:
    assert [lemma(w) for w in ("signatures", "people", "bodies", "boxes", "bus")] == [
        "signature", "person", "body", "box", "bus",
    ]  # fmt: skip


# ---------------------------------------------------------------- properties


@given(st.integers(min_value=1_000, max_value=10**9))
def test_thousands_separators_parse_back(n: int) -> None:
    q = one(f"They counted {n:,} birds.")
    assert q.lo <= n <= q.hi
    assert q.noun == "bird"


@given(st.integers(min_value=1_000_000, max_value=999_000_000))
def test_millions_shorthand_contains_the_value(n: int) -> None:
    text = f"They counted {n / 1e6:.1f}m birds."
    q = one(text)
    assert q.lo <= round(n / 1e5) * 1e5 <= q.hi
    assert q.hi - q.lo <= 0.1e6 + 1


@given(
    st.integers(min_value=0, max_value=999_999), st.sampled_from(["more than", "at least", "nearly", "about"])
)
def test_bounds_contain_their_reading(n: int, bound: str) -> None:
    q = one(f"The report lists {bound} {n:,} cases.")
    if bound == "more than":
        assert q.lo > n and q.hi == math.inf
    elif bound == "at least":
        assert q.lo == n
    elif bound == "nearly":
        assert q.hi < n or n == 0
    else:
        assert q.lo <= n <= q.hi


@settings(max_examples=200)
@given(st.text(alphabet=st.sampled_from(list("0123456789 ,.-$€£%abcmkAMoft\n")), max_size=60))
def test_spans_always_index_the_input(text: str) -> None:
    for q in parse(text, REF):
        assert 0 <= q.span[0] < q.span[1] <= len(text)
        assert text[q.span[0] : q.span[1]] == q.text
        assert q.lo <= q.hi


@settings(max_examples=100)
@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)))
def test_written_dates_parse_back(d: date) -> None:
    for text in (f"on {d.day} {d:%B %Y}", f"on {d:%B} {d.day}, {d.year}", f"on {d.isoformat()}"):
        q = one(text)
        assert q.dimension == "date" and q.lo == q.hi == d.toordinal()


def test_superscript_digits_are_not_numbers() -> None:
    # "²".isdigit() is True but float("²") fails: a SciFact abstract crashed the eval on it
    found = [(q.text, q.lo) for q in parse("Doses of 3 mg/m² and x² terms; ² alone.", None)]
    assert ("3", 3.0) in [(t.split()[0], lo) for t, lo in found]


def test_scores_and_tallies_are_one_figure() -> None:
    (score, crowd) = parse("Harlow Bay won the match 3-1 in front of 38,000 fans.")
    assert (score.text, score.dimension, score.lo, score.hi) == ("3-1", "score", 1.0, 3.0)
    assert crowd.noun == "fan"
    assert [q.dimension for q in parse("The council voted 7-2 on Thursday.")][0] == "score"
    (rng,) = parse("Between 10-15 people were hurt.")
    assert rng.dimension == "count" and (rng.lo, rng.hi) == (10, 15)  # no game or vote: a range
