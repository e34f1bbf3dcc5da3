"""Grounded mode: check against the given documents only, with no store to build or keep.

`GroundedRetriever` holds the passages of a few documents in memory (read and chunked exactly as
`ingest` does, so citations carry the same exact offsets into the given files) and returns every one of
them for every claim: with few documents there is nothing to retrieve, the judge reads them all."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from verifier.errors import InputError
from verifier.models import Hit, Passage, Source
from verifier.store.sources import chunk_source, iter_documents
from verifier.text.words import content_words


@dataclass(frozen=True)
class GroundedRetriever:
    """A `Retriever` over the passages of the given documents: all of them, best word overlap first."""

    passages: tuple[Passage, ...]

    @classmethod
    def from_documents(cls, documents: Iterable[tuple[Source, list[str] | None]]) -> GroundedRetriever:
        passages = tuple(p for source, sentences in documents for p in chunk_source(source, sentences))
        if not passages:
            raise InputError("The documents given with --against hold no text")
        return cls(passages)

    @classmethod
    def from_paths(cls, paths: Sequence[Path], max_bytes: int | None = None) -> GroundedRetriever:
        """The documents at `paths` (files or folders, the formats `ingest` reads); a missing, binary or
        empty file is a one-line `SourceReadError`."""
        if not paths:
            raise InputError("--against needs at least one document")
        return cls.from_documents(iter_documents(paths, max_bytes))

    @property
    def size(self) -> int:
        return len(self.passages)

    def search(self, query: str, k: int) -> list[Hit]:
        """Every passage (`k` is ignored: the judge reads the whole of the given documents), those
        sharing most content words with `query` first; the score is that share."""
        words = content_words(query)
        scored = [
            (len(words & content_words(p.text)) / max(1, len(words)), -n, p)
            for n, p in enumerate(self.passages)
        ]
        scored.sort(key=lambda item: (item[0], item[1]), reverse=True)
        return [Hit(passage=p, score=round(score, 4)) for score, _, p in scored]
