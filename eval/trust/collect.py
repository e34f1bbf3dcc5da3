"""Judged scores of the never-trained (tune + val) dev claims, with each judged window, for
eval/trust/RESULTS.md: the rows of `verifier.training.tune.collect` (same path: hybrid retrieval of
top 8, window scoring, the evidence reviewers with the relevance weighting) plus `evidence` (per
judged passage: entailment, contradiction, the deciding window's text) so that rules on the citation
(the subject rule) can be measured offline. Appends one line per claim and resumes.

    python eval/trust/collect.py ../shared HOME OUT_DIR scifact,climate_fever,averitec
"""

from __future__ import annotations

import json
import logging
import sys
import time
from dataclasses import replace
from pathlib import Path

from verifier.config import Settings
from verifier.evaluation.runs import open_eval_store
from verifier.models import Claim
from verifier.pipeline import build_checker, default_reviewers
from verifier.review.chain import review_all
from verifier.review.relevance import RelevanceWeighting
from verifier.training.data import claim_roles
from verifier.training.tune import claim_summary

TOP_K = 8


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    log = logging.getLogger("collect")
    shared, home, out = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
    settings = Settings.resolve(home=home, judge="nli", top_k=TOP_K, progress="never")
    for dataset in sys.argv[4].split(","):
        folder = shared / "eval-data" / dataset
        claims = [json.loads(line) for line in (folder / "claims.dev.jsonl").open(encoding="utf-8")]
        roles = claim_roles(claims, dataset)
        t0 = time.perf_counter()
        store, _ = open_eval_store(settings, folder / "corpus.jsonl")
        log.info("%s: store ready in %.1fs", dataset, time.perf_counter() - t0)
        checker = build_checker(settings, store=store)
        checker = replace(checker, reviewers=default_reviewers(settings, checker.judge, tuned=True))
        weighted = any(isinstance(r, RelevanceWeighting) for r in checker.reviewers)
        claims = [c for c in claims if roles[c["id"]] != "train"]
        path = out / f"{dataset}.jsonl"
        done = {json.loads(line)["id"] for line in path.open()} if path.is_file() else set()
        t0 = time.perf_counter()
        with path.open("a", encoding="utf-8") as fh:
            for n, c in enumerate(claims):
                if c["id"] in done:
                    continue
                claim = Claim.from_text(c["claim"])
                hits = checker.store.search(claim.shown, k=TOP_K)
                judged = {e.passage.id: e for e in checker.judge.judge(claim, hits)}
                reviewed = {
                    e.passage.id: e for e in review_all(checker.reviewers, claim, list(judged.values()))
                }
                evidence = [
                    {
                        "entail": e.probs.entailment,
                        "contra": e.probs.contradiction,
                        "quote": e.quote,
                        "source": h.passage.source_id,
                        "relevance": e.relevance,
                        "raw_entail": judged[h.passage.id].probs.entailment,
                        "raw_contra": judged[h.passage.id].probs.contradiction,
                    }
                    for h in hits
                    if (e := reviewed.get(h.passage.id)) is not None
                ]
                row = {
                    "dataset": dataset, "id": c["id"], "split": roles[c["id"]], "gold": c["label"],
                    "claim": c["claim"], "relevance_weighting": weighted,
                    **claim_summary(hits, reviewed, set(c["evidence"])),
                    "unreviewed": claim_summary(hits, judged, set(c["evidence"])),
                    "evidence": evidence,
                }  # fmt: skip
                fh.write(json.dumps(row) + "\n")
                fh.flush()
                if n % 25 == 0:
                    log.info("%s: %d/%d claims, %.1fs", dataset, n, len(claims), time.perf_counter() - t0)
        log.info("%s: done %d claims in %.1fs", dataset, len(claims), time.perf_counter() - t0)
        store.close()


if __name__ == "__main__":
    main()
