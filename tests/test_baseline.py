from __future__ import annotations

from pathlib import Path

import pytest

from verifier.config import Settings
from verifier.errors import UnknownBackendError
from verifier.judges import get_judge, nli_available
from verifier.judges.baseline import BaselineJudge, coverage, mismatch_cues
from verifier.models import Claim, Hit, Label, Passage
from verifier.store.embedding import MiniLMEmbedder


def _hit(text: str, pid: str = "s#0") -> Hit:
    return Hit(Passage(id=pid, source_id=pid.split("#")[0], text=text, start=0, end=len(text)), score=0.03)


PASSAGE = (
    "The club was founded in 1902. Eastmoor Rovers won the Calder Valley Cup after beating Port Calder 3-1 "
    "in the final. The attendance was 41,286."
)


@pytest.mark.parametrize(
    ("claim", "label"),
    [
        pytest.param("Eastmoor Rovers beat Port Calder 3-1 in the Calder Valley Cup final.", Label.SUPPORTED,
                     id="support"),
        pytest.param("The attendance at the final was 38,000.", Label.CONTRADICTED, id="number-mismatch"),
        pytest.param("Eastmoor Rovers did not win the Calder Valley Cup.", Label.CONTRADICTED, id="negation"),
        pytest.param("Eastmoor Rovers lost the Calder Valley Cup final to Port Calder.", Label.CONTRADICTED,
                     id="antonym"),
        pytest.param("The new library opens on Mondays in Greyford.", Label.UNVERIFIED, id="unrelated"),
    ],
)  # fmt: skip
def test_baseline_verdicts_lexical_only(claim: str, label: Label) -> None:
    judge = BaselineJudge()
    c = Claim.from_text(claim)
    verdict = judge.decide(c, judge.judge(c, [_hit(PASSAGE)]))
    assert verdict.label is label, verdict.reasons
    if label is not Label.UNVERIFIED:
        assert verdict.citations and verdict.citations[0].quote in PASSAGE
        cite = verdict.citations[0]
        assert PASSAGE[cite.start : cite.end] == cite.quote


def test_baseline_with_embedder_keeps_the_deciding_window(embedder: MiniLMEmbedder) -> None:
    judge = BaselineJudge(embedder=embedder)
    c = Claim.from_text("The attendance at the final was 41,286.")
    [ev] = judge.judge(c, [_hit(PASSAGE)])
    assert ev.quote.endswith("The attendance was 41,286.")  # "final" comes from the sentence before
    assert ev.stance is Label.SUPPORTED
    assert any("similarity" in r for r in ev.reasons)
    total = ev.probs.entailment + ev.probs.neutral + ev.probs.contradiction
    assert total == pytest.approx(1.0, abs=1e-3)


def test_cue_helpers() -> None:
    assert coverage(["41286", "attendance"], {"attendance"}) == pytest.approx(1 / 3)
    assert coverage([], {"x"}) == 0.0
    assert mismatch_cues("It rose by 5%.", "It rose by 5%.") == []
    assert any("number" in c for c in mismatch_cues("Sales were 12 million.", "Sales were 15 million."))
    assert any("negation" in c for c in mismatch_cues("He refused to pay the fine.", "He paid the fine."))
    # a negation about something else in the window is not a mismatch
    window = "The lighthouse was automated in 1987 and no longer has a keeper."
    assert mismatch_cues("The lighthouse was automated in 1987.", window) == []


def test_registry_names_and_fallback(tmp_path: Path) -> None:
    settings = Settings.resolve()
    assert get_judge("baseline", settings).name == "baseline-lexical-v1"
    nli = get_judge("nli", settings)
    assert nli.name != "baseline-lexical-v1" if nli_available() else nli.name == "baseline-lexical-v1"
    with pytest.raises(UnknownBackendError, match="choose from nli, baseline"):
        get_judge("oracle", settings)
