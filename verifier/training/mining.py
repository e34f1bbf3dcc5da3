"""Lexical hard-negative mining over corpus sentences (bm25s), for training data only."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


class SentenceIndex:
    def __init__(self, items: Iterable[tuple[str, str]]) -> None:
        import bm25s

        self._items = list(items)
        self._retriever: Any = bm25s.BM25()
        tokens = bm25s.tokenize([s for _, s in self._items], stopwords="en", show_progress=False)
        self._retriever.index(tokens, show_progress=False)

    def search(self, query: str, k: int) -> list[tuple[str, str]]:
        import bm25s

        tokens = bm25s.tokenize([query], stopwords="en", show_progress=False)
        k = min(k, len(self._items))
        docs, _ = self._retriever.retrieve(tokens, k=k, show_progress=False)
        return [self._items[int(i)] for i in docs[0]]
