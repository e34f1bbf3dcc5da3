"""The ONNX pair scorer: (premise, hypothesis) pairs to three-way probabilities (judge and reranker)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from verifier.errors import ModelLoadError

MODEL_DIR = Path(__file__).parent / "model"


MODEL_FILE = "judge.int8.onnx"


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
        bucket: int = 0,
    ) -> None:
        """`batch_size` 1 by default: dynamic int8 quantisation computes each activation scale over the
        whole batch, so a pair's probabilities moved with its batch mates; one pair per run makes a
        verdict reproducible (measurements: bench/README.md, "Batch invariance").

        `model_file` names another cross-encoder of the same backbone (the evidence reranker); its head
        size is read from the model's output.

        With `batch_size` > 1 and `bucket` > 0, pairs are padded to their own length rounded up to
        `bucket` tokens and batched only with pairs of the same padded width, so a pair's input never
        depends on its batch mates; with a batch-invariant model (fp32 arithmetic, e.g. one rewritten by
        `python -m verifier.training dequantize`) its scores are then the same alone and in a batch."""
        if not model_available(model_dir, model_file):
            what = "judge" if model_file == MODEL_FILE else model_file.partition(".")[0]
            raise ModelLoadError(f"The {what} model is missing from {model_dir}; reinstall verifier.")
        os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self.max_length = max_length
        self.batch_size = batch_size
        self.bucket = bucket
        self._tok = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self._tok.enable_truncation(max_length=max_length, strategy="only_first")
        self._tok.no_padding()
        self._tok_both: Any = None  # truncates both sides, for a hypothesis longer than the input
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = int(os.environ.get("VERIFIER_THREADS", "0")) or min(
            4, os.cpu_count() or 1
        )
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        # idle threads sleep instead of spinning (faster on 2 cores shared with other work: bench/README.md)
        opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self._session = ort.InferenceSession(
            str(model_dir / model_file), sess_options=opts, providers=["CPUExecutionProvider"]
        )
        self.n_labels = int(self._session.get_outputs()[0].shape[-1])

    def _encode_one(self, premise: str, hypothesis: str) -> Any:
        try:
            return self._tok.encode(premise, hypothesis)
        except Exception:
            if self._tok_both is None:
                from tokenizers import Tokenizer

                self._tok_both = Tokenizer.from_str(self._tok.to_str())
                self._tok_both.enable_truncation(max_length=self.max_length, strategy="longest_first")
                self._tok_both.no_padding()
            return self._tok_both.encode(premise, hypothesis)

    def token_counts(self, texts: Sequence[str]) -> list[int]:
        """Each text's length in tokens, without special tokens (capped at `max_length`)."""
        return [len(e.ids) for e in self._tok.encode_batch(list(texts), add_special_tokens=False)]

    def score(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        if not pairs:
            return np.zeros((0, self.n_labels), dtype=np.float32)
        try:
            encs = self._tok.encode_batch([(p, h) for p, h in pairs])
        except Exception:  # a hypothesis too long to fit beside any premise: those pairs alone are cut
            encs = [self._encode_one(p, h) for p, h in pairs]  # on both sides (the rest as before)
        order = sorted(range(len(encs)), key=lambda i: len(encs[i].ids))
        out = np.zeros((len(pairs), self.n_labels), dtype=np.float32)
        for idx, width in self._batches(order, [len(e.ids) for e in encs]):
            ids = np.zeros((len(idx), width), dtype=np.int64)
            types = np.zeros_like(ids)
            mask = np.zeros_like(ids)
            for row, i in enumerate(idx):
                n = len(encs[i].ids)
                ids[row, :n] = encs[i].ids
                types[row, :n] = encs[i].type_ids
                mask[row, :n] = 1
            if self.bucket > 0 and len(idx) == 1:  # a lone row takes another kernel path: run two
                ids, types, mask = (np.repeat(a, 2, axis=0) for a in (ids, types, mask))
            logits = self._session.run(
                ["logits"], {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
            )[0][: len(idx)]
            exp = np.exp(logits - logits.max(axis=1, keepdims=True))
            out[idx] = exp / exp.sum(axis=1, keepdims=True)
        return out

    def _batches(self, order: list[int], lengths: list[int]) -> list[tuple[list[int], int]]:
        """(pair indices, padded width) per session run: one pair at its own length (batch size 1);
        without a bucket, `batch_size` pairs in length order padded to the longest; else pairs of the
        same bucketed width, at most `batch_size` together."""
        if self.batch_size == 1:
            return [([i], lengths[i]) for i in order]
        if self.bucket <= 0:
            chunks = [order[s : s + self.batch_size] for s in range(0, len(order), self.batch_size)]
            return [(idx, max(lengths[i] for i in idx)) for idx in chunks]
        batches: list[tuple[list[int], int]] = []
        for i in order:
            width = min(-(-lengths[i] // self.bucket) * self.bucket, max(self.max_length, lengths[i]))
            if batches and batches[-1][1] == width and len(batches[-1][0]) < self.batch_size:
                batches[-1][0].append(i)
            else:
                batches.append(([i], width))
        return batches
