"""Tune the judge's decision thresholds and confidence calibration on internal-train dev claims.

For each eval-data dev set, claims are split by `verifier.training.data.internal_split` (group-aware);
the full pipeline (hybrid retrieval from the corpus, window scoring) runs once per claim and its
strongest entailment / contradiction are cached. Thresholds maximise the mean of the per-dataset
claim-level macro-F1 on the internal-train claims only; the calibration is an isotonic fit of
"verdict right" on the winning raw score, also on train claims. Validation claims only report.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np

from verifier.aggregate import DecisionPolicy, decide_scores
from verifier.evaluation import macro_f1
from verifier.judges.nli import MODEL_DIR, Policy, evidence_features
from verifier.models import Claim, Label
from verifier.training.data import internal_split

log = logging.getLogger(__name__)
DATASETS = ("scifact", "climate_fever", "averitec")


def isotonic(x: np.ndarray, y: np.ndarray, bins: int = 12) -> list[tuple[float, float]]:
    """Pool-adjacent-violators on quantile bins of x; returns monotone (x, p) knots."""
    order = np.argsort(x)
    x, y = x[order], y[order]
    chunks = [c for c in np.array_split(np.arange(len(x)), bins) if len(c)]
    blocks = [[float(x[c].mean()), float(y[c].mean()), len(c)] for c in chunks]
    merged: list[list[float]] = []
    for b in blocks:
        merged.append(b)
        while len(merged) > 1 and merged[-2][1] > merged[-1][1]:
            b2, b1 = merged.pop(), merged.pop()
            n = b1[2] + b2[2]
            merged.append([(b1[0] * b1[2] + b2[0] * b2[2]) / n, (b1[1] * b1[2] + b2[1] * b2[2]) / n, n])
    knots = [(round(m[0], 4), round(m[1], 4)) for m in merged]
    return [(0.0, knots[0][1])] + knots + [(1.0, knots[-1][1])]


def ece(conf: np.ndarray, correct: np.ndarray, bins: int = 10) -> float:
    edges = np.linspace(0, 1, bins + 1)
    total = 0.0
    for lo, hi in zip(edges[:-1], edges[1:], strict=True):
        sel = (conf >= lo) & (conf < hi if hi < 1 else conf <= hi)
        if sel.any():
            total += sel.sum() / len(conf) * abs(conf[sel].mean() - correct[sel].mean())
    return float(total)


def collect(shared: Path, home: Path, top_k: int, limit: int = 0) -> list[dict[str, Any]]:
    """Strongest entailment/contradiction per dev claim, through the same path as `verifier eval`."""
    from verifier.config import Settings
    from verifier.pipeline import build_checker, open_eval_store

    settings = Settings.resolve(home=home, judge="nli", top_k=top_k, progress="never")
    rows: list[dict[str, Any]] = []
    for dataset in DATASETS:
        folder = shared / "eval-data" / dataset
        claims = [json.loads(line) for line in (folder / "claims.dev.jsonl").open(encoding="utf-8")]
        split = internal_split(claims, dataset, seed=13)
        store, _ = open_eval_store(settings, folder / "corpus.jsonl")
        checker = build_checker(settings, store=store)
        t0 = time.perf_counter()
        for c in claims[: limit or None]:
            verdict, hits = checker.verify_with_hits(Claim.from_text(c["claim"]))
            evidence = verdict.evidence
            rows.append(
                {
                    "dataset": dataset,
                    "id": c["id"],
                    "split": split[c["id"]],
                    "gold": c["label"],
                    "entail": max((e.probs.entailment for e in evidence), default=0.0),
                    "contra": max((e.probs.contradiction for e in evidence), default=0.0),
                    "features": evidence_features(evidence),
                    "retrieved_gold": bool(set(c["evidence"]) & {h.passage.source_id for h in hits}),
                }
            )
        log.info("%s: %d claims in %.1fs", dataset, len(claims[: limit or None]), time.perf_counter() - t0)
        store.close()
    return rows


def _predict(rows: Sequence[dict[str, Any]], decision: DecisionPolicy) -> list[tuple[Label, float]]:
    out = []
    for r in rows:
        d = decide_scores(r["entail"], r["contra"], decision)
        out.append((d.label, d.confidence))
    return out


def _score(rows: Sequence[dict[str, Any]], decision: DecisionPolicy) -> dict[str, float]:
    res = {}
    for dataset in DATASETS:
        sub = [r for r in rows if r["dataset"] == dataset]
        if sub:
            gold = [Label(r["gold"]) for r in sub]
            res[dataset] = macro_f1(gold, [p for p, _ in _predict(sub, decision)])
    return res


def tune(rows: list[dict[str, Any]]) -> tuple[Policy, dict[str, Any]]:
    """Grid-search the thresholds (mean per-dataset macro-F1 on train claims), then calibrate."""
    train = [r for r in rows if r["split"] == "train"]
    val = [r for r in rows if r["split"] == "val"]
    grid = [float(x) for x in np.round(np.arange(0.15, 0.96, 0.025), 3)]
    best = (-1.0, DecisionPolicy())
    for margin in (0.0, 0.1, 0.2):
        for ts in grid:
            for tc in grid:
                decision = DecisionPolicy(
                    support_threshold=ts, contradict_threshold=tc, conflict_margin=margin
                )
                scores = _score(train, decision)
                mean = sum(scores.values()) / len(scores)
                if mean > best[0]:
                    best = (mean, decision)
    decision = best[1]
    preds = _predict(train, decision)
    raw = np.array([s for _, s in preds])
    correct = np.array([float(p == r["gold"]) for (p, _), r in zip(preds, train, strict=True)])
    policy = Policy(decision=decision, calibration=tuple(isotonic(raw, correct)))
    report: dict[str, Any] = {"thresholds_train_mean_macro_f1": round(best[0], 4)}
    for name, part in (("train", train), ("val", val)):
        preds = _predict(part, decision)
        conf = np.array([policy.calibrate(s) for _, s in preds])
        ok = np.array([float(p == r["gold"]) for (p, _), r in zip(preds, part, strict=True)])
        decided = [r["retrieved_gold"] for r in part if r["gold"] != "unverified"]
        report[name] = {
            "claims": len(part),
            "macro_f1": {k: round(v, 4) for k, v in _score(part, decision).items()},
            "ece": round(ece(conf, ok), 4),
            "gold_retrieved": round(float(np.mean(decided)) if decided else 0.0, 4),
        }
    return policy, report


CLASSES = (Label.SUPPORTED, Label.UNVERIFIED, Label.CONTRADICTED)


def fit_logistic(
    x: np.ndarray, y: np.ndarray, weights: np.ndarray, l2: float = 1e-2, steps: int = 3000
) -> tuple[np.ndarray, np.ndarray]:
    """Weighted multinomial logistic regression by full-batch gradient descent: (W [k x d], b [k])."""
    k, d = len(CLASSES), x.shape[1]
    w, b = np.zeros((k, d)), np.zeros(k)
    onehot = np.eye(k)[y]
    wn = weights / weights.sum()
    for _ in range(steps):
        z = x @ w.T + b
        p = np.exp(z - z.max(1, keepdims=True))
        p /= p.sum(1, keepdims=True)
        g = (p - onehot) * wn[:, None]
        w -= 0.5 * (g.T @ x + l2 * w)
        b -= 0.5 * g.sum(0)
    return w, b


def logistic_predict(x: np.ndarray, w: np.ndarray, b: np.ndarray) -> np.ndarray:
    z = x @ w.T + b
    p = np.exp(z - z.max(1, keepdims=True))
    return np.asarray(p / p.sum(1, keepdims=True))


def tune_logistic(rows: list[dict[str, Any]]) -> tuple[dict[str, Any], dict[str, Any]]:
    """A learned aggregator over `evidence_features`, weighted so each dataset and class counts equally."""
    train = [r for r in rows if r["split"] == "train"]
    x = np.array([r["features"] for r in train])
    y = np.array([CLASSES.index(Label(r["gold"])) for r in train])
    counts: dict[tuple[str, int], int] = {}
    for r, yi in zip(train, y, strict=True):
        counts[(r["dataset"], int(yi))] = counts.get((r["dataset"], int(yi)), 0) + 1
    weights = np.array([1.0 / counts[(r["dataset"], int(yi))] for r, yi in zip(train, y, strict=True)])
    w, b = fit_logistic(x, y, weights)
    report: dict[str, Any] = {}
    for name in ("train", "val"):
        part = [r for r in rows if r["split"] == name]
        probs = logistic_predict(np.array([r["features"] for r in part]), w, b)
        pred = [CLASSES[int(i)] for i in probs.argmax(1)]
        ok = np.array([float(p == r["gold"]) for p, r in zip(pred, part, strict=True)])
        f1 = {}
        for dataset in DATASETS:
            idx = [i for i, r in enumerate(part) if r["dataset"] == dataset]
            if idx:
                f1[dataset] = round(
                    macro_f1([Label(part[i]["gold"]) for i in idx], [pred[i] for i in idx]), 4
                )
        report[name] = {"claims": len(part), "macro_f1": f1, "ece": round(ece(probs.max(1), ok), 4)}
    return {
        "classes": [str(c) for c in CLASSES],
        "weights": w.round(5).tolist(),
        "bias": b.round(5).tolist(),
    }, report


def run(
    shared: Path, cache: Path, model_id: str, home: Path, top_k: int = 8, limit: int = 0
) -> dict[str, Any]:
    """Collect scores (kept in `cache/scores.jsonl`), tune, and write `thresholds.json` by the model."""
    cache.mkdir(parents=True, exist_ok=True)
    scores = cache / "scores.jsonl"
    rows = collect(shared, home, top_k, limit)
    scores.write_text("".join(json.dumps(r) + "\n" for r in rows))
    policy, report = tune(rows)
    payload = {
        "model_id": model_id,
        **asdict(policy.decision),
        "calibration": [list(k) for k in policy.calibration],
        "tuned_on": "internal-train claims of the scifact, climate_fever and averitec dev splits (seed 13)",
        "top_k": top_k,
        "report": report,
    }
    (MODEL_DIR / "thresholds.json").write_text(json.dumps(payload, indent=2) + "\n")
    return payload
