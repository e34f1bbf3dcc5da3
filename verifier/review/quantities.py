"""Quantities and dates in text: pure-Python parsing into intervals (no models, no I/O).

`parse(text, ref=None)` returns every quantity it can read, each with its character span, a value
interval `[lo, hi]` in a canonical unit, the dimension it measures and the noun it counts:

    "more than 126,000 signatures"  -> count  (126000, inf)      noun "signature"
    "nearly half a million"         -> count  [450000, 500000)
    "£45m"                          -> money  [45e6, 45e6]       unit "GBP"
    "an 11-year-old girl"           -> age    [11, 11]           noun "girl"
    "14 March 2026"                 -> date   day ordinals of that day
    "last Wednesday" (with `ref`)   -> date   the Wednesday before `ref`

Rounded figures carry a tolerance ("480,000" covers 479,812; "about 64%" covers 64.3); strict
bounds stay strict ("more than 480,000" excludes 479,812).
"""

from __future__ import annotations

import calendar
import math
import re
from dataclasses import dataclass
from datetime import date

from verifier.text.words import FIGURE_STOPWORDS, IRREGULAR_PLURALS, lemma, plural

INF = math.inf
_EPS = 1e-9

DIMENSIONS = (
    "count", "percent", "points", "money", "age", "year", "date",
    "length", "area", "volume", "mass", "duration", "speed", "ratio",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Quantity:
    """One quantity read from text; `text == source[span[0]:span[1]]`."""

    text: str
    span: tuple[int, int]
    lo: float
    hi: float
    dimension: str
    unit: str = ""  # currency code ("USD") or a rate ("GBP/week"); "" when the dimension says it all
    noun: str = ""  # head noun, singular lower case ("signature"); "" when none was found
    approximate: bool = False  # "about", "nearly", rounded figures, number words
    partitive: bool = False  # "9,800 of its members": a part of a group, not its size
    role: str = ""  # "initial" / "latest" (figures that change over time), "event" (age at an event)

    @property
    def exact(self) -> bool:
        return self.lo == self.hi

    def describe(self) -> str:
        """The figure as written plus its noun when the text leaves it out ("126,000 signatures")."""
        noun = self.noun
        if noun and noun not in self.text.lower() and self.dimension == "count":
            return f"{self.text} {plural(noun) if self.hi > 1 else noun}"
        return self.text


# ---------------------------------------------------------------- vocabulary

_ONES = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90,
}  # fmt: skip
_SCALES = {"hundred": 100.0, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_SUFFIX_SCALES = {"k": 1e3, "m": 1e6, "mn": 1e6, "bn": 1e9, "b": 1e9, "tn": 1e12}
_FRACTIONS = {"half": 0.5, "third": 1 / 3, "quarter": 0.25, "fifth": 0.2, "tenth": 0.1}
_FRACTION_PLURALS = {"halves": 0.5, "thirds": 1 / 3, "quarters": 0.25, "fifths": 0.2, "tenths": 0.1}
_DECADE_WORDS = {
    "teens": 10, "twenties": 20, "thirties": 30, "forties": 40, "fifties": 50, "sixties": 60,
    "seventies": 70, "eighties": 80, "nineties": 90,
}  # fmt: skip
_VAGUE = {"dozens": (24.0, 199.0), "hundreds": (200.0, 1999.0), "thousands": (2000.0, 999_999.0)}
_MONTHS = (
    {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
    | {name.lower(): i for i, name in enumerate(calendar.month_abbr) if name}
    | {"sept": 9}
)
_WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
_CURRENCY_SYMBOLS = {"$": "USD", "US$": "USD", "A$": "AUD", "C$": "CAD", "NZ$": "NZD", "€": "EUR",
                     "£": "GBP", "¥": "JPY"}  # fmt: skip
_CURRENCY_WORDS = {
    "dollar": "USD", "dollars": "USD", "euro": "EUR", "euros": "EUR", "pound": "GBP", "pounds": "GBP",
    "yen": "JPY", "usd": "USD", "eur": "EUR", "gbp": "GBP", "aud": "AUD",
}  # fmt: skip
_CURRENCY_ADJ = {"australian": "AUD", "canadian": "CAD", "us": "USD", "american": "USD",
                 "new zealand": "NZD", "sterling": "GBP"}  # fmt: skip
# unit word -> (dimension, factor to the canonical unit: m, m2, m3, kg, s, km/h)
_UNITS: dict[str, tuple[str, float]] = {
    "mm": ("length", 1e-3), "millimetre": ("length", 1e-3), "millimeter": ("length", 1e-3),
    "cm": ("length", 1e-2), "centimetre": ("length", 1e-2), "centimeter": ("length", 1e-2),
    "m": ("length", 1.0), "metre": ("length", 1.0), "meter": ("length", 1.0),
    "km": ("length", 1e3), "kilometre": ("length", 1e3), "kilometer": ("length", 1e3),
    "mile": ("length", 1609.344), "ft": ("length", 0.3048), "foot": ("length", 0.3048),
    "feet": ("length", 0.3048),
    "hectare": ("area", 1e4), "ha": ("area", 1e4), "acre": ("area", 4046.86), "km2": ("area", 1e6),
    "m2": ("area", 1.0),
    "litre": ("volume", 1e-3), "liter": ("volume", 1e-3), "ml": ("volume", 1e-6), "m3": ("volume", 1.0),
    "g": ("mass", 1e-3), "gram": ("mass", 1e-3), "kg": ("mass", 1.0), "kilogram": ("mass", 1.0),
    "tonne": ("mass", 1e3), "ton": ("mass", 1e3),
    "second": ("duration", 1.0), "minute": ("duration", 60.0), "min": ("duration", 60.0),
    "hour": ("duration", 3600.0), "hr": ("duration", 3600.0), "day": ("duration", 86400.0),
    "week": ("duration", 604800.0), "fortnight": ("duration", 1209600.0),
    "month": ("duration", 2629800.0), "year": ("duration", 31557600.0),
    "decade": ("duration", 315576000.0), "century": ("duration", 3155760000.0),
    "kph": ("speed", 1.0), "mph": ("speed", 1.609344),
}  # fmt: skip
_SQUARE = {"length": ("area", 2), "area": ("area", 1)}
_CUBIC = {"length": ("volume", 3)}

_LOWER = {"more than": ">", "over": ">", "above": ">", "greater than": ">", "in excess of": ">",
          "upwards of": ">", "at least": ">=", "no fewer than": ">=", "no less than": ">=",
          "a minimum of": ">=", "passed": ">", "exceeded": ">", "topped": ">", "surpassed": ">"}  # fmt: skip
_UPPER = {"fewer than": "<", "less than": "<", "under": "<", "below": "<", "just under": "~<",
          "up to": "<=", "at most": "<=", "no more than": "<=", "a maximum of": "<=",
          "nearly": "~<", "almost": "~<", "just shy of": "~<", "close to": "~"}  # fmt: skip
_ABOUT = {"about", "around", "roughly", "approximately", "some", "circa", "an estimated", "estimated",
          "roughly around", "approx", "c", "nearly about"}  # fmt: skip
_BOUND_PHRASES = sorted(set(_LOWER) | set(_UPPER) | _ABOUT, key=lambda p: -len(p.split()))

_STOP = FIGURE_STOPWORDS
_VERBS = frozenset(
    "said says say took take takes had made make makes won win wins lost lose came come comes went go goes "
    "told saw got get gets led lead leads paid pay pays sold sell sells held hold holds left began begin "
    "ended end ran run runs fell fall falls rose rise rises grew grow grows felt feel feels are were is was "
    "remain remains need needs found find finds voted vote votes".split()
)
_DURATION_HALF = re.compile(
    r"\b(an?|one|two|three|four|five|six|\d+)\s+(minute|hour|day|week|month|year)s?\s+and\s+a\s+half\b", re.I
)
_INITIAL = re.compile(r"\b(?:initially|first|originally|earlier|previously|at first|initial)\b", re.I)
_LATEST = re.compile(
    r"\b(?:rose to|risen to|raised (?:it|the figure|the total)? ?to|revised|later|now|latest|final|"
    r"finally|currently|current|still|by \w+day|has since|climbed to|increased to|fell to|dropped to|"
    r"(?:are|is) (?:now )?\w+ing)\b",
    re.I,
)
_TOKEN = re.compile(
    r"(?:US|A|C|NZ)\$|[$€£¥%]|\d+(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|[A-Za-z]+(?:['’]s)?|\S",
)
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_MONTH_RE = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
)
_WEEKDAY_RE = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_DAY_MONTH = re.compile(
    rf"\b(?:{_WEEKDAY_RE},?\s+)?(?:the\s+)?(\d{{1,2}})(?:st|nd|rd|th)?(?:\s*(?:-|–|to|and)\s*"
    rf"(\d{{1,2}})(?:st|nd|rd|th)?)?(?:\s+of)?\s+({_MONTH_RE})(?:,?\s+(\d{{4}}))?\b"
)
_MONTH_DAY = re.compile(
    rf"\b(?:{_WEEKDAY_RE},?\s+)?({_MONTH_RE})\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:\s*(?:-|–|to)\s*"
    rf"(\d{{1,2}})(?:st|nd|rd|th)?)?(?:,?\s+(\d{{4}}))?\b"
)
_PART_MONTH = re.compile(
    rf"\b(?:(early|mid|late|the\s+end\s+of|the\s+start\s+of|the\s+beginning\s+of|"
    rf"the\s+(?:first|last)\s+week\s+of|the\s+week\s+beginning)\s+(?:the\s+)?)?(?:(\d{{1,2}})"
    rf"(?:st|nd|rd|th)?\s+)?({_MONTH_RE})(?:,?\s+(\d{{4}}))\b",
    re.I,
)
_DECADE = re.compile(r"\b(?:the\s+)?(?:(early|mid|late)(?:-|\s+))?(1[5-9]\d0|20\d0)['’]?s\b", re.I)
_YEAR = re.compile(r"\b(1[5-9]\d\d|20\d\d)\b(?![.,]\d)")
_RELATIVE = re.compile(
    rf"\b(?:(yesterday|today|tomorrow)|(last|this|next)\s+(week|month|year|{_WEEKDAY_RE})|"
    rf"((?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d+)\s+"
    rf"(?:day|week|month|year)s?)\s+(ago|earlier|from\s+(?:today|now)|later)|"
    rf"(?:on\s+)?({_WEEKDAY_RE})(?:\s+(?:night|morning|evening|afternoon))?)\b",
    re.I,
)
_TIME_OF_DAY = re.compile(r"\b\d{1,2}(?::\d{2})?\s?(?:am|pm|a\.m\.|p\.m\.)\b|\b\d{1,2}:\d{2}\b", re.I)


# ---------------------------------------------------------------- tokens


@dataclass(frozen=True, slots=True)
class _Tok:
    text: str
    low: str
    start: int
    end: int


def _tokens(text: str) -> list[_Tok]:
    return [_Tok(m.group(), m.group().lower(), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def _is_number_token(t: _Tok) -> bool:
    return t.text[0].isdecimal()  # "²".isdigit() is True, float("²") fails


def _num(t: _Tok) -> float:
    return float(t.text.replace(",", ""))


def _half_unit(digits: str) -> float:
    """Half a unit of the last significant digit of a figure written in digits ('480,000' -> 5000)."""
    s = digits.replace(",", "")
    if "." in s:
        return 0.5 * 10.0 ** -len(s.split(".")[1])
    zeros = len(s) - len(s.rstrip("0"))
    return 0.5 * 10.0**zeros if s.strip("0") else 0.5


# ---------------------------------------------------------------- the parser


@dataclass(slots=True)
class _Core:
    """A number read from tokens [i, j): its value, rounding tolerance and whether it was written out."""

    i: int
    j: int
    value: float
    tolerance: float  # half a unit of the last significant digit, for rounded figures
    words: bool


def _word_number(toks: list[_Tok], i: int) -> _Core | None:
    """Number words at toks[i]: 'three', 'twenty-five', 'half a million', 'a quarter of a million',
    'two dozen', 'a thousand', 'three hundred and twenty'."""
    n = len(toks)
    low = toks[i].low
    # "half a million", "a quarter of a million", "a third of a billion"
    j = i + 1 if low in ("a", "an", "one") and i + 1 < n else i
    if toks[j].low in _FRACTIONS:
        k = j + 1
        if k < n and toks[k].low == "of":
            k += 1
        if k + 1 < n and toks[k].low in ("a", "an") and toks[k + 1].low in ("million", "billion", "thousand"):
            value = _FRACTIONS[toks[j].low] * _SCALES[toks[k + 1].low]
            return _Core(i, k + 2, value, 0.0, True)
        return None
    total = 0.0
    current = 0.0
    seen = False
    k = i
    if (
        low in ("a", "an")
        and k + 1 < n
        and toks[k + 1].low in ("dozen", "hundred", "thousand", "million", "billion", "couple", "score")
    ):
        current, seen, k = 1.0, True, k + 1
        if toks[k].low == "couple":
            current, k = 2.0, k + 1
            if k < n and toks[k].low == "of":
                k += 1
    while k < n:
        w = toks[k].low
        if w in _ONES:
            current += _ONES[w]
        elif w in _TENS:
            current += _TENS[w]
            if k + 2 < n and toks[k + 1].text == "-" and toks[k + 2].low in _ONES:
                current += _ONES[toks[k + 2].low]
                k += 2
        elif w == "dozen" and seen:
            current = (current or 1) * 12
        elif w == "score" and seen:
            current = (current or 1) * 20
        elif w == "hundred" and seen:
            current = (current or 1) * 100
        elif w in ("thousand", "million", "billion", "trillion") and seen:
            total += (current or 1) * _SCALES[w]
            current = 0.0
        elif w == "and" and seen and k + 1 < n and (toks[k + 1].low in _ONES or toks[k + 1].low in _TENS):
            if toks[k - 1].low not in ("hundred", "thousand", "million"):
                break
        else:
            break
        seen = True
        k += 1
    if not seen or k == i:
        return None
    value = total + current
    if toks[i].low in ("one",) and k == i + 1 and k < n and toks[k].low in ("of", "in", "out"):
        pass  # "one of", "one in five": handled by the caller as a fraction or a partitive
    return _Core(i, k, value, 0.0, True)


def _digit_number(text: str, toks: list[_Tok], i: int) -> _Core | None:
    """'126,000', '1.2m', '1.2 million', '£45m', '3 billion', '12.6 million'."""
    t = toks[i]
    value = _num(t)
    tol = _half_unit(t.text)
    # only round figures get a rounding tolerance; "126,412" is exact
    if "." not in t.text and len(t.text.replace(",", "").rstrip("0")) == len(t.text.replace(",", "")):
        tol = 0.0
    if "." not in t.text:
        tol = 0.0 if value < 1000 else min(tol, 0.02 * value)
    j = i + 1
    n = len(toks)
    if j < n and toks[j].start == t.end and toks[j].low in _SUFFIX_SCALES:
        scale = _SUFFIX_SCALES[toks[j].low]
        return _Core(i, j + 1, value * scale, tol * scale if "." in t.text else 0.0, False)
    if j < n and toks[j].low in ("million", "billion", "trillion", "thousand"):
        scale = _SCALES[toks[j].low]
        tol = _half_unit(t.text) * scale if "." in t.text else 0.0
        return _Core(i, j + 1, value * scale, tol, False)
    return _Core(i, j, value, tol, False)


def _bound_before(toks: list[_Tok], i: int) -> tuple[str, int]:
    """A bound phrase ending just before toks[i] ('more than', 'nearly', 'about'): (kind, start index)."""
    for phrase in _BOUND_PHRASES:
        words = phrase.split()
        k = i - len(words)
        if k >= 0 and all(toks[k + m].low == w for m, w in enumerate(words)):
            return _bound_kind(phrase), k
    return "", i


def _bound_kind(phrase: str) -> str:
    """ ">", "<" (and their variants) for a bound phrase, "~" for an approximation ("about")."""
    return _LOWER.get(phrase) or _UPPER.get(phrase) or "~"


def _apply_bound(kind: str, lo: float, hi: float, tol: float, approx_tol: float) -> tuple[float, float]:
    if kind == ">":
        return hi + _EPS * max(1.0, abs(hi)), INF
    if kind == ">=":
        return lo, INF
    if kind == "<":
        return -INF, lo - _EPS * max(1.0, abs(lo))
    if kind == "<=":
        return -INF, hi
    if kind == "~<":  # nearly / almost: slightly below
        return lo - 0.1 * abs(lo), hi - _EPS * max(1.0, abs(hi))
    if kind == "~":
        t = max(tol, approx_tol)
        return lo - t, hi + t
    return lo - tol, hi + tol


def _approx_tolerance(core: _Core, text: str) -> float:
    """'about N': half a unit of N's last significant digit, at most 10% of N (at least 2% for words)."""
    v = abs(core.value)
    if core.words:
        return 0.1 * v
    digits = text
    half = _half_unit(digits)
    if "." in digits.replace(",", ""):
        scale = core.value / float(digits.replace(",", "")) if float(digits.replace(",", "")) else 1.0
        half *= scale
    else:
        zeros = len(digits.replace(",", "")) - len(digits.replace(",", "").rstrip("0"))
        half = 0.5 * 10**zeros if zeros else 0.5
        scale = core.value / float(digits.replace(",", "")) if float(digits.replace(",", "")) else 1.0
        half *= scale
    return min(half, 0.1 * v) if v else half


def _next_word(toks: list[_Tok], j: int) -> str:
    return toks[j].low if j < len(toks) else ""


def _unit_after(toks: list[_Tok], j: int, core: _Core) -> tuple[str, float, str, int]:
    """A unit after the number at toks[j]: (dimension, factor, unit, index after the unit)."""
    n = len(toks)
    if j + 1 < n and toks[j].text == "-" and toks[j + 1].text[0].isalpha():
        dimension, factor, unit, k = _unit_after(toks, j + 1, core)
        if dimension:
            return dimension, factor, unit, k
    w = _next_word(toks, j)
    attached = j < n and toks[j].start == toks[j - 1].end
    if w == "%":
        return "percent", 1.0, "", j + 1
    if w in ("percent", "pc"):
        return "percent", 1.0, "", j + 1
    if w == "per" and j + 1 < n and toks[j + 1].low == "cent":
        return "percent", 1.0, "", j + 2
    if w == "percentage" and j + 1 < n and toks[j + 1].low in ("points", "point"):
        return "points", 1.0, "", j + 2
    if w in _CURRENCY_WORDS:
        return "money", 1.0, _CURRENCY_WORDS[w], j + 1
    if w in _CURRENCY_ADJ and j + 1 < n and toks[j + 1].low in _CURRENCY_WORDS:
        return "money", 1.0, _CURRENCY_ADJ[w], j + 2
    if w in ("square", "sq") and j + 1 < n:
        square = _UNITS.get(lemma(toks[j + 1].low))
        if square and square[0] == "length":
            return "area", square[1] ** 2, "", j + 2
    if w == "cubic" and j + 1 < n:
        base = _UNITS.get(lemma(toks[j + 1].low))
        if base and base[0] == "length":
            return "volume", base[1] ** 3, "", j + 2
    if w in ("km", "m") and j + 2 < n and toks[j + 1].text == "/" and toks[j + 2].low == "h":
        return "speed", 1.0 if w == "km" else 1e-3, "", j + 3
    if w == "m" and attached:
        return "", 1.0, "", j  # "1.2m" was read as million by the caller
    found = _UNITS.get(w) or _UNITS.get(lemma(w))
    if found is not None:
        if j + 1 < n and toks[j + 1].text in ("2", "²") and toks[j + 1].start == toks[j].end:
            return "area", found[1] ** 2, "", j + 2
        return found[0], found[1], "", j + 1
    return "", 1.0, "", j


def _noun_after(toks: list[_Tok], j: int, allow_partitive: bool = True) -> tuple[str, bool, int]:
    """The counted noun after a quantity: (lemma, partitive, index after it).
    '126,000 signatures' -> signature; '9,800 of its members' -> member (partitive);
    '1.2m customer accounts' -> account; '198 mm of rain' -> rain."""
    n = len(toks)
    partitive = False
    k = j
    if k < n and toks[k].low == "of":
        k += 1
        partitive = allow_partitive
        while k < n and toks[k].low in ("the", "its", "their", "his", "her", "our", "these", "those", "them"):
            k += 1
        if k < n and toks[k].text[0].isupper() and toks[k].low.endswith(("'s", "’s")):
            k += 1  # "of the city's residents"
    words: list[str] = []
    while k < n and len(words) < 3:
        w = toks[k]
        if (
            not w.text[0].isalpha()
            or w.low in _STOP
            or w.low in _MONTHS
            and len(words) == 0
            and w.text[0].isupper()
        ):
            break
        if w.low.endswith(("ed", "ing")) and len(w.low) > 4 and w.low not in ("seed", "building", "ceiling"):
            break  # "100 reported ..." is a verb, not a noun
        if w.low in _VERBS:
            break
        if w.low in (
            "more",
            "less",
            "fewer",
            "than",
            "ago",
            "earlier",
            "later",
            "old",
            "long",
            "wide",
            "high",
            "tall",
            "deep",
            "away",
        ):
            break
        if w.low.endswith(("'s", "’s")):
            words.append(w.low[:-2])
            k += 1
            continue
        words.append(w.low)
        k += 1
        if k < n and toks[k].text == "-" and k + 1 < n and toks[k + 1].text[0].isalpha():
            k += 1
        elif (
            w.low in IRREGULAR_PLURALS or w.low.endswith("s") and not w.low.endswith("ss") and len(w.low) > 3
        ):
            break  # "customer accounts" ends at its plural head
    if partitive and not words and k < n and toks[k].text[0].isdecimal():
        inner, _, k2 = _noun_after(toks, k + 1, allow_partitive=False)  # "five of the 11 candidates"
        return inner, bool(inner), k2
    if partitive and not words:
        return "", False, j
    return (lemma(words[-1]) if words else ""), partitive, k


def _role(text: str, start: int, end: int) -> str:
    """'initial' / 'latest' when the clause around a figure says it was revised."""
    clause_start = max(text.rfind(";", 0, start), text.rfind(",", 0, start), -1) + 1
    before = text[max(clause_start, start - 40) : start]
    if _INITIAL.search(before):
        return "initial"
    if _LATEST.search(before):
        return "latest"
    return ""


def _quantities(text: str, toks: list[_Tok], taken: list[tuple[int, int]]) -> list[Quantity]:
    out: list[Quantity] = []
    n = len(toks)
    i = 0

    def free(s: int, e: int) -> bool:
        return all(e <= a or s >= b for a, b in taken)

    while i < n:
        t = toks[i]
        if not free(t.start, t.end):
            i += 1
            continue
        currency = ""
        ci = i
        if t.text in _CURRENCY_SYMBOLS and i + 1 < n and _is_number_token(toks[i + 1]):
            currency = _CURRENCY_SYMBOLS[t.text]
            ci = i + 1
        core: _Core | None = None
        if _is_number_token(toks[ci]) and _in_a_name(text, toks[ci].start):
            i = ci + 1  # "COVID-19", "Su-30", "G-20": part of a name, not a figure
            continue
        if _is_number_token(toks[ci]):
            if ci + 1 < n and toks[ci + 1].low in ("am", "pm") or (ci + 1 < n and toks[ci + 1].text == ":"):
                i = ci + 1
                continue
            core = _digit_number(text, toks, ci)
        elif _fraction_words(toks, i) is None and (
            t.low in _ONES or t.low in _TENS or t.low in ("a", "an", "half") or t.low in _FRACTIONS
        ):
            core = _word_number(toks, i)
        q: Quantity | None = None
        if core is None:
            q = _fraction_or_vague(text, toks, i)
            if q is None:
                q = _age_phrase(text, toks, i)
            if q is not None:
                out.append(q)
                i = _index_after(toks, q.span[1], i)
            else:
                i += 1
            continue
        if core.words and core.value == 1 and core.j == i + 1 and toks[i].low in ("a", "an", "one"):
            i += 1  # a bare "a"/"one" is not a quantity
            continue
        q = _read_quantity(text, toks, i, ci, core, currency)
        if q is not None and free(*q.span):
            out.append(q)
            i = _index_after(toks, q.span[1], i)
        else:
            i = core.j
    return out


def _in_a_name(text: str, start: int) -> bool:
    return start >= 2 and text[start - 1] == "-" and text[start - 2].isalpha()


def _index_after(toks: list[_Tok], end: int, i: int) -> int:
    k = i + 1
    while k < len(toks) and toks[k].start < end:
        k += 1
    return k


def _fraction_or_vague(text: str, toks: list[_Tok], i: int) -> Quantity | None:
    """'half of residents', 'a third of respondents', 'most of the bridges', 'dozens of vessels'."""
    n = len(toks)
    low = toks[i].low
    frac = _fraction_words(toks, i)
    if frac is not None:
        value, k = frac
        bound, bstart = _bound_before(toks, i)
        noun, _, k2 = _noun_after(toks, k + 1)
        pct = 100.0 * value
        lo, hi = _apply_bound(bound, pct, pct, 0.0, 0.0)
        if bound in ("", "~"):
            lo, hi = pct - 2.0, pct + 2.0  # "(about) a third" is a rounded share: 33.4% is a third
        end = toks[k2 - 1].end if k2 > k + 1 else toks[k].end
        s = toks[bstart].start
        return Quantity(text[s:end], (s, end), max(lo, 0.0), min(hi, 100.0), "percent", noun=noun,
                        approximate=True)  # fmt: skip
    if low == "no" and i + 1 < n and toks[i + 1].text[0].isalpha() and toks[i + 1].low not in _STOP:
        w = toks[i + 1].low
        if w.endswith("s") and not w.endswith("ss") and w not in ("longer", "less", "more", "fewer"):
            return Quantity(text[toks[i].start : toks[i + 1].end], (toks[i].start, toks[i + 1].end), 0.0, 0.0,
                            "count", noun=lemma(w))  # fmt: skip
    if low in _VAGUE and i + 1 < n and toks[i + 1].low == "of":
        lo, hi = _VAGUE[low]
        noun, _, k = _noun_after(toks, i + 1)
        end = toks[k - 1].end if k > i + 1 else toks[i].end
        return Quantity(text[toks[i].start : end], (toks[i].start, end), lo, hi, "count", noun=noun,
                        approximate=True)  # fmt: skip
    if low in ("most", "majority") and i + 1 < n and toks[i + 1].low == "of":
        start = (
            toks[i - 1].start if low == "majority" and i > 0 and toks[i - 1].low == "the" else toks[i].start
        )
        noun, _, k = _noun_after(toks, i + 1)
        end = toks[k - 1].end
        return Quantity(text[start:end], (start, end), 50.0 + _EPS, 100.0, "percent", noun=noun,
                        approximate=True)  # fmt: skip
    return None


def _fraction_words(toks: list[_Tok], i: int) -> tuple[float, int] | None:
    """A share followed by "of": 'half of', 'a third of', 'two-thirds of', 'three quarters of':
    (fraction, index of "of")."""
    n = len(toks)
    k = i
    count = 1.0
    if toks[k].low in ("a", "an", "one"):
        k += 1
    elif toks[k].low in _ONES and toks[k].low not in ("zero",):
        count = float(_ONES[toks[k].low])
        k += 1
        if k < n and toks[k].text == "-":
            k += 1
    if k >= n:
        return None
    w = toks[k].low
    if w in _FRACTIONS and count == 1.0:
        value = _FRACTIONS[w]
    elif w in _FRACTION_PLURALS and count > 1.0:
        value = count * _FRACTION_PLURALS[w]
    else:
        return None
    if (
        k + 1 < n
        and toks[k + 1].low == "of"
        and not (k + 2 < n and toks[k + 2].low in ("a", "an") and k + 3 < n and toks[k + 3].low in _SCALES)
    ):
        return value, k + 1
    return None


def _age_phrase(text: str, toks: list[_Tok], i: int) -> Quantity | None:
    """'in his forties', 'in her late twenties', 'a teenager' is not parsed (no figure)."""
    n = len(toks)
    if toks[i].low != "in" or i + 2 >= n or toks[i + 1].low not in ("his", "her", "their", "its"):
        return None
    k = i + 2
    part = ""
    if toks[k].low in ("early", "mid", "late"):
        part = toks[k].low
        k += 1
        if k < n and toks[k].text == "-":
            k += 1
    if k >= n or toks[k].low not in _DECADE_WORDS:
        return None
    base = _DECADE_WORDS[toks[k].low]
    lo, hi = (13.0, 19.0) if base == 10 else (float(base), float(base + 9))
    if part == "early":
        hi = lo + 3
    elif part == "mid":
        lo, hi = lo + 3, lo + 6
    elif part == "late":
        lo = lo + 7 if base != 10 else 17.0
    s, e = toks[i].start, toks[k].end
    return Quantity(text[s:e], (s, e), lo, hi + 1 - _EPS, "age", approximate=True)


def _read_quantity(
    text: str, toks: list[_Tok], i: int, ci: int, core: _Core, currency: str
) -> Quantity | None:
    n = len(toks)
    bound, bstart = _bound_before(toks, i)
    lo = hi = core.value
    tol = core.tolerance
    j = core.j
    # ranges: "between 80 and 90", "from 3 to 6", "80-90", "5 to 12", "$35 and $60"
    second: _Core | None = None
    k = j
    if k < n and (toks[k].low in ("to", "and", "–") or toks[k].text == "-"):
        m = k + 1
        if m < n and toks[m].text in _CURRENCY_SYMBOLS:
            m += 1
        if m < n and _is_number_token(toks[m]):
            second = _digit_number(text, toks, m)
        elif m < n and (toks[m].low in _ONES or toks[m].low in _TENS):
            second = _word_number(toks, m)
    if k + 1 < n and (toks[k].low == "in" or [toks[k].low, toks[k + 1].low] == ["out", "of"]):
        m = k + 1 if toks[k].low == "in" else k + 2
        whole = None
        if m < n and _is_number_token(toks[m]):
            whole = _digit_number(text, toks, m)
        elif m < n and (toks[m].low in _ONES or toks[m].low in _TENS):
            whole = _word_number(toks, m)
        if whole is not None and whole.value > core.value > 0 and whole.j == m + 1:
            pct = 100.0 * core.value / whole.value
            noun, _, k2 = _noun_after(toks, whole.j)
            s, e = toks[bstart].start, toks[max(whole.j, k2) - 1].end
            lo_p, hi_p = _apply_bound(bound, pct, pct, 0.0, 2.0)
            return Quantity(text[s:e], (s, e), lo_p, hi_p, "percent", noun=noun, approximate=bool(bound))
    is_between = bstart == i and i > 0 and toks[i - 1].low in ("between", "from")
    if second is not None and (is_between or toks[k].low != "and") and second.value >= core.value:
        if toks[k].low == "to" or toks[k].text in ("-", "–") or is_between:
            if second.j - second.i == 1 and core.j - core.i == 2 and toks[core.j - 1].low in _SCALES:
                pass
            scale = 1.0
            # "between 80 and 90 million": the scale of the second figure applies to both
            if core.j == ci + 1 and second.j > second.i + 1 and toks[second.j - 1].low in _SCALES:
                scale = _SCALES[toks[second.j - 1].low]
            lo, hi = core.value * scale, second.value
            j = second.j
            if is_between:
                bstart = i - 1
            bound = "range"
    if core.words and not bound:
        tol = 0.0
    approx_tol = _approx_tolerance(core, toks[ci].text) if not core.words else 0.1 * abs(core.value)
    # unit / currency
    dimension, factor, unit, j2 = _unit_after(toks, j, core)
    if currency:
        dimension, unit = "money", currency
    elif dimension == "money":
        pass
    if dimension == "" and j2 == j:
        dimension = "count"
    j = j2
    # ages: "11-year-old", "74 years old", "aged 91", "at the age of 19"
    role = ""
    people = False
    if dimension == "duration" and factor == _UNITS["year"][1]:
        m = j
        if m < n and toks[m].text == "-":
            m += 1
        if m < n and toks[m].low in ("old", "olds"):
            dimension, factor = "age", 1.0 / _UNITS["year"][1]
            # "fourteen-year-olds", "an eight-year-old is ...": people of that age
            people = toks[m].low == "olds" or (m + 1 < n and toks[m + 1].low in _PERSON_VERBS)
            j = m + 1
    if dimension == "count" and i > 0 and toks[i - 1].low == "aged":
        dimension = "age"
        bstart = min(bstart, i - 1)
        role = "event" if _event_verb_before(toks, i - 1) else ""
    if dimension == "count" and i > 3 and [t.low for t in toks[i - 4 : i]] == ["at", "the", "age", "of"]:
        dimension, role = "age", "event"
    if dimension == "count" and _apposition_age(toks, i, j, core):
        dimension = "age"
    if (
        dimension == "age"
        and not role
        and ([t.low for t in toks[j : j + 3]] == ["at", "the", "time"] or (j < n and toks[j].low == "when"))
    ):
        role = "event"  # "was 91 at the time of death", "was 19 when she ..."
    if dimension in ("duration",) and factor == _UNITS["year"][1] and j < n and toks[j].low in ("ago",):
        return None  # relative date, read by the date parser
    scale = factor if dimension not in ("count", "percent", "points", "money", "age") else 1.0
    if dimension == "age" and factor != 1.0:
        scale = 1.0
    lo, hi, tol, approx_tol = lo * scale, hi * scale, tol * scale, approx_tol * scale
    # money rates: "£200,000 a week", "1,480 euros a month"
    rate = lemma(toks[j + 1].low) if j + 1 < n else ""
    if (
        dimension == "money"
        and rate in ("week", "month", "year", "day")
        and toks[j].low in ("a", "an", "per")
    ):
        unit = f"{unit}/{lemma(toks[j + 1].low)}"
        j += 2
    # years written as plain 4-digit numbers are left to the date parser
    if (dimension == "count" and not core.words and re.fullmatch(r"1[5-9]\d\d|20\d\d", toks[ci].text)
            and not bound and _looks_like_year(toks, ci)):  # fmt: skip
        return None
    noun, partitive, k = ("", False, j)
    if dimension in ("count", "age", "percent", "length", "area", "volume", "mass", "money"):
        noun, partitive, k = _noun_after(toks, j, allow_partitive=dimension == "count" and j == core.j)
        if dimension == "age" and not noun:
            noun = _holder_before(toks, bstart) or ("person" if people else "")
        if dimension == "length" and j < n and toks[j].low in _MEASURES:
            noun = _MEASURES[toks[j].low]  # "45 metres wide" is a width, "300 metres long" a length
    if (
        dimension == "count" and bound in ("<", ">") and not noun and bstart > 0
        and toks[bstart - 1].low in ("are", "is", "were", "was", "aged") and core.value < 120
        and (j >= n or not toks[j].text[0].isalnum())
    ):  # fmt: skip
        dimension = "age"  # "residents are under 18"
    if bound == "range":
        lo2, hi2 = lo - tol, hi + (second.tolerance if second else 0.0) * scale
    else:
        lo2, hi2 = _apply_bound(bound, lo, hi, tol, approx_tol)
    if dimension in ("count", "money", "length", "area", "volume", "mass", "duration", "speed", "age"):
        lo2 = max(lo2, 0.0)
    if dimension == "percent" and bound in ("<", "<=", "~<"):
        lo2 = max(lo2, 0.0)
    s = toks[bstart].start
    end_tok = j - 1 if j > ci else ci
    e = max(toks[end_tok].end, toks[core.j - 1].end)
    if dimension == "count" and not noun and core.words and core.value < 2 and not bound:
        return None
    return Quantity(
        text=text[s:e],
        span=(s, e),
        lo=lo2,
        hi=hi2,
        dimension=dimension,
        unit=unit,
        noun=noun,
        approximate=bool(bound and bound not in (">", ">=", "<", "<=")) or tol > 0 or core.words,
        partitive=partitive
        or (bstart > 1 and toks[bstart - 1].low == "which" and toks[bstart - 2].low == "of"),
        role=role or _role(text, s, e),
    )


def _event_verb_before(toks: list[_Tok], i: int) -> bool:
    """'died aged 91', 'who retired last year aged 64': an age at an event (a verb in -ed shortly before
    'aged', within the clause)."""
    for k in range(i - 1, max(i - 5, -1), -1):
        word = toks[k].low
        if not word[:1].isalnum():
            return False
        if word.endswith("ed") and word != "aged":
            return True
    return False


def _looks_like_year(toks: list[_Tok], i: int) -> bool:
    prev = toks[i - 1].low if i > 0 else ""
    nxt = toks[i + 1] if i + 1 < len(toks) else None
    if prev in ("in", "since", "of", "from", "by", "until", "till", "the", "to", "between", "and", "before",
                "after", "during", "early", "late", "mid", "year", "spring", "summer", "autumn", "winter",
                "fall", "season", "through", ",", "(") or prev in _MONTHS:  # fmt: skip
        return True
    return nxt is None or not nxt.text[0].isalpha() or nxt.low in _STOP


def _apposition_age(toks: list[_Tok], i: int, j: int, core: _Core) -> bool:
    """'Marta Kowal, 29, won' and 'The actor, who is 74,' and 'The oldest competitor was 72'."""
    if core.words or not 0 < core.value < 125 or i < 2:
        return False
    nxt = toks[j].text if j < len(toks) else "."
    if toks[i - 1].text == "," and toks[i - 2].text[0].isupper() and nxt in (",", ".", ";"):
        return True
    if [t.low for t in toks[max(0, i - 2) : i]] in (["who", "is"], ["who", "was"]) and nxt in (",", "."):
        return True
    # "The oldest competitor was 72.", "The founder was 91 at the time of death."
    person = is_person(toks[i - 2].low)
    return toks[i - 1].low in ("was", "is") and person and nxt.lower() in (".", ",", ";", "at", "when")


_MEASURES = {"long": "length", "wide": "width", "across": "width", "deep": "depth", "below": "depth",
             "beneath": "depth", "underground": "depth", "high": "height", "tall": "height",
             "above": "height", "thick": "thickness"}  # fmt: skip
MEASURE_NOUNS = frozenset(_MEASURES.values())
_PERSON_VERBS = frozenset("is was has had who will can must may would could".split())
_NOT_PEOPLE = frozenset(
    "number order water paper letter centre center cover power river matter border winter summer quarter "
    "register monitor indicator factor sector error floor colour color counter meter metre litre liter "
    "theatre theater chapter character temperature layer filter user".split()
)
_PERSON_NOUNS = frozenset(
    "victim man woman boy girl child person patient suspect mother father son daughter wife husband "
    "pilot chief winner grandmother grandfather grandson granddaughter student resident pensioner "
    "teenager adult".split()
)


def is_person(noun: str) -> bool:
    """A noun naming a person ("grandmother", "competitor", "founder"), for ages of one person."""
    return noun in _PERSON_NOUNS or (
        len(noun) > 4 and noun.endswith(("er", "or", "ist")) and noun not in _NOT_PEOPLE
    )


def _holder_before(toks: list[_Tok], i: int) -> str:
    """The person an age belongs to: 'The actor, who is 74' -> actor; 'Marta Kowal, 29' -> kowal."""
    k = i - 1
    while k >= 0 and (toks[k].low in _STOP or not toks[k].text[0].isalpha() or toks[k].low in _WEEKDAYS
                      or toks[k].low in ("aged", "age", "died", "is", "was", "who")):  # fmt: skip
        if toks[k].text in (";", ".") or toks[k].low in ("and", "but"):
            return ""
        k -= 1
    return lemma(toks[k].low) if k >= 0 else ""


# ---------------------------------------------------------------- dates


def _month(name: str) -> int:
    return _MONTHS[name.lower().rstrip(".")]


def _day_interval(y: int, m: int, d1: int, d2: int | None = None) -> tuple[float, float] | None:
    try:
        a = date(y, m, d1).toordinal()
        b = date(y, m, d2).toordinal() if d2 else a
    except ValueError:
        return None
    return float(a), float(b)


def _month_interval(y: int, m: int, part: str = "") -> tuple[float, float]:
    last = calendar.monthrange(y, m)[1]
    lo, hi = 1, last
    part = " ".join(part.lower().split())
    if part == "early" or part.startswith("the start") or part.startswith("the beginning"):
        hi = 10
    elif part == "mid":
        lo, hi = 11, 20
    elif part == "late":
        lo = 21
    elif part.startswith("the end"):
        lo = last - 4
    elif part.startswith("the last week"):
        lo = last - 6
    elif part.startswith("the first week"):
        hi = 7
    return float(date(y, m, lo).toordinal()), float(date(y, m, hi).toordinal())


def _dates(text: str, ref: date | None) -> list[Quantity]:
    out: list[Quantity] = []
    taken: list[tuple[int, int]] = []

    def add(s: int, e: int, lo: float, hi: float, dimension: str = "date", approximate: bool = False) -> None:
        if all(e <= a or s >= b for a, b in taken):
            taken.append((s, e))
            out.append(Quantity(text[s:e], (s, e), lo, hi, dimension, approximate=approximate,
                                role=_role(text, s, e)))  # fmt: skip

    for m in _ISO.finditer(text):
        iv = _day_interval(int(m[1]), int(m[2]), int(m[3]))
        if iv:
            add(m.start(), m.end(), *iv)
    for m in _PART_MONTH.finditer(text):
        if m[1] and m[4]:
            s = m.start()
            if m[1].lower().startswith("the week beginning") and m[2]:
                iv = _day_interval(int(m[4]), _month(m[3]), int(m[2]))
                if iv:
                    add(s, m.end(), iv[0], iv[0] + 6)
                continue
            if m[2]:
                continue
            add(s, m.end(), *_month_interval(int(m[4]), _month(m[3]), m[1]))
    for m in _DAY_MONTH.finditer(text):
        year = int(m[4]) if m[4] else (ref.year if ref else None)
        if year is None:
            continue
        iv = _day_interval(year, _month(m[3]), int(m[1]), int(m[2]) if m[2] else None)
        if iv:
            add(m.start(), m.end(), *iv)
    for m in _MONTH_DAY.finditer(text):
        year = int(m[4]) if m[4] else (ref.year if ref else None)
        if year is None:
            continue
        iv = _day_interval(year, _month(m[1]), int(m[2]), int(m[3]) if m[3] else None)
        if iv:
            add(m.start(), m.end(), *iv)
    for m in re.finditer(rf"\b({_MONTH_RE})\s+(\d{{4}})\b", text):
        add(m.start(), m.end(), *_month_interval(int(m[2]), _month(m[1])))
    for m in _DURATION_HALF.finditer(text):
        count = _count_word(m[1]) + 0.5
        seconds = count * _UNITS[m[2].lower()][1]
        add(m.start(), m.end(), seconds, seconds, "duration")
    for m in _DECADE.finditer(text):
        base = int(m[2])
        lo, hi = base, base + 9
        part = (m[1] or "").lower()
        if part == "early":
            hi = base + 3
        elif part == "mid":
            lo, hi = base + 3, base + 6
        elif part == "late":
            lo = base + 7
        add(m.start(), m.end(), float(lo), float(hi), "year", approximate=True)
    if ref is not None:
        for m in _RELATIVE.finditer(text):
            rel = _relative(m, ref, text)
            if rel is not None:
                add(m.start(), m.end(), rel[0], rel[1], rel[2])
    for m in _YEAR.finditer(text):
        s, e = m.start(), m.end()
        if not all(e <= a or s >= b for a, b in taken):
            continue
        before = text[max(0, s - 12) : s].lower()
        after = text[e : e + 12]
        toks = _tokens(text[max(0, s - 30) : min(len(text), e + 30)])
        local = [t for t in toks if t.start + max(0, s - 30) == s]
        if not local:
            continue
        idx = toks.index(local[0])
        if re.search(r"[$€£]\s*$", before) or re.match(r"\s*(?:%|per cent|percent)", after):
            continue
        if not _looks_like_year(toks, idx) and not re.search(r"\b(?:in|since|by|from|of)\s+$", before):
            continue
        add(s, e, float(m[1]), float(m[1]), "year")
    return out


def _count_word(word: str) -> int:
    w = word.lower()
    if w in ("a", "an", "one"):
        return 1
    return _ONES.get(w) or (int(w) if w.isdecimal() else 0)


def _relative(m: re.Match[str], ref: date, text: str) -> tuple[float, float, str] | None:
    r = ref.toordinal()
    if m[1]:
        off = {"yesterday": -1, "today": 0, "tomorrow": 1}[m[1].lower()]
        return float(r + off), float(r + off), "date"
    if m[2]:
        which, what = m[2].lower(), m[3].lower()
        step = {"last": -1, "this": 0, "next": 1}[which]
        if what == "week":
            monday = r - ref.weekday() + 7 * step
            return float(monday), float(monday + 6), "date"
        if what == "month":
            y, mo = ref.year, ref.month + step
            if mo < 1:
                y, mo = y - 1, 12
            elif mo > 12:
                y, mo = y + 1, 1
            lo, hi = _month_interval(y, mo)
            return lo, hi, "date"
        if what == "year":
            return float(ref.year + step), float(ref.year + step), "year"
        wd = _WEEKDAYS[what]
        if which == "last":
            back = (ref.weekday() - wd) % 7 or 7
            return float(r - back), float(r - back), "date"
        ahead = (wd - ref.weekday()) % 7 or 7
        return float(r + ahead), float(r + ahead), "date"
    if m[4]:
        count_word, unit = m[4].split()[0], lemma(m[4].split()[-1])
        count = _count_word(count_word)
        if not count:
            return None
        sign = -1 if m[5].lower() in ("ago", "earlier") else 1
        if unit == "year":
            return float(ref.year + sign * count), float(ref.year + sign * count), "year"
        if unit == "month":
            mo = ref.month - 1 + sign * count
            y, mo = ref.year + mo // 12, mo % 12 + 1
            lo, hi = _month_interval(y, mo)
            return lo, hi, "date"
        days = count * (7 if unit == "week" else 1)
        return float(r + sign * days), float(r + sign * days), "date"
    if m[6]:
        wd = _WEEKDAYS[m[6].lower()]
        # a bare weekday: the one before the reference date in the same week, or the next one in
        # future tense ("will be held on Thursday")
        sentence_start = max(text.rfind(".", 0, m.start()), 0)
        future = re.search(r"\b(?:will|shall|is due|are due|next)\b", text[sentence_start : m.start()], re.I)
        if future:
            ahead = (wd - ref.weekday()) % 7 or 7
            return float(r + ahead), float(r + ahead), "date"
        back = (ref.weekday() - wd) % 7
        return float(r - back), float(r - back), "date"
    return None


# ---------------------------------------------------------------- public API


_SCORE = re.compile(r"(?<![\d.,:/-])(\d{1,3})\s?[-–]\s?(\d{1,3})(?!\d|[.,]\d|[:/%-])")
_SCORE_CUE = re.compile(
    r"\b(?:won|wins?|winning|lost|loses|losing|beat(?:s|en)?|defeat(?:s|ed)?|drew|draw|victory|"
    r"score[ds]?|scoreline|voted?|votes|voting|majority|margin|led|lead|leads|trailing|trailed|"
    r"thrashed|thrashing|match|game|final|tie)\b",
    re.I,
)


def _scores(text: str) -> list[Quantity]:
    """Match scores and vote tallies ("won 3-1", "voted 7-2"): one figure, not two counts and not a
    range. lo/hi hold the two sides, smaller first ("lost 1-3" and "won 3-1" report the same game)."""
    out: list[Quantity] = []
    for m in _SCORE.finditer(text):
        window = text[max(0, m.start() - 40) : m.end() + 25]
        if not _SCORE_CUE.search(window):
            continue  # "10-15 people": a range, read by the quantity parser
        a, b = int(m[1]), int(m[2])
        out.append(Quantity(m[0], (m.start(), m.end()), float(min(a, b)), float(max(a, b)), "score"))
    return out


_BOUND_RE = r"(?:(more than|over|nearly|almost|about|around|roughly|under|less than|at least)\s+)?"
_ONE_UNIT = re.compile(
    r"\b(?:lasted|lasting|lasts|last|for|took|takes|after|within|back|spent|spanned|over)\s+"
    + _BOUND_RE
    + r"(a|an|one)\s+(day|week|fortnight|month|year|decade|century)\b(?!\s+(?:ago|earlier|later))",
    re.I,
)
_MULTIPLES = {"doubled": 2.0, "tripled": 3.0, "trebled": 3.0, "quadrupled": 4.0, "halved": 0.5}
_MULTIPLIER = re.compile(
    r"\b" + _BOUND_RE + r"(doubled|tripled|trebled|quadrupled|halved|(\d+(?:\.\d+)?|two|three|four|five|six|"
    r"seven|eight|nine|ten)[- ]?fold)\b",
    re.I,
)
_BY_FRACTION = re.compile(
    r"\bby\s+" + _BOUND_RE + r"(half|a third|a quarter|a fifth|a tenth|two thirds|three quarters)\b", re.I
)


def _fraction_percent(phrase: str) -> float:
    """'half' -> 50, 'a third' -> 33.3, 'three quarters' -> 75."""
    *head, tail = phrase.lower().split()
    if not head or head[0] in ("a", "an"):
        return 100.0 * _FRACTIONS[tail]
    return 100.0 * _ONES[head[0]] * _FRACTION_PLURALS[tail]


def _bounded(bound: str | None, value: float, spread: float) -> tuple[float, float]:
    """The interval a shorthand figure stands for: bare ones are rounded (value +- spread)."""
    if not bound:
        return value - spread, value + spread
    return _apply_bound(_bound_kind(bound.lower()), value, value, 0.0, spread)


def _shorthand(text: str) -> list[Quantity]:
    """Figures written without digits that the token reader leaves out: a duration of "a week" after
    "lasted"/"for"/"after", multipliers ("doubled", "nearly tripled", "fivefold": dimension "ratio"),
    and changes by a fraction ("rose by more than half": 50 percent)."""
    out: list[Quantity] = []

    def add(m: re.Match[str], value: float, spread: float, dimension: str) -> None:
        """The figure of match `m`: group 1 its bound (if any), group 2 where the figure starts."""
        lo, hi = _bounded(m[1], value, spread)
        s = m.start(1) if m[1] else m.start(2)
        out.append(Quantity(text[s : m.end()], (s, m.end()), max(lo, 0.0), hi, dimension, approximate=True))

    for m in _ONE_UNIT.finditer(text):
        add(m, _UNITS[m[3].lower()][1], 0.0, "duration")
    for m in _MULTIPLIER.finditer(text):
        word = m[2].lower()
        if word in _MULTIPLES:
            value = _MULTIPLES[word]
        else:
            head = m[3].lower()
            value = float(_ONES[head]) if head in _ONES else float(head)
        add(m, value, 0.1 * value, "ratio")
    for m in _BY_FRACTION.finditer(text):
        add(m, _fraction_percent(m[2]), 2.0, "percent")
    return out


def parse(text: str, ref: date | None = None) -> list[Quantity]:
    """Every quantity and date in `text`, in order of position. `ref` anchors relative dates."""
    dated = _dates(text, ref)
    dated += [
        q for q in _scores(text) if all(q.span[1] <= s or q.span[0] >= e for s, e in (d.span for d in dated))
    ]
    taken = [q.span for q in dated]
    for m in _TIME_OF_DAY.finditer(text):
        taken.append((m.start(), m.end()))
    quantities = _quantities(text, _tokens(text), taken)
    spans = [q.span for q in dated + quantities]
    quantities += [q for q in _shorthand(text) if all(q.span[1] <= s or q.span[0] >= e for s, e in spans)]
    found = sorted(dated + quantities, key=lambda q: q.span)
    return _inherit_nouns(text, [_ordered(q) for q in found])


def _ordered(q: Quantity) -> Quantity:
    """A range written high to low ("between 3 and 2 million") as the interval [low, high]."""
    from dataclasses import replace

    return replace(q, lo=q.hi, hi=q.lo) if q.lo > q.hi else q


def _inherit_nouns(text: str, found: list[Quantity]) -> list[Quantity]:
    """'contains 2.3 million objects, of which about 4,000 ...': the second figure counts objects too."""
    from dataclasses import replace

    out: list[Quantity] = []
    for q in found:
        if q.dimension == "count" and not q.noun and out:
            prev = next((p for p in reversed(out) if p.dimension == "count" and p.noun), None)
            if prev is not None and ". " not in text[prev.span[1] : q.span[0]]:
                q = replace(q, noun=prev.noun)  # "put at 12, rose to 19": both count deaths
        out.append(q)
    return out


_DATELINE = re.compile(r"^\s*(?:Published|Updated|Posted|Dateline)[:\s]+([^.\n]{4,60})\.", re.I)


def reference_date(text: str) -> tuple[date | None, int]:
    """The dateline at the start of `text` ("Published Friday 13 March 2026."): (date, end offset)."""
    m = _DATELINE.match(text)
    if not m:
        return None, 0
    for q in _dates(m[1], None):
        if q.dimension == "date" and q.lo == q.hi:
            return date.fromordinal(int(q.lo)), m.end()
    return None, 0


def parse_iso(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None
