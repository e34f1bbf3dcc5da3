"""Reports: a `Report` rendered for people and programs. Pure functions, no I/O: the terminal table
(`text`), JSON and JSON lines (`json`), Markdown, the HTML page (`html`), ClaimReview JSON-LD
(`claimreview`), and `render`, which picks one of `FILE_FORMATS` by name."""

from __future__ import annotations

from verifier.report.common import LABEL_NAMES, STANCE_WORDS, Article, Stamp, safe_url, summary_line
from verifier.report.formats import FILE_FORMATS, render
from verifier.report.json import (
    audit_claim_dict,
    audit_dict,
    citation_dict,
    jsonl_line,
    to_json,
    verdict_dict,
)
from verifier.report.markdown import render_markdown
from verifier.report.text import audit_renderable, check_renderable, metrics_renderable, render_text

__all__ = [
    "FILE_FORMATS",
    "LABEL_NAMES",
    "STANCE_WORDS",
    "Article",
    "Stamp",
    "audit_claim_dict",
    "audit_dict",
    "audit_renderable",
    "check_renderable",
    "citation_dict",
    "jsonl_line",
    "metrics_renderable",
    "render",
    "render_markdown",
    "render_text",
    "safe_url",
    "summary_line",
    "to_json",
    "verdict_dict",
]
