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
    Passage,
    Report,
    Source,
    StanceProbs,
    Verdict,
)

if TYPE_CHECKING:
    from verifier.config import Settings
    from verifier.pipeline import Checker, build_checker

_LAZY = {"Settings": "verifier.config", "Checker": "verifier.pipeline", "build_checker": "verifier.pipeline"}

__all__ = [
    "Checker",
    "Citation",
    "Claim",
    "EmbeddingMismatchError",
    "EvalDataError",
    "Evidence",
    "Hit",
    "InputError",
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
    "build_checker",
]


def __getattr__(name: str) -> Any:
    """Settings, Checker and build_checker load on first use (keeps `verifier --help` fast)."""
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'verifier' has no attribute {name!r}")
