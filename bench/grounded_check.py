"""Grounded-check speed (not a test): one claim against a ~1,000-word document, models warm.

    python bench/grounded_check.py [--repeats 10] [--chunks 3,5] [--tokens 0]

The document: the FRANK dev article (../shared/eval-data/frank) nearest 1,000 words, else the shipped
examples joined. Each timed check reads and chunks the file (`GroundedRetriever.from_paths`) and judges
every passage, as `verifier check CLAIM --against FILE` does after its models have loaded.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

CLAIM = "The company said the results were better than expected."


def cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def document() -> tuple[str, str]:
    frank = REPO.parent / "shared" / "eval-data" / "frank" / "corpus.jsonl"
    if frank.is_file():
        rows = [json.loads(line) for line in frank.read_text(encoding="utf-8").splitlines() if line.strip()]
        row = min(rows, key=lambda r: abs(len(r["text"].split()) - 1000))
        return row["text"], row["id"]
    texts = [p.read_text(encoding="utf-8") for p in sorted((REPO / "evidence" / "examples").glob("*.txt"))]
    return "\n\n".join(texts), "examples"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=10)
    parser.add_argument("--chunks", default="")
    parser.add_argument("--tokens", type=int, default=0)
    args = parser.parse_args()
    from verifier.config import Settings
    from verifier.pipeline import build_checker
    from verifier.store.grounded import GroundedRetriever

    text, name = document()
    settings = Settings.resolve(
        judge_chunk_sentences=args.chunks or None, judge_chunk_tokens=args.tokens or None
    )
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "document.txt"
        path.write_text(text, encoding="utf-8")
        checker = build_checker(settings, store=GroundedRetriever.from_paths([path]))
        checker.check_claim(CLAIM)  # warm: the models load
        seconds = []
        for _ in range(args.repeats):
            t0 = time.perf_counter()
            grounded = replace(checker, store=GroundedRetriever.from_paths([path]))
            grounded.check_claim(CLAIM)
            seconds.append(time.perf_counter() - t0)
        passages = GroundedRetriever.from_paths([path]).size
    result = {
        "document": name,
        "words": len(text.split()),
        "passages": passages,
        "judge": checker.judge.name,
        "seconds_mean": round(statistics.fmean(seconds), 3),
        "seconds_median": round(statistics.median(seconds), 3),
        "cpu": cpu_name(),
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
