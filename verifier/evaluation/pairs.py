"""The gold-pair harness: (evidence, claim, label) rows judged as one-passage stores, with and without the
reviewers (eval/numeric)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from verifier.models import Claim, Hit, Passage
from verifier.protocols import EvidenceReviewer, Judge
from verifier.review.chain import review_all
from verifier.review.numeric import NumericReviewer


def load_pairs(path: Path) -> list[dict[str, str]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def evaluate_pairs(
    judge: Judge, rows: Sequence[dict[str, str]], reviewers: Sequence[EvidenceReviewer] = (NumericReviewer(),)
) -> dict[str, Any]:
    """Each (evidence, claim, label) row judged as a one-passage store: the judge alone vs the judge
    with `reviewers` applied before its decision; accuracy overall and per kind."""
    per_kind: dict[str, dict[str, float]] = {}
    errors: list[dict[str, str]] = []
    right_alone = right_reviewed = 0
    for row in rows:
        text = row["evidence"]
        passage = Passage(id=f"{row['id']}#0", source_id=row["id"], text=text, start=0, end=len(text))
        claim = Claim.from_text(row["claim"])
        judged = judge.judge(claim, [Hit(passage, 1.0)])
        alone = judge.decide(claim, judged)
        reviewed = judge.decide(claim, review_all(reviewers, claim, judged))
        k = per_kind.setdefault(row.get("kind", ""), {"n": 0, "alone": 0, "reviewed": 0})
        k["n"] += 1
        ok_alone = alone.label.value == row["label"]
        ok_reviewed = reviewed.label.value == row["label"]
        k["alone"] += ok_alone
        k["reviewed"] += ok_reviewed
        right_alone += ok_alone
        right_reviewed += ok_reviewed
        if not ok_reviewed:
            errors.append({"id": row["id"], "kind": row.get("kind", ""), "gold": row["label"],
                           "alone": alone.label.value, "reviewed": reviewed.label.value,
                           "claim": row["claim"], "reasons": "; ".join(reviewed.reasons)})  # fmt: skip
    n = len(rows)
    return {
        "judge": judge.name,
        "n": n,
        "alone": round(right_alone / n, 4) if n else 0.0,
        "reviewed": round(right_reviewed / n, 4) if n else 0.0,
        "per_kind": {
            kind: {
                "n": int(v["n"]),
                "alone": round(v["alone"] / v["n"], 4),
                "reviewed": round(v["reviewed"] / v["n"], 4),
            }
            for kind, v in per_kind.items()
        },  # fmt: skip
        "errors": errors,
    }
