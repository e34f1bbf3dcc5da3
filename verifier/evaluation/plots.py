"""Eval figures from a metrics dict: confusion.png, reliability.png, recall.png, risk_coverage.png.

matplotlib is imported lazily (Agg backend, no display), so nothing here costs start-up time.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

LABEL_ORDER = ("supported", "contradicted", "unverified")


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _title(metrics: Mapping[str, Any]) -> str:
    name = metrics.get("dataset") or Path(str(metrics.get("claims_file", "claims"))).stem
    split = metrics.get("split")
    return f"{name}{'' if split in (None, 'all') else ' (' + str(split) + ')'} · {metrics['judge']}"


def confusion_png(metrics: Mapping[str, Any], path: Path) -> Path:
    plt = _pyplot()
    table = [[metrics["confusion"][g][p] for p in LABEL_ORDER] for g in LABEL_ORDER]
    fig, ax = plt.subplots(figsize=(4.8, 4.2), dpi=120)
    ax.imshow(table, cmap="Blues")
    peak = max(max(row) for row in table) or 1
    for i, row in enumerate(table):
        for j, n in enumerate(row):
            ax.text(j, i, str(n), ha="center", va="center", color="white" if n > peak / 2 else "black")
    ax.set_xticks(range(3), LABEL_ORDER)
    ax.set_yticks(range(3), LABEL_ORDER)
    ax.set_xlabel("predicted")
    ax.set_ylabel("gold")
    ax.set_title(f"{_title(metrics)}\nmacro-F1 {metrics['macro_f1']:.3f}", fontsize=9)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path


def reliability_png(metrics: Mapping[str, Any], path: Path) -> Path:
    plt = _pyplot()
    bins = [b for b in metrics["calibration"] if b["count"]]
    fig, ax = plt.subplots(figsize=(4.8, 4.2), dpi=120)
    ax.plot([0, 1], [0, 1], linestyle="--", color="grey", linewidth=1, label="perfect calibration")
    width = metrics["calibration"][0]["upper"] - metrics["calibration"][0]["lower"]
    ax.bar(
        [b["lower"] for b in bins],
        [b["accuracy"] for b in bins],
        width=width,
        align="edge",
        edgecolor="black",
        alpha=0.7,
        label="accuracy in bin",
    )
    ax.plot([b["confidence"] for b in bins], [b["accuracy"] for b in bins], "o", color="black", markersize=3)
    for b in bins:
        y = b["accuracy"] + 0.02 if b["accuracy"] < 0.9 else b["accuracy"] - 0.06
        ax.text(b["lower"] + width / 2, y, str(b["count"]), ha="center", fontsize=7)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_xlabel("confidence")
    ax.set_ylabel("accuracy")
    ece = metrics.get("ece")
    ax.set_title(f"{_title(metrics)}\nECE {'n/a' if ece is None else f'{ece:.3f}'}", fontsize=9)
    ax.legend(loc="upper left", fontsize=7)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path


def recall_png(metrics: Mapping[str, Any], path: Path) -> Path:
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(5.6, 4.2), dpi=120)
    for key, name in (("recall_retrieved", "retrieved"), ("recall_cited", "cited")):
        curve = {int(k): v for k, v in metrics[key].items() if v is not None}
        if curve:
            ks = sorted(curve)
            ax.plot(ks, [curve[k] for k in ks], marker="o", markersize=3, label=name)
    ax.axvline(
        metrics["top_k"], color="grey", linestyle=":", linewidth=1, label=f"top_k = {metrics['top_k']}"
    )
    ax.set_xlabel("k (passages, best first)")
    ax.set_ylabel("claims with a gold evidence in the top k")
    ax.set_ylim(0, 1.02)
    ax.set_xticks(range(1, 21, 2))
    n = metrics.get("n_with_evidence")
    ax.set_title(f"{_title(metrics)}\nevidence recall@k ({n} claims with gold evidence)", fontsize=9)
    ax.legend(loc="lower right", fontsize=7)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path


def risk_coverage_png(metrics: Mapping[str, Any], path: Path) -> Path:
    """Left: precision of the decided verdicts kept as the confidence threshold is lowered (the
    risk-coverage curve); right: each label's precision against its coverage as its threshold moves."""
    plt = _pyplot()
    fig, (left, right) = plt.subplots(1, 2, figsize=(9.6, 4.2), dpi=120)
    curve = [p for p in metrics.get("risk_coverage", []) if p["precision"] is not None]
    if curve:
        left.plot([p["coverage"] for p in curve], [p["precision"] for p in curve], marker=".", markersize=3)
    left.set_xlabel("share of decided verdicts kept (highest confidence first)")
    left.set_ylabel("precision of the kept verdicts")
    auc = metrics.get("auroc")
    left.set_title(f"risk-coverage · AUROC {'n/a' if auc is None else f'{auc:.3f}'}", fontsize=9)
    for label, points in metrics.get("label_curves", {}).items():
        pts = [p for p in points if p["precision"] is not None]
        right.plot(
            [p["coverage"] for p in pts], [p["precision"] for p in pts], marker="o", markersize=3, label=label
        )
    right.set_xlabel("coverage (share of all claims given the label)")
    right.set_ylabel("precision")
    right.set_title("per-label threshold curves (0.05 .. 0.95)", fontsize=9)
    for ax in (left, right):
        ax.set_xlim(0, 1.02)
        ax.set_ylim(0, 1.02)
        ax.grid(alpha=0.3)
    if metrics.get("label_curves"):
        right.legend(loc="lower left", fontsize=7)
    fig.suptitle(_title(metrics), fontsize=9)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path


def write_plots(metrics: Mapping[str, Any], out: Path) -> list[Path]:
    return [
        confusion_png(metrics, out / "confusion.png"),
        reliability_png(metrics, out / "reliability.png"),
        recall_png(metrics, out / "recall.png"),
        risk_coverage_png(metrics, out / "risk_coverage.png"),
    ]
