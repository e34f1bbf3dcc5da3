"""The embedder's arithmetic paths side by side in ONE process, and cold `verifier check` before/after.

    python bench/embedder.py [--passages 128] [--threads 1 2] [--cold-runs 5]

Prints JSON: for each thread count, passages/s of the shipped ONNX fp32 model, the sentence-transformers
reference in fp32 and bf16 autocast, and a dynamic int8 ONNX copy (`verifier.evaluation.bench.
embedder_alternatives`); then the wall time of `python -m verifier check` in fresh processes against
the shipped examples (warm disk cache; the examples index built once first), alternating
VERIFIER_EMBEDDER_BACKEND=torch (before) and onnx (after) so both see the same machine load.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from verifier.config import Settings
from verifier.evaluation.bench import default_inputs, embedder_alternatives, embedding_passages
from verifier.evaluation.machine import machine

CLAIM = "The Eiffel Tower is in Paris."


def cold_checks(runs: int, home: Path) -> dict[str, dict[str, float]]:
    env = {**os.environ, "VERIFIER_HOME": str(home)}
    cmd = [sys.executable, "-m", "verifier", "check", CLAIM, "-f", "json"]
    subprocess.run(cmd, check=True, capture_output=True, env=env)  # index the shipped examples once
    times: dict[str, list[float]] = {"torch": [], "onnx": []}
    for _ in range(runs):
        for backend in times:
            t0 = time.perf_counter()
            subprocess.run(
                cmd, check=True, capture_output=True, env={**env, "VERIFIER_EMBEDDER_BACKEND": backend}
            )
            times[backend].append(time.perf_counter() - t0)
    return {
        b: {"median_s": round(statistics.median(t), 2), "min_s": round(min(t), 2), "runs": runs}
        for b, t in times.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--passages", type=int, default=128)
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--cold-runs", type=int, default=5)
    args = parser.parse_args()
    corpus, _ = default_inputs()
    texts = embedding_passages(corpus, args.passages)
    result: dict[str, object] = {
        "machine": machine(),
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "corpus": str(corpus),
    }
    with tempfile.TemporaryDirectory(prefix="verifier-bench-embedder-") as tmp:
        for threads in args.threads:
            settings = Settings.resolve(threads=threads)
            result[f"threads_{threads}"] = embedder_alternatives(
                settings, texts, rounds=args.rounds, int8_dir=Path(tmp) / "int8"
            )
            print(json.dumps(result[f"threads_{threads}"]), file=sys.stderr, flush=True)
        if args.cold_runs:
            result["check_cold"] = cold_checks(args.cold_runs, Path(tmp) / "home")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
