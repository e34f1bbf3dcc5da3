"""Table of grounded runs: `python eval/grounded/summarise.py runs/g-*/metrics.json` (RESULTS.md)."""

from __future__ import annotations

import json
import sys
from pathlib import Path


def main(paths: list[str]) -> None:
    print("| run | judge | n | balanced acc. | supported P / R | not-supported called supported | s/claim |")
    print("|---|---|---|---|---|---|---|")
    for path in paths:
        m = json.loads(Path(path).read_text(encoding="utf-8"))
        conf = m["confusion"]
        neg = sum(sum(row.values()) for g, row in conf.items() if g != "supported")
        fp = sum(row.get("supported", 0) for g, row in conf.items() if g != "supported")
        sup = m["per_class"]["supported"]
        print(
            f"| {Path(path).parent.name} | `{m['judge']}` | {m['n']} | {m['grounded']['balanced_accuracy']} "
            f"| {sup['precision']:.3f} / {sup['recall']:.3f} | {fp} of {neg} | {m['seconds_per_claim']} |"
        )
        for name, g in m["grounded"].get("by_summarization_dataset", {}).items():
            print(f"|  {name} | | {g['n']} | {g['balanced_accuracy']} | | | |")


if __name__ == "__main__":
    main(sys.argv[1:])
