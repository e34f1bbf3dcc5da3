"""Reports as JSON-ready dicts and JSON lines (the shape of `--format json`)."""

from __future__ import annotations

import json
from typing import Any

from verifier.models import Citation, Report, Verdict


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
        "claim": v.claim.shown,
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
