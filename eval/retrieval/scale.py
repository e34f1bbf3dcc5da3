"""Retrieval latency and memory on a large store (default 100,000 passages), built from the shared corpora.

    python eval/retrieval/scale.py --home /tmp/scale --passages 100000 [--queries 200]

The store holds the real corpus passages (SciFact, Climate-FEVER, AVeriTeC) repeated until the
target count is reached; each copy's text gets a " [copy N]" marker and its vector a little noise
around the real MiniLM vector of the original, so ingest does not have to embed 100,000 passages
(about 40 minutes here). Queries are real dev claims, embedded by the real packaged model, and
`EvidenceStore.search` runs exactly as in the checker.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import statistics
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from verifier.evaluation.gold import load_claims
from verifier.models import indexed_text
from verifier.store.embedding import MiniLMEmbedder
from verifier.store.evidence import EvidenceStore
from verifier.store.sources import chunk_source, iter_documents

DATA = Path("/work/shared/eval-data")
DATASETS = ("scifact", "climate_fever", "averitec")
_COPY = re.compile(r" \[copy (\d+)\]$")


class NoisyCopyEmbedder:
    """Embeds originals with the real model (cached); a copy gets its original's vector plus noise."""

    def __init__(self, real: MiniLMEmbedder, cache: Path) -> None:
        self.real = real
        self.name = real.name
        self.dimension = real.dimension
        self.cache = cache
        self._vectors: dict[str, np.ndarray] = {}

    def prime(self, texts: Sequence[str]) -> None:
        file = self.cache / "vectors.npy"
        if file.exists():
            vecs = np.load(file)
        else:
            vecs = np.asarray(self.real.embed(list(texts)), dtype=np.float32)
            np.save(file, vecs)
        self._vectors = dict(zip(texts, vecs, strict=True))

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        out = []
        for text in texts:
            m = _COPY.search(text)
            base = self._vectors.get(_COPY.sub("", text))
            if base is None:
                return self.real.embed(texts)  # a query
            rng = np.random.default_rng(int(m.group(1)) if m else 0)
            v = base + (rng.normal(0.0, 0.02, base.shape) if m else 0.0)
            out.append([float(x) for x in v / np.linalg.norm(v)])
        return out


def build_corpus(target: int, out: Path) -> list[str]:
    """Write a jsonl corpus of about `target` passages (one passage per row); returns the original texts."""
    passages = [
        p
        for name in DATASETS
        for src, sents in iter_documents([DATA / name / "corpus.jsonl"])
        for p in chunk_source(src, sents)
    ]
    with out.open("w", encoding="utf-8") as fh:
        for i in range(target):
            p, copy = passages[i % len(passages)], i // len(passages)
            text = p.text if copy == 0 else f"{p.text} [copy {copy}]"
            row = {"id": f"{p.id}~{copy}", "title": p.title, "text": text, "sentences": [text]}
            fh.write(json.dumps(row) + "\n")
    return [indexed_text(p) for p in passages]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--home", type=Path, required=True)
    parser.add_argument("--passages", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    args.home.mkdir(parents=True, exist_ok=True)
    corpus = args.home / "corpus.jsonl"
    originals = build_corpus(args.passages, corpus)
    embedder = NoisyCopyEmbedder(MiniLMEmbedder(), args.home)
    embedder.prime(originals)
    store = EvidenceStore.open(args.home / "store", embedder)
    t0 = time.perf_counter()
    stats = store.ingest([corpus], batch_size=2048, progress="never")
    took = time.perf_counter() - t0
    print(f"ingest: {stats.passages} passages in {took:.0f} s; store holds {store.count_passages()}")
    claims = [c.claim for name in DATASETS for c in load_claims(DATA / name / "claims.dev.jsonl")]
    claims = claims[:: max(1, len(claims) // args.queries)][: args.queries]
    store.search("warm up", 8)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    parts: dict[str, list[float]] = {"embed": [], "dense": [], "lexical": [], "search": []}
    for claim in claims:
        t = time.perf_counter()
        vec = embedder.real.embed([claim])[0]
        parts["embed"].append(time.perf_counter() - t)
        t = time.perf_counter()
        store.collection.query(query_embeddings=[vec], n_results=store.candidates, include=["distances"])
        parts["dense"].append(time.perf_counter() - t)
        t = time.perf_counter()
        store.lexical_search(claim, store.candidates)
        parts["lexical"].append(time.perf_counter() - t)
        t = time.perf_counter()
        store.search(claim, 8)
        parts["search"].append(time.perf_counter() - t)
    for key, values in parts.items():
        ms = sorted(v * 1000 for v in values)
        print(f"{key:8s} median {statistics.median(ms):6.1f} ms  p95 {ms[int(len(ms) * 0.95)]:6.1f} ms")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"max RSS {rss // 1024} MB (after warm-up {rss_before // 1024} MB); {len(claims)} queries")


if __name__ == "__main__":
    main()
