"""Tune the judge's decision thresholds and confidence calibration on dev claims the weights never saw.

Each eval-data dev claim has a role (`verifier.training.data.claim_roles`, group-aware): "train" (the
weights trained on it), "tune" or "val". The full pipeline (hybrid retrieval from the corpus, window
scoring) runs once per claim and its strongest entailment / contradiction are cached. Thresholds
maximise the mean of the per-dataset claim-level macro-F1 on the tune claims only; the calibration is
an isotonic fit of "verdict right" on the winning raw score, also on tune claims. Val claims only
report. (Fitting on claims the weights trained on made the thresholds overconfident: v1's lesson.)
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Sequence
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

import numpy as np

from verifier.aggregate import DecisionPolicy, decide_scores
from verifier.evaluation.metrics import macro_f1
from verifier.judges.nli import Policy
from verifier.judges.pairs import MODEL_DIR
from verifier.models import Claim, Evidence, Hit, Label
from verifier.review.chain import review_all
from verifier.training.data import ROLES, claim_roles

log = logging.getLogger(__name__)
DATASETS = ("scifact", "climate_fever", "averitec")
SMOOTH = 1  # threshold grid cells on each side averaged when choosing (0: the single best cell)


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


def claim_summary(hits: Sequence[Hit], table: dict[str, Evidence], gold: set[str]) -> dict[str, Any]:
    """The aggregate inputs of one claim (a row of `tune` / `crossfit`, without its identity): the
    judged evidence of `hits`, looked up by passage id."""
    ev = [table[h.passage.id] for h in hits if h.passage.id in table]
    return {
        "entail": max((e.probs.entailment for e in ev), default=0.0),
        "contra": max((e.probs.contradiction for e in ev), default=0.0),
        "retrieved_gold": bool(gold & {h.passage.source_id for h in hits}),
    }


def collect(shared: Path, home: Path, top_k: int, limit: int = 0, wide_k: int = 0) -> list[dict[str, Any]]:
    """Strongest entailment/contradiction per dev claim of the tune and val roles (the weights trained
    on the others), through the same path as `verifier eval` (top_k passages), and with `wide_k` >
    top_k the same for a wider candidate list (`wide`), for the question "would judging more passages
    find more deciding evidence than it adds false alarms?" (2026-12-01, top 16: no)."""
    from verifier.config import Settings
    from verifier.evaluation.runs import open_eval_store
    from verifier.pipeline import build_checker, default_reviewers
    from verifier.review.relevance import RelevanceWeighting

    settings = Settings.resolve(home=home, judge="nli", top_k=top_k, progress="never")
    rows: list[dict[str, Any]] = []
    for dataset in DATASETS:
        folder = shared / "eval-data" / dataset
        claims = [json.loads(line) for line in (folder / "claims.dev.jsonl").open(encoding="utf-8")]
        roles = claim_roles(claims, dataset)
        store, _ = open_eval_store(settings, folder / "corpus.jsonl")
        checker = build_checker(settings, store=store)
        # the thresholds about to be fitted are for weighted evidence whenever the weighting can run,
        # whatever the judge's current thresholds.json says
        checker = replace(checker, reviewers=default_reviewers(settings, checker.judge, tuned=True))
        weighted = any(isinstance(r, RelevanceWeighting) for r in checker.reviewers)
        t0 = time.perf_counter()
        claims = [c for c in claims if roles[c["id"]] != "train"][: limit or None]
        for c in claims:
            claim = Claim.from_text(c["claim"])
            hits = checker.store.search(claim.shown, k=top_k)
            wide = checker.store.search(claim.shown, k=wide_k) if wide_k > top_k else hits
            union = list({h.passage.id: h for h in [*hits, *wide]}.values())
            judged = {e.passage.id: e for e in checker.judge.judge(claim, union)}
            reviewed = {e.passage.id: e for e in review_all(checker.reviewers, claim, list(judged.values()))}
            gold = set(c["evidence"])

            row = {
                "dataset": dataset,
                "id": c["id"],
                "split": roles[c["id"]],
                "gold": c["label"],
                "relevance_weighting": weighted,
                **claim_summary(hits, reviewed, gold),
                # without the evidence reviewers (numbers, names): their before/after on dev claims
                "unreviewed": claim_summary(hits, judged, gold),
            }
            if wide_k > top_k:
                row["wide"] = {"k": wide_k, **claim_summary(wide, reviewed, gold)}
            rows.append(row)
        log.info("%s: %d claims in %.1fs", dataset, len(claims), time.perf_counter() - t0)
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
    """Grid-search the thresholds (mean per-dataset macro-F1 on tune claims), then calibrate."""
    fit = [r for r in rows if r["split"] == "tune"]
    grid = [float(x) for x in np.round(np.arange(0.05, 0.96, 0.025), 3)]
    best = (-1.0, DecisionPolicy())
    for margin in (0.0, 0.1, 0.2):
        table = np.zeros((len(grid), len(grid)))
        for i, ts in enumerate(grid):
            for j, tc in enumerate(grid):
                decision = DecisionPolicy(
                    support_threshold=ts, contradict_threshold=tc, conflict_margin=margin
                )
                scores = _score(fit, decision)
                table[i, j] = sum(scores.values()) / len(scores)
        # a few hundred tune claims make the F1 surface noisy: pick the best neighbourhood (3x3 mean),
        # not the luckiest single cell
        padded = np.pad(table, SMOOTH, mode="edge")
        window = 2 * SMOOTH + 1
        smooth = np.mean(
            [padded[a : a + len(grid), b : b + len(grid)] for a in range(window) for b in range(window)],
            axis=0,
        )
        flat = int(np.argmax(smooth))
        si, sj = divmod(flat, len(grid))
        if smooth[si, sj] > best[0]:
            best = (float(smooth[si, sj]), DecisionPolicy(grid[si], grid[sj], conflict_margin=margin))
    decision = best[1]
    preds = _predict(fit, decision)
    raw = np.array([s for _, s in preds])
    correct = np.array([float(p == r["gold"]) for (p, _), r in zip(preds, fit, strict=True)])
    policy = Policy(decision=decision, calibration=tuple(isotonic(raw, correct)))
    report: dict[str, Any] = {"thresholds_tune_mean_macro_f1": round(best[0], 4)}
    for name in ROLES:
        part = [r for r in rows if r["split"] == name]
        if not part:
            continue
        preds = _predict(part, decision)
        conf = np.array([policy.calibrate(s) for _, s in preds])
        ok = np.array([float(p == r["gold"]) for (p, _), r in zip(preds, part, strict=True)])
        decided = [r["retrieved_gold"] for r in part if r["gold"] != "unverified"]
        unreviewed = [{**r, "entail": r["unreviewed"]["entail"], "contra": r["unreviewed"]["contra"]}
                      for r in part if "unreviewed" in r]  # fmt: skip
        report[name] = {
            "claims": len(part),
            "macro_f1": {k: round(v, 4) for k, v in _score(part, decision).items()},
            "macro_f1_without_reviewers": {k: round(v, 4) for k, v in _score(unreviewed, decision).items()}
            if len(unreviewed) == len(part)
            else None,
            "ece": round(ece(conf, ok), 4),
            "gold_retrieved": round(float(np.mean(decided)) if decided else 0.0, 4),
        }
    return policy, report


def crossfit(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The threshold policy's honest estimate over every claim the weights never saw: fit on tune,
    predict val; fit on val, predict tune (two folds), then score all predictions together. Twice the
    claims of the val-only number, so about 1.4x less noisy; the shipped policy is the tune fit."""
    preds: list[tuple[dict[str, Any], Label, float]] = []
    for fit_role, test_role in (("tune", "val"), ("val", "tune")):
        policy, _ = tune([{**r, "split": "tune"} for r in rows if r["split"] == fit_role])
        for r in rows:
            if r["split"] == test_role:
                d = decide_scores(r["entail"], r["contra"], policy.decision)
                preds.append((r, d.label, policy.calibrate(d.confidence)))
    f1: dict[str, float] = {}
    for dataset in DATASETS:
        sub = [(r, p) for r, p, _ in preds if r["dataset"] == dataset]
        if sub:
            f1[dataset] = round(macro_f1([Label(r["gold"]) for r, _ in sub], [p for _, p in sub]), 4)
    conf = np.array([c for _, _, c in preds])
    ok = np.array([float(p == r["gold"]) for r, p, _ in preds])
    return {"claims": len(preds), "macro_f1": f1, "ece": round(ece(conf, ok), 4) if len(preds) else None}


def _with_roles(rows: list[dict[str, Any]], shared: Path) -> list[dict[str, Any]]:
    """Re-derive each cached claim's role (a cache may predate the current split)."""
    roles: dict[str, str] = {}
    for dataset in DATASETS:
        path = shared / "eval-data" / dataset / "claims.dev.jsonl"
        claims = [json.loads(line) for line in path.open(encoding="utf-8")]
        roles.update(claim_roles(claims, dataset))
    return [{**r, "split": roles[r["id"]]} for r in rows]


def run(
    shared: Path, cache: Path, model_id: str, home: Path, top_k: int = 8, limit: int = 0, reuse: bool = False
) -> dict[str, Any]:
    """Collect scores (kept in `cache/scores.jsonl`), tune the thresholds and the calibration on the tune
    claims, write `thresholds.json`."""
    cache.mkdir(parents=True, exist_ok=True)
    scores = cache / "scores.jsonl"
    if reuse and scores.is_file():
        rows = [json.loads(line) for line in scores.open(encoding="utf-8")]
        rows = _with_roles(rows, shared)
    else:
        rows = collect(shared, home, top_k, limit)
        scores.write_text("".join(json.dumps(r) + "\n" for r in rows))
    policy, report = tune(rows)
    report["crossfit"] = crossfit(rows)
    if all("unreviewed" in r for r in rows):  # the evidence reviewers' before/after, same protocol
        report["crossfit_without_reviewers"] = crossfit([{**r, **r["unreviewed"]} for r in rows])
    if all("wide" in r for r in rows):  # report only: the shipped policy judges top_k passages
        report["wide"] = tune([{**r, **r["wide"]} for r in rows])[1]
        report["wide"]["crossfit"] = crossfit([{**r, **r["wide"]} for r in rows])
    payload: dict[str, Any] = {
        "model_id": model_id,
        **asdict(policy.decision),
        # whether `collect` weighted the evidence by relevance (the pipeline must do as the tuning did)
        "relevance_weighting": all(r.get("relevance_weighting", False) for r in rows),
        "calibration": [list(k) for k in policy.calibration],
        "tuned_on": "tune claims (eval/splits, never trained on) of the scifact, climate_fever and "
        "averitec dev splits",
        "top_k": top_k,
        "report": {"thresholds": report},
    }
    (MODEL_DIR / "thresholds.json").write_text(json.dumps(payload, indent=2) + "\n")
    return payload
