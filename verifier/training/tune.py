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
from verifier.evaluation.metrics import auroc, coverage, false_rate, label_curve, macro_f1, per_class
from verifier.judges.nli import Policy
from verifier.judges.pairs import MODEL_DIR
from verifier.models import Claim, Evidence, Hit, Label
from verifier.review.chain import review_all
from verifier.text.words import addresses
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


# --------------------------------------------------------------------------- precision-first points

STRICT = "strict"
STRICT_TARGET = 0.85  # the precision the strict point asks of each label on each dev set's tune claims
MIN_DECIDED = 5  # a dataset with fewer verdicts of a label at a threshold does not vote on it
NEVER = 1.01  # a threshold no score reaches: the label is never given at this point
MIN_CALIBRATION = 12  # verdicts of a label needed for its own calibration (else the pooled one)
LABEL_BINS = 6
POINT_GRID = tuple(float(x) for x in np.round(np.arange(0.05, 1.0, 0.01), 2))


def _label_threshold(
    rows: Sequence[dict[str, Any]], label: Label, target: float, per_dataset: bool = True
) -> float:
    """The lowest threshold from which on (every higher grid step included, so one lucky step does not
    decide) the label's precision is >= `target` on the pooled claims and (`per_dataset`) on every
    dataset, wherever at least MIN_DECIDED verdicts of it are given. NEVER when no threshold gets there."""
    own, other = ("entail", "contra") if label is Label.SUPPORTED else ("contra", "entail")
    groups = [list(rows)]
    if per_dataset:
        groups += [[r for r in rows if r["dataset"] == d] for d in DATASETS]
    ok_from = NEVER
    for t in reversed(POINT_GRID):
        good, pooled_votes = True, False
        for part in groups:
            gold = [r["gold"] for r in part]
            (point,) = label_curve(gold, [r[own] for r in part], [r[other] for r in part], label, [t])
            if point.decided >= MIN_DECIDED:
                good = good and point.precision is not None and point.precision >= target
                pooled_votes = pooled_votes or part is groups[0]
        if not good:
            break
        if pooled_votes:  # steps with too few verdicts to judge are passed, never chosen
            ok_from = t
    return ok_from


def fit_operating_point(
    rows: list[dict[str, Any]], target: float = STRICT_TARGET, per_dataset: bool = True
) -> Policy:
    """Per-label thresholds for precision >= target (tune claims only), then the calibration refitted
    on the tune claims' verdicts at those thresholds."""
    fit = [r for r in rows if r["split"] == "tune"]
    decision = DecisionPolicy(
        support_threshold=_label_threshold(fit, Label.SUPPORTED, target, per_dataset),
        contradict_threshold=_label_threshold(fit, Label.CONTRADICTED, target, per_dataset),
        conflict_margin=0.0,
    )
    preds = _predict(fit, decision)
    raw = np.array([s for _, s in preds])
    correct = np.array([float(p == r["gold"]) for (p, _), r in zip(preds, fit, strict=True)])
    by_label = []
    for label in (Label.SUPPORTED, Label.CONTRADICTED, Label.UNVERIFIED):
        idx = [i for i, (p, _) in enumerate(preds) if p is label]
        if len(idx) >= MIN_CALIBRATION:
            by_label.append((label.value, tuple(isotonic(raw[idx], correct[idx], bins=LABEL_BINS))))
    return Policy(
        decision=decision, calibration=tuple(isotonic(raw, correct)), label_calibration=tuple(by_label)
    )


def point_report(rows: Sequence[dict[str, Any]], policy: Policy) -> dict[str, Any]:
    """Per split and dataset: each label's precision / coverage, false "contradicted" / "supported" on
    gold claims of the other labels, macro-F1, ECE and the AUROC of the calibrated confidence."""
    out: dict[str, Any] = {}
    for split in ("tune", "val"):
        part = [r for r in rows if r["split"] == split]
        res: dict[str, Any] = {}
        for name, sub in [("pooled", part)] + [(d, [r for r in part if r["dataset"] == d]) for d in DATASETS]:
            if not sub:
                continue
            preds = _predict(sub, policy.decision)
            gold = [Label(r["gold"]) for r in sub]
            labels = [p for p, _ in preds]
            conf = [policy.calibrate(s, p) for p, s in preds]
            ok = [g is p for g, p in zip(gold, labels, strict=True)]
            scores, cover = per_class(gold, labels), coverage(labels)
            res[name] = {
                "claims": len(sub),
                **{
                    label.value: {
                        "precision": round(scores[label].precision, 4),
                        "given": sum(1 for p in labels if p is label),
                        "coverage": round(cover[label], 4),
                        "recall": round(scores[label].recall, 4),
                    }
                    for label in (Label.SUPPORTED, Label.CONTRADICTED)
                },
                "false_contradicted": _r(false_rate(gold, labels, Label.CONTRADICTED)),
                "false_supported": _r(false_rate(gold, labels, Label.SUPPORTED)),
                "macro_f1": round(macro_f1(gold, labels), 4),
                "ece": round(ece(np.array(conf), np.array(ok, dtype=float)), 4),
                "auroc": _r(auroc(conf, ok)),
            }
        out[split] = res
    return out


def _r(x: float | None) -> float | None:
    return None if x is None else round(x, 4)


def write_operating_point(
    rows: list[dict[str, Any]],
    name: str = STRICT,
    target: float = STRICT_TARGET,
    model_dir: Path = MODEL_DIR,
    *,
    per_dataset: bool = True,
    require_subject: bool = False,
) -> dict[str, Any]:
    """Fit the precision-first point on the tune claims of cached scores and store it in the judge's
    thresholds.json under `operating_points[name]`; the top-level (balanced) thresholds stay as they are.
    Returns the stored point, with its report on tune and val claims (and the balanced point's, for
    comparison, on the same scores)."""
    path = model_dir / "thresholds.json"
    stored = json.loads(path.read_text(encoding="utf-8"))
    # with the subject rule the point is fitted on the stances it leaves (rows with their windows)
    fit_rows = subject_rows(rows) if require_subject else rows
    policy = replace(fit_operating_point(fit_rows, target, per_dataset), require_subject=require_subject)
    balanced = Policy.load(path)
    point = {
        "support_threshold": policy.decision.support_threshold,
        "contradict_threshold": policy.decision.contradict_threshold,
        "conflict_margin": policy.decision.conflict_margin,
        "calibration": [list(k) for k in policy.calibration],
        "calibration_by_label": {
            label: [list(k) for k in knots] for label, knots in policy.label_calibration
        },
        "require_subject": require_subject,
        "target_precision": target,
        "tuned_on": f"tune claims of the {', '.join(sorted({r['dataset'] for r in rows}))} dev splits: the "
        f"lowest threshold from which each label's precision is >= {target} on the pooled tune claims"
        + (f" and on each dataset (with >= {MIN_DECIDED} verdicts)" if per_dataset else ""),
        "report": point_report(fit_rows, policy),
        "balanced_report": point_report(rows, balanced),
    }
    stored.setdefault("operating_points", {})[name] = point
    path.write_text(json.dumps(stored, indent=2) + "\n")
    return point


def subject_rows(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows whose strongest stances are taken over the windows that address the claim only
    (`text.words.addresses`, as `Policy.require_subject` decides); rows need `claim` and `evidence`."""
    out = []
    for r in rows:
        ev = [e for e in r["evidence"] if addresses(r["claim"], e["quote"])]
        entail = max((e["entail"] for e in ev), default=0.0)
        out.append({**r, "entail": entail, "contra": max((e["contra"] for e in ev), default=0.0)})
    return out
