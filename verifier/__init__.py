"""verifier: offline claim verification against your own sources.

from verifier import Settings, build_checker
verdict = build_checker(Settings.resolve()).check_claim("Corvane cut 240 jobs.")
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from verifier.errors import (
    EmbeddingMismatchError,
    EvalDataError,
    InputError,
    LLMUnavailableError,
    MissingExtraError,
    ModelLoadError,
    SourceReadError,
    StoreError,
    StoreNotFoundError,
    UnknownBackendError,
    VerifierError,
)
from verifier.models import (
    Citation,
    Claim,
    Evidence,
    Hit,
    Label,
    LLMUsage,
    Passage,
    Report,
    Source,
    StanceProbs,
    Verdict,
)

if TYPE_CHECKING:
    from verifier.config import Settings
    from verifier.llm.retriever import as_langchain_retriever
    from verifier.pipeline import Checker, build_checker

_LAZY = {
    "Settings": "verifier.config",
    "Checker": "verifier.pipeline",
    "build_checker": "verifier.pipeline",
    "as_langchain_retriever": "verifier.llm.retriever",  # LangChain is imported on first use only
}

__all__ = [
    "Checker",
    "Citation",
    "Claim",
    "EmbeddingMismatchError",
    "EvalDataError",
    "Evidence",
    "Hit",
    "InputError",
    "LLMUnavailableError",
    "LLMUsage",
    "Label",
    "MissingExtraError",
    "ModelLoadError",
    "Passage",
    "Report",
    "Settings",
    "Source",
    "SourceReadError",
    "StanceProbs",
    "StoreError",
    "StoreNotFoundError",
    "UnknownBackendError",
    "Verdict",
    "VerifierError",
    "as_langchain_retriever",
    "build_checker",
]


def __getattr__(name: str) -> Any:
    """Settings, Checker, build_checker and as_langchain_retriever load on first use (keeps `verifier
    --help` fast, and LangChain out of every run that does not use it)."""
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'verifier' has no attribute {name!r}")
