"""Retrieval-only evidence recall@k on gold claims (no judge): fast enough to compare retrieval changes.

    python eval/retrieval/recall.py scifact climate_fever averitec [--split tune] [--rerank] [--out F]

Uses the eval-cache stores of VERIFIER_HOME (built on first use). recall@k: share of decided claims
(with gold evidence) that have a gold source among the sources of the first k retrieved passages.
`--split` keeps one claim role of eval/splits (the reranker trained on the "train" claims: report it
on "tune" and "val"); "novel" columns count only claims none of whose gold sources is gold for a
train-role claim. `--embedder-dir` searches stores built by a fine-tuned embedder (export-embedder).
`--rerank` scores the fused top `--depth` with the trained reranker once per claim
and reports recall for each blend weight of `--weights` (relevance + w / (1 + fused rank)).
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from pathlib import Path

from verifier.config import Settings
from verifier.evaluation.datasets import load_split
from verifier.evaluation.gold import load_claims
from verifier.evaluation.runs import open_eval_store
from verifier.models import indexed_text
from verifier.store.rerank import CrossEncoderRelevance, RerankConfig, rerank

DATA = Path("/work/shared/eval-data")
SPLITS = Path(__file__).resolve().parents[1] / "splits"
KS = (1, 5, 8, 20)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("datasets", nargs="+")
    parser.add_argument("--limit", type=int)
    parser.add_argument("--split", default="all", choices=("all", "train", "tune", "val"))
    parser.add_argument("--rerank", action="store_true")
    parser.add_argument("--depth", type=int, default=24)
    parser.add_argument("--weights", default="0,0.25,0.5,1,2")
    parser.add_argument("--model-dir", type=Path, help="another reranker folder (default: the shipped one)")
    parser.add_argument(
        "--embedder-dir", type=Path, help="a fine-tuned embedder (export-embedder); default the stock model"
    )
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    settings = Settings.resolve(progress="never", embedder_dir=args.embedder_dir)
    relevance = None
    if args.rerank:
        relevance = CrossEncoderRelevance(args.model_dir) if args.model_dir else CrossEncoderRelevance()
    results: dict[str, dict[str, float]] = {}
    for name in args.datasets:
        store, stats = open_eval_store(settings, DATA / name / "corpus.jsonl")
        keep = load_split(SPLITS / f"{name}.json", args.split)  # type: ignore[arg-type]
        claims = [c for c in load_claims(DATA / name / "claims.dev.jsonl") if c.evidence]
        claims = [c for c in claims if keep is None or c.id in keep][: args.limit]
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
        # "novel": claims none of whose gold sources is gold for a train-role claim (what a model trained
        # on the train claims cannot have memorised)
        train_ids = load_split(SPLITS / f"{name}.json", "train") or set()
        seen = {
            e for c in load_claims(DATA / name / "claims.dev.jsonl") if c.id in train_ids for e in c.evidence
        }
        novel = [c for c in claims if c.id not in train_ids and not set(c.evidence) & seen]
        if novel and args.split != "train":
            hit = sum(
                bool(set(c.evidence) & {h.passage.source_id for h in store.search(c.claim, 8)}) for c in novel
            )
            row |= {"r@8(k=8) novel": round(hit / len(novel), 4), "n novel": len(novel)}
        row[f"r@{args.depth}(pool)"] = round(
            sum(
                bool(set(c.evidence) & {h.passage.source_id for h in store.search(c.claim, args.depth)})
                for c in claims
            )
            / len(claims),
            4,
        )
        if relevance is not None:
            weights = [float(w) for w in args.weights.split(",")]
            hit8 = dict.fromkeys(weights, 0)
            hit5 = dict.fromkeys(weights, 0)
            t1 = time.perf_counter()
            for c in claims:
                pool = store.search(c.claim, args.depth)
                scores = relevance.relevance(c.claim, [indexed_text(h.passage) for h in pool])
                for w in weights:
                    top = rerank(pool, scores, 8, RerankConfig(depth=args.depth, rank_weight=w))
                    sources = [h.passage.source_id for h in top]
                    hit8[w] += bool(set(c.evidence) & set(sources))
                    hit5[w] += bool(set(c.evidence) & set(sources[:5]))
            row["rerank_ms_per_query"] = round((time.perf_counter() - t1) / len(claims) * 1000, 1)
            for w in weights:
                row[f"rerank w={w} r@5"] = round(hit5[w] / len(claims), 4)
                row[f"rerank w={w} r@8"] = round(hit8[w] / len(claims), 4)
        row["ingest_s"] = round(stats.seconds, 1)
        results[name] = row
        print(name, json.dumps(row), flush=True)
    print("max RSS MB", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
    if args.out:
        args.out.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
