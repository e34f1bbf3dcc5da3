"""Judge registry: names -> lazily imported Judge implementations."""

from __future__ import annotations

import importlib
import logging
from typing import Any

from verifier.errors import UnknownBackendError
from verifier.judges.pairs import model_available
from verifier.protocols import Embedder, Judge

log = logging.getLogger(__name__)

JUDGES: dict[str, str] = {
    "nli": "verifier.judges.nli:NLIJudge",
    "baseline": "verifier.judges.baseline:BaselineJudge",
}
DESCRIPTIONS: dict[str, str] = {
    "nli": "trained MiniLM NLI cross-encoder (default; falls back to the baseline when not installed)",
    "baseline": "lexical-overlap baseline (negation/number cues), a baseline, not a model",
}


def nli_available() -> bool:
    """True when the trained NLI judge's model files are present."""
    return model_available()


def _load(name: str) -> Any:
    module, _, attr = JUDGES[name].partition(":")
    return getattr(importlib.import_module(module), attr)


def get_judge(name: str, settings: Any, embedder: Embedder | None = None) -> Judge:
    """Build the judge `name`; "nli" without its model gives the baseline (logged)."""
    if name not in JUDGES:
        raise UnknownBackendError(f"Unknown judge {name!r}; choose from {', '.join(JUDGES)}")
    if name == "nli" and not nli_available():
        log.info("the trained NLI judge is not installed; using the baseline judge instead")
        name = "baseline"
    cls = _load(name)
    if name == "baseline":
        judge: Judge = cls.from_settings(settings, embedder=embedder)
    elif hasattr(cls, "from_settings"):
        judge = cls.from_settings(settings)
    else:
        judge = cls()
    return judge
