"""Rewriting figures for a second reading by the judge: the evidence's figures written the way the claim
writes them, the claim's written as the source has them, or struck out."""

from __future__ import annotations

import re
from collections.abc import Sequence

from verifier.review.align import Match, Relation
from verifier.review.quantities import Quantity
from verifier.text.words import plural


def normalise_figures(text: str, matches: Sequence[Match]) -> str:
    """`text` with each aligned, non-conflicting evidence figure written as the claim writes it
    ("480,000" -> "nearly half a million"), so a judge that cannot do arithmetic reads the rest of the
    sentence. (Whether the figures themselves settle the claim is the reviewer's call, not the judge's.)"""
    edits: dict[tuple[int, int], str] = {}
    for m in matches:
        if m.relation is not Relation.CONFLICT and m.evidence.role != "derived":
            edits.setdefault(m.evidence.span, _as_written(m.claim, m.evidence))
    out = text
    for (start, end), figure in sorted(edits.items(), reverse=True):
        if all(end <= s or start >= e for s, e in edits if (s, e) != (start, end)):
            out = out[:start] + figure + out[end:]
    return out


_LEAD_IN = re.compile(
    r"(?:\b(?:on|in|by|since|at|from|of|until|before|after|around|about|to|for)\s+)?(?:the\s+)?$", re.I
)


def strip_figures(text: str, quantities: Sequence[Quantity]) -> str:
    """`text` without its figures and the preposition that introduces each ("Postal votes must be received
    by 30 April 2026." -> "Postal votes must be received.")."""
    out = text
    for q in sorted(quantities, key=lambda q: q.span, reverse=True):
        start = q.span[0]
        lead = _LEAD_IN.search(out[:start])
        if lead is not None:
            start = lead.start()
        out = out[:start].rstrip() + " " + out[q.span[1] :].lstrip()
    out = re.sub(r"\s+([.,;:!?])", r"\1", out).strip()
    return out[:1].upper() + out[1:]


def in_source_figures(claim_text: str, matches: Sequence[Match]) -> str:
    """The claim with each agreeing figure written as the window writes it ("The meeting lasted an hour
    and a half" -> "The meeting lasted 90 minutes"): the judge then compares the words alone."""
    out = claim_text
    for m in sorted(matches, key=lambda m: m.claim.span, reverse=True):
        if m.relation is Relation.CONFLICT or m.evidence.role == "derived":
            continue
        figure, noun = m.evidence.text, m.evidence.noun
        if noun:  # "Dozens of vessels" for "Between 80 and 90" before "vessels": keep one "vessels"
            for word in (plural(noun), noun):
                if figure.lower().endswith(" " + word) and word not in m.claim.text.lower().split():
                    figure = figure[: -len(word) - 1]
                    break
        start, end = m.claim.span
        out = out[:start] + figure + out[end:]
    return out


def _as_written(c: Quantity, e: Quantity) -> str:
    """The claim's figure in place of the evidence's, keeping the noun the evidence's span swallowed
    ("Dozens of vessels" -> "Between 80 and 90 vessels")."""
    noun = e.noun and next((w for w in (plural(e.noun), e.noun) if w in e.text.lower().split()), "")
    if noun and noun not in c.text.lower().split():
        return f"{c.text} {noun}"
    return c.text
