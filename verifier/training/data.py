"""Reproducible training data for the judge, from ../shared/nli-train and ../shared/eval-data dev claims.

Output: `train.jsonl` (premise, hypothesis, label, source), held-out pair sets `heldout/<name>.jsonl`,
and the internal claim split of each eval-data dev file (`splits/<dataset>.json`), so threshold tuning
and reporting use claims the model never trained on.
"""

from __future__ import annotations

import json
import logging
import random
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

LABELS = ("entailment", "neutral", "contradiction")
PARTIAL = "not_entailment"  # neutral OR contradiction: trained with a partial-label loss

# Licences that allow shipping derived weights (see nli-train/README.md). Excluded: sick (NC), mpe,
# control, healthver, covidfact, rte (no licence stated), and AVeriTeC (CC BY-NC) among eval-data.
# name -> (max rows, filter on the source tag)
SHIPPABLE_SETS: dict[str, int] = {
    "snli": 9_840,  # only snli/dev; snli/test is held out
    "mnli_dev_binary": 40_000,  # minus a held-out sample
    "mnli_taxinli": 2_400,  # only the MNLI train rows
    "cad_snli": 5_000,  # only train rows (dev/test premises come from SNLI dev/test)
    "conjnli": 9_000,
    "fever_train": 48_000,
    "fever_nli_binary": 8_000,
    "med": 2_000,
    "wice": 1_200,
    "summedits": 1_200,
    "breaking_nli": 1_500,
}
HELDOUT_SIZE = 2_000
EVAL_DATASETS = ("scifact", "climate_fever")
INTERNAL_VAL_FRACTION = 0.35
_WS = re.compile(r"\s+")


def read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def _norm(text: str) -> str:
    return _WS.sub(" ", text.strip().lower()).rstrip(".")


def _key(row: dict[str, Any]) -> str:
    return _norm(row["premise"]) + "\x1f" + _norm(row["hypothesis"])


def _balanced_sample(rows: list[dict[str, Any]], n: int, rng: random.Random) -> list[dict[str, Any]]:
    """Up to `n` rows, as even across labels as the data allows."""
    if len(rows) <= n:
        return rows
    by_label: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        by_label[r["label"]].append(r)
    for group in by_label.values():
        rng.shuffle(group)
    out: list[dict[str, Any]] = []
    labels = sorted(by_label, key=lambda lab: len(by_label[lab]))
    remaining = n
    for i, lab in enumerate(labels):
        share = remaining // (len(labels) - i)
        take = by_label[lab][:share]
        out.extend(take)
        remaining -= len(take)
    return out


def nli_pairs(
    nli_dir: Path, rng: random.Random
) -> tuple[list[dict[str, Any]], dict[str, list[dict[str, Any]]]]:
    """Training rows from the shippable NLI sets, and held-out pair sets never trained on."""
    heldout: dict[str, list[dict[str, Any]]] = {}
    snli = list(read_jsonl(nli_dir / "snli" / "pairs.jsonl"))
    snli_test = [r for r in snli if r["source"] == "snli/test"]
    rng.shuffle(snli_test)
    heldout["snli_test"] = snli_test[:HELDOUT_SIZE]

    mnli = list(read_jsonl(nli_dir / "mnli_dev_binary" / "pairs.jsonl"))
    mnli_3way_test = [r for r in mnli if r["source"].endswith("/test") and r["label"] in LABELS]
    rng.shuffle(mnli_3way_test)
    heldout["mnli_dev"] = mnli_3way_test[:HELDOUT_SIZE]
    heldout["fever_symmetric"] = list(read_jsonl(nli_dir / "fever_symmetric" / "pairs.jsonl"))
    blocked = {_key(r) for rows in heldout.values() for r in rows}
    # SNLI test premises also occur in CAD dev/test; the MNLI held-out pairs also occur in TaxiNLI.
    blocked_premises = {_norm(r["premise"]) for r in heldout["snli_test"]}

    train: list[dict[str, Any]] = []
    for name, cap in SHIPPABLE_SETS.items():
        rows = list(read_jsonl(nli_dir / name / "pairs.jsonl"))
        if name == "snli":
            rows = [r for r in rows if r["source"] == "snli/dev"]
        elif name == "mnli_taxinli":
            rows = [r for r in rows if "/mnli_train/" in r["source"]]
        elif name == "cad_snli":
            rows = [r for r in rows if r["source"].endswith("/train")]
        elif name == "fever_train":
            # keep the gold-evidence pairs balanced against the constructed NEI pairs
            rows = [r for r in rows if r["label"] != "entailment" or rng.random() < 0.45]
        rows = [r for r in rows if _key(r) not in blocked and _norm(r["premise"]) not in blocked_premises]
        rows = _balanced_sample(rows, cap, rng)
        log.info("%s: %d rows %s", name, len(rows), dict(Counter(r["label"] for r in rows)))
        train.extend({**r, "source": r["source"]} for r in rows)
    return train, heldout


# ---------------------------------------------------------------- eval-data dev claims


def _groups(claims: list[dict[str, Any]], dataset: str) -> dict[str, str]:
    """Claim id -> group id. SciFact claims sharing a cited or evidence abstract form one group."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a: str, b: str) -> None:
        parent[find(a)] = find(b)

    for c in claims:
        node = "claim:" + c["id"]
        find(node)
        union(node, "text:" + _norm(c["claim"]))
        if dataset == "scifact":
            for doc in list(c["evidence"]) + list(c["meta"].get("cited_doc_ids", [])):
                union(node, "doc:" + str(doc))
    return {c["id"]: find("claim:" + c["id"]) for c in claims}


def internal_split(
    claims: list[dict[str, Any]], dataset: str, seed: int, fraction: float = INTERNAL_VAL_FRACTION
) -> dict[str, str]:
    """Claim id -> "train" | "val", group-aware and stratified by label."""
    groups = _groups(claims, dataset)
    members: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for c in claims:
        members[groups[c["id"]]].append(c)
    rng = random.Random(seed)
    by_label: dict[str, list[str]] = defaultdict(list)
    for gid, cs in sorted(members.items()):
        by_label[Counter(c["label"] for c in cs).most_common(1)[0][0]].append(gid)
    split: dict[str, str] = {}
    for gids in by_label.values():
        rng.shuffle(gids)
        n_val = round(len(gids) * fraction)
        for i, gid in enumerate(gids):
            for c in members[gid]:
                split[c["id"]] = "val" if i < n_val else "train"
    return split


ROLES = ("train", "tune", "val")


def claim_roles(claims: list[dict[str, Any]], dataset: str, seed: int = 13) -> dict[str, str]:
    """Claim id -> "train" (the model's weights saw it), "tune" (decision thresholds and calibration are
    fitted on it) or "val" (only reported).

    The weights train on the internal-train part; its validation part is halved (group-aware again)
    into tune and val, so neither the weights nor the thresholds ever saw a val claim. Datasets the
    weights never train on (AVeriTeC) give their internal-train part to tuning.
    """
    split = internal_split(claims, dataset, seed)
    if dataset not in EVAL_DATASETS:
        return {cid: "tune" if part == "train" else "val" for cid, part in split.items()}
    held = [c for c in claims if split[c["id"]] == "val"]
    halves = internal_split(held, dataset, seed + 1, fraction=0.5)
    return {
        cid: "train" if part == "train" else ("val" if halves[cid] == "val" else "tune")
        for cid, part in split.items()
    }


def _windows(sentences: list[str], size: int = 2) -> list[tuple[int, int]]:
    return [(i, i + n) for i in range(len(sentences)) for n in range(1, size + 1) if i + n <= len(sentences)]


def scifact_pairs(
    claims: list[dict[str, Any]], corpus: dict[str, dict[str, Any]], rng: random.Random
) -> list[dict[str, Any]]:
    """Rationale sentences -> entailment/contradiction; other sentences and cited-but-undecided abstracts,
    plus lexical hard negatives from other abstracts, -> neutral."""
    from verifier.training.mining import SentenceIndex

    index = SentenceIndex((doc_id, s) for doc_id, doc in corpus.items() for s in doc["sentences"])
    out: list[dict[str, Any]] = []
    for c in claims:
        label = {"supported": "entailment", "contradicted": "contradiction"}.get(c["label"])
        rationales: dict[str, list[list[int]]] = c["meta"].get("rationale_sentences", {})
        used: dict[str, set[int]] = defaultdict(set)
        for doc_id, sets in rationales.items():
            sents = corpus[doc_id]["sentences"]
            for idx in sets:
                used[doc_id].update(idx)
                if label:
                    premise = " ".join(sents[i] for i in sorted(idx) if i < len(sents))
                    out.append(_pair(premise, c["claim"], label, "scifact/rationale"))
                    if len(idx) == 1 and idx[0] + 1 < len(sents):  # the serving window: sentence + next
                        window = " ".join(sents[idx[0] : idx[0] + 2])
                        out.append(_pair(window, c["claim"], label, "scifact/rationale_window"))
        docs = list(rationales) + [d for d in c["meta"].get("cited_doc_ids", []) if d not in rationales]
        for doc_id in docs:
            if doc_id not in corpus:
                continue
            sents = corpus[doc_id]["sentences"]
            free = [w for w in _windows(sents) if not used[doc_id].intersection(range(*w))]
            for a, b in rng.sample(free, min(2, len(free))):
                out.append(_pair(" ".join(sents[a:b]), c["claim"], "neutral", "scifact/same_abstract"))
        gold_docs = set(c["evidence"]) | set(c["meta"].get("cited_doc_ids", []))
        negatives = [(d, s) for d, s in index.search(c["claim"], 12) if d not in gold_docs][:6]
        for _doc, sent in rng.sample(negatives, min(2, len(negatives))):
            out.append(_pair(sent, c["claim"], "neutral", "scifact/hard_negative"))
    return out


def climate_fever_pairs(
    claims: list[dict[str, Any]], corpus: dict[str, dict[str, Any]]
) -> list[dict[str, Any]]:
    mapping = {"SUPPORTS": "entailment", "REFUTES": "contradiction", "NOT_ENOUGH_INFO": "neutral"}
    out: list[dict[str, Any]] = []
    for c in claims:
        for ev in c["meta"].get("annotated_evidence", []):
            if ev["id"] in corpus and ev["label"] in mapping:
                out.append(
                    _pair(
                        corpus[ev["id"]]["text"], c["claim"], mapping[ev["label"]], "climate_fever/annotated"
                    )
                )
    return out


def _pair(premise: str, hypothesis: str, label: str, source: str) -> dict[str, Any]:
    return {"premise": premise, "hypothesis": hypothesis, "label": label, "source": source}


def eval_data_pairs(
    eval_dir: Path, seed: int, rng: random.Random
) -> tuple[list[dict[str, Any]], dict[str, dict[str, str]], dict[str, list[dict[str, Any]]]]:
    train: list[dict[str, Any]] = []
    splits: dict[str, dict[str, str]] = {}
    heldout: dict[str, list[dict[str, Any]]] = {}
    for dataset in EVAL_DATASETS:
        claims = list(read_jsonl(eval_dir / dataset / "claims.dev.jsonl"))
        corpus = {str(r["id"]): r for r in read_jsonl(eval_dir / dataset / "corpus.jsonl")}
        split = internal_split(claims, dataset, seed)
        splits[dataset] = split
        for part in ("train", "val"):
            subset = [c for c in claims if split[c["id"]] == part]
            pairs = (
                scifact_pairs(subset, corpus, rng)
                if dataset == "scifact"
                else climate_fever_pairs(subset, corpus)
            )
            if part == "train":
                train.extend(pairs)
            else:
                heldout[f"{dataset}_val_pairs"] = pairs
            log.info(
                "%s/%s: %d claims, %d pairs %s",
                dataset,
                part,
                len(subset),
                len(pairs),
                dict(Counter(p["label"] for p in pairs)),
            )
    return train, splits, heldout


def unrelated_pairs(rows: list[dict[str, Any]], share: float, rng: random.Random) -> list[dict[str, Any]]:
    """Neutral pairs of a hypothesis and a random other row's premise: off-topic evidence decides nothing.

    Without them the model learns "different facts" = contradiction (v1 gave 0.94 contradiction to
    "Paris is the capital of France." / "The moon is made of cheese.").
    """
    out: list[dict[str, Any]] = []
    for _ in range(int(len(rows) * share)):
        a, b = rng.sample(rows, 2)
        if _norm(a["premise"]) != _norm(b["premise"]):
            out.append(_pair(a["premise"], b["hypothesis"], "neutral", "unrelated/random"))
    return out


def write_eval_splits(eval_dir: Path, out: Path, seed: int = 13) -> dict[str, dict[str, int]]:
    """`eval/splits/<dataset>.json`: the claim ids of each role, for `verifier eval --split`."""
    counts: dict[str, dict[str, int]] = {}
    for dataset in (*EVAL_DATASETS, "averitec"):
        claims = list(read_jsonl(eval_dir / dataset / "claims.dev.jsonl"))
        roles = claim_roles(claims, dataset, seed)
        payload: dict[str, Any] = {
            "dataset": dataset,
            "seed": seed,
            "rule": "verifier.training.data.claim_roles: train = the judge's weights, tune = its "
            "thresholds and calibration, val = reported only (group-aware, stratified by label)",
        }
        for role in ROLES:
            payload[role] = sorted(cid for cid, r in roles.items() if r == role)
        out.mkdir(parents=True, exist_ok=True)
        (out / f"{dataset}.json").write_text(json.dumps(payload, indent=1) + "\n")
        counts[dataset] = dict(Counter(roles.values()))
    return counts


def write_jsonl(path: Path, rows: Iterable[dict[str, Any]]) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    with path.open("w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
            n += 1
    return n


def prepare(
    shared: Path, out: Path, seed: int = 13, eval_repeat: int = 3, unrelated_share: float = 0.06
) -> dict[str, Any]:
    rng = random.Random(seed)
    nli_train, heldout = nli_pairs(shared / "nli-train", rng)
    ev_train, splits, ev_heldout = eval_data_pairs(shared / "eval-data", seed, rng)
    heldout.update(ev_heldout)
    train = nli_train + ev_train * eval_repeat  # in-domain claims are few: show them more often
    train += unrelated_pairs(nli_train + ev_train, unrelated_share, rng)
    rng.shuffle(train)
    stats = {
        "seed": seed,
        "train_rows": write_jsonl(out / "train.jsonl", train),
        "train_by_source": dict(Counter(r["source"].split("/")[0] for r in train)),
        "train_by_label": dict(Counter(r["label"] for r in train)),
        "eval_repeat": eval_repeat,
        "heldout": {
            name: write_jsonl(out / "heldout" / f"{name}.jsonl", rows) for name, rows in heldout.items()
        },
    }
    for dataset, split in splits.items():
        (out / "splits").mkdir(parents=True, exist_ok=True)
        (out / "splits" / f"{dataset}.json").write_text(json.dumps(split, indent=0, sort_keys=True))
    (out / "data_stats.json").write_text(json.dumps(stats, indent=2))
    return stats
