"""Parser speed: sentences per second over the evidence and claim sentences of pairs.jsonl.

python eval/numeric/bench.py
"""

from __future__ import annotations

import json
import sys
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from verifier.review.quantities import parse  # noqa: E402


def main(rounds: int = 20) -> None:
    rows = [json.loads(line) for line in (HERE / "pairs.jsonl").read_text().splitlines() if line.strip()]
    sentences = [r["evidence"] for r in rows] + [r["claim"] for r in rows]
    ref = date(2026, 3, 13)
    start = time.perf_counter()
    for _ in range(rounds):
        for s in sentences:
            parse(s, ref)
    elapsed = time.perf_counter() - start
    n = rounds * len(sentences)
    print(f"{n} sentences in {elapsed:.2f}s: {n / elapsed:,.0f} sentences/s (one core, ref date given)")


if __name__ == "__main__":
    main()
