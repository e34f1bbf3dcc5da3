"""Training pairs for the evidence reranker: does this passage decide the claim (either way)?

A passage is evidence when it entails or contradicts the claim; one that is merely on the same topic
is not. Positives and negatives come from three places, all reproducible from ../shared:

- Climate-FEVER and SciFact dev claims of the internal *train* role only (eval/splits): gold evidence
  as the store indexes it ("Title: text" passages) is relevant; the Climate-FEVER sentences its
  annotators marked NOT_ENOUGH_INFO, and passages our own hybrid retriever ranks in the top 30 that
  hold no gold evidence, are not. These are the negatives the reranker exists to push down.
- FEVER train: gold evidence sentences are relevant; the evidence of another claim about the same
  entity, paired with a claim FEVER calls not-enough-info, is not (the nli-train construction).
- Random pairs: off-topic passages, so the easy case stays easy.

AVeriTeC is CC BY-NC and never trains shipped weights.
"""

from __future__ import annotations

import json
import logging
import random
from collections import Counter
from pathlib import Path
from typing import Any

from verifier.training.data import EVAL_DATASETS, read_jsonl

log = logging.getLogger(__name__)

MINED_DEPTH = 30


def _pair(passage: str, claim: str, label: str, source: str) -> dict[str, Any]:
    """A training row; `label` is one of `model.TASK_LABELS["relevance"]`."""
    return {"premise": passage, "hypothesis": claim, "label": label, "source": source}


def _gold_passages(dataset: str, claim: dict[str, Any], passages: list[Any]) -> set[str]:
    """Ids of the retrieved passages that hold the claim's deciding evidence."""
    gold_docs = set(claim["evidence"])
    if dataset != "scifact":
        return {p.id for p in passages if p.source_id in gold_docs}
    rationales: dict[str, list[list[int]]] = claim["meta"].get("rationale_sentences", {})
    return {p.id for p in passages if p.source_id in gold_docs and rationales.get(p.source_id)}


def eval_store_pairs(
    shared: Path, home: Path, roles: dict[str, dict[str, str]], rng: random.Random, negatives: int = 8
) -> list[dict[str, Any]]:
    """Gold passages vs. what our retriever wrongly ranks high, on train-role dev claims."""
    from verifier.config import Settings
    from verifier.evaluation.runs import open_eval_store
    from verifier.models import indexed_text

    settings = Settings.resolve(home=home, progress="never")
    out: list[dict[str, Any]] = []
    for dataset in EVAL_DATASETS:
        folder = shared / "eval-data" / dataset
        store, _ = open_eval_store(settings, folder / "corpus.jsonl")
        corpus = {str(r["id"]): r for r in read_jsonl(folder / "corpus.jsonl")}
        claims = [
            c for c in read_jsonl(folder / "claims.dev.jsonl") if roles[dataset].get(c["id"]) == "train"
        ]
        for c in claims:
            hits = store.search(c["claim"], MINED_DEPTH)
            passages = [h.passage for h in hits]
            gold_ids = _gold_passages(dataset, c, passages)
            gold_docs = set(c["evidence"]) | set(c["meta"].get("cited_doc_ids", []))
            for doc_id in c["evidence"]:
                doc = corpus.get(doc_id)
                if doc is None:
                    continue
                if dataset == "scifact":
                    for p in passages:
                        if p.id in gold_ids and p.source_id == doc_id:
                            out.append(_pair(indexed_text(p), c["claim"], "relevant", f"{dataset}/gold"))
                    sents = doc.get("sentences") or []
                    for idx in c["meta"]["rationale_sentences"].get(doc_id, []):
                        text = " ".join(sents[i] for i in idx if i < len(sents))
                        out.append(
                            _pair(f"{doc['title']}: {text}", c["claim"], "relevant", f"{dataset}/rationale")
                        )
                else:
                    out.append(
                        _pair(f"{doc['title']}: {doc['text']}", c["claim"], "relevant", f"{dataset}/gold")
                    )
            if dataset == "climate_fever":
                for ev in c["meta"].get("annotated_evidence", []):
                    doc = corpus.get(ev["id"])
                    if doc is not None and ev["label"] == "NOT_ENOUGH_INFO":
                        out.append(
                            _pair(
                                f"{doc['title']}: {doc['text']}", c["claim"], "irrelevant", f"{dataset}/nei"
                            )
                        )
            mined = [p for p in passages if p.source_id not in gold_docs and p.id not in gold_ids]
            for p in rng.sample(mined, min(negatives, len(mined))):
                out.append(_pair(indexed_text(p), c["claim"], "irrelevant", f"{dataset}/mined"))
        store.close()
        log.info("%s: %d train claims", dataset, len(claims))
    return out


def fever_pairs(shared: Path, n: int, rng: random.Random) -> list[dict[str, Any]]:
    rows = list(read_jsonl(shared / "nli-train" / "fever_train" / "pairs.jsonl"))
    gold = [r for r in rows if r["source"] == "fever_train/gold_evidence"]
    nei = [r for r in rows if r["source"] == "fever_train/nei_same_entity_evidence"]
    out = [_pair(r["premise"], r["hypothesis"], "relevant", "fever/gold") for r in rng.sample(gold, n)]
    out += [
        _pair(r["premise"], r["hypothesis"], "irrelevant", "fever/same_entity") for r in rng.sample(nei, n)
    ]
    return out


def random_pairs(rows: list[dict[str, Any]], n: int, rng: random.Random) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    while len(out) < n:
        a, b = rng.sample(rows, 2)
        if a["hypothesis"] != b["hypothesis"] and a["premise"] != b["premise"]:
            out.append(_pair(a["premise"], b["hypothesis"], "irrelevant", "random"))
    return out


def prepare(
    shared: Path, home: Path, out: Path, seed: int = 13, fever: int = 8_000, eval_repeat: int = 3
) -> dict[str, Any]:
    from verifier.training.data import claim_roles, write_jsonl

    rng = random.Random(seed)
    roles = {
        d: claim_roles(list(read_jsonl(shared / "eval-data" / d / "claims.dev.jsonl")), d, seed)
        for d in EVAL_DATASETS
    }
    in_domain = eval_store_pairs(shared, home, roles, rng)
    general = fever_pairs(shared, fever, rng)
    rows = in_domain * eval_repeat + general
    rows += random_pairs(in_domain + general, len(rows) // 20, rng)
    rng.shuffle(rows)
    stats = {
        "seed": seed,
        "rows": write_jsonl(out / "train.jsonl", rows),
        "by_source": dict(Counter(r["source"] for r in rows)),
        "by_label": dict(Counter(r["label"] for r in rows)),
        "eval_repeat": eval_repeat,
    }
    (out / "data_stats.json").write_text(json.dumps(stats, indent=2))
    return stats
