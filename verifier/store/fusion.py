"""Fusion of the dense and lexical rankings: reciprocal rank fusion and one-passage-per-source ordering."""

from __future__ import annotations

from collections.abc import Sequence


def source_of(passage_id: str) -> str:
    """The source id of a passage id (`f"{source_id}#{chunk_no}"`)."""
    return passage_id.rpartition("#")[0] or passage_id


def per_source_first(ranked: Sequence[tuple[str, float]]) -> list[tuple[str, float]]:
    """Each source's best passage first (in rank order), then the second-best ones, and so on.

    Several overlapping passages of one long source would otherwise fill the top k and crowd out a
    second source (measured: eval/retrieval/RESULTS.md).
    """
    seen: dict[str, int] = {}
    tiers: list[tuple[int, int]] = []
    for pos, (pid, _) in enumerate(ranked):
        src = source_of(pid)
        tiers.append((seen.get(src, 0), pos))
        seen[src] = seen.get(src, 0) + 1
    return [ranked[pos] for _, pos in sorted(tiers)]


def rrf(rankings: Sequence[Sequence[tuple[str, float]]], k: int = 60) -> list[tuple[str, float]]:
    """Reciprocal rank fusion: sum of 1 / (k + rank) over the rankings (rank from 1), best first."""
    scores: dict[str, float] = {}
    for ranking in rankings:
        for rank, (pid, _) in enumerate(ranking, 1):
            scores[pid] = scores.get(pid, 0.0) + 1.0 / (k + rank)
    return sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))


def fuse(
    rankings: Sequence[Sequence[tuple[str, float]]], top: int, rrf_k: int = 60, guaranteed: int = 2
) -> list[tuple[str, float]]:
    """RRF, except that the leaders of each ranking keep a place in the `top` list.

    Plain RRF lets passages that both retrievers rank moderately outscore one that only bm25 ranks
    first, which is exactly the passage holding a rare name or number the embedding misses. Up to
    `guaranteed` leaders per ranking (taken rank by rank, at most half of `top`) are kept.
    """
    fused = rrf(rankings, rrf_k)
    order = [r[i][0] for i in range(guaranteed) for r in rankings if i < len(r)]
    protected = list(dict.fromkeys(order))[: max(1, top // 2)]
    chosen = set(protected)
    for pid, _ in fused:
        if len(chosen) >= top:
            break
        chosen.add(pid)
    return [item for item in fused if item[0] in chosen] + [item for item in fused if item[0] not in chosen]
