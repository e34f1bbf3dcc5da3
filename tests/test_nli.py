"""The trained judge: the shipped int8 ONNX model scored for real, window selection, decisions."""

from __future__ import annotations

import json

import numpy as np
import pytest

from verifier.judges.nli import NLIJudge, Policy
from verifier.judges.pairs import MODEL_DIR, PairScorer, model_available
from verifier.models import Claim, Hit, Label, Passage

pytestmark = pytest.mark.skipif(not model_available(), reason="trained judge model not shipped")


def _passage(text: str, pid: str = "doc#0", source: str = "doc", start: int = 0) -> Passage:
    return Passage(id=pid, source_id=source, text=text, start=start, end=start + len(text), title="t")


@pytest.fixture
def judge(nli_judge: NLIJudge) -> NLIJudge:
    return nli_judge


def test_shipped_model_files_and_card() -> None:
    assert (MODEL_DIR / "judge.int8.onnx").stat().st_size < 30_000_000
    card = (MODEL_DIR / "MODEL_CARD.md").read_text()
    assert "Training data" in card and "Pair-level results" in card
    tuned = json.loads((MODEL_DIR / "thresholds.json").read_text())
    assert 0 < tuned["support_threshold"] < 1 and 0 < tuned["contradict_threshold"] < 1
    xs = [x for x, _ in tuned["calibration"]]
    ys = [y for _, y in tuned["calibration"]]
    assert xs == sorted(xs) and ys == sorted(ys), "calibration must be monotone"


def test_probabilities_are_distributions(judge: NLIJudge) -> None:
    probs = judge.scorer.score([("A man plays a guitar.", "A person plays music."), ("x " * 400, "y")])
    assert probs.shape == (2, 3)
    assert np.allclose(probs.sum(axis=1), 1.0, atol=1e-4)


@pytest.mark.parametrize(
    ("premise", "hypothesis", "expected"),
    [
        pytest.param(
            "The city council approved the new ferry terminal budget by seven votes to two on Tuesday.",
            "The council approved the ferry terminal budget.",
            0,
            id="entailment",
        ),
        pytest.param(
            "After the match, the coach apologised to the supporters for the team's performance.",
            "The coach refused to apologise to the supporters.",
            2,
            id="negated-action",
        ),
        pytest.param(
            "A woman is slicing tomatoes in a kitchen.",
            "The woman is sleeping in her bed.",
            2,
            id="contradiction",
        ),
        pytest.param(
            "The museum reopened in March after a two-year renovation.",
            "The museum's director was born in Lisbon.",
            1,
            id="unrelated-neutral",
        ),
    ],
)
def test_clear_pairs(judge: NLIJudge, premise: str, hypothesis: str, expected: int) -> None:
    probs = judge.scorer.score([(premise, hypothesis)])[0]
    assert int(np.argmax(probs)) == expected, probs


def test_judge_picks_the_deciding_window_with_exact_offsets(judge: NLIJudge) -> None:
    text = (
        "The library opened in 1921. It has three floors and a garden. "
        "Last year the library lent 84,000 books to 12,000 members. The garden hosts a summer fair."
    )
    passage = _passage(text, start=100)
    claim = Claim.from_text("The library lent 84,000 books last year.")
    [ev] = judge.judge(claim, [Hit(passage=passage, score=0.5)])
    assert "84,000" in ev.quote
    assert ev.quote == text[ev.span[0] : ev.span[1]]
    assert ev.stance is Label.SUPPORTED
    verdict = judge.decide(claim, [ev])
    assert verdict.label is Label.SUPPORTED
    [cite] = verdict.citations
    assert cite.start == 100 + ev.span[0] and cite.end == 100 + ev.span[1]
    assert 0.0 <= verdict.confidence <= 1.0


def test_no_evidence_is_unverified_without_citations(judge: NLIJudge) -> None:
    verdict = judge.decide(Claim.from_text("Anything at all."), [])
    assert verdict.label is Label.UNVERIFIED and verdict.citations == ()


def test_best_passage_per_source_in_citations(judge: NLIJudge) -> None:
    claim = Claim.from_text("The bridge was closed for repairs in May.")
    hits = [
        Hit(_passage("The bridge was closed for repairs in May.", "a#0", "a"), 0.9),
        Hit(_passage("In May the bridge was closed so that repairs could be made.", "a#1", "a", 200), 0.8),
        Hit(_passage("Repairs closed the bridge in May, the council said.", "b#0", "b"), 0.7),
    ]
    verdict = judge.decide(claim, judge.judge(claim, hits))
    assert verdict.label is Label.SUPPORTED
    sources = [c.source_id for c in verdict.citations]
    assert len(sources) == len(set(sources)) == 2


def test_policy_calibration_interpolates_and_clips() -> None:
    policy = Policy(calibration=((0.0, 0.2), (0.5, 0.5), (1.0, 0.9)))
    assert policy.calibrate(0.25) == pytest.approx(0.35)
    assert policy.calibrate(2.0) == pytest.approx(0.9)
    assert policy.calibrate(-1.0) == pytest.approx(0.2)


def test_missing_model_is_a_clear_error(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from verifier.errors import ModelLoadError

    with pytest.raises(ModelLoadError, match="judge model is missing"):
        PairScorer(tmp_path)


@pytest.mark.parametrize(
    ("claim", "expected"),
    [
        pytest.param(
            "Councillor Dev Malhotra apologised to the engineers after calling them amateurs.",
            Label.SUPPORTED,
            id="supported",
            marks=pytest.mark.xfail(
                strict=True,
                reason="minilm-l6-nli-v1 reads 'apologised before the vote' as contradicting 'apologised "
                "after calling them amateurs' (contradiction 0.75): a known model error, see MODEL_CARD.md",
            ),
        ),
        pytest.param(
            "Councillor Dev Malhotra refused to apologise for calling the engineering consultants amateurs.",
            Label.CONTRADICTED,
            id="negated-action",
        ),
        pytest.param(
            "Councillor Dev Malhotra was born in Harlow Bay and trained as an architect.",
            Label.UNVERIFIED,
            id="not-mentioned",
        ),
    ],
)
def test_real_news_case_through_the_pipeline(examples_store, embedder, claim: str, expected: Label) -> None:  # type: ignore[no-untyped-def]
    """The issue's news case: one ingested news story, three claims about it, all three right."""
    from verifier.config import Settings
    from verifier.pipeline import build_checker
    from verifier.store.evidence import EvidenceStore

    store = EvidenceStore.open(examples_store, embedder)
    try:
        checker = build_checker(Settings.resolve(judge="nli"), store=store)
        verdict = checker.check_claim(claim)
    finally:
        store.close()
    assert checker.judge.name.startswith("nli:")
    assert verdict.label is expected, verdict.reasons
    if expected is not Label.UNVERIFIED:
        assert any(c.source_id.startswith("harlow-bay-ferry-terminal-vote") for c in verdict.citations)


def test_a_pair_scores_the_same_whatever_it_is_scored_with(judge: NLIJudge) -> None:
    """int8 activation scales are per run: pairs are run one by one so batch mates cannot move a score."""
    pair = ("The council approved the plan by seven votes to two.", "The council rejected the plan.")
    others = [("A much longer premise about something else entirely, " * 6, "Short claim.")] * 5
    alone = judge.scorer.score([pair])[0]
    together = judge.scorer.score([*others, pair])[-1]
    assert np.array_equal(alone, together)


def test_a_dateline_alone_is_not_a_window(nli_judge: NLIJudge) -> None:
    """'Published 2 June 2025.' dates the story; judged alone it read as contradicting any claim."""
    text = "Published 2 June 2025. The trial began yesterday at the crown court."
    claim = Claim.from_text("The trial began on 1 June 2025.")
    (ev,) = nli_judge.judge(
        claim, [Hit(Passage(id="t#0", source_id="t", text=text, start=0, end=len(text)), 1.0)]
    )
    assert "trial began yesterday" in ev.quote
