"""The default judge: our trained MiniLM cross-encoder (int8 ONNX), scored on sentence windows.

Each retrieved passage is cut into windows of one or two sentences; the windows that share most words
with the claim are scored, and the window with the strongest stance decides that passage. The verdict
comes from the strongest entailment and contradiction over all passages, with thresholds and a
confidence calibration tuned on dev claims and stored beside the weights (`model/thresholds.json`).
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from verifier import aggregate
from verifier.aggregate import Decision, DecisionPolicy
from verifier.errors import ModelLoadError
from verifier.judges.windows import judged_windows
from verifier.models import Claim, Evidence, Hit, Label, StanceProbs, Verdict
from verifier.text.sentences import content_words

MODEL_DIR = Path(__file__).parent / "model"
MODEL_FILE = "judge.int8.onnx"
LABELS = (Label.SUPPORTED, Label.UNVERIFIED, Label.CONTRADICTED)  # model order: entail, neutral, contra

FEATURES = (
    "max_entail",
    "max_contra",
    "top3_entail",
    "top3_contra",
    "first_entail",
    "first_contra",
    "share_entail",
    "share_contra",
    "max_margin",
    "min_margin",
)


def evidence_features(evidence: Sequence[Evidence]) -> list[float]:
    """Aggregate stance features over the judged passages (in retrieval order), for the aggregator."""
    if not evidence:
        return [0.0] * len(FEATURES)
    ent = [e.probs.entailment for e in evidence]
    con = [e.probs.contradiction for e in evidence]
    margins = [a - b for a, b in zip(ent, con, strict=True)]
    n = len(evidence)
    return [
        max(ent),
        max(con),
        float(np.mean(sorted(ent)[-3:])),
        float(np.mean(sorted(con)[-3:])),
        ent[0],
        con[0],
        sum(x >= 0.5 for x in ent) / n,
        sum(x >= 0.5 for x in con) / n,
        max(margins),
        min(margins),
    ]


def model_available(model_dir: Path = MODEL_DIR, model_file: str = MODEL_FILE) -> bool:
    return (model_dir / model_file).is_file() and (model_dir / "tokenizer.json").is_file()


class PairScorer:
    """(premise, hypothesis) pairs -> softmax probabilities [entail, neutral, contra], batched ONNX."""

    def __init__(
        self,
        model_dir: Path = MODEL_DIR,
        max_length: int = 192,
        batch_size: int = 1,
        model_file: str = MODEL_FILE,
    ) -> None:
        """`batch_size` 1 by default: dynamic int8 quantisation computes each activation scale over the
        whole batch, so a pair's probabilities moved with its batch mates (mean 0.03, up to 0.28, the top
        label changed for 5% of SciFact pairs); one pair per run makes a verdict reproducible at ~the
        same speed on long pairs (93 vs 95 pairs/s at ~150 tokens on 2 idle cores).

        `model_file` names another cross-encoder of the same backbone (the evidence reranker); its head
        size is read from the model's output."""
        if not model_available(model_dir, model_file):
            what = "judge" if model_file == MODEL_FILE else model_file.partition(".")[0]
            raise ModelLoadError(f"The {what} model is missing from {model_dir}; reinstall verifier.")
        os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self.max_length = max_length
        self.batch_size = batch_size
        self._tok = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self._tok.enable_truncation(max_length=max_length, strategy="only_first")
        self._tok.no_padding()
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = int(os.environ.get("VERIFIER_THREADS", "0")) or min(
            4, os.cpu_count() or 1
        )
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        # idle threads sleep instead of spinning: measured 1.5x faster on 2 cores shared with other work
        opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self._session = ort.InferenceSession(
            str(model_dir / model_file), sess_options=opts, providers=["CPUExecutionProvider"]
        )
        self.n_labels = int(self._session.get_outputs()[0].shape[-1])

    def score(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        if not pairs:
            return np.zeros((0, self.n_labels), dtype=np.float32)
        encs = self._tok.encode_batch([(p, h) for p, h in pairs])
        order = sorted(range(len(encs)), key=lambda i: len(encs[i].ids))
        out = np.zeros((len(pairs), self.n_labels), dtype=np.float32)
        for start in range(0, len(order), self.batch_size):
            idx = order[start : start + self.batch_size]
            width = max(len(encs[i].ids) for i in idx)
            ids = np.zeros((len(idx), width), dtype=np.int64)
            types = np.zeros_like(ids)
            mask = np.zeros_like(ids)
            for row, i in enumerate(idx):
                n = len(encs[i].ids)
                ids[row, :n] = encs[i].ids
                types[row, :n] = encs[i].type_ids
                mask[row, :n] = 1
            logits = self._session.run(
                ["logits"], {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
            )[0]
            exp = np.exp(logits - logits.max(axis=1, keepdims=True))
            out[idx] = exp / exp.sum(axis=1, keepdims=True)
        return out


@dataclass(frozen=True)
class Logistic:
    """A learned aggregator: softmax(W @ features + b) over (supported, unverified, contradicted)."""

    weights: tuple[tuple[float, ...], ...]
    bias: tuple[float, ...]
    floor: float = 0.25  # a stance whose strongest passage is below this cannot win (it would be cited)

    def probabilities(self, features: Sequence[float]) -> np.ndarray:
        z = np.asarray(self.weights) @ np.asarray(features) + np.asarray(self.bias)
        p = np.exp(z - z.max())
        return np.asarray(p / p.sum())


@dataclass(frozen=True)
class Policy:
    """Decision thresholds, an optional learned aggregator and the confidence calibration, all tuned
    on dev claims (see MODEL_CARD.md)."""

    decision: DecisionPolicy = DecisionPolicy()
    # piecewise-linear calibration: raw winning score -> probability that the verdict is right
    calibration: tuple[tuple[float, float], ...] = ((0.0, 0.0), (1.0, 1.0))
    logistic: Logistic | None = None
    # the thresholds were tuned on evidence weighted by the reranker's relevance, so the pipeline must
    # weight it the same way (`pipeline.relevance_reviewers`)
    relevance_weighting: bool = False

    @classmethod
    def load(cls, path: Path) -> Policy:
        if not path.is_file():
            return cls()
        raw: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        fields = {k: raw[k] for k in DecisionPolicy.__dataclass_fields__ if k in raw}
        knots = tuple((float(a), float(b)) for a, b in raw.get("calibration", ((0.0, 0.0), (1.0, 1.0))))
        agg = raw.get("aggregator")
        logistic = None
        if agg and agg.get("kind") == "logistic":
            logistic = Logistic(
                weights=tuple(tuple(float(x) for x in row) for row in agg["weights"]),
                bias=tuple(float(x) for x in agg["bias"]),
                floor=float(agg.get("floor", 0.25)),
            )
        return cls(
            decision=DecisionPolicy(**fields),
            calibration=knots,
            logistic=logistic,
            relevance_weighting=bool(raw.get("relevance_weighting", False)),
        )

    def calibrate(self, raw: float) -> float:
        xs = [x for x, _ in self.calibration]
        ys = [y for _, y in self.calibration]
        return float(np.clip(np.interp(raw, xs, ys), 0.0, 1.0))

    def learned_decision(self, evidence: Sequence[Evidence]) -> Decision | None:
        """The learned aggregator's decision, or None when there is none (or no evidence)."""
        if self.logistic is None or not evidence:
            return None
        return self.decision_from_features(evidence_features(evidence))

    def decision_from_features(self, feats: Sequence[float]) -> Decision:
        assert self.logistic is not None
        entail, contra = feats[0], feats[1]
        p = self.logistic.probabilities(feats)  # supported, unverified, contradicted
        if entail < self.logistic.floor:
            p[0] = 0.0
        if contra < self.logistic.floor:
            p[2] = 0.0
        p = p / p.sum()
        idx = int(np.argmax(p))
        conflicting = (
            entail >= self.decision.support_threshold and contra >= self.decision.contradict_threshold
        )
        label = (Label.SUPPORTED, Label.UNVERIFIED, Label.CONTRADICTED)[idx]
        return Decision(label, round(float(p[idx]), 4), conflicting, entail, contra)


class NLIJudge:
    """Judge protocol implementation backed by the packaged, trained cross-encoder."""

    def __init__(self, model_dir: Path = MODEL_DIR, windows_per_passage: int = 3) -> None:
        self.model_dir = model_dir
        self.windows_per_passage = windows_per_passage
        card = model_dir / "thresholds.json"
        self.policy = Policy.load(card)
        version = json.loads(card.read_text())["model_id"] if card.is_file() else "untuned"
        self.name = f"nli:{version}"

    @classmethod
    def from_settings(cls, settings: Any) -> NLIJudge:
        return cls()

    @cached_property
    def scorer(self) -> PairScorer:
        return PairScorer(self.model_dir)

    def score_pairs(self, pairs: Sequence[tuple[str, str]]) -> list[StanceProbs]:
        return [StanceProbs(float(p[0]), float(p[1]), float(p[2])) for p in self.scorer.score(pairs)]

    def _windows(self, claim_words: set[str], text: str) -> list[tuple[int, int]]:
        return judged_windows(claim_words, text, self.windows_per_passage)

    def judge(self, claim: Claim, hits: Sequence[Hit]) -> list[Evidence]:
        claim_words = content_words(claim.text)
        spans: list[tuple[int, tuple[int, int]]] = []
        for h_idx, hit in enumerate(hits):
            spans.extend((h_idx, w) for w in self._windows(claim_words, hit.passage.text))
        probs = self.scorer.score([(hits[h].passage.text[s:e], claim.text) for h, (s, e) in spans])
        best: dict[int, tuple[float, int]] = {}
        for row, (h_idx, _) in enumerate(spans):
            strength = float(max(probs[row, 0], probs[row, 2]))
            if h_idx not in best or strength > best[h_idx][0]:
                best[h_idx] = (strength, row)
        evidence: list[Evidence] = []
        for h_idx, hit in enumerate(hits):
            if h_idx not in best:
                continue
            row = best[h_idx][1]
            p = probs[row]
            evidence.append(
                Evidence(
                    passage=hit.passage,
                    retrieval_score=hit.score,
                    relevance=hit.relevance,
                    stance=LABELS[int(np.argmax(p))],
                    probs=StanceProbs(float(p[0]), float(p[1]), float(p[2])),
                    span=spans[row][1],
                )
            )
        return evidence

    def decide(self, claim: Claim, evidence: Sequence[Evidence]) -> Verdict:
        learned = self.policy.learned_decision(evidence)
        if learned is not None:  # its probabilities are calibrated already
            return aggregate.decide(claim, evidence, self.policy.decision, decision=learned)
        return aggregate.decide(claim, evidence, self.policy.decision, calibrate=self.policy.calibrate)
