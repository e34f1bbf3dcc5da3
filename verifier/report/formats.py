"""Rendering reports: JSON-ready dicts, JSON lines, Markdown and rich text. Pure functions, no I/O.

The HTML page lives in `verifier.report.html`, ClaimReview JSON-LD in `verifier.report.claimreview`. Time and
version stamps come in from the edge (`Stamp`), never from the models, so rendered output is repeatable.
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from verifier.models import Citation, Label, Report, Verdict

_STYLE = {Label.SUPPORTED: "green", Label.CONTRADICTED: "red", Label.UNVERIFIED: "yellow"}


def citation_dict(c: Citation) -> dict[str, Any]:
    return {
        "source_id": c.source_id,
        "passage_id": c.passage_id,
        "title": c.title,
        "url": c.url,
        "quote": c.quote,
        "start": c.start,
        "end": c.end,
        "score": c.score,
    }


def verdict_dict(v: Verdict, judge: str) -> dict[str, Any]:
    """The `check` JSON object."""
    return {
        "claim": v.claim.text,
        "label": v.label.value,
        "confidence": round(v.confidence, 4),
        "conflicting": v.conflicting,
        "judge": judge,
        "citations": [citation_dict(c) for c in v.citations],
        "reasons": list(v.reasons),
    }


def audit_claim_dict(v: Verdict, judge: str) -> dict[str, Any]:
    """One claim of the `audit` JSON: the check object plus the claim's `span` in the article."""
    obj = verdict_dict(v, judge)
    obj["span"] = list(v.claim.span) if v.claim.span is not None else None
    return obj


def audit_dict(report: Report) -> dict[str, Any]:
    """The `audit` JSON object: every check object plus the claim's `span` in the article."""
    claims = [audit_claim_dict(v, report.judge) for v in report.verdicts]
    return {"source": report.input, "judge": report.judge, "claims": claims}


def jsonl_line(obj: dict[str, Any]) -> str:
    """One JSON object on one line (`--format jsonl`), no trailing newline."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def to_json(obj: dict[str, Any] | list[Any]) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=2)


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
    head.append(v.claim.text)
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
        table.add_row(str(i), v.claim.text, _label(v), f"{v.confidence:.2f}", ev)
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


# --------------------------------------------------------------------------- stamps, article, links

LABEL_NAMES = {
    Label.SUPPORTED: "Supported",
    Label.CONTRADICTED: "Contradicted",
    Label.UNVERIFIED: "Unverified",
}


@dataclass(frozen=True, slots=True)
class Stamp:
    """When and by which version a report was rendered; made at the edge (`Stamp.now()` in the CLI)."""

    date: str  # ISO date, e.g. "2026-03-14"
    version: str

    @classmethod
    def now(cls) -> Stamp:
        from importlib.metadata import PackageNotFoundError, version

        try:
            ver = version("verifier")
        except PackageNotFoundError:
            ver = "unknown"
        return cls(date=datetime.now(UTC).date().isoformat(), version=ver)

    def line(self) -> str:
        return f"Generated by verifier {self.version} on {self.date}."


@dataclass(frozen=True, slots=True)
class Article:
    """The audited text with what its front matter (or `--url`) says; claim spans index into `text`."""

    text: str
    url: str | None = None
    title: str | None = None
    published: str | None = None
    body_start: int = 0  # where the body begins, after a front-matter block

    @classmethod
    def parse(cls, text: str, url: str | None = None) -> Article:
        from verifier.store.sources import parse_markdown

        body, meta = parse_markdown(text)
        return cls(
            text=text,
            url=url or meta.get("url") or None,
            title=meta.get("title") or None,
            published=meta.get("date") or meta.get("published") or None,
            body_start=len(text) - len(body),
        )


_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")


def safe_url(url: str | None, *, relative: bool = True) -> str | None:
    """`url` when it may be linked: http(s), or (with `relative`) a relative reference; else None.

    Anything with white space, control characters or backslashes is refused: browsers strip or
    rewrite those, which is how `java\\tscript:` tricks get through naive scheme checks.
    """
    if not url or any(ch.isspace() or ord(ch) < 0x20 or ch in "\\\x7f" for ch in url):
        return None
    m = _SCHEME.match(url)
    if m:
        return url if m.group(1).lower() in ("http", "https") and urlsplit(url).netloc else None
    if url.startswith("//"):
        return None  # protocol-relative: another host, whatever the page was loaded from
    return url if relative else None


# --------------------------------------------------------------------------- markdown

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~])")
_MD_ICON = {Label.SUPPORTED: "✅", Label.CONTRADICTED: "❌", Label.UNVERIFIED: "❔"}
_STANCE_WORD = {Label.SUPPORTED: "supports", Label.CONTRADICTED: "contradicts", Label.UNVERIFIED: "neutral"}


def _md(text: str) -> str:
    """Inline Markdown text: one line, markup characters escaped (safe in a table cell)."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def summary_line(report: Report) -> str:
    counts = report.counts
    n = len(report.verdicts)
    parts = ", ".join(f"{counts.get(label, 0)} {label.value}" for label in Label)
    conflicting = sum(v.conflicting for v in report.verdicts)
    extra = f" ({conflicting} with conflicting evidence)" if conflicting else ""
    return f"{n} claim{'' if n == 1 else 's'}: {parts}{extra}"


def _md_footnote(c: Citation) -> str:
    head = f"**{_md(c.title)}**, " if c.title else ""
    where = f"{_md(c.source_id)} (chars {c.start}–{c.end})"
    link = safe_url(c.url, relative=False)
    url = f" <{link}>" if link else ""
    return f"{head}{where}, {_STANCE_WORD[c.stance]} (score {c.score:.2f}){url}: “{_md(c.quote)}”"


def render_markdown(report: Report, *, article: Article | None = None, stamp: Stamp | None = None) -> str:
    """A report to paste into an issue or a doc: summary, a table of claims, footnoted citations."""
    title = article.title if article and article.title else report.input
    lines = [f"# Fact-check: {_md(title)}", ""]
    meta = [f"**Input:** {_md(report.input)}"] if title != report.input else []
    link = safe_url(article.url, relative=False) if article else None
    if link:
        meta.append(f"**URL:** <{link}>")
    meta.append(f"**Judge:** {_md(report.judge)}")
    if report.usage is not None:  # only when a language model ran (`--llm`)
        from verifier.report.usage import usage_line

        meta.append(f"**Language model:** {_md(usage_line(report.usage))}")
    lines += ["  \n".join(meta), "", f"**Summary:** {summary_line(report)}.", ""]
    lines += ["| # | Claim | Verdict | Confidence | Evidence |", "|---:|---|---|---:|---|"]
    notes: dict[tuple[str, int, int, Label], int] = {}  # one footnote per cited window and stance
    footnotes: list[str] = []
    for i, v in enumerate(report.verdicts, 1):
        refs: list[str] = []
        for c in v.citations:
            key = (c.source_id, c.start, c.end, c.stance)
            if key not in notes:
                notes[key] = len(notes) + 1
                footnotes.append(f"[^{notes[key]}]: {_md_footnote(c)}")
            if f"[^{notes[key]}]" not in refs:
                refs.append(f"[^{notes[key]}]")
        verdict = f"{_MD_ICON[v.label]} {LABEL_NAMES[v.label]}" + (" (conflicting)" if v.conflicting else "")
        evidence = " ".join(refs) if refs else "none found"
        lines.append(f"| {i} | {_md(v.claim.text)} | {verdict} | {v.confidence:.2f} | {evidence} |")
    if footnotes:
        lines += ["", *footnotes]
    if stamp:
        lines += ["", f"_{stamp.line()}_"]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- every file format

FILE_FORMATS = ("json", "jsonl", "markdown", "html", "claimreview")


def render(
    report: Report,
    fmt: str,
    *,
    audit: bool,
    stamp: Stamp,
    article: Article | None = None,
    org: str = "verifier",
) -> str:
    """`report` as one of `FILE_FORMATS`, ending in a newline. `audit` picks the audit shapes (claims
    with spans, a ClaimReview array); otherwise the report holds the one verdict of `check`."""
    one = audit_claim_dict if audit else verdict_dict
    if fmt == "json":
        obj = audit_dict(report) if audit else one(report.verdicts[0], report.judge)
        if report.usage is not None:  # only when a language model ran (`--llm`)
            from verifier.report.usage import usage_dict

            obj["llm"] = usage_dict(report.usage)
        return to_json(obj) + "\n"
    if fmt == "jsonl":
        return "".join(jsonl_line(one(v, report.judge)) + "\n" for v in report.verdicts)
    if fmt == "markdown":
        return render_markdown(report, article=article, stamp=stamp)
    if fmt == "html":
        from verifier.report.html import render_html

        return render_html(report, article=article, stamp=stamp)
    if fmt == "claimreview":
        from verifier.report.claimreview import claim_reviews

        reviews = claim_reviews(report, stamp=stamp, org=org, article=article)
        return to_json(reviews if audit else reviews[0]) + "\n"
    raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FILE_FORMATS)}")
