"""Lexical side of retrieval: a tokenizer that keeps names and numbers, and a persisted bm25s index."""

from __future__ import annotations

import json
import logging
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from verifier.text.words import tokenize

log = logging.getLogger(__name__)


def _bm25s() -> Any:
    import bm25s

    logging.getLogger("bm25s").setLevel(logging.WARNING)  # bm25s sets DEBUG on import
    return bm25s


class Bm25Index:
    """bm25s over passage texts, saved as a folder beside the chroma files."""

    def __init__(self, ids: list[str], model: Any) -> None:
        self.ids = ids
        self._model = model
        self._vocab: dict[str, int] = dict(getattr(model, "vocab_dict", None) or {})

    @classmethod
    def build(cls, ids: Sequence[str], texts: Sequence[str]) -> Bm25Index:
        model = _bm25s().BM25()
        if ids:
            model.index([tokenize(t) or ["\x00empty"] for t in texts], show_progress=False)
        return cls(list(ids), model)

    def save(self, folder: Path) -> None:
        tmp = folder.with_name(folder.name + ".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        if self.ids:
            self._model.save(str(tmp))
        (tmp / "ids.json").write_text(json.dumps(self.ids), encoding="utf-8")
        shutil.rmtree(folder, ignore_errors=True)
        tmp.rename(folder)

    @classmethod
    def load(cls, folder: Path) -> Bm25Index | None:
        ids_file = folder / "ids.json"
        if not ids_file.is_file():
            return None
        bm25s = _bm25s()
        ids = json.loads(ids_file.read_text(encoding="utf-8"))
        model = bm25s.BM25.load(str(folder)) if ids else bm25s.BM25()
        return cls(ids, model)

    def search(self, query: str, k: int) -> list[tuple[str, float]]:
        """Top-k (passage id, bm25 score) with a positive score."""
        tokens = [t for t in tokenize(query) if t in self._vocab]
        if not tokens or not self.ids:
            return []
        k = min(k, len(self.ids))
        docs, scores = self._model.retrieve([tokens], k=k, show_progress=False, n_threads=1)
        return [(self.ids[int(d)], float(s)) for d, s in zip(docs[0], scores[0], strict=True) if float(s) > 0]
