"""Every file format of a report, by name (`FILE_FORMATS`): JSON, JSON lines, Markdown, HTML, ClaimReview."""

from __future__ import annotations

from verifier.models import Report
from verifier.report.common import Article, Stamp
from verifier.report.json import audit_claim_dict, audit_dict, jsonl_line, to_json, verdict_dict
from verifier.report.markdown import render_markdown

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
