"""Training-side logic that decides what the shipped model learns from: splits, loss, batching, tuning."""

from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from verifier.training.data import _balanced_sample, claim_roles, internal_split  # noqa: E402
from verifier.training.train import PARTIAL_ID, _batches, loss_fn  # noqa: E402
from verifier.training.tune import ece, isotonic, macro_f1  # noqa: E402


def _claim(cid: str, label: str, docs: list[str], text: str | None = None) -> dict[str, object]:
    return {
        "id": cid,
        "claim": text or f"claim {cid}",
        "label": label,
        "evidence": docs,
        "meta": {"cited_doc_ids": docs},
    }


def test_internal_split_keeps_claim_families_together() -> None:
    claims = [
        _claim(f"c{i}", ["supported", "contradicted", "unverified"][i % 3], [f"d{i // 2}"]) for i in range(60)
    ]
    split = internal_split(claims, "scifact", seed=1)
    for i in range(0, 60, 2):  # c{2j} and c{2j+1} share doc d{j}
        assert split[f"c{i}"] == split[f"c{i + 1}"]
    val = sum(v == "val" for v in split.values())
    assert 0.2 * 60 <= val <= 0.5 * 60
    assert split == internal_split(claims, "scifact", seed=1), "split must be deterministic"


def test_internal_split_groups_equal_texts() -> None:
    claims = [_claim(f"c{i}", "supported", [], text="Same claim." if i < 2 else None) for i in range(20)]
    split = internal_split(claims, "climate_fever", seed=3)
    assert split["c0"] == split["c1"]


def test_balanced_sample_caps_and_balances() -> None:
    import random

    rows = [{"label": "entailment"}] * 100 + [{"label": "neutral"}] * 10 + [{"label": "contradiction"}] * 50
    out = _balanced_sample(list(rows), 60, random.Random(0))
    counts = {lab: sum(r["label"] == lab for r in out) for lab in ("entailment", "neutral", "contradiction")}
    assert counts == {"neutral": 10, "contradiction": 25, "entailment": 25}


def test_partial_label_loss() -> None:
    logits = torch.tensor([[2.0, 0.0, 0.0], [0.0, 1.0, 1.0]])
    definite = loss_fn(logits[:1], torch.tensor([0]))
    assert float(definite) == pytest.approx(-float(torch.log_softmax(logits[0], -1)[0]))
    partial = loss_fn(logits[1:], torch.tensor([PARTIAL_ID]))
    p = torch.softmax(logits[1], -1)
    assert float(partial) == pytest.approx(-float(torch.log(p[1] + p[2])), rel=1e-5)


def test_batches_cover_every_row_once() -> None:
    lengths = [int(x) for x in np.random.default_rng(0).integers(5, 100, size=1000)]
    batches = _batches(lengths, 32, seed=7)
    flat = sorted(i for b in batches for i in b)
    assert flat == list(range(1000))
    assert batches == _batches(lengths, 32, seed=7)


def test_macro_f1_by_hand() -> None:
    gold = ["supported", "supported", "contradicted", "unverified"]
    pred = ["supported", "contradicted", "contradicted", "supported"]
    # supported: tp1 fp1 fn1 -> 0.5; contradicted: tp1 fp1 fn0 -> 2/3; unverified: 0
    assert macro_f1(gold, pred) == pytest.approx((0.5 + 2 / 3 + 0) / 3)


def test_isotonic_is_monotone_and_ece_by_hand() -> None:
    rng = np.random.default_rng(0)
    x = rng.random(500)
    y = (rng.random(500) < x).astype(float)
    knots = isotonic(x, y)
    assert [k[1] for k in knots] == sorted(k[1] for k in knots)
    conf = np.array([0.95, 0.95, 0.25, 0.25])
    ok = np.array([1.0, 1.0, 0.0, 1.0])
    # bin [0.9,1]: |0.95 - 1| * 0.5; bin [0.2,0.3): |0.25 - 0.5| * 0.5
    assert ece(conf, ok) == pytest.approx(0.025 + 0.125)


def test_claim_roles_keep_the_weights_split_and_halve_its_validation_part() -> None:
    claims = [
        {"id": f"c{i}", "claim": f"claim {i}", "label": ["supported", "contradicted", "unverified"][i % 3],
         "evidence": [f"d{i // 2}"], "meta": {}}
        for i in range(120)
    ]  # fmt: skip
    split = internal_split(claims, "scifact", seed=13)
    roles = claim_roles(claims, "scifact", seed=13)
    assert {c for c, r in roles.items() if r == "train"} == {c for c, s in split.items() if s == "train"}
    assert {r for c, r in roles.items() if split[c] == "val"} == {"tune", "val"}
    for i in range(0, 120, 2):  # claims sharing an abstract stay in one role
        assert roles[f"c{i}"] == roles[f"c{i + 1}"]
    never_trained = claim_roles(claims, "averitec", seed=13)
    assert set(never_trained.values()) == {"tune", "val"}


def test_relevance_gold_passages_need_a_rationale_in_scifact() -> None:
    from verifier.models import Passage
    from verifier.training.relevance import _gold_passages

    passages = [Passage(f"{d}#0", d, "t", 0, 1) for d in ("d1", "d2", "d3")]
    claim = {"evidence": ["d1", "d2"], "meta": {"rationale_sentences": {"d1": [[0]], "d2": []}}}
    assert _gold_passages("scifact", claim, passages) == {"d1#0"}
    assert _gold_passages("climate_fever", claim, passages) == {"d1#0", "d2#0"}


def test_random_relevance_pairs_never_pair_a_claim_with_its_own_evidence() -> None:
    import random

    from verifier.training.relevance import random_pairs

    rows = [{"premise": f"p{i}", "hypothesis": f"h{i}"} for i in range(10)]
    out = random_pairs(rows, 50, random.Random(1))
    assert len(out) == 50 and all(r["label"] == "irrelevant" for r in out)
    assert all(r["premise"][1:] != r["hypothesis"][1:] for r in out)


def test_the_reranker_head_is_two_way() -> None:
    from verifier.training.model import TASK_LABELS, CrossEncoder
    from verifier.training.train import _tokenize

    model = CrossEncoder.from_backbone(n_labels=len(TASK_LABELS["relevance"]))
    assert model.head.out_features == 2
    rows = [
        {"premise": "A passage.", "hypothesis": "A claim.", "label": lab}
        for lab in ("relevant", "irrelevant")
    ]
    assert [lab for _, _, lab in _tokenize(rows, 32, TASK_LABELS["relevance"])] == [0, 1]
