"""Figure alignment: which figure of the evidence measures what a claim's figure measures, and how the two
compare (compatible, consistent, conflict), including figures the evidence implies (`derive`)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from verifier.models import FigureCheck, FigureRelation
from verifier.review import actors as names
from verifier.review import derive
from verifier.review import quantities as numbers
from verifier.review.derive import change_direction, direction_before
from verifier.review.quantities import Quantity
from verifier.text.words import FIGURE_STOPWORDS, lemma


class Relation(StrEnum):
    SAME = "compatible"  # the evidence figure lies within the claim's: the claim's figure holds
    CONSISTENT = "consistent"  # they overlap: neither implied nor excluded
    CONFLICT = "conflict"  # disjoint


@dataclass(frozen=True, slots=True)
class Match:
    claim: Quantity
    evidence: Quantity
    relation: Relation
    score: float
    note: str = ""  # "different currency", "figure revised over time"


_GENERIC_PERSON = frozenset("person individual resident man woman boy girl child teenager adult".split())


_CONTEXT_STOP = frozenset(
    "more than less fewer nearly almost about around roughly over under least most just some only "
    "said says according".split()
)


_SKIP = FIGURE_STOPWORDS | _CONTEXT_STOP


_TIME_WORDS = frozenset(  # not what happened on a date: "on the night of", "until"
    "night morning evening afternoon day week weekend month year "
    "until till since from by before after".split()
)


_WORD = re.compile(r"[A-Za-z]+|\d[\d,.]*|[;:]")


def _as_years(q: Quantity) -> tuple[float, float]:
    if q.dimension == "date":
        return float(date.fromordinal(int(q.lo)).year), float(date.fromordinal(int(q.hi)).year)
    return q.lo, q.hi


def comparable_dimensions(c: Quantity, e: Quantity) -> bool:
    dims = {c.dimension, e.dimension}
    if len(dims) == 1:
        if c.dimension == "money":
            return c.unit.partition("/")[2] == e.unit.partition("/")[2]  # £/week vs £: different things
        return True
    return dims == {"year", "date"}


def compare(c: Quantity, e: Quantity) -> tuple[Relation, str]:
    """How the evidence figure bears on the claim's (both in the same dimension)."""
    c_lo, c_hi, e_lo, e_hi = c.lo, c.hi, e.lo, e.hi
    if {c.dimension, e.dimension} == {"year", "date"}:
        (c_lo, c_hi), (e_lo, e_hi) = _as_years(c), _as_years(e)
    if c.dimension == "money" and c.unit != e.unit:
        return Relation.CONFLICT, "different currency"
    if c.dimension == "score":  # a score is one figure: "3-1" is not "within" "2-1"
        return (Relation.SAME, "") if (c.lo, c.hi) == (e.lo, e.hi) else (Relation.CONFLICT, "")
    eps = 1e-9 * max([1.0] + [abs(v) for v in (c_lo, c_hi, e_lo, e_hi) if abs(v) != float("inf")])
    if e_hi < c_lo - eps or e_lo > c_hi + eps:
        return Relation.CONFLICT, ""
    if e_lo >= c_lo - eps and e_hi <= c_hi + eps:
        return Relation.SAME, ""
    if max(abs(c_lo), abs(c_hi), abs(e_lo), abs(e_hi)) < float("inf"):
        c_mid, e_mid = (c_lo + c_hi) / 2, (e_lo + e_hi) / 2
        if c_lo - eps <= e_mid <= c_hi + eps and e_lo - eps <= c_mid <= e_hi + eps:
            return Relation.SAME, ""  # two roundings of one figure: "2.4 km" and "2,400 metres"
    return Relation.CONSISTENT, ""


@dataclass(frozen=True, slots=True)
class _Context:
    before: tuple[tuple[str, float], ...]  # content words before the figure, nearest first, with weights
    after: tuple[tuple[str, float], ...]
    entity: str  # nearest name before the figure in its clause ("" when none)
    time: tuple[float, float] | None = None  # the years the figure is about, when the text says


def _context(text: str, q: Quantity, others: Sequence[Quantity]) -> _Context:
    left_limit = max([o.span[1] for o in others if o.span[1] <= q.span[0]] + [0])
    right_limit = min([o.span[0] for o in others if o.span[0] >= q.span[1]] + [len(text)])
    left = text[left_limit : q.span[0]]
    right = text[q.span[1] : right_limit]
    left = re.split(r"[;:.]\s", left)[-1]
    right = re.split(r"[;:,.]|\band\b|\bbut\b", right)[0]
    skip = {q.noun} if q.noun else set()
    before = [
        w.lower()
        for w in _WORD.findall(left)
        if w[0].isalpha()
        and len(w) > 1
        and w.lower() not in FIGURE_STOPWORDS
        and w.lower() not in _CONTEXT_STOP
    ][::-1][:4]  # fmt: skip ("hospital's": the "s" is no word)
    after = [
        w.lower() for w in _WORD.findall(right)
        if w[0].isalpha() and len(w) > 1 and w.lower() not in _SKIP
        and lemma(w) not in skip
    ][:3]  # fmt: skip
    entity = ""
    for m in names.mentions(left):
        entity = m.key
    weighted = [(w, 1.0 / (n + 1)) for n, w in enumerate(before)]
    prev = [o for o in others if o.span[1] <= q.span[0]]
    if prev and left_limit > 0 and not re.search(r"[;:.]\s", text[left_limit : q.span[0]]):
        # "initially put at 12, rose to 19": a figure in a series shares the subject of the one before
        inherited = _context(text, prev[-1], others)
        weighted += [(w, 0.5 * x) for w, x in inherited.before if w not in before]
        entity = entity or inherited.entity
    return _Context(
        before=tuple(weighted),
        after=tuple((w, 0.8 / (n + 1)) for n, w in enumerate(after)),
        entity=entity,
        time=_time_tag(text, q, others),
    )


def _time_tag(text: str, q: Quantity, others: Sequence[Quantity]) -> tuple[float, float] | None:
    """The year(s) a figure refers to: a date or year just after it ('3.2% in March 2024')."""
    if q.dimension in ("date", "year"):
        return None
    for o in others:
        if o.dimension in ("date", "year") and 0 <= o.span[0] - q.span[1] <= 25:
            return _as_years(o)
    return None


def _context_score(a: _Context, b: _Context) -> float:
    score = 0.0
    words_b = b.before + b.after
    for w, wa in a.before + a.after:
        best = max((wa * wb for v, wb in words_b if names.similar(w, v)), default=0.0)
        score += best
    return score


def _noun_score(c: Quantity, e: Quantity) -> float | None:
    """2 for the same noun, a little when one is missing or generic, None for a clash."""
    if not c.noun or not e.noun:
        return 0.5
    if names.similar(c.noun, e.noun) or lemma(c.noun) == lemma(e.noun):
        return 2.0
    if c.noun in _GENERIC_PERSON and e.noun in _GENERIC_PERSON:
        return 1.5 if c.dimension == "age" else 0.75
    if c.noun in _GENERIC_PERSON or e.noun in _GENERIC_PERSON:
        return 0.5
    if c.dimension == "age" and numbers.is_person(c.noun) and numbers.is_person(e.noun):
        return 0.5  # "the oldest competitor" and "a 68-year-old grandmother" may be one person
    return None


def _vocabulary(text: str) -> set[str]:
    """The lower-cased words of `text`, for "does the evidence name this at all" (`_covered`)."""
    return {w.lower() for w in re.findall(r"[A-Za-z]+", text)}


def _covered(word: str, vocabulary: set[str]) -> bool:
    base = lemma(word)
    return any(names.similar(word, v) or lemma(v) == base for v in vocabulary)


def _about_something_else(claim_text: str, q: Quantity, ctx: _Context, evidence_words: set[str]) -> bool:
    """The claim's figure measures something the evidence never mentions ('police budget',
    'youth unemployment', 'weekend tickets'): not comparable."""
    words = [w for w, _ in ctx.before + ctx.after]
    if not words:
        return False
    missing = [w for w in words if not _covered(w, evidence_words)]
    if q.noun and q.noun not in _GENERIC_PERSON and q.noun not in numbers.MEASURE_NOUNS:
        if not _covered(q.noun, evidence_words):
            return True
    elif q.dimension not in ("date", "year") and len(missing) >= 2 and len(missing) / len(words) > 0.5:
        return True  # no noun of its own: the words around the figure say what it measures
    # a qualifier: an absent word right before a present one ("police budget")
    toks = [w.lower() for w in re.findall(r"[A-Za-z]{2,}", claim_text[: q.span[0]])]
    for a, b in zip(toks, toks[1:], strict=False):
        if (
            a in missing and b in words and _covered(b, evidence_words) and not a.endswith(("ed", "ly"))
            and not b.endswith("ed") and b not in derive.CHANGE_WORDS  # "rate fell": a noun, then its verb
        ):  # fmt: skip
            return True
    return False


def align(
    claim_text: str, evidence_text: str, ref: date | None = None, claim_ref: date | None = None
) -> list[Match]:
    """Each claim quantity paired with the evidence quantity measuring the same thing (when one does)."""
    c_qs = numbers.parse(claim_text, claim_ref or ref)
    e_qs = numbers.parse(evidence_text, ref)
    if not c_qs or not e_qs:
        return []
    evidence_words = _vocabulary(evidence_text)
    e_ctx = [_context(evidence_text, e, e_qs) for e in e_qs]
    derived: list[derive.Derived] | None = None  # computed when a claim figure first needs it
    out: list[Match] = []
    for c in c_qs:
        # "below 2% in 2025": the year scopes the figure and is checked with it, so it conflicts only
        # through that figure; an equal date still lets the judge read "last week" as the claim's date
        scoping = c.dimension in ("date", "year") and any(
            _time_tag(claim_text, q, [c]) is not None for q in c_qs if q is not c
        )
        cc = _context(claim_text, c, c_qs)
        if _about_something_else(claim_text, c, cc, evidence_words):
            continue
        scored: list[Match] = []
        for e, ec in zip(e_qs, e_ctx, strict=True):
            if not comparable_dimensions(c, e):
                continue
            noun = _noun_score(c, e)
            if noun is None:
                continue
            if c.dimension == "age" and c.role != e.role and "event" in (c.role, e.role):
                continue  # "made his first film at the age of 19" vs "who is 74"
            if cc.time and ec.time and (cc.time[1] < ec.time[0] or cc.time[0] > ec.time[1]):
                continue  # "below 2% in 2025" vs "3.2% in March 2024": different times
            context = _context_score(cc, ec)
            entity = 0.0
            if cc.entity and ec.entity:
                entity = 1.5 if cc.entity == ec.entity else -2.0
            if c.dimension in ("date", "year"):
                # the nearest word before the date says what happened on it ("ended on 9 February",
                # "hit the coast on the night of 28 February"): it must be around the source's date too
                predicate = next((w for w, _ in cc.before if w not in _TIME_WORDS), "")
                anchored = (
                    context >= 0.9
                    or any(names.similar(predicate, w) for w, _ in ec.before + ec.after)
                    # the very same day, and the only one the source gives
                    or ((c.lo, c.hi) == (e.lo, e.hi) and [q.dimension for q in e_qs].count(e.dimension) == 1)
                )
            else:
                anchored = noun >= 1.5 or context >= 0.3 or entity > 0 or c.dimension == "score"
            if not anchored:
                continue
            relation, note = compare(c, e)
            if relation is Relation.SAME and c.dimension not in ("date", "year"):
                way = direction_before(claim_text, c) * direction_before(evidence_text, e)
                if way < 0:  # "rose to 4.1 percent" against "fell to 4.1 percent"
                    relation, note = Relation.CONFLICT, "the source says it moved the other way"
            if c.partitive != e.partitive and relation is Relation.CONFLICT:
                continue  # "120,000 of the residents" is a part, not the population
            score = noun + context + entity
            score += 0.5 if relation is not Relation.CONFLICT else 0.0
            score -= 1.0 if c.partitive != e.partitive else 0.0
            if c.role == "latest" and e.role == "initial" or c.role == "initial" and e.role == "latest":
                score -= 2.5
            elif c.role and c.role == e.role:
                score += 1.0
            if e.role in ("initial", "latest") and not note:
                note = "the source's figure changed over time"
            scored.append(Match(c, e, relation, round(score, 3), note))
        if not scored:
            if derived is None:
                derived = derive.derive(evidence_text, e_qs)
            computed = _computed_match(claim_text, c, derived)
            if computed is not None:
                out.append(computed)
            continue
        scored.sort(key=lambda m: (-m.score, m.relation is Relation.CONFLICT))
        best = scored[0]
        if scoping:
            if best.relation is not Relation.SAME:
                continue
        elif best.relation is Relation.CONFLICT:
            near = [
                m for m in scored[1:] if m.score >= best.score - 0.5 and m.relation is not Relation.CONFLICT
            ]
            if near:
                best = near[0]  # ambiguous: another reading fits the claim, so no conflict
        out.append(best)
    return out


def _computed_match(claim_text: str, c: Quantity, derived: Sequence[derive.Derived]) -> Match | None:
    """A claim figure no written figure measures, against what the source's figures imply: a change
    written as a change ("rose by 25 per cent" vs "from 200 to 250"), a share as a share ("a quarter of
    the patients" vs "100 of the 400"), a duration against the span between two dates or years."""
    is_change, sign = change_direction(claim_text, c)
    for d in derived:
        q = d.quantity
        if q.dimension != c.dimension:
            continue
        if c.dimension == "percent" and d.kind != ("change" if is_change else "share"):
            continue
        if c.dimension in ("ratio", "points") and not is_change:
            continue
        if sign and d.sign and sign != d.sign:
            return Match(c, q, Relation.CONFLICT, 0.0, "the source's figures move the other way")
        relation, _ = compare(c, q)
        return Match(c, q, relation, 0.0, "computed from the source's figures")
    return None


def describe(m: Match) -> str:
    """The reason a conflict gives: "claim says 162,000 visitors; source says 126,000"."""
    source = _source_figure(m)
    if m.note == "the source's figure changed over time" and m.evidence.role and source == m.evidence.text:
        source += f" ({m.evidence.role} figure)"
    return f"claim says {m.claim.describe()}; source says {source}"


def _source_figure(m: Match) -> str:
    """The source's figure as a reason cites it (with its noun when the claim counts something else)."""
    if m.claim.noun and m.evidence.noun and m.claim.noun != m.evidence.noun:
        return m.evidence.describe()
    return m.evidence.text


_FIGURE_RELATION = {
    Relation.SAME: FigureRelation.AGREE,
    Relation.CONSISTENT: FigureRelation.OVERLAP,
    Relation.CONFLICT: FigureRelation.CONFLICT,
}


def figure_check(m: Match) -> FigureCheck:
    """The match as a typed finding on the evidence (what `describe` says in words)."""
    source = m.evidence.text if m.relation is not Relation.CONFLICT else _source_figure(m)
    return FigureCheck(claim=m.claim.describe(), source=source, relation=_FIGURE_RELATION[m.relation])
