"""The three shipped articles against evidence/articles/expected.jsonl, at each operating point.

    python eval/trust/articles.py collect OUT.jsonl     # audit each article once (shipped examples)
    python eval/trust/articles.py compare OUT.jsonl     # every stored point re-decides that evidence

`collect` keeps each verdict's judged (reviewed) evidence; `compare` rebuilds it and lets the judge's
`decide` of each operating point (thresholds.json) label it, exactly as an audit at that point would
(deciding is the last step and reads only that evidence). A gold sentence is matched to the claims
whose span (or original sentence's span) overlaps it; it counts as "wrongly contradicted" when any of
its claims is contradicted and its gold label is not.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from verifier.models import Claim, Evidence, Label, Passage, StanceProbs
from verifier.store.sources import read_text

ARTICLES = Path("evidence/articles")
NAMES = ("news-digest-2026-03-14", "business-week-2026-03-06", "weekend-roundup-2026-03-09")


def collect(out: Path) -> None:
    from verifier.claims.extract import extractor_for_audit
    from verifier.config import Settings
    from verifier.pipeline import build_checker

    checker = build_checker(Settings.resolve(progress="never"), extractor=extractor_for_audit(None))
    rows = []
    for name in NAMES:
        path = ARTICLES / f"{name}.txt"
        for v in checker.audit(read_text(path), source=str(path)).verdicts:
            c = v.claim
            rows.append(
                {
                    "article": path.name, "claim": c.text, "context": c.context,
                    "span": list(c.span) if c.span else None,
                    "context_span": list(c.context_span) if c.context_span else None,
                    "label": v.label.value, "confidence": v.confidence,
                    "evidence": [
                        {"entail": e.probs.entailment, "neutral": e.probs.neutral,
                         "contra": e.probs.contradiction, "source": e.passage.source_id,
                         "passage_id": e.passage.id, "quote": e.quote,
                         "reasons": list(e.reasons)}
                        for e in v.evidence
                    ],
                }
            )  # fmt: skip
    out.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


def _evidence(e: dict[str, Any]) -> Evidence:
    passage = Passage(
        id=e["passage_id"], source_id=e["source"], text=e["quote"], start=0, end=len(e["quote"])
    )
    probs = StanceProbs(e["entail"], e["neutral"], e["contra"])
    stance = max(
        (probs.entailment, Label.SUPPORTED),
        (probs.neutral, Label.UNVERIFIED),
        (probs.contradiction, Label.CONTRADICTED),
    )[1]
    return Evidence(passage, 0.0, stance, probs, span=(0, len(e["quote"])), reasons=tuple(e["reasons"]))


def compare(rows: list[dict[str, Any]], strictness: str) -> tuple[Counter[str], list[str]]:
    from verifier.judges.nli import NLIJudge

    judge = NLIJudge(strictness=strictness)
    labels = [judge.decide(Claim.from_text(r["claim"]), [_evidence(e) for e in r["evidence"]]) for r in rows]
    expected = [json.loads(line) for line in (ARTICLES / "expected.jsonl").open(encoding="utf-8")]
    texts = {e["article"]: read_text(ARTICLES / e["article"]) for e in expected}
    tally: Counter[str] = Counter()
    lines = []
    for ex in expected:
        start = texts[ex["article"]].find(ex["sentence"])
        end = start + len(ex["sentence"])
        mine = [
            v.label.value
            for r, v in zip(rows, labels, strict=True)
            if r["article"] == ex["article"]
            and (span := r["context_span"] or r["span"])
            and start >= 0 and span[0] < end and span[1] > start
        ]  # fmt: skip
        gold = ex["label"]
        if not mine:
            kind = "no claim"
        elif "contradicted" in mine and gold != "contradicted":
            kind = "wrongly contradicted"
        elif "supported" in mine and gold != "supported":
            kind = "wrongly supported"
        elif gold in mine:
            kind = "right"
        else:
            kind = "unverified"
        tally[f"{gold}: {kind}"] += 1
        lines.append(f"{strictness:9} {gold:12} {kind:21} {mine} {ex['sentence'][:80]}")
    return tally, lines


def main() -> None:
    mode, path = sys.argv[1], Path(sys.argv[2])
    if mode == "collect":
        collect(path)
        return
    from verifier.judges.pairs import MODEL_DIR

    rows = [json.loads(line) for line in path.open(encoding="utf-8")]
    points = [
        "balanced",
        *json.loads((MODEL_DIR / "thresholds.json").read_text()).get("operating_points", {}),
    ]
    for strictness in points:
        tally, lines = compare(rows, strictness)
        print("\n".join(lines))
        print(strictness, json.dumps(dict(sorted(tally.items()))))


if __name__ == "__main__":
    main()
