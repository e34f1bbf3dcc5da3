"""Reports as Markdown, with footnoted citations."""

from __future__ import annotations

import re

from verifier.models import Citation, Label, Report
from verifier.report.common import LABEL_NAMES, STANCE_WORDS, Article, Stamp, safe_url, summary_line

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~])")


_MD_ICON = {Label.SUPPORTED: "✅", Label.CONTRADICTED: "❌", Label.UNVERIFIED: "❔"}


def _md(text: str) -> str:
    """Inline Markdown text: one line, markup characters escaped (safe in a table cell)."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _md_footnote(c: Citation) -> str:
    head = f"**{_md(c.title)}**, " if c.title else ""
    where = f"{_md(c.source_id)} (chars {c.start}–{c.end})"
    link = safe_url(c.url, relative=False)
    url = f" <{link}>" if link else ""
    return f"{head}{where}, {STANCE_WORDS[c.stance]} (score {c.score:.2f}){url}: “{_md(c.quote)}”"


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
        lines.append(f"| {i} | {_md(v.claim.shown)} | {verdict} | {v.confidence:.2f} | {evidence} |")
    if footnotes:
        lines += ["", *footnotes]
    if stamp:
        lines += ["", f"_{stamp.line()}_"]
    return "\n".join(lines) + "\n"
