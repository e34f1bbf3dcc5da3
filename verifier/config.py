"""Settings: CLI flag > `VERIFIER_*` environment variable > code default."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from verifier.errors import InputError

ENV_PREFIX = "VERIFIER_"
APP_NAME = "verifier"
# bf16 / fp32: overrides the precision `hardware.precision()` picks from the CPU's features
PRECISION_ENV = ENV_PREFIX + "PRECISION"


def verifier_home() -> Path:
    """The one data directory: `VERIFIER_HOME`, else the platform's user data dir."""
    env = os.environ.get("VERIFIER_HOME")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


class Settings(BaseModel):
    """Everything a run can be configured with. Defaults live here and nowhere else."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    home: Path = Field(default_factory=verifier_home)
    store: Path | None = None  # None: home/"store"
    # a Chroma server (`chroma run`) instead of a store directory: `--store http://HOST:PORT` or
    # VERIFIER_STORE=http://... land here (see `_store_url`)
    store_url: str | None = None
    judge: str = "nli"  # falls back to "baseline" when the trained model is absent
    # the judge's operating point (`operating_points` in its thresholds.json): "strict" gives a label only
    # where dev precision reached the stored target; "balanced" is tuned for macro-F1 (more coverage)
    strictness: Literal["strict", "balanced"] = "balanced"
    top_k: int = Field(default=8, ge=1, le=100)
    embed_batch_size: int = Field(default=32, ge=1, le=1024)
    threads: int = Field(default=1, ge=1, le=64)  # embedding threads, onnxruntime or torch (VERIFIER_THREADS)
    # a fine-tuned embedder folder (`python -m verifier.training export-embedder`); None: the stock
    # all-MiniLM-L6-v2. A store remembers the embedder that built it.
    embedder_dir: Path | None = None
    # "onnx": the ONNX export served by onnxruntime, no torch (verifier/data/embedder, or embedder_dir's
    # own export); "torch": the sentence-transformers reference (VERIFIER_EMBEDDER_BACKEND)
    embedder_backend: Literal["onnx", "torch"] = "onnx"
    ingest_batch_size: int = Field(default=256, ge=1)
    candidates: int = Field(default=30, ge=1)  # per retriever, before fusion
    rrf_k: int = Field(default=60, ge=1)
    # the trained evidence reranker (verifier/data/reranker): weight judged passages by their relevance,
    # and (rerank_depth > 0) re-order the fused top N before the top k are judged
    relevance_weighting: bool = True
    rerank_depth: int = Field(default=0, ge=0, le=200)
    hnsw_ef_search: int = Field(default=200, ge=10)
    progress: Literal["auto", "always", "never"] = "auto"
    # the optional LangChain path (`pip install verifier[llm]`): a chat model named "provider:model"
    # ("ollama:llama3.1", "openai:gpt-4o-mini", "llamacpp:/path/model.gguf"); None: no language model
    # is used, and nothing of LangChain is imported
    llm: str | None = None
    llm_role: Literal["judge", "extract", "both"] = "both"
    max_llm_calls: int | None = Field(default=None, ge=1)  # None: no budget
    llm_cache: bool = True  # answers cached on disk by (model, prompt version, input hash)
    llm_temperature: float = Field(default=0.0, ge=0.0, le=2.0)
    llm_windows_per_passage: int = Field(default=3, ge=1, le=10)  # as the default judge reads
    llm_context: int = Field(default=8192, ge=512)  # llama.cpp context window (tokens)
    llm_max_tokens: int = Field(default=1024, ge=16)  # llama.cpp answer length cap (tokens)
    llm_sentences_per_call: int = Field(default=40, ge=1, le=500)  # article sentences per extraction call
    prompts_dir: Path | None = None  # None: the repository's prompts/ folder
    # one local writer per store: seconds a writer waits for another one's lock before it gives up
    # (0: at once, naming the holder's pid); building the shipped-examples index waits longer, since a
    # second `check` started meanwhile only needs the index the first one is building
    lock_wait: float = Field(default=0.0, ge=0)
    examples_lock_wait: float = Field(default=300.0, ge=0)
    # files over this size are refused (given directly) or skipped with a warning (in a folder)
    max_file_mb: float = Field(default=512.0, gt=0)
    # batch audits (`verifier audit` over many articles): 0 workers runs them in this process; N > 0 on a
    # dask LocalCluster of N single-threaded worker processes bound to 127.0.0.1; `scheduler`
    # (tcp://HOST:PORT) uses an existing dask cluster instead
    workers: int = Field(default=0, ge=0, le=256)
    scheduler: str | None = None
    batch_inflight: int = Field(default=4, ge=1, le=1000)  # articles queued per worker
    # document-level judging (the trained judge): besides its 1-2 sentence windows, score the claim
    # against chunks of N consecutive sentences (VERIFIER_JUDGE_CHUNK_SENTENCES=3,5) and against pieces
    # of up to N tokens (VERIFIER_JUDGE_CHUNK_TOKENS; capped to what the judge reads beside the claim).
    # Off by default: measured on dev in eval/grounded/RESULTS.md
    judge_chunk_sentences: tuple[int, ...] = ()
    judge_chunk_tokens: int = Field(default=0, ge=0, le=4096)

    @model_validator(mode="before")
    @classmethod
    def _store_url(cls, values: Any) -> Any:
        """`store` given as http(s)://HOST:PORT names a Chroma server: moved to `store_url`."""
        if isinstance(values, dict):
            store = values.get("store")
            if store is not None and str(store).startswith(("http://", "https://")):
                values = {**values, "store": None, "store_url": str(store).rstrip("/")}
        return values

    @field_validator("judge_chunk_sentences", mode="before")
    @classmethod
    def _chunk_sizes(cls, value: Any) -> Any:
        """ "3,5" (the environment) -> (3, 5); every size at least 2 (1-2 sentences are the windows)."""
        if isinstance(value, str):
            value = tuple(int(v) for v in value.replace(" ", "").split(",") if v)
        if isinstance(value, (tuple, list)) and any(int(v) < 2 for v in value):
            raise ValueError("chunk sizes are sentence counts of at least 2")
        return value

    @property
    def store_dir(self) -> Path:
        return self.store if self.store is not None else self.home / "store"

    @property
    def examples_store_dir(self) -> Path:
        return self.home / "examples-store"

    @property
    def max_file_bytes(self) -> int:
        return int(self.max_file_mb * 1_000_000)

    @property
    def examples_lock_file(self) -> Path:  # beside the index: a rebuild deletes the index's folder
        return self.home / "examples-store.lock"

    @property
    def eval_cache_dir(self) -> Path:
        return self.home / "eval-cache"

    @property
    def llm_cache_dir(self) -> Path:
        return self.home / "llm-cache"

    @property
    def server_cache_dir(self) -> Path:
        """Lexical indexes rebuilt from a Chroma server's passages, one folder per server."""
        return self.home / "server-cache"

    @property
    def store_location(self) -> str:
        """Where the evidence lives, for messages: the server URL or the store directory."""
        return self.store_url or str(self.store_dir)

    @classmethod
    def resolve(cls, **overrides: Any) -> Settings:
        """Build settings from CLI overrides (None means "not given"), then env, then defaults."""
        values: dict[str, Any] = {}
        for name in cls.model_fields:
            env = os.environ.get(ENV_PREFIX + name.upper())
            if env not in (None, ""):
                values[name] = env
        values.update({k: v for k, v in overrides.items() if v is not None})
        try:
            return cls(**values)
        except ValidationError as ex:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in err['loc']) or 'settings'}: {err['msg']}" for err in ex.errors()
            )
            raise InputError(f"Invalid settings: {problems}") from None
