"""Reports as rich renderables for the terminal, and their plain text."""

from __future__ import annotations

import io
from typing import Any

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from verifier.models import Citation, Label, Report, Verdict

_STYLE = {Label.SUPPORTED: "green", Label.CONTRADICTED: "red", Label.UNVERIFIED: "yellow"}


def _label(v: Verdict) -> Text:
    text = Text(v.label.value.upper(), style=f"bold {_STYLE[v.label]}")
    if v.conflicting:
        text.append(" (conflicting)", style="magenta")
    return text


def _citation_line(i: int, c: Citation) -> Text:
    line = Text(f"  [{i}] ", style="dim")
    line.append(c.title or c.source_id, style="bold")
    line.append(f"\n      {c.source_id} [{c.start}:{c.end}]  score {c.score:.2f}", style="dim")
    if c.url:
        line.append(f"\n      {c.url}", style="dim")
    line.append("\n      “" + " ".join(c.quote.split()) + "”")
    return line


def check_renderable(v: Verdict, judge: str) -> RenderableType:
    head = Text("Claim: ", style="bold")
    head.append(v.claim.shown)
    verdict = Text("Verdict: ", style="bold")
    verdict.append_text(_label(v))
    verdict.append(f"  confidence {v.confidence:.2f}  judge {judge}", style="dim")
    parts: list[RenderableType] = [head, verdict]
    if v.citations:
        parts.append(Text("Citations:", style="bold"))
        parts.extend(_citation_line(i, c) for i, c in enumerate(v.citations, 1))
    else:
        parts.append(Text("No citation: nothing in the sources decides this claim.", style="dim"))
    if v.reasons:
        parts.append(Text("Why:", style="bold"))
        parts.extend(Text(f"  - {r}", style="dim") for r in v.reasons)
    return Group(*parts)


def audit_renderable(report: Report) -> RenderableType:
    table = Table(title=f"Audit of {report.input}  (judge {report.judge})", show_lines=True, expand=True)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("Claim", ratio=3)
    table.add_column("Verdict", no_wrap=True)
    table.add_column("Conf.", justify="right", no_wrap=True)
    table.add_column("Evidence", ratio=3)
    for i, v in enumerate(report.verdicts, 1):
        if v.citations:
            c = v.citations[0]
            ev = Text(f"{c.source_id} [{c.start}:{c.end}]\n", style="dim")
            ev.append("“" + " ".join(c.quote.split()) + "”")
        else:
            ev = Text("-", style="dim")
        table.add_row(str(i), v.claim.shown, _label(v), f"{v.confidence:.2f}", ev)
    counts = report.counts
    summary = Text(
        f"{len(report.verdicts)} claims: "
        + ", ".join(f"{counts.get(label, 0)} {label.value}" for label in Label),
        style="bold",
    )
    return Group(table, summary)


def render_text(renderable: RenderableType, width: int = 110) -> str:
    """Plain text of a renderable, for tests and pipes."""
    buf = io.StringIO()
    Console(file=buf, width=width, color_system=None, force_terminal=False).print(renderable)
    return buf.getvalue()


def metrics_renderable(metrics: dict[str, Any]) -> RenderableType:
    """The eval summary: headline numbers and the per-class table."""
    head = Text(
        f"{metrics['n']} claims  judge {metrics['judge']}  top_k {metrics['top_k']}\n"
        f"accuracy {metrics['accuracy']:.3f}  macro-F1 {metrics['macro_f1']:.3f}  "
        f"evidence recall@{metrics['top_k']} "
        + ("n/a" if metrics.get("evidence_recall_at_k") is None else f"{metrics['evidence_recall_at_k']:.3f}")
        + f"  {metrics['seconds_per_claim']:.3f} s/claim",
        style="bold",
    )
    table = Table(show_header=True)
    for col in ("label", "precision", "recall", "f1", "support"):
        table.add_column(col, justify="left" if col == "label" else "right")
    for label, s in metrics["per_class"].items():
        table.add_row(
            label, f"{s['precision']:.3f}", f"{s['recall']:.3f}", f"{s['f1']:.3f}", str(s["support"])
        )
    return Group(head, table)
