"""Batched, batch-invariant judge scoring against the shipped one-pair-per-run int8 path, side by side in
ONE process (rounds interleaved, best kept):

    python bench/judge_batching.py [--pairs 256] [--batch 32] [--bucket 16]

- int8, batch 1: the shipped `PairScorer` default (verifier/judges/model/judge.int8.onnx);
- int8, batched: the same model in length-bucketed batches (fast, but not batch-invariant);
- fp32-dequantised, batched: `python -m verifier.training dequantize` of the same model (int8 weights
  dequantised at load, fp32 MatMul), length-bucketed batches.
Pairs: (first 110 words of a SciFact abstract, a SciFact dev claim), ~150 tokens, when ../shared is
present, plus eval/numeric/pairs.jsonl. Reports pairs/s, top-label agreement with the shipped path, and
whether each pair's scores are identical alone and in its batch.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from verifier.evaluation.bench import PAIR_WORDS, default_inputs
from verifier.evaluation.gold import load_claims
from verifier.evaluation.machine import machine
from verifier.judges.pairs import MODEL_DIR, MODEL_FILE, PairScorer
from verifier.training.dequantize import dequantize

REPO = Path(__file__).resolve().parents[1]


def corpus_pairs(n: int) -> list[tuple[str, str]]:
    corpus, claims = default_inputs()
    texts = []
    for line in corpus.open(encoding="utf-8"):
        words = str(json.loads(line).get("text", "")).split()
        if len(words) >= PAIR_WORDS // 2:
            texts.append(" ".join(words[:PAIR_WORDS]))
        if len(texts) >= n:
            break
    qs = [g.claim for g in load_claims(claims)]
    return [(t, qs[i % len(qs)]) for i, t in enumerate(texts)]


def numeric_pairs() -> list[tuple[str, str]]:
    rows = [json.loads(x) for x in (REPO / "eval/numeric/pairs.jsonl").open(encoding="utf-8")]
    return [(r["evidence"], r["claim"]) for r in rows]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pairs", type=int, default=256)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--bucket", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        deq = Path(tmp)
        for name in ("tokenizer.json",):
            (deq / name).write_bytes((MODEL_DIR / name).read_bytes())
        dequantize(MODEL_DIR / MODEL_FILE, deq / "judge.fp32.onnx")
        scorers = {
            "int8 batch 1 (shipped)": PairScorer(),
            f"int8 batch {args.batch}": PairScorer(batch_size=args.batch, bucket=args.bucket),
            f"fp32-dequantised batch {args.batch}": PairScorer(
                deq, batch_size=args.batch, model_file="judge.fp32.onnx", bucket=args.bucket
            ),
        }
        sets = {"scifact ~150 tokens": corpus_pairs(args.pairs), "numeric": numeric_pairs()}
        result: dict[str, object] = {"machine": machine(), "date": time.strftime("%Y-%m-%d %H:%M")}
        for set_name, pairs in sets.items():
            best: dict[str, float] = {}
            probs: dict[str, np.ndarray] = {}
            for s in scorers.values():
                s.score(pairs[:4])
            for _ in range(args.rounds):
                for name, s in scorers.items():
                    t0 = time.perf_counter()
                    probs[name] = s.score(pairs)
                    best[name] = min(best.get(name, 1e9), time.perf_counter() - t0)
            ref = probs["int8 batch 1 (shipped)"].argmax(1)
            rows = {}
            for name, s in scorers.items():
                alone = np.stack([s.score([p])[0] for p in pairs[:32]])
                rows[name] = {
                    "pairs_per_second": round(len(pairs) / best[name], 1),
                    "top_label_agreement_with_shipped": round(
                        float((probs[name].argmax(1) == ref).mean()), 4
                    ),
                    "identical_alone_and_in_batch_first_32": bool(np.array_equal(alone, probs[name][:32])),
                    "max_abs_diff_alone_vs_batch": float(np.abs(alone - probs[name][:32]).max()),
                }
            result[set_name] = {"pairs": len(pairs), **rows}
            print(json.dumps(result[set_name]), file=sys.stderr, flush=True)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
