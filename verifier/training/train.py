"""Seeded, resumable fine-tuning of the judge on prepared pairs, in bf16 where the CPU has it natively."""

from __future__ import annotations

import json
import logging
import math
import os
import random
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import torch
import torch.nn.functional as F

from verifier.hardware import precision
from verifier.training.model import TASK_LABELS, CrossEncoder, backbone_path

log = logging.getLogger(__name__)
PARTIAL_ID = -1  # not_entailment: neutral or contradiction


@dataclass(frozen=True)
class TrainConfig:
    data: Path
    out: Path
    max_pairs: int = 0
    batch_size: int = 32
    max_length: int = 160
    lr: float = 6e-5
    head_lr: float = 1e-3
    epochs: float = 1.0
    # bf16 autocast only where the CPU has it natively (~12x slower than fp32 where it is emulated)
    bf16: bool = field(default_factory=lambda: precision() == "bf16")
    checkpoint_every: int = 300
    seed: int = 13
    bench: int = 0
    init: Path | None = None  # warm start: a state dict from `recover` or an earlier run's final.pt
    task: str = "nli"  # "nli": 3-way judge; "relevance": the 2-way evidence reranker
    warmup_fraction: float = 0.05
    weight_decay: float = 0.01


def _tokenize(
    rows: list[dict[str, Any]], max_length: int, labels: tuple[str, ...]
) -> list[tuple[list[int], list[int], int]]:
    from transformers import AutoTokenizer

    label_id = {lab: i for i, lab in enumerate(labels)}
    tok = AutoTokenizer.from_pretrained(str(backbone_path()))
    out: list[tuple[list[int], list[int], int]] = []
    for i in range(0, len(rows), 2048):
        chunk = rows[i : i + 2048]
        enc = tok(
            [r["premise"] for r in chunk],
            [r["hypothesis"] for r in chunk],
            truncation="only_first",
            max_length=max_length,
        )
        for ids, types, r in zip(enc["input_ids"], enc["token_type_ids"], chunk, strict=True):
            out.append((ids, types, label_id.get(r["label"], PARTIAL_ID)))
    return out


def _batches(lengths: list[int], batch_size: int, seed: int) -> list[list[int]]:
    """Length-bucketed batches in a seeded order: shuffle, sort within pools of 50 batches, shuffle."""
    rng = random.Random(seed)
    order = list(range(len(lengths)))
    rng.shuffle(order)
    pool = batch_size * 50
    batches: list[list[int]] = []
    for i in range(0, len(order), pool):
        chunk = sorted(order[i : i + pool], key=lambda j: lengths[j])
        batches.extend(chunk[k : k + batch_size] for k in range(0, len(chunk), batch_size))
    rng.shuffle(batches)
    return batches


def collate(items: list[tuple[list[int], list[int], int]]) -> dict[str, torch.Tensor]:
    width = max(len(ids) for ids, _, _ in items)
    ids = torch.zeros((len(items), width), dtype=torch.long)
    types = torch.zeros_like(ids)
    mask = torch.zeros_like(ids)
    for row, (i, t, _) in enumerate(items):
        ids[row, : len(i)] = torch.tensor(i)
        types[row, : len(t)] = torch.tensor(t)
        mask[row, : len(i)] = 1
    labels = torch.tensor([lab for _, _, lab in items])
    return {"input_ids": ids, "token_type_ids": types, "attention_mask": mask, "labels": labels}


def loss_fn(logits: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    """Cross-entropy; rows labelled not_entailment get -log(p_neutral + p_contradiction)."""
    logp = F.log_softmax(logits.float(), dim=-1)
    definite = labels >= 0
    losses = torch.zeros(len(labels))
    if definite.any():
        losses[definite] = -logp[definite].gather(1, labels[definite].unsqueeze(1)).squeeze(1)
    partial = ~definite
    if partial.any():
        losses[partial] = -torch.logsumexp(logp[partial][:, 1:], dim=-1)
    return losses.mean()


def _save(path: Path, state: dict[str, Any]) -> None:
    tmp = path.with_suffix(".tmp")
    torch.save(state, tmp)
    os.replace(tmp, path)


def train(cfg: TrainConfig) -> Path:
    torch.manual_seed(cfg.seed)
    torch.set_num_threads(int(os.environ.get("VERIFIER_TRAIN_THREADS", "2")))
    cfg.out.mkdir(parents=True, exist_ok=True)
    rows = [json.loads(line) for line in (cfg.data / "train.jsonl").open(encoding="utf-8")]
    if cfg.max_pairs:
        rows = rows[: cfg.max_pairs]
    t0 = time.time()
    label_names = TASK_LABELS[cfg.task]
    data = _tokenize(rows, cfg.max_length, label_names)
    log.info("tokenized %d pairs in %.1fs", len(data), time.time() - t0)
    lengths = [len(ids) for ids, _, _ in data]
    epochs = max(1, math.ceil(cfg.epochs))
    schedule: list[list[int]] = []
    for ep in range(epochs):
        schedule.extend(_batches(lengths, cfg.batch_size, cfg.seed + ep))
    total_steps = int(len(schedule) * cfg.epochs / epochs)

    model = CrossEncoder.from_backbone(n_labels=len(label_names))
    if cfg.init:
        model.load_state_dict(torch.load(cfg.init, weights_only=True)["model"])
        log.info("warm start from %s", cfg.init)
    head_params = list(model.head.parameters())
    enc_params = [p for n, p in model.named_parameters() if not n.startswith("head.")]
    opt = torch.optim.AdamW(
        [{"params": enc_params, "lr": cfg.lr}, {"params": head_params, "lr": cfg.head_lr}],
        weight_decay=cfg.weight_decay,
    )
    warmup = max(1, int(total_steps * cfg.warmup_fraction))

    def lr_lambda(step: int) -> float:
        if step < warmup:
            return (step + 1) / warmup
        return max(0.0, (total_steps - step) / max(1, total_steps - warmup))

    sched = torch.optim.lr_scheduler.LambdaLR(opt, lr_lambda)
    ckpt = cfg.out / "checkpoint.pt"
    step = 0
    if ckpt.exists() and not cfg.bench:
        state = torch.load(ckpt, weights_only=True)
        model.load_state_dict(state["model"])
        opt.load_state_dict(state["optimizer"])
        sched.load_state_dict(state["scheduler"])
        step = int(state["step"])
        torch.set_rng_state(state["rng"])
        log.info("resumed from step %d/%d", step, total_steps)
    (cfg.out / "config.json").write_text(
        json.dumps(
            {
                **asdict(cfg),
                "data": str(cfg.data),
                "out": str(cfg.out),
                "init": str(cfg.init) if cfg.init else None,
                "total_steps": total_steps,
                "pairs": len(data),
            },
            indent=2,
        )
    )
    model.train()
    logf = (cfg.out / "log.jsonl").open("a", encoding="utf-8")
    start, seen, run_loss = time.time(), 0, -1.0
    end_step = min(total_steps, step + cfg.bench) if cfg.bench else total_steps
    while step < end_step:
        batch = collate([data[i] for i in schedule[step]])
        labels = batch.pop("labels")
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=cfg.bf16):
            logits = model(**batch)
        loss = loss_fn(logits, labels)
        opt.zero_grad(set_to_none=True)
        loss.backward()  # type: ignore[no-untyped-call]
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        step += 1
        seen += len(labels)
        run_loss = float(loss.detach()) if run_loss < 0 else 0.98 * run_loss + 0.02 * float(loss.detach())
        if step % 20 == 0 or step == end_step:
            rate = seen / (time.time() - start)
            eta = (total_steps - step) * cfg.batch_size / max(rate, 1e-6)
            rec = {
                "step": step,
                "of": total_steps,
                "loss": round(run_loss, 4),
                "pairs_per_s": round(rate, 1),
                "eta_min": round(eta / 60, 1),
                "lr": sched.get_last_lr()[0],
            }
            logf.write(json.dumps(rec) + "\n")
            logf.flush()
            log.info(
                "step %d/%d loss %.4f %.1f pairs/s eta %.0f min", step, total_steps, run_loss, rate, eta / 60
            )
        if not cfg.bench and (step % cfg.checkpoint_every == 0 or step == total_steps):
            _save(
                ckpt,
                {
                    "model": model.state_dict(),
                    "optimizer": opt.state_dict(),
                    "scheduler": sched.state_dict(),
                    "step": step,
                    "rng": torch.get_rng_state(),
                },
            )
    if cfg.bench:
        log.info(
            "bench: %.1f pairs/s (bf16=%s, batch %d)", seen / (time.time() - start), cfg.bf16, cfg.batch_size
        )
    else:
        torch.save({"model": model.state_dict(), "step": step}, cfg.out / "final.pt")
    return ckpt
