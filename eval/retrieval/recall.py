"""Retrieval-only evidence recall@k on gold claims (no judge): fast enough to compare retrieval changes.

    python eval/retrieval/recall.py scifact climate_fever averitec [--limit N] [--out recall.json]

Uses the eval-cache stores of VERIFIER_HOME (built on first use). recall@k: share of decided claims
(with gold evidence) that have a gold source among the sources of the first k retrieved passages.
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from pathlib import Path

from verifier.config import Settings
from verifier.evaluation import load_claims
from verifier.pipeline import open_eval_store

DATA = Path("/work/shared/eval-data")
KS = (1, 5, 8, 20)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("datasets", nargs="+")
    parser.add_argument("--limit", type=int)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    settings = Settings.resolve(progress="never")
    results: dict[str, dict[str, float]] = {}
    for name in args.datasets:
        store, stats = open_eval_store(settings, DATA / name / "corpus.jsonl")
        claims = [c for c in load_claims(DATA / name / "claims.dev.jsonl") if c.evidence][: args.limit]
        store.search("warm up", max(KS))
        found = dict.fromkeys(KS, 0)
        found8 = 0
        t0 = time.perf_counter()
        for c in claims:
            hits = store.search(c.claim, max(KS))
            gold = set(c.evidence)
            for k in KS:
                found[k] += bool(gold & {h.passage.source_id for h in hits[:k]})
        ms = (time.perf_counter() - t0) / len(claims) * 1000
        for c in claims:  # the harness asks for exactly top_k = 8
            found8 += bool(set(c.evidence) & {h.passage.source_id for h in store.search(c.claim, 8)})
        row = {f"r@{k}": round(found[k] / len(claims), 4) for k in KS}
        row |= {"r@8(k=8)": round(found8 / len(claims), 4), "n": len(claims), "ms_per_query": round(ms, 1)}
        row["ingest_s"] = round(stats.seconds, 1)
        results[name] = row
        print(name, json.dumps(row), flush=True)
    print("max RSS MB", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
    if args.out:
        args.out.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
