"""Evaluation harness: gold claims (jsonl) + a corpus -> metrics.json and predictions.jsonl.

Only the claim text reaches the checker; `label`, `evidence` and `meta` stay on the gold side.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from verifier.errors import EvalDataError
from verifier.models import Claim, Label, stable_id
from verifier.pipeline import Checker
from verifier.sources import read_text

log = logging.getLogger(__name__)

LABELS: tuple[Label, ...] = (Label.SUPPORTED, Label.CONTRADICTED, Label.UNVERIFIED)


class GoldClaim(BaseModel):
    """One row of a `claims.*.jsonl` file."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    id: str = Field(min_length=1)
    claim: str = Field(min_length=1)
    label: Label
    evidence: list[str] = Field(default_factory=list)
    meta: dict[str, Any] = Field(default_factory=dict)  # gold-side: never passed to the checker


def load_claims(path: Path, limit: int | None = None) -> list[GoldClaim]:
    """Parse gold claims; a malformed row raises EvalDataError naming `file:line`."""
    text = read_text(path)
    rows: list[GoldClaim] = []
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            rows.append(GoldClaim.model_validate_json(line))
        except ValidationError as ex:
            err = ex.errors()[0]
            where = ".".join(str(p) for p in err["loc"]) or "row"
            raise EvalDataError(f"{path}:{lineno}: {where}: {err['msg']}") from None
        if limit is not None and len(rows) >= limit:
            break
    if not rows:
        raise EvalDataError(f"{path}: no claims in this file")
    return rows


# --------------------------------------------------------------------------- metric arithmetic


@dataclass(frozen=True, slots=True)
class ClassScores:
    precision: float
    recall: float
    f1: float
    support: int


LabelLike = Label | str


def _labels(values: Sequence[LabelLike]) -> list[Label]:
    return [Label(v) for v in values]


def confusion(gold: Sequence[LabelLike], pred: Sequence[LabelLike]) -> dict[Label, dict[Label, int]]:
    """confusion[gold][pred] counts."""
    table = {g: dict.fromkeys(LABELS, 0) for g in LABELS}
    for g, p in zip(_labels(gold), _labels(pred), strict=True):
        table[g][p] += 1
    return table


def per_class(gold: Sequence[LabelLike], pred: Sequence[LabelLike]) -> dict[Label, ClassScores]:
    """Precision, recall, F1 and support per label (labels as `Label`s or their string values)."""
    gold, pred = _labels(gold), _labels(pred)
    out: dict[Label, ClassScores] = {}
    for label in LABELS:
        tp = sum(1 for g, p in zip(gold, pred, strict=True) if g is label and p is label)
        n_pred = sum(1 for p in pred if p is label)
        n_gold = sum(1 for g in gold if g is label)
        precision = tp / n_pred if n_pred else 0.0
        recall = tp / n_gold if n_gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        out[label] = ClassScores(precision, recall, f1, n_gold)
    return out


def accuracy(gold: Sequence[LabelLike], pred: Sequence[LabelLike]) -> float:
    pairs = list(zip(_labels(gold), _labels(pred), strict=True))
    return sum(1 for g, p in pairs if g is p) / len(pairs) if pairs else 0.0


def macro_f1(gold: Sequence[LabelLike], pred: Sequence[LabelLike]) -> float:
    """Mean F1 over the labels present in the gold data."""
    scores = per_class(gold, pred)
    present = [label for label in LABELS if scores[label].support > 0]
    return sum(scores[label].f1 for label in present) / len(present) if present else 0.0


def recall_at_k(gold_ids: Sequence[Sequence[str]], retrieved: Sequence[Sequence[str]]) -> float | None:
    """Share of claims with gold evidence for which a gold id is among the retrieved source ids."""
    pairs = [(set(g), set(r)) for g, r in zip(gold_ids, retrieved, strict=True) if g]
    if not pairs:
        return None
    return sum(1 for g, r in pairs if g & r) / len(pairs)


# --------------------------------------------------------------------------- running


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def corpus_fingerprint(corpus: Path) -> str:
    """Content hash of a corpus file, or of every file (with its relative path) under a folder."""
    if corpus.is_file():
        return file_sha256(corpus)
    files = sorted(p for p in corpus.rglob("*") if p.is_file())
    return stable_id(*(f"{p.relative_to(corpus).as_posix()}:{file_sha256(p)}" for p in files), length=64)


def corpus_cache_dir(root: Path, corpus: Path, embedding_model: str) -> Path:
    """Eval stores are keyed by corpus content and embedding model, so they are reused safely."""
    return root / f"{corpus.stem}-{stable_id(corpus_fingerprint(corpus), embedding_model)}"


def evaluate(
    checker: Checker,
    gold: Sequence[GoldClaim],
    on_claim: Callable[[int], None] | None = None,
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Run every gold claim through `checker`; (metrics, prediction rows)."""
    preds: list[Label] = []
    rows: list[dict[str, Any]] = []
    retrieved: list[list[str]] = []
    started = time.perf_counter()
    for i, g in enumerate(gold):
        t0 = time.perf_counter()
        verdict, hits = checker.verify_with_hits(Claim.from_text(g.claim))  # the text only
        seconds = time.perf_counter() - t0
        preds.append(verdict.label)
        sources = list(dict.fromkeys(h.passage.source_id for h in hits))
        retrieved.append(sources)
        rows.append(
            {
                "id": g.id,
                "claim": g.claim,
                "gold": g.label.value,
                "pred": verdict.label.value,
                "confidence": verdict.confidence,
                "conflicting": verdict.conflicting,
                "cited": [c.source_id for c in verdict.citations],
                "retrieved": sources,
                "gold_evidence": g.evidence,
                "seconds": round(seconds, 4),
            }
        )
        if on_claim is not None:
            on_claim(i + 1)
    elapsed = time.perf_counter() - started
    per_claim = sorted(row["seconds"] for row in rows)
    golds = [g.label for g in gold]
    scores = per_class(golds, preds)
    metrics: dict[str, Any] = {
        "n": len(gold),
        "judge": checker.judge.name,
        "top_k": checker.top_k,
        "accuracy": round(accuracy(golds, preds), 4),
        "macro_f1": round(macro_f1(golds, preds), 4),
        "per_class": {
            label.value: {
                "precision": round(s.precision, 4),
                "recall": round(s.recall, 4),
                "f1": round(s.f1, 4),
                "support": s.support,
            }
            for label, s in scores.items()
        },
        "confusion": {
            g.value: {p.value: n for p, n in row.items()} for g, row in confusion(golds, preds).items()
        },
        "evidence_recall_at_k": _round(recall_at_k([g.evidence for g in gold], retrieved)),
        "seconds_per_claim": round(elapsed / len(gold), 4) if gold else 0.0,
        "median_seconds_per_claim": round(per_claim[len(per_claim) // 2], 4) if per_claim else 0.0,
    }
    return metrics, rows


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 4)


def write_run(out: Path, metrics: dict[str, Any], rows: Sequence[dict[str, Any]]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n", encoding="utf-8")
    with (out / "predictions.jsonl").open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
