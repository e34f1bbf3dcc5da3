"""Composition: Checker wires extractor -> retriever -> judge; `build_checker` is the only place that
names concrete classes."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from verifier.config import Settings
from verifier.errors import EmbeddingMismatchError, InputError, StoreNotFoundError
from verifier.models import Claim, Hit, Report, Verdict
from verifier.protocols import ClaimExtractor, Embedder, Judge, PairJudge, Relevance, Retriever
from verifier.review.numeric import EvidenceReviewer, review_all
from verifier.store.evidence import FORMAT_VERSION, EvidenceStore, IngestStats

if TYPE_CHECKING:
    from verifier.store.server import ServerEvidenceStore

log = logging.getLogger(__name__)

Notice = Callable[[str], None]


@dataclass(frozen=True)
class Checker:
    extractor: ClaimExtractor
    store: Retriever
    judge: Judge
    top_k: int = 8
    reviewers: tuple[EvidenceReviewer, ...] = ()  # checks on judged evidence before the decision

    def check_claim(self, text: str) -> Verdict:
        if not text or not text.strip():
            raise InputError("The claim is empty")
        return self.verify(Claim.from_text(text))

    def check(self, text: str) -> Report:
        """`check_claim` wrapped in a one-verdict report."""
        return Report(input=" ".join(text.split()), verdicts=(self.check_claim(text),), judge=self.judge.name)

    def audit(self, article_text: str, *, source: str) -> Report:
        verdicts = tuple(self.iter_audit(article_text, source=source))
        return Report(input=source, verdicts=verdicts, judge=self.judge.name)

    def iter_audit(self, article_text: str, *, source: str) -> Iterator[Verdict]:
        """The verdicts of `audit`, each yielded as soon as it is reached (streamed output)."""
        if not article_text.strip():
            raise InputError(f"{source}: the article is empty")
        for claim in self.extractor.extract(article_text):
            yield self.verify(claim)

    def verify(self, claim: Claim) -> Verdict:
        return self.verify_with_hits(claim)[0]

    def verify_with_hits(self, claim: Claim) -> tuple[Verdict, list[Hit]]:
        """The verdict and the retrieved passages it was reached from (for evaluation)."""
        hits = self.store.search(claim.text, k=self.top_k)
        read = judged_claim(claim)
        evidence = review_all(self.reviewers, read, self.judge.judge(read, hits))
        return self.judge.decide(claim, evidence), hits


_INSERTION = re.compile(r"\s*\[[^\[\]]{1,80}\](?=[.!?…]*\s*$)")


def judged_claim(claim: Claim) -> Claim:
    """The claim as the judge reads it: without the extractor's editorial "[topic]" insertion, which
    helps retrieval find the story but is no part of what the claim asserts."""
    text = _INSERTION.sub("", claim.text)
    return claim if text == claim.text or not text.strip() else replace(claim, text=text)


def examples_dir() -> Path | None:
    """The shipped example sources: the repo's `evidence/examples`, else the copy in the package."""
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "evidence" / "examples", here / "data" / "examples"):
        if candidate.is_dir() and any(candidate.iterdir()):
            return candidate
    return None


def _log_notice(message: str) -> None:
    log.warning(message)


def open_store(
    settings: Settings, embedder: Embedder, notice: Notice = _log_notice
) -> EvidenceStore | ServerEvidenceStore:
    """The configured store; when none was configured and nothing was ingested, the shipped examples."""
    if settings.store_url is not None:
        return open_server_store(settings, settings.store_url, embedder, must_exist=True)
    options = store_options(settings)
    store = EvidenceStore.open(settings.store_dir, embedder, **options)
    if not store.is_empty():
        return store
    if settings.store is not None:
        raise StoreNotFoundError(
            f"No sources ingested in {settings.store_dir}; "
            f"run: verifier ingest PATH --store {settings.store_dir}"
        )
    examples = examples_dir()
    if examples is None:
        raise StoreNotFoundError("No sources ingested yet; run: verifier ingest PATH")
    try:
        cache = EvidenceStore.open(settings.examples_store_dir, embedder, **options)
    except EmbeddingMismatchError:  # our own index of the shipped files, made by an older embedder
        notice(f"Re-indexing the shipped examples for {embedder.name}")
        EvidenceStore.remove(settings.examples_store_dir)
        cache = EvidenceStore.open(settings.examples_store_dir, embedder, **options)
    if cache.is_empty():
        notice(
            f"No sources ingested yet: using the shipped examples ({examples}), "
            f"indexed once into {settings.examples_store_dir}"
        )
    cache.ingest([examples], batch_size=settings.ingest_batch_size, progress="never")
    return cache


def make_embedder(settings: Settings) -> Embedder:
    from verifier.store.embedding import shared_embedder

    return shared_embedder(settings.embed_batch_size, settings.threads, settings.embedder_dir)


def store_options(settings: Settings) -> dict[str, int]:
    return {"candidates": settings.candidates, "rrf_k": settings.rrf_k, "ef_search": settings.hnsw_ef_search}


def build_checker(
    settings: Settings,
    notice: Notice = _log_notice,
    store: Retriever | None = None,
    extractor: ClaimExtractor | None = None,
) -> Checker:
    """Wire the default components for `settings` (over `store`, with `extractor`, when given).

    The default extractor is `ArticleClaimExtractor` (spaCy; decontextualised atomic claims);
    `SentenceClaimExtractor` (one verbatim claim per sentence) stays available.
    """
    from verifier.claims.extract import ArticleClaimExtractor
    from verifier.judges import get_judge

    embedder = store.embedder if isinstance(store, EvidenceStore) else make_embedder(settings)
    judge = get_judge(settings.judge, settings, embedder=embedder)  # fail fast on an unknown name
    if store is None:
        store = open_store(settings, embedder, notice)
    return Checker(
        extractor=extractor if extractor is not None else ArticleClaimExtractor(),
        store=reranking(settings, store),
        judge=judge,
        top_k=settings.top_k,
        reviewers=default_reviewers(settings, judge),
    )


def default_reviewers(
    settings: Settings, judge: Judge, tuned: bool | None = None
) -> tuple[EvidenceReviewer, ...]:
    """The checks on judged evidence before the decision: figures, dates and actors (the judge re-reads
    a window it calls contradicting although the figures agree), then relevance. The trained relevance
    weighting replaces the off-topic gate (a window sharing no word with the claim cannot contradict
    it), which stays for judges not tuned with the weighting. Dev before/after of each, on the same
    judged passages: eval/numeric/dev_ablation.json; the numeric set: eval/numeric/RESULTS.md.
    `tuned`: see `relevance_reviewers`."""
    from verifier.review.numeric import NumericReviewer, OffTopicReviewer

    numeric = NumericReviewer(rescorer=judge if isinstance(judge, PairJudge) else None)
    return (numeric, *(relevance_reviewers(settings, judge, tuned) or (OffTopicReviewer(),)))


def reranking(settings: Settings, store: Retriever) -> Retriever:
    """`store` with the trained evidence reranker over its first `rerank_depth` hits (when shipped)."""
    from verifier.store.rerank import RerankConfig, RerankingRetriever, reranker_available

    if not settings.rerank_depth or not reranker_available():
        return store
    config = replace(RerankConfig.load(), depth=settings.rerank_depth)
    return RerankingRetriever(store, shared_relevance(), config)


def relevance_reviewers(
    settings: Settings, judge: Judge, tuned: bool | None = None
) -> tuple[EvidenceReviewer, ...]:
    """Judged passages weighted by the reranker's relevance: when the reranker is shipped, the setting
    is on, and the judge's thresholds were tuned that way (the baseline judge's were not). `tuned`
    overrides what the judge's policy says (the tuner, which is about to fit thresholds for it)."""
    from verifier.review.numeric import RelevanceWeighting
    from verifier.store.rerank import RerankConfig, reranker_available

    if tuned is None:
        tuned = bool(getattr(getattr(judge, "policy", None), "relevance_weighting", False))
    if not settings.relevance_weighting or not tuned or not reranker_available():
        return ()
    return (RelevanceWeighting(shared_relevance(), exponent=RerankConfig.load().weight_exponent),)


@lru_cache(maxsize=1)
def shared_relevance() -> Relevance:
    """One reranker per process (loaded on first use)."""
    from verifier.store.rerank import CrossEncoderRelevance

    return CrossEncoderRelevance()


def open_eval_store(settings: Settings, corpus: Path) -> tuple[EvidenceStore, IngestStats]:
    """A cache store for `corpus` under home/eval-cache, keyed by its content and the embedding model."""
    from verifier.evaluation.runs import corpus_cache_dir
    from verifier.store.sources import read_text

    if not corpus.is_dir():
        read_text(corpus)  # missing / empty / binary corpus: a one-line error before any model loads
    embedder = make_embedder(settings)
    # keyed by the store format too: a change of what is indexed rebuilds the cache
    path = corpus_cache_dir(settings.eval_cache_dir, corpus, f"{embedder.name}/store-v{FORMAT_VERSION}")
    store = EvidenceStore.open(path, embedder, **store_options(settings))
    stats = store.ingest([corpus], batch_size=settings.ingest_batch_size, progress=settings.progress)
    return store, stats


def open_target_store(settings: Settings) -> EvidenceStore | ServerEvidenceStore:
    """The store `ingest` writes to: `--store` (a directory or a Chroma server), else home/"store"."""
    if settings.store_url is not None:
        return open_server_store(settings, settings.store_url, make_embedder(settings))
    return EvidenceStore.open(settings.store_dir, make_embedder(settings), **store_options(settings))


def open_server_store(
    settings: Settings, url: str, embedder: Embedder, *, must_exist: bool = False
) -> ServerEvidenceStore:
    """The store on the Chroma server at `url` (`must_exist`: with sources in it)."""
    from verifier.store.server import ServerEvidenceStore

    options = store_options(settings)
    store = ServerEvidenceStore.open(url, embedder, cache_dir=settings.server_cache_dir, **options)
    if must_exist and store.is_empty():
        raise StoreNotFoundError(f"No sources ingested in {url}; run: verifier ingest PATH --store {url}")
    return store
