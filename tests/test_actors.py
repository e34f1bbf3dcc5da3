"""Swapped actors: the claim credits one party with what the source credits to another."""

from __future__ import annotations

from verifier.review.actors import swap_cues


def test_swapped_actors() -> None:
    assert swap_cues("Bello scored the goal after a pass from Ortiz.",
                     "The goal was scored by Ortiz after a pass from Bello.")  # fmt: skip
    assert not swap_cues("Carl Dunning was sentenced to six years by Judge Amelia Stroud.",
                         "Judge Amelia Stroud sentenced Carl Dunning to six years in prison.")  # fmt: skip
    assert not swap_cues("Senator Kaye wrote the bill.", "Senator Kaye voted for the bill.")


def test_co_agents_are_not_a_swap() -> None:
    evidence = "Councillors Dev Malhotra and Priya Lindqvist voted against the plan."
    assert swap_cues("Councillor Dev Malhotra voted against the plan.", evidence) == []
    assert swap_cues("Priya Lindqvist voted against the plan.", evidence) == []
    listed = "Councillors Priya Lindqvist, Tom Ash and Dev Malhotra voted against the plan."
    assert swap_cues("Councillor Dev Malhotra voted against the plan.", listed) == []
