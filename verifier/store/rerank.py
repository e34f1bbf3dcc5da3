"""Evidence reranking: our trained relevance cross-encoder re-orders the fused retrieval candidates.

Dense and bm25 retrieval find passages on the claim's topic; the reranker reads each (passage, claim)
pair and asks whether the passage *decides* the claim, either way. It was trained for that on gold
evidence against the near misses our own retriever ranks high (`verifier.training.relevance`). The
retriever's top `depth` candidates are scored, blended with their fused rank, and the best passage of
each source comes first, as in `EvidenceStore.search`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import Any

from verifier.models import Hit, indexed_text
from verifier.protocols import Relevance, Retriever
from verifier.store.fusion import per_source_first

RERANKER_DIR = Path(__file__).resolve().parents[1] / "data" / "reranker"
MODEL_FILE = "reranker.int8.onnx"


@dataclass(frozen=True)
class RerankConfig:
    """How the reranker's scores are used, tuned with the model (`config.json` beside it)."""

    depth: int = 24  # fused candidates the reranker reads (Settings.rerank_depth overrides)
    rank_weight: float = 1.0  # blend: relevance + rank_weight / (1 + fused rank)
    weight_exponent: float = 0.5  # judged stances scaled by relevance ** this (review.RelevanceWeighting)

    @classmethod
    def load(cls, model_dir: Path = RERANKER_DIR) -> RerankConfig:
        path = model_dir / "config.json"
        if not path.is_file():
            return cls()
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})


def reranker_available(model_dir: Path = RERANKER_DIR) -> bool:
    from verifier.judges.pairs import model_available

    return model_available(model_dir, MODEL_FILE)


class CrossEncoderRelevance:
    """P(relevant) of (passage, claim) pairs from the shipped int8 ONNX reranker."""

    name = "minilm-l6-relevance-v1"

    def __init__(self, model_dir: Path = RERANKER_DIR, max_length: int = 192) -> None:
        self.model_dir = model_dir
        self.max_length = max_length

    @cached_property
    def _scorer(self) -> Any:
        from verifier.judges.pairs import PairScorer

        # one run per query's candidates: the batch is the same whenever the query is, so scores are
        # reproducible (dynamic int8 scales depend on batch mates), and a run is cheaper than 24
        return PairScorer(self.model_dir, self.max_length, batch_size=64, model_file=MODEL_FILE)

    def relevance(self, claim: str, passages: Sequence[str]) -> list[float]:
        probs = self._scorer.score([(p, claim) for p in passages])
        return [float(row[0]) for row in probs]


@dataclass(frozen=True)
class RerankingRetriever:
    """A Retriever that re-orders the first `config.depth` hits of another by trained relevance."""

    retriever: Retriever
    relevance: Relevance
    config: RerankConfig = RerankConfig()

    def search(self, query: str, k: int) -> list[Hit]:
        hits = self.retriever.search(query, max(k, self.config.depth))
        return rerank(
            hits, self.relevance.relevance(query, [indexed_text(h.passage) for h in hits]), k, self.config
        )


def rerank(hits: Sequence[Hit], scores: Sequence[float], k: int, config: RerankConfig) -> list[Hit]:
    """The top `k` of `hits` by relevance blended with fused rank; each source's best passage first."""
    blended = [
        (h.passage.id, s + config.rank_weight / (1 + rank))
        for rank, (h, s) in enumerate(zip(hits, scores, strict=True))
    ]
    blended.sort(key=lambda item: -item[1])
    by_id = {h.passage.id: h for h in hits}
    relevance = {h.passage.id: s for h, s in zip(hits, scores, strict=True)}
    return [
        replace(by_id[pid], score=round(score, 6), relevance=round(relevance[pid], 4))
        for pid, score in per_source_first(blended)[:k]
    ]
