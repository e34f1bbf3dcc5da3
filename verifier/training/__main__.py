"""`python -m verifier.training prepare|prepare-relevance|prepare-embedder|splits|train|train-embedder|
recover|export|export-embedder|export-embedder-onnx|dequantize|evaluate|tune|operating-point|card`.

The steps that made the shipped model: verifier/judges/model/MODEL_CARD.md."""

from __future__ import annotations

import argparse
import json
import logging
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m verifier.training")
    sub = parser.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("prepare", help="build train/held-out pairs from ../shared")
    p.add_argument("--shared", type=Path, default=Path("../shared"))
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--seed", type=int, default=13)
    s = sub.add_parser("splits", help="write eval/splits/*.json (train / tune / val claim roles)")
    s.add_argument("--shared", type=Path, default=Path("../shared"))
    s.add_argument("--out", type=Path, default=Path("eval/splits"))
    t = sub.add_parser("train", help="train (resumes from the latest checkpoint in --out)")
    t.add_argument("--data", type=Path, required=True)
    t.add_argument("--out", type=Path, required=True)
    t.add_argument("--max-pairs", type=int, default=0, help="stop after this many pairs (0: one epoch)")
    t.add_argument("--batch-size", type=int, default=32)
    t.add_argument("--max-length", type=int, default=160)
    t.add_argument("--lr", type=float, default=6e-5)
    t.add_argument("--head-lr", type=float, default=1e-3)
    t.add_argument("--epochs", type=float, default=1.0)
    t.add_argument("--bf16", action=argparse.BooleanOptionalAction, default=True)
    t.add_argument("--checkpoint-every", type=int, default=300, help="steps")
    t.add_argument("--seed", type=int, default=13)
    t.add_argument("--bench", type=int, default=0, help="only time this many steps and exit")
    t.add_argument("--init", type=Path, help="warm start from a state dict (`recover` output, final.pt)")
    t.add_argument("--task", choices=("nli", "relevance"), default="nli", help="judge or evidence reranker")
    q = sub.add_parser("prepare-relevance", help="build the evidence reranker's pairs (mines our own stores)")
    q.add_argument("--shared", type=Path, default=Path("../shared"))
    q.add_argument(
        "--home", type=Path, required=True, help="VERIFIER_HOME whose eval-cache holds the corpora"
    )
    q.add_argument("--out", type=Path, required=True)
    q.add_argument("--seed", type=int, default=13)
    m = sub.add_parser(
        "prepare-embedder", help="build the retrieval embedder's triplets (mines stock stores)"
    )
    m.add_argument("--shared", type=Path, default=Path("../shared"))
    m.add_argument(
        "--home", type=Path, required=True, help="VERIFIER_HOME whose eval-cache holds the corpora"
    )
    m.add_argument("--out", type=Path, required=True)
    m.add_argument("--seed", type=int, default=13)
    b = sub.add_parser("train-embedder", help="fine-tune the retrieval embedder (resumes from --out/ckpt.pt)")
    b.add_argument("--data", type=Path, required=True)
    b.add_argument("--out", type=Path, required=True)
    b.add_argument("--batch-size", type=int, default=32)
    b.add_argument("--lr", type=float, default=3e-5)
    b.add_argument("--epochs", type=int, default=1)
    b.add_argument("--threads", type=int, default=2)
    x = sub.add_parser("export-embedder", help="copy a trained embedder (fp16 weights) into the package")
    x.add_argument("--model", type=Path, required=True, help="the train-embedder run's model folder")
    x.add_argument("--out", type=Path, required=True)
    o = sub.add_parser(
        "export-embedder-onnx", help="export the embedder to ONNX (fp16-stored weights, fp32 arithmetic)"
    )
    o.add_argument("--model-dir", type=Path, help="a fine-tuned embedder folder (default: the stock one)")
    o.add_argument("--out", type=Path, help="default: verifier/data/embedder (the shipped one)")
    o.add_argument("--weights", choices=("fp16", "fp32"), default="fp16")
    d = sub.add_parser(
        "dequantize", help="rewrite a dynamic int8 ONNX cross-encoder to fp32 MatMuls (batch-invariant)"
    )
    d.add_argument("--model", type=Path, required=True, help="judge.int8.onnx or reranker.int8.onnx")
    d.add_argument("--out", type=Path, required=True, help="the .onnx file to write")
    r = sub.add_parser("recover", help="dequantise a shipped int8 ONNX judge into a warm-start state dict")
    r.add_argument("--model", type=Path, required=True, help="judge.int8.onnx")
    r.add_argument("--out", type=Path, required=True)
    e = sub.add_parser("export", help="export a checkpoint to int8 ONNX")
    e.add_argument("--checkpoint", type=Path, required=True)
    e.add_argument("--out", type=Path, required=True)
    e.add_argument("--name", default="judge", help="file stem: judge or reranker")
    v = sub.add_parser("evaluate", help="pair-level metrics of an exported model on the held-out sets")
    v.add_argument("--model", type=Path, required=True)
    v.add_argument("--data", type=Path, required=True)
    v.add_argument("--limit", type=int, default=0)
    u = sub.add_parser("tune", help="tune thresholds + calibration on internal-train dev claims")
    u.add_argument("--shared", type=Path, default=Path("../shared"))
    u.add_argument("--cache", type=Path, required=True)
    u.add_argument("--model-id", required=True)
    u.add_argument("--top-k", type=int, default=8)
    u.add_argument("--limit", type=int, default=0, help="claims per dataset (0: all)")
    u.add_argument("--reuse", action="store_true", help="re-tune from the cached scores.jsonl")
    u.add_argument(
        "--home", type=Path, required=True, help="VERIFIER_HOME whose eval-cache holds the corpora"
    )
    o = sub.add_parser(
        "operating-point", help="fit a precision-first operating point (e.g. strict) from cached scores"
    )
    o.add_argument("--scores", type=Path, required=True, help="scores.jsonl written by `tune`")
    o.add_argument("--shared", type=Path, default=Path("../shared"))
    o.add_argument("--name", default="strict")
    o.add_argument("--target", type=float, default=0.85, help="precision asked of each label")
    o.add_argument("--pooled", action="store_true", help="the target on the pooled claims only")
    o.add_argument("--require-subject", action="store_true", help="cited windows must address the claim")
    c = sub.add_parser("card", help="write MODEL_CARD.md beside the shipped model")
    c.add_argument("--data", type=Path, required=True)
    c.add_argument("--run", type=Path, required=True)
    c.add_argument("--heldout", type=Path, required=True, help="JSON written by `evaluate`")
    c.add_argument("--extra", type=Path, help="a Markdown file appended before the limits section")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    if args.cmd == "prepare":
        from verifier.training.data import prepare

        print(json.dumps(prepare(args.shared, args.out, args.seed), indent=2))
    elif args.cmd == "prepare-relevance":
        from verifier.training.relevance import prepare as prepare_relevance

        print(json.dumps(prepare_relevance(args.shared, args.home, args.out, args.seed), indent=2))
    elif args.cmd == "prepare-embedder":
        from verifier.training.embedder import prepare as prepare_embedder

        print(json.dumps(prepare_embedder(args.shared, args.home, args.out, args.seed), indent=2))
    elif args.cmd == "train-embedder":
        from verifier.training.embedder import EmbedderTrainConfig
        from verifier.training.embedder import train as train_embedder

        config = EmbedderTrainConfig(
            args.data,
            args.out,
            batch_size=args.batch_size,
            lr=args.lr,
            epochs=args.epochs,
            threads=args.threads,
        )
        print(json.dumps(train_embedder(config), indent=2))
    elif args.cmd == "export-embedder":
        from verifier.training.embedder import export as export_embedder

        print(json.dumps(export_embedder(args.model, args.out), indent=2))
    elif args.cmd == "export-embedder-onnx":
        from verifier.store.embedding import ONNX_DIR
        from verifier.training.onnx_embedder import export as export_onnx

        print(json.dumps(export_onnx(args.out or ONNX_DIR, args.model_dir, args.weights), indent=2))
    elif args.cmd == "dequantize":
        from verifier.training.dequantize import dequantize

        print(json.dumps(dequantize(args.model, args.out), indent=2))
    elif args.cmd == "train":
        from verifier.training.train import TrainConfig, train

        cfg = TrainConfig(**{k: v for k, v in vars(args).items() if k not in ("cmd",)})
        train(cfg)
    elif args.cmd == "splits":
        from verifier.training.data import write_eval_splits

        print(json.dumps(write_eval_splits(args.shared / "eval-data", args.out), indent=2))
    elif args.cmd == "recover":
        from verifier.training.recover import recover

        print(recover(args.model, args.out))
    elif args.cmd == "export":
        from verifier.training.export import export

        export(args.checkpoint, args.out, args.name)
    elif args.cmd == "evaluate":
        from verifier.training.export import evaluate_heldout

        print(json.dumps(evaluate_heldout(args.model, args.data, args.limit), indent=2))
    elif args.cmd == "card":
        from verifier.judges.pairs import MODEL_DIR
        from verifier.training.card import write_card

        extra = args.extra.read_text() if args.extra else ""
        print(write_card(MODEL_DIR, args.data, args.run, json.loads(args.heldout.read_text()), extra))
    elif args.cmd == "operating-point":
        from verifier.training.tune import _with_roles, write_operating_point

        rows = _with_roles([json.loads(line) for line in args.scores.open(encoding="utf-8")], args.shared)
        point = write_operating_point(
            rows, args.name, args.target, per_dataset=not args.pooled, require_subject=args.require_subject
        )
        print(json.dumps({k: v for k, v in point.items() if k != "calibration"}, indent=2))
    elif args.cmd == "tune":
        from verifier.training.tune import run

        print(
            json.dumps(
                run(
                    args.shared,
                    args.cache,
                    args.model_id,
                    args.home,
                    top_k=args.top_k,
                    limit=args.limit,
                    reuse=args.reuse,
                )["report"],
                indent=2,
            )
        )


if __name__ == "__main__":
    main()
