"""Dev before/after of each evidence reviewer, on the same judged passages (issue 6: "no loss of
macro-F1 on the SciFact and Climate-FEVER dev splits").

    python eval/numeric/dev_ablation.py --out ablation.json [--limit N]

For every dev claim the weights never trained on (roles tune and val), the shipped pipeline retrieves
the top 8 and the judge scores them once; then each subset of the reviewers (numeric, off-topic,
relevance weighting) is applied to those same judged passages, and each subset's thresholds are
fitted and scored exactly as `python -m verifier.training tune` does (cross-fitted tune <-> val), so
the rows differ only by the reviewers.
"""

from __future__ import annotations

import argparse
import json
from itertools import combinations
from pathlib import Path
from typing import Any

from verifier.config import Settings
from verifier.evaluation.runs import open_eval_store
from verifier.models import Claim
from verifier.pipeline import build_checker, relevance_reviewers
from verifier.review.chain import review_all
from verifier.review.numeric import NumericReviewer
from verifier.review.relevance import OffTopicReviewer, RelevanceWeighting
from verifier.training.data import claim_roles
from verifier.training.tune import DATASETS, claim_summary, crossfit

DATA = Path("/work/shared/eval-data")
NAMES = {NumericReviewer: "numeric", OffTopicReviewer: "off-topic", RelevanceWeighting: "relevance"}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--limit", type=int, default=0)
    args = parser.parse_args()
    settings = Settings.resolve(judge="nli", progress="never")
    rows: dict[str, list[dict[str, Any]]] = {}
    for dataset in DATASETS:
        claims = [json.loads(line) for line in (DATA / dataset / "claims.dev.jsonl").open()]
        roles = claim_roles(claims, dataset)
        claims = [c for c in claims if roles[c["id"]] != "train"][: args.limit or None]
        store, _ = open_eval_store(settings, DATA / dataset / "corpus.jsonl")
        checker = build_checker(settings, store=store)
        numeric = NumericReviewer(rescorer=checker.judge)  # type: ignore[arg-type]
        reviewers = (numeric, OffTopicReviewer(), *relevance_reviewers(settings, checker.judge))
        subsets = [s for n in range(len(reviewers) + 1) for s in combinations(reviewers, n)]
        for c in claims:
            claim = Claim.from_text(c["claim"])
            hits = checker.store.search(claim.shown, k=checker.top_k)
            judged = checker.judge.judge(claim, hits)
            for subset in subsets:
                name = " + ".join(NAMES[type(r)] for r in subset) or "none"
                table = {e.passage.id: e for e in review_all(subset, claim, judged)}
                rows.setdefault(name, []).append(
                    {
                        "dataset": dataset,
                        "id": c["id"],
                        "split": roles[c["id"]],
                        "gold": c["label"],
                        **claim_summary(hits, table, set(c["evidence"])),
                    }
                )
        store.close()
        print(dataset, len(claims), "claims", flush=True)
    results = {}
    for name, part in rows.items():
        cf = crossfit(part)
        results[name] = cf
        print(f"{name:36s} {cf['macro_f1']} ece {cf['ece']}", flush=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
