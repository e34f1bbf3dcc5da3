"""Lexical side of retrieval: a tokenizer that keeps names and numbers, and a persisted bm25s index."""

from __future__ import annotations

import json
import logging
import re
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

# Numbers keep their inner separators ("41,286" -> "41286", "3.5" -> "3.5"); words keep digits ("covid19").
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[^\W_]+", re.UNICODE)
STOPWORDS = frozenset(
    """a an and are as at be been being but by for from had has have he her his i if in into is it its
    of on or our she so than that the their them then there these they this those to was we were what
    when where which while who whom why will with would you your""".split()
)


def _stem(token: str) -> str:
    """A deliberately tiny stemmer: plural and possessive endings only."""
    if token.isdigit() or len(token) <= 3:
        return token
    if token.endswith("ies") and len(token) > 4:
        return token[:-3] + "y"
    if token.endswith("s") and not token.endswith(("ss", "us", "is")):
        return token[:-1]
    return token


def normalise_number(token: str) -> str:
    """'41,286' -> '41286'; '3.50' -> '3.5'; '2,5' (decimal comma) stays distinct from 25."""
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", token):
        token = token.replace(",", "")
    if re.fullmatch(r"\d+\.\d+", token):
        token = token.rstrip("0").rstrip(".")
    return token


def tokenize(text: str, *, keep_stopwords: bool = False) -> list[str]:
    """Lower-cased content tokens; numbers normalised, light stemming, English stop words dropped."""
    out: list[str] = []
    for m in _TOKEN.finditer(text.lower()):
        tok = m.group(0)
        if tok[0].isdigit():
            out.append(normalise_number(tok))
        elif keep_stopwords or tok not in STOPWORDS:
            out.append(_stem(tok))
    return out


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
