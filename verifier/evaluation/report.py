"""Eval summaries: report.md (tables), the terminal summary, and deltas between two runs (pure)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

RECALL_KS = (1, 3, 5, 8, 10, 20)


def _f(x: Any, digits: int = 3) -> str:
    return "n/a" if x is None else f"{x:.{digits}f}"


def _recall(metrics: Mapping[str, Any], key: str, k: int) -> float | None:
    value = metrics.get(key, {}).get(str(k))
    return None if value is None else float(value)


def headline(metrics: Mapping[str, Any]) -> list[tuple[str, str]]:
    k = metrics["top_k"]
    return [
        ("claims", str(metrics["n"])),
        ("macro-F1", _f(metrics["macro_f1"])),
        ("accuracy", _f(metrics["accuracy"])),
        (f"evidence recall@{k} (judged)", _f(metrics.get("evidence_recall_at_k"))),
        ("evidence recall (cited)", _f(metrics.get("cited_recall"))),
        ("strict (label + gold evidence cited)", _f(metrics.get("strict"))),
        ("ECE (10 bins)", _f(metrics.get("ece"))),
        ("AUROC of confidence for correctness", _f(metrics.get("auroc"))),
        ('false "contradicted" (on gold supported / unverified)', _f(metrics.get("false_contradicted"))),
        ("decided coverage (supported or contradicted)", _f(metrics.get("decided_coverage"))),
        (
            "s/claim mean / median",
            f"{_f(metrics['seconds_per_claim'])} / {_f(metrics.get('median_seconds_per_claim'))}",
        ),
        ("peak RSS (MB)", _f(metrics.get("peak_rss_mb"), 0)),
    ]


def report_markdown(metrics: Mapping[str, Any]) -> str:
    """report.md of a run: headline, per-class table, confusion, recall@k, calibration, run facts."""
    name = metrics.get("dataset") or metrics.get("claims_file", "claims")
    lines = [f"# Eval: {name}, split {metrics.get('split', 'all')}, judge `{metrics['judge']}`", ""]
    lines += ["| metric | value |", "| --- | --- |"]
    lines += [f"| {a} | {b} |" for a, b in headline(metrics)]
    lines += [
        "",
        "## Per class",
        "",
        "| label | precision | recall | F1 | coverage | support |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for label, s in metrics["per_class"].items():
        lines.append(
            f"| {label} | {_f(s['precision'])} | {_f(s['recall'])} | {_f(s['f1'])} "
            f"| {_f(s.get('coverage'))} | {s['support']} |"
        )
    labels = list(metrics["confusion"])
    lines += ["", "## Confusion (rows gold, columns predicted)", ""]
    lines += ["| gold \\ pred | " + " | ".join(labels) + " |", "| --- |" + " --- |" * len(labels)]
    for g in labels:
        lines.append(f"| {g} | " + " | ".join(str(metrics["confusion"][g][p]) for p in labels) + " |")
    lines += [
        "",
        f"## Evidence recall@k ({metrics.get('n_with_evidence', 'n/a')} claims with gold evidence)",
        "",
    ]
    lines += ["| k | " + " | ".join(str(k) for k in RECALL_KS) + " |", "| --- |" + " --- |" * len(RECALL_KS)]
    for key, title in (("recall_retrieved", "retrieved"), ("recall_cited", "cited")):
        lines.append(f"| {title} | " + " | ".join(_f(_recall(metrics, key, k)) for k in RECALL_KS) + " |")
    lines += [
        "",
        "## Calibration",
        "",
        "| confidence | claims | mean confidence | accuracy |",
        "| --- | --- | --- | --- |",
    ]
    for b in metrics.get("calibration", []):
        if b["count"]:
            lines.append(
                f"| {b['lower']:.1f}-{b['upper']:.1f} | {b['count']} "
                f"| {_f(b['confidence'])} | {_f(b['accuracy'])} |"
            )
    lines += trust_markdown(metrics)
    lines += ["", "## Run", ""]
    for key in (
        "claims_file", "corpus_file", "embedding_model", "top_k", "ingest_seconds",
        "seconds_to_first_verdict", "wall_seconds", "predicted_now", "resumed", "store_format",
        "code_version", "machine",
    ):  # fmt: skip
        if metrics.get(key) is not None:
            lines.append(f"- {key}: {metrics[key]}")
    return "\n".join(lines) + "\n"


CURVE_ROWS = 10  # rows of the risk-coverage table in report.md (the full curve is in metrics.json)


def _thin(points: list[Any], rows: int = CURVE_ROWS) -> list[Any]:
    """At most `rows` evenly spaced points of a curve, its last point always kept."""
    if len(points) <= rows:
        return points
    step = len(points) / rows
    return [points[min(len(points) - 1, round((i + 1) * step) - 1)] for i in range(rows)]


def trust_markdown(metrics: Mapping[str, Any]) -> list[str]:
    """The risk-coverage curve of decided verdicts and each label's precision / coverage as its
    threshold moves (report.md sections; empty for runs older than these metrics)."""
    lines: list[str] = []
    curve = metrics.get("risk_coverage")
    if curve:
        lines += [
            "",
            "## Risk-coverage (decided verdicts, confidence threshold lowered)",
            "",
            "| confidence >= | share of decided verdicts kept | precision |",
            "| --- | --- | --- |",
        ]
        lines += [
            f"| {_f(p['threshold'])} | {_f(p['coverage'])} | {_f(p['precision'])} |" for p in _thin(curve)
        ]
    curves = metrics.get("label_curves")
    if curves:
        labels = list(curves)
        lines += [
            "",
            "## Per-label threshold curves (precision / coverage of all claims)",
            "",
            "| threshold | " + " | ".join(labels) + " |",
            "| --- |" + " --- |" * len(labels),
        ]
        for i, point in enumerate(curves[labels[0]]):
            cells = [curves[lab][i] for lab in labels]
            lines.append(
                f"| {point['threshold']:.2f} | "
                + " | ".join(f"{_f(c['precision'])} / {_f(c['coverage'])}" for c in cells)
                + " |"
            )
    return lines


def summary_renderable(metrics: Mapping[str, Any]) -> RenderableType:
    """The terminal summary: headline numbers and the per-class table."""
    name = metrics.get("dataset") or metrics.get("claims_file", "")
    head = Text(
        f"{name}  split {metrics.get('split', 'all')}  judge {metrics['judge']}  top_k {metrics['top_k']}\n"
    )
    head.append("  ".join(f"{a} {b}" for a, b in headline(metrics)[1:]), style="bold")
    table = Table(show_header=True)
    for col in ("label", "precision", "recall", "f1", "coverage", "support"):
        table.add_column(col, justify="left" if col == "label" else "right")
    for label, s in metrics["per_class"].items():
        table.add_row(
            label, _f(s["precision"]), _f(s["recall"]), _f(s["f1"]), _f(s.get("coverage")), str(s["support"])
        )
    return Group(head, table)


def comparable(metrics: Mapping[str, Any]) -> dict[str, float | None]:
    """The numbers a comparison shows, by name."""
    out: dict[str, float | None] = {
        "macro_f1": metrics.get("macro_f1"),
        "accuracy": metrics.get("accuracy"),
    }
    for label, s in metrics.get("per_class", {}).items():
        out[f"f1 {label}"] = s.get("f1")
    out["evidence_recall (judged)"] = metrics.get("evidence_recall_at_k")
    for k in RECALL_KS:
        out[f"recall@{k} retrieved"] = _recall(metrics, "recall_retrieved", k)
    out["recall cited"] = metrics.get("cited_recall")
    for label, s in metrics.get("per_class", {}).items():
        out[f"precision {label}"] = s.get("precision")
        out[f"coverage {label}"] = s.get("coverage")
    for key in (
        "false_contradicted",
        "auroc",
        "strict",
        "ece",
        "seconds_per_claim",
        "median_seconds_per_claim",
        "peak_rss_mb",
    ):
        out[key] = metrics.get(key)
    return out


def compare(
    current: Mapping[str, Any], other: Mapping[str, Any]
) -> list[tuple[str, float | None, float | None, float | None]]:
    """(metric, current, other, current - other) for each comparable metric."""
    a, b = comparable(current), comparable(other)
    rows = []
    for key in a:
        x, y = a[key], b.get(key)
        rows.append((key, x, y, None if x is None or y is None else round(x - y, 4)))
    return rows


def compare_renderable(
    current: Mapping[str, Any], other: Mapping[str, Any], other_name: str
) -> RenderableType:
    table = Table(title=f"this run vs {other_name} (n {current['n']} vs {other.get('n')})")
    for col in ("metric", "this run", "other", "delta"):
        table.add_column(col, justify="left" if col == "metric" else "right")
    for key, x, y, d in compare(current, other):
        delta = "n/a" if d is None else f"{d:+.3f}"
        table.add_row(key, _f(x), _f(y), delta)
    return table
