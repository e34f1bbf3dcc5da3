from __future__ import annotations

import pytest

from verifier.aggregate import DecisionPolicy, decide, decide_scores, pick_citations
from verifier.models import Claim, Evidence, Label, Passage, StanceProbs

POLICY = DecisionPolicy(support_threshold=0.5, contradict_threshold=0.6, conflict_margin=0.1, max_citations=2)


@pytest.mark.parametrize(
    ("entail", "contra", "label", "confidence", "conflicting"),
    [
        pytest.param(0.9, 0.1, Label.SUPPORTED, 0.9, False, id="clear-support"),
        pytest.param(0.1, 0.8, Label.CONTRADICTED, 0.8, False, id="clear-contradiction"),
        pytest.param(0.3, 0.2, Label.UNVERIFIED, 0.7, False, id="nothing-strong"),
        pytest.param(0.5, 0.0, Label.SUPPORTED, 0.5, False, id="support-at-threshold"),
        pytest.param(0.0, 0.59, Label.UNVERIFIED, 0.41, False, id="contradiction-below-threshold"),
        pytest.param(
            0.55, 0.58, Label.UNVERIFIED, 0.42, False, id="support-outscored-by-sub-threshold-contra"
        ),
        pytest.param(0.9, 0.65, Label.SUPPORTED, 0.9, True, id="conflict-support-wins"),
        pytest.param(0.62, 0.95, Label.CONTRADICTED, 0.95, True, id="conflict-contradiction-wins"),
        pytest.param(0.7, 0.75, Label.UNVERIFIED, 0.25, True, id="conflict-too-close"),
        pytest.param(0.0, 0.0, Label.UNVERIFIED, 1.0, False, id="no-evidence"),
    ],
)
def test_decision_table(
    entail: float, contra: float, label: Label, confidence: float, conflicting: bool
) -> None:
    d = decide_scores(entail, contra, POLICY)
    assert (d.label, d.confidence, d.conflicting) == (label, pytest.approx(confidence), conflicting)


def _ev(pid: str, source: str, e: float, c: float, text: str = "Quoted words here.") -> Evidence:
    passage = Passage(id=pid, source_id=source, text=text, start=100, end=100 + len(text))
    stance = Label.SUPPORTED if e > c else Label.CONTRADICTED
    return Evidence(passage, 0.5, stance, StanceProbs(e, 1 - e - c, c), span=(0, len(text)))


CLAIM = Claim.from_text("A claim.")


def test_supported_verdict_cites_strongest_passages_one_per_source() -> None:
    ev = [
        _ev("a#0", "a", 0.9, 0.0),
        _ev("a#1", "a", 0.8, 0.0),
        _ev("b#0", "b", 0.7, 0.0),
        _ev("c#0", "c", 0.2, 0),
    ]
    v = decide(CLAIM, ev, POLICY)
    assert v.label is Label.SUPPORTED
    assert [c.passage_id for c in v.citations] == ["a#0", "b#0"]
    assert all(c.stance is Label.SUPPORTED for c in v.citations)
    assert v.citations[0].start == 100 and v.citations[0].quote == "Quoted words here."


def test_contradicted_verdict_has_a_citation_and_unverified_may_have_none() -> None:
    v = decide(CLAIM, [_ev("a#0", "a", 0.1, 0.7)], POLICY)
    assert v.label is Label.CONTRADICTED and len(v.citations) == 1
    assert v.citations[0].score == 0.7
    u = decide(CLAIM, [_ev("a#0", "a", 0.2, 0.1)], POLICY)
    assert u.label is Label.UNVERIFIED and u.citations == ()
    empty = decide(CLAIM, [], POLICY)
    assert empty.label is Label.UNVERIFIED and empty.confidence == 1.0
    assert empty.reasons == ("no passage was retrieved for this claim",)


def test_conflict_cites_both_sides() -> None:
    v = decide(CLAIM, [_ev("a#0", "a", 0.72, 0.0), _ev("b#0", "b", 0.0, 0.75)], POLICY)
    assert v.label is Label.UNVERIFIED and v.conflicting
    assert {c.stance for c in v.citations} == {Label.SUPPORTED, Label.CONTRADICTED}


def test_pick_citations_one_per_source_up_to_the_limit() -> None:
    ev = [_ev("a#0", "a", 0.9, 0.0), _ev("a#1", "a", 0.8, 0.0), _ev("b#0", "b", 0.7, 0.0)]
    picked = pick_citations(ev, lambda e: e.probs.entailment, 0.5, 3)
    assert [e.passage.id for e in picked] == ["a#0", "b#0"]


def test_pick_citations_always_returns_the_best_one() -> None:
    ev = [_ev("a#0", "a", 0.3, 0.0), _ev("b#0", "b", 0.4, 0.0)]
    assert [e.passage.id for e in pick_citations(ev, lambda e: e.probs.entailment, 0.9, 3)] == ["b#0"]
    assert pick_citations([], lambda e: e.probs.entailment, 0.5, 3) == []


def test_calibration_hook_is_applied_and_clamped() -> None:
    v = decide(CLAIM, [_ev("a#0", "a", 0.9, 0.0)], POLICY, calibrate=lambda x: x + 0.5)
    assert v.confidence == 1.0
