"""What the evidence reranker does for verdicts: judge every candidate once, then compare selections.

    python eval/retrieval/rerank_study.py collect --out DIR [--depth 24] [--limit N]
    python eval/retrieval/rerank_study.py analyse --out DIR

`collect` runs, for each dev claim the weights never trained on (roles tune and val of eval/splits),
the fused hybrid retrieval to `depth` candidates, the reranker over them, and the judge (with the
evidence reviewers, as the pipeline runs them) over every candidate; one JSON line per claim in
DIR/records.jsonl. `analyse` then builds each claim's strongest entailment / contradiction from a
selection of those candidates (fused top 8 as shipped before the reranker; reranked top k; relevance-
gated), fits thresholds on tune claims and scores val, and cross-fits (tune<->val) exactly as
`python -m verifier.training tune` does, so the rows compare like for like.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from verifier.config import Settings
from verifier.evaluation.runs import open_eval_store
from verifier.models import Claim, Evidence, Hit, Label, Passage, StanceProbs, indexed_text
from verifier.pipeline import build_checker
from verifier.review.chain import review_all
from verifier.store.evidence import EvidenceStore
from verifier.store.rerank import CrossEncoderRelevance, RerankConfig, rerank
from verifier.training.data import claim_roles
from verifier.training.tune import DATASETS, claim_summary, crossfit, tune

DATA = Path("/work/shared/eval-data")


def collect(out: Path, depth: int, limit: int) -> None:
    settings = Settings.resolve(judge="nli", progress="never", rerank_depth=0)
    relevance = CrossEncoderRelevance()
    out.mkdir(parents=True, exist_ok=True)
    path = out / "records.jsonl"
    done = {json.loads(line)["id"] for line in path.open()} if path.exists() else set()
    with path.open("a", encoding="utf-8") as fh:
        for dataset in DATASETS:
            claims = [json.loads(line) for line in (DATA / dataset / "claims.dev.jsonl").open()]
            roles = claim_roles(claims, dataset)
            claims = [c for c in claims if roles[c["id"]] in ("tune", "val")][: limit or None]
            store, _ = open_eval_store(settings, DATA / dataset / "corpus.jsonl")
            checker = build_checker(settings, store=store)
            assert isinstance(checker.store, EvidenceStore)
            t0 = time.perf_counter()
            for c in claims:
                if c["id"] in done:
                    continue
                claim = Claim.from_text(c["claim"])
                pool = checker.store.search(claim.shown, depth)
                rel = relevance.relevance(claim.text, [indexed_text(h.passage) for h in pool])
                judged = checker.judge.judge(claim, pool)
                reviewed = review_all(checker.reviewers, claim, judged)
                by_id = {e.passage.id: e for e in reviewed}
                raw = {e.passage.id: e for e in judged}
                cands = []
                for rank, (h, r) in enumerate(zip(pool, rel, strict=True)):
                    e = by_id.get(h.passage.id)
                    if e is None:
                        continue
                    p, q = e.probs, raw[h.passage.id].probs
                    cands.append(
                        {
                            "pid": h.passage.id,
                            "source": h.passage.source_id,
                            "rank": rank,
                            "relevance": round(r, 4),
                            "probs": [p.entailment, p.neutral, p.contradiction],
                            "raw": [q.entailment, q.neutral, q.contradiction],
                        }
                    )
                rec = {"dataset": dataset, "id": c["id"], "split": roles[c["id"]], "gold": c["label"],
                       "evidence": c["evidence"], "candidates": cands}  # fmt: skip
                fh.write(json.dumps(rec) + "\n")
                fh.flush()
            print(dataset, len(claims), "claims", round(time.perf_counter() - t0, 1), "s", flush=True)
            store.close()


Selector = Callable[[dict[str, Any]], list[dict[str, Any]]]


def fused(k: int) -> Selector:
    return lambda rec: sorted(rec["candidates"], key=lambda c: c["rank"])[:k]


def reranked(k: int, weight: float = 0.0) -> Selector:
    def select(rec: dict[str, Any]) -> list[dict[str, Any]]:
        cands = sorted(rec["candidates"], key=lambda c: c["rank"])
        hits = [Hit(Passage(c["pid"], c["source"], "", 0, 0), 0.0) for c in cands]
        top = rerank(hits, [c["relevance"] for c in cands], k, RerankConfig(rank_weight=weight))
        by_id = {c["pid"]: c for c in cands}
        return [by_id[h.passage.id] for h in top]

    return select


def _evidence(c: dict[str, Any], gate: float, key: str = "probs") -> Evidence:
    """gate > 0: a candidate below that relevance is not evidence; gate < 0: both stances scaled by
    relevance ** -gate (soft)."""
    e, n, x = c[key]
    if 0 < gate and c["relevance"] < gate:  # not evidence: neither side can use it
        e, n, x = 0.0, 1.0, 0.0
    elif gate < 0:
        scale = c["relevance"] ** -gate
        e, x = e * scale, x * scale
        n = 1.0 - e - x
    return Evidence(
        Passage(c["pid"], c["source"], "", 0, 0), 0.0, Label.UNVERIFIED, StanceProbs(e, n, x), (0, 0)
    )


def rows_for(records: Sequence[dict[str, Any]], select: Selector, gate: float = 0.0) -> list[dict[str, Any]]:
    rows = []
    for rec in records:
        ev = [_evidence(c, gate) for c in select(rec)]
        hits = [Hit(e.passage, 0.0) for e in ev]
        rows.append(
            {
                "dataset": rec["dataset"],
                "id": rec["id"],
                "split": rec["split"],
                "gold": rec["gold"],
                **claim_summary(hits, {e.passage.id: e for e in ev}, set(rec["evidence"])),
            }
        )
    return rows


def analyse(out: Path) -> None:
    records = [json.loads(line) for line in (out / "records.jsonl").open()]
    variants: dict[str, list[dict[str, Any]]] = {
        "fused top 8 (before)": rows_for(records, fused(8)),
        "fused top 24": rows_for(records, fused(24)),
    }
    for k in (3, 5, 8, 12):
        for w in (0.0, 0.5):
            variants[f"reranked top {k}, w={w}"] = rows_for(records, reranked(k, w))
    for gate in (0.1, 0.2, 0.3, 0.5, -0.5, -1.0):
        variants[f"reranked top 8, gate {gate}"] = rows_for(records, reranked(8), gate)
        variants[f"fused top 8, gate {gate}"] = rows_for(records, fused(8), gate)
    results = {}
    for name, rows in variants.items():
        _, report = tune(rows)
        cf = crossfit(rows)
        decided = [r for r in rows if r["gold"] != "unverified"]
        recall = {
            d: round(sum(r["retrieved_gold"] for r in decided if r["dataset"] == d)
                     / max(1, sum(r["dataset"] == d for r in decided)), 3)
            for d in DATASETS
        }  # fmt: skip
        results[name] = {"val": report["val"]["macro_f1"], "crossfit": cf["macro_f1"], "ece": cf["ece"],
                         "gold_in_selection": recall}  # fmt: skip
        mean = sum(cf["macro_f1"].values()) / len(cf["macro_f1"])
        print(f"{name:32s} crossfit {cf['macro_f1']} mean {mean:.3f} ece {cf['ece']} gold {recall}")
    (out / "analysis.json").write_text(json.dumps(results, indent=2) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("cmd", choices=("collect", "analyse"))
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--depth", type=int, default=24)
    parser.add_argument("--limit", type=int, default=0)
    args = parser.parse_args()
    if args.cmd == "collect":
        collect(args.out, args.depth, args.limit)
    else:
        analyse(args.out)


if __name__ == "__main__":
    main()
