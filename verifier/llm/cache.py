"""Model answers on disk, keyed by (model, prompt version, input hash): a re-run costs no call.

Plain JSON files (one per answer, written atomically); no serialised Python objects."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any


def cache_key(model: str, prompt_version: str, payload: str) -> str:
    """The key of one answer: the model spec, the prompt's version and a hash of everything sent."""
    digest = hashlib.sha256(payload.encode("utf-8")).hexdigest()
    return hashlib.sha256("\x1f".join((model, prompt_version, digest)).encode("utf-8")).hexdigest()


class AnswerCache:
    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.json"

    def get(self, key: str) -> dict[str, Any] | None:
        try:
            raw = json.loads(self._path(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None  # absent, or a half-written / foreign file: ask the model again
        return raw if isinstance(raw, dict) else None

    def put(self, key: str, value: dict[str, Any]) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(value, fh, ensure_ascii=False, sort_keys=True)
        os.replace(tmp, path)
