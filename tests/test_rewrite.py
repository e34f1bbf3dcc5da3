"""Figures rewritten for a second reading by the judge."""

from __future__ import annotations

from verifier.review.align import Relation, align
from verifier.review.quantities import parse
from verifier.review.rewrite import in_source_figures, normalise_figures, strip_figures


def test_normalised_figures_read_as_the_claim_writes_them() -> None:
    claim = "Nearly half a million people signed the petition by Friday."
    evidence = "By Friday the petition had 480,000 signatures and 3 sponsors."
    same = [m for m in align(claim, evidence) if m.relation is Relation.SAME]
    assert normalise_figures(evidence, same) == (
        "By Friday the petition had Nearly half a million signatures and 3 sponsors."
    )
    assert normalise_figures(evidence, []) == evidence


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
