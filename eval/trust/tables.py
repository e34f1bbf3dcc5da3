"""Markdown tables of eval/trust/RESULTS.md from cached judged scores (rows written by
`verifier.training.tune.collect`, or by eval/trust/collect.py with each claim's evidence).

    python eval/trust/tables.py SCORES.jsonl [SCORES.jsonl ...] [--shared ../shared]

For each operating point stored in the judge's thresholds.json (balanced = top level, then each of
`operating_points`), and for each with the subject rule switched on where the rows carry evidence:
per split (tune, val) and dataset, each label's precision / coverage / verdicts, false "contradicted"
(on gold supported or unverified claims), macro-F1, ECE and the AUROC of confidence for correctness.
"""

from __future__ import annotations

import argparse
import gzip
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

from verifier.judges.nli import Policy
from verifier.judges.pairs import MODEL_DIR
from verifier.training.tune import _with_roles, point_report, subject_rows


def table(report: dict[str, Any]) -> str:
    lines = [
        "| split | dataset | claims | supported P / cov (n) | contradicted P / cov (n) | false contradicted "
        "| macro-F1 | ECE | AUROC |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for split in ("tune", "val"):
        for name, m in report.get(split, {}).items():
            s, c = m["supported"], m["contradicted"]

            def cell(x: dict[str, Any]) -> str:
                p = f"{x['precision']:.3f}" if x["given"] else "-"
                return f"{p} / {x['coverage']:.3f} ({x['given']})"

            auc = "n/a" if m["auroc"] is None else f"{m['auroc']:.3f}"
            lines.append(
                f"| {split} | {name} | {m['claims']} | {cell(s)} | {cell(c)} | {m['false_contradicted']:.3f} "
                f"| {m['macro_f1']:.3f} | {m['ece']:.3f} | {auc} |"
            )
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("scores", type=Path, nargs="+")
    ap.add_argument("--shared", type=Path, default=Path("../shared"))
    args = ap.parse_args()
    rows = [
        json.loads(line)
        for path in args.scores
        for line in (
            gzip.open(path, "rt", encoding="utf-8") if path.suffix == ".gz" else path.open(encoding="utf-8")
        )
    ]
    rows = _with_roles(rows, args.shared)
    stored = json.loads((MODEL_DIR / "thresholds.json").read_text(encoding="utf-8"))
    for name in ["balanced", *stored.get("operating_points", {})]:
        policy = Policy.load(MODEL_DIR / "thresholds.json", name)
        d = policy.decision
        print(
            f"\n### {name}: support >= {d.support_threshold}, contradict >= {d.contradict_threshold}, "
            f"subject rule {'on' if policy.require_subject else 'off'}\n"
        )
        use = subject_rows(rows) if policy.require_subject else rows
        print(table(point_report(use, policy)))
        if all("evidence" in r for r in rows):
            flipped = replace(policy, require_subject=not policy.require_subject)
            other = rows if policy.require_subject else subject_rows(rows)
            print(f"\n{name} with the subject rule {'off' if policy.require_subject else 'on'}:\n")
            print(table(point_report(other, flipped)))


if __name__ == "__main__":
    main()
