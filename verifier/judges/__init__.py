"""Judges: read a claim against retrieved passages and decide. `get_judge` builds one by name (the
trained NLI cross-encoder, or the lexical baseline); `PairScorer` runs the ONNX pair model both use."""

from __future__ import annotations

from verifier.judges.registry import DESCRIPTIONS, JUDGES, get_judge, nli_available

__all__ = ["DESCRIPTIONS", "JUDGES", "get_judge", "nli_available"]
