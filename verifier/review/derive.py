"""Figures a source implies without writing them, for claims that state the result of a sum.

A small judge cannot do arithmetic: "The price rose from 200 to 250 dollars" reads to it as
contradicting "The price rose by 25 per cent". This module computes what the source's own figures
imply, as intervals (a rounded source figure widens the result):

- a change between two figures of one measure ("rose from 200 to 250 dollars", "fell to 4.1 percent
  in March from 4.4 percent"): the percentage change, the multiple (x1.25) and, between two
  percentages, the difference in percentage points;
- a share from a part and its whole ("61 of the 74 bridges", "Of the 400 patients ..., 100"): percent;
- a span between the source's only two days or only two years ("began on 2 February ... ended on
  9 February": 7 days; "passed in 2019 and came into force in 2021": 2 years).

Which claim figure may be compared with which derived one is the aligner's call (`review.align`):
a change with a claim figure written as a change ("by 25 per cent", "rose 12%", "nearly tripled"),
a share with a plain percentage or fraction ("a quarter of the patients", "most of the bridges").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from verifier.review import quantities as numbers
from verifier.review.quantities import Quantity

_UP = frozenset(
    "rose risen rise rises rising increased increase increases grew grown grow grows jumped jump jumps "
    "climbed climb climbs gained gain gains soared surged up higher more doubled tripled trebled "
    "quadrupled".split()
)
_DOWN = frozenset(
    "fell fallen fall falls falling dropped drop drops decreased decrease decreases declined decline "
    "declines shrank shrunk cut cuts slipped slumped plunged down lower less fewer halved reduced".split()
)
CHANGE_WORDS = _UP | _DOWN
_FIGURE = r"(?:[^,;]|,(?=\d{3}))+?"  # up to the clause's end; "2,300" is one figure
_END = (
    r"(?=,(?!\d{3})|;|\.(?!\d)|$|\s+(?:in|by|over|during|between|after|before|since|last|this|on|at|and|"
    r"while|from)\b)"
)
_FROM_TO = re.compile(rf"\bfrom\s+(?P<x>{_FIGURE})\s+to\s+(?P<y>{_FIGURE})" + _END, re.I)
_TO_FROM = re.compile(
    r"\b(?:rose|fell|dropped|declined|increased|decreased|grew|climbed|jumped|slipped|slumped|shrank|"
    rf"came down|went up)\s+to\s+(?P<y>{_FIGURE})\s+(?:in\s+\w+\s+)?from\s+(?P<x>{_FIGURE})" + _END,
    re.I,
)
_TRAILING_YEAR = re.compile(r"\s+in\s+(?:\w+\s+)?\d{4}$")
_SECONDS_PER_DAY = 86400.0
_SECONDS_PER_YEAR = 31557600.0


@dataclass(frozen=True, slots=True)
class Derived:
    """A computed figure. `quantity.text` says how it was computed; `quantity.role` is "derived"."""

    quantity: Quantity
    kind: str  # "change" (percent), "points", "ratio", "share" (percent), "span" (duration)
    sign: int = 0  # for changes: +1 a rise, -1 a fall, 0 unknown


def change_direction(text: str, q: Quantity) -> tuple[bool, int]:
    """Whether the claim writes `q` as a change ("rose by 25 per cent", "fell 0.3 points", "nearly
    tripled"), and its direction (+1, -1, or 0 when the words do not say)."""
    if q.dimension == "ratio":
        word = q.text.lower().split()[-1]
        return True, -1 if word == "halved" else 1
    before = re.findall(r"[a-z]+", text[: q.span[0]].lower())[-4:]
    if not before:
        return False, 0
    is_change = (
        before[-1] == "by"
        or before[-1] in CHANGE_WORDS
        or (
            len(before) > 1
            and before[-2] in CHANGE_WORDS
            and before[-1] in ("by", "about", "around", "nearly")
        )
    )
    if not is_change:
        return False, 0
    return True, _direction(before)


def direction_before(text: str, q: Quantity) -> int:
    """+1 / -1 when a verb of change comes just before the figure ("rose to 4.1 percent", "fell 12%",
    "was cut by half"), else 0."""
    return _direction(re.findall(r"[a-z]+", text[: q.span[0]].lower())[-3:])


def _direction(words: list[str]) -> int:
    """+1 when `words` only say up, -1 when they only say down, else 0."""
    up = any(w in _UP for w in words)
    down = any(w in _DOWN for w in words)
    return 1 if up and not down else -1 if down and not up else 0


def _one(text: str) -> Quantity | None:
    found = [q for q in numbers.parse(text) if q.dimension not in ("date", "year")]
    return found[0] if len(found) == 1 else None


def _pair(x_text: str, y_text: str) -> tuple[Quantity, Quantity] | None:
    x = _one(_TRAILING_YEAR.sub("", x_text))
    y = _one(_TRAILING_YEAR.sub("", y_text))
    if x is None or y is None:
        return None
    if x.dimension == "count" and y.dimension != "count":  # "from 200 to 250 dollars"
        x = replace(x, dimension=y.dimension, unit=y.unit)
        scale = next((v for w, v in numbers._SCALES.items() if w in y_text.lower().split()), 1.0)
        if scale > 1.0 and not any(w in x_text.lower().split() for w in numbers._SCALES) and x.hi < 1000:
            x = replace(x, lo=x.lo * scale, hi=x.hi * scale)
    if x.dimension != y.dimension or x.unit != y.unit or x.lo <= 0 or y.lo <= 0:
        return None
    if not (x.hi < float("inf") and y.hi < float("inf")):
        return None
    return x, y


def _figure(value_lo: float, value_hi: float, text: str, span: tuple[int, int], dimension: str) -> Quantity:
    return Quantity(text, span, value_lo, value_hi, dimension, approximate=True, role="derived")


def _number(v: float) -> str:
    return f"{v:,.1f}".rstrip("0").rstrip(".")


def _changes(text: str) -> list[Derived]:
    out: list[Derived] = []
    for m in [*_FROM_TO.finditer(text), *_TO_FROM.finditer(text)]:
        pair = _pair(m["x"], m["y"])
        if pair is None:
            continue
        x, y = pair
        span = (m.start(), m.end())
        sign = 1 if y.lo > x.hi else -1 if y.hi < x.lo else 0
        said = f"{m['x'].strip()} to {m['y'].strip()}"
        lo, hi = sorted((abs(y.lo / x.hi - 1.0) * 100, abs(y.hi / x.lo - 1.0) * 100))
        if sign:
            mid = abs(y.lo + y.hi) / abs(x.lo + x.hi)
            out.append(Derived(_figure(lo, hi, f"{said}, {_number(abs(mid - 1) * 100)}%", span, "percent"),
                               "change", sign))  # fmt: skip
        times = _number((y.lo + y.hi) / (x.lo + x.hi))
        out.append(
            Derived(_figure(y.lo / x.hi, y.hi / x.lo, f"{said}, x{times}", span, "ratio"), "change", sign)
        )
        if x.dimension == "percent" and sign:
            lo, hi = sorted((abs(y.lo - x.hi), abs(y.hi - x.lo)))
            points = abs((y.lo + y.hi) - (x.lo + x.hi)) / 2
            out.append(
                Derived(_figure(lo, hi, f"{said}, {_number(points)} points", span, "points"), "change", sign)
            )
    return out


def _shares(text: str, qs: list[Quantity]) -> list[Derived]:
    """'61 of the 74 bridges', 'Of the 400 patients in the trial, 100 reported ...'."""
    counts = [q for q in qs if q.dimension == "count" and q.lo == q.hi and q.lo > 0]
    out: list[Derived] = []
    for part in counts:
        for whole in counts:
            if part.lo >= whole.lo or (part.noun and whole.noun and part.noun != whole.noun):
                continue
            whole_first = whole.span[0] < part.span[0] and re.search(
                r"\bof\s+the\s*$", text[: whole.span[0]], re.I
            )
            if not (part.partitive and part.span[0] < whole.span[0]) and not whole_first:
                continue
            pct = 100.0 * part.lo / whole.lo
            span = (min(part.span[0], whole.span[0]), max(part.span[1], whole.span[1]))
            said = f"{part.text} of {whole.describe()}, {_number(pct)}%"
            out.append(Derived(_figure(pct, pct, said, span, "percent"), "share"))
    return out


def _spans(qs: list[Quantity]) -> list[Derived]:
    out: list[Derived] = []
    days = [q for q in qs if q.dimension == "date" and q.lo == q.hi]
    years = [q for q in qs if q.dimension == "year" and q.lo == q.hi]
    for found, unit, name in ((days, _SECONDS_PER_DAY, "days"), (years, _SECONDS_PER_YEAR, "years")):
        if len(found) != 2:
            continue
        a, b = found
        n = abs(b.lo - a.lo)
        span = (a.span[0], b.span[1])
        out.append(Derived(_figure(n * unit, n * unit, f"{a.text} to {b.text}, {_number(n)} {name}", span,
                                   "duration"), "span"))  # fmt: skip
    return out


def derive(text: str, qs: list[Quantity]) -> list[Derived]:
    """Every figure implied by `text` (whose parsed quantities are `qs`)."""
    return [*_changes(text), *_shares(text, qs), *_spans(qs)]
