"""Print a markdown table of eval runs: python bench/eval_table.py RUN_DIR [RUN_DIR ...]."""

from __future__ import annotations

import json
import sys
from pathlib import Path


def row(run: Path) -> str:
    m = json.loads((run / "metrics.json").read_text(encoding="utf-8"))
    cells = [
        str(m.get("dataset") or run.name),
        str(m.get("split", "all")),
        f"`{m['judge']}`",
        str(m["top_k"]),
        str(m["n"]),
        f"{m['macro_f1']:.3f}",
        f"{m['accuracy']:.3f}",
        "n/a" if m.get("evidence_recall_at_k") is None else f"{m['evidence_recall_at_k']:.3f}",
        f"{m['strict']:.3f}",
        "n/a" if m.get("ece") is None else f"{m['ece']:.3f}",
        f"{m['seconds_per_claim']:.3f}",
    ]
    return "| " + " | ".join(cells) + " |"


def main(argv: list[str]) -> None:
    print("| dataset | split | judge | k | n | macro-F1 | accuracy | recall@k | strict | ECE | s/claim |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for arg in argv:
        print(row(Path(arg)))


if __name__ == "__main__":
    main(sys.argv[1:])
