from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.conftest import DATA, EVAL_DATA, needs_shared
from verifier.claims.extract import SentenceClaimExtractor
from verifier.errors import EvalDataError
from verifier.evaluation.gold import load_claims
from verifier.evaluation.metrics import accuracy, confusion, macro_f1, per_class, recall_at_k
from verifier.evaluation.runs import WARM_UP_CLAIM, evaluate, write_run
from verifier.judges.baseline import BaselineJudge
from verifier.models import Hit
from verifier.models import Label as L
from verifier.pipeline import Checker
from verifier.store.embedding import MiniLMEmbedder
from verifier.store.evidence import EvidenceStore

S, C, U = L.SUPPORTED, L.CONTRADICTED, L.UNVERIFIED
GOLD = [S, S, S, C, C, U]
PRED = [S, S, U, C, S, U]


def test_metric_arithmetic_on_hand_computed_values() -> None:
    # supported: tp 2, predicted 3, gold 3 -> P 2/3, R 2/3, F1 2/3
    # contradicted: tp 1, predicted 1, gold 2 -> P 1, R 1/2, F1 2/3
    # unverified: tp 1, predicted 2, gold 1 -> P 1/2, R 1, F1 2/3
    scores = per_class(GOLD, PRED)
    assert scores[S].precision == pytest.approx(2 / 3) and scores[S].recall == pytest.approx(2 / 3)
    assert scores[C].precision == 1.0 and scores[C].recall == 0.5 and scores[C].f1 == pytest.approx(2 / 3)
    assert scores[U].precision == 0.5 and scores[U].recall == 1.0 and scores[U].support == 1
    assert accuracy(GOLD, PRED) == pytest.approx(4 / 6)
    assert macro_f1(GOLD, PRED) == pytest.approx(2 / 3)
    assert confusion(GOLD, PRED)[S] == {S: 2, C: 0, U: 1}


def test_macro_f1_ignores_labels_absent_from_gold_and_handles_zero_division() -> None:
    assert macro_f1([S, S], [S, C]) == pytest.approx(2 / 3)  # only "supported" is in the gold data
    assert per_class([S], [C])[C].precision == 0.0
    assert accuracy([], []) == 0.0


def test_metrics_accept_label_strings() -> None:
    assert macro_f1([g.value for g in GOLD], [p.value for p in PRED]) == pytest.approx(2 / 3)
    assert accuracy(["supported"], [S]) == 1.0


def test_recall_at_k_counts_only_claims_with_gold_evidence() -> None:
    assert recall_at_k([["a"], ["b"], [], ["c", "d"]], [["x", "a"], ["y"], ["z"], ["d"]]) == pytest.approx(
        2 / 3
    )
    assert recall_at_k([[]], [["a"]]) is None


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"id": "x", "claim": "c", "label": "maybe"}', "bad.jsonl:2: label"),
        ('{"id": "x", "label": "supported"}', "bad.jsonl:2: claim: Field required"),
        ("{oops", "bad.jsonl:2:"),
        ('{"id": "x", "claim": "", "label": "supported"}', "bad.jsonl:2: claim"),
    ],
)
def test_malformed_gold_rows_name_file_and_line(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"id": "ok", "claim": "fine", "label": "unverified"}\n' + line + "\n")
    with pytest.raises(EvalDataError, match=message):
        load_claims(path)


def test_load_claims_limit() -> None:
    assert [g.id for g in load_claims(DATA / "claims.jsonl", limit=2)] == ["t-1", "t-2"]


@dataclass
class RecordingRetriever:
    """Retriever protocol: the real store, recording every query that reaches it."""

    inner: EvidenceStore
    queries: list[str] = field(default_factory=list)

    def search(self, query: str, k: int) -> list[Hit]:
        self.queries.append(query)
        return self.inner.search(query, k)


def test_evaluate_passes_only_claim_text_and_writes_run(
    data_store: Path, embedder: MiniLMEmbedder, tmp_path: Path
) -> None:
    gold = load_claims(DATA / "claims.jsonl")
    retriever = RecordingRetriever(EvidenceStore.open(data_store, embedder))
    checker = Checker(SentenceClaimExtractor(), retriever, BaselineJudge(embedder=embedder), top_k=3)
    metrics, rows = evaluate(checker, gold)
    # the warm-up claim, then each claim for the judge (top_k) and again for recall@1..20
    assert retriever.queries[0] == WARM_UP_CLAIM
    assert retriever.queries[1:] == [g.claim for g in gold for _ in range(2)]
    assert not any("GOLD-SIDE-SECRET" in q for q in retriever.queries)
    assert metrics["n"] == 4 and metrics["judge"] == "baseline-lexical-v1"
    assert metrics["evidence_recall_at_k"] == 1.0  # every gold doc is among the top-3 sources
    assert set(metrics["per_class"]) == {"supported", "contradicted", "unverified"}
    assert rows[0]["pred"] == "supported"
    assert len(rows[0]["judged"]) == 3 and len(rows[0]["retrieved"]) >= 3  # top_k vs the recall depth
    write_run(tmp_path / "run", metrics, rows)
    assert json.loads((tmp_path / "run" / "metrics.json").read_text())["n"] == 4
    assert len((tmp_path / "run" / "predictions.jsonl").read_text().splitlines()) == 4


@needs_shared
@pytest.mark.parametrize("dataset", ["scifact", "climate_fever", "averitec"])
def test_shared_dev_claims_parse(dataset: str) -> None:
    path = EVAL_DATA / dataset / "claims.dev.jsonl"
    if not path.exists():
        pytest.skip(f"{path} is absent")
    gold = load_claims(path)
    assert len(gold) > 100
    assert {g.label for g in gold} == {S, C, U}
