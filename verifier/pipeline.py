"""Composition: Checker wires extractor -> retriever -> judge; `build_checker` is the only place that
names concrete classes."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from verifier.config import Settings
from verifier.errors import EmbeddingMismatchError, FormatMismatchError, InputError, StoreNotFoundError
from verifier.models import Claim, Hit, LLMUsage, Report, Verdict
from verifier.protocols import (
    ClaimExtractor,
    Embedder,
    EvidenceReviewer,
    Judge,
    PairJudge,
    Relevance,
    Retriever,
)
from verifier.review.chain import review_all
from verifier.store.evidence import EvidenceStore

if TYPE_CHECKING:
    from verifier.llm.compose import LLMParts
from verifier.store.lock import StoreLock

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
    usage: Callable[[], LLMUsage] | None = None  # what the language model cost so far (`--llm` only)

    def check_claim(self, text: str) -> Verdict:
        if not text or not text.strip():
            raise InputError("The claim is empty")
        return self.verify(Claim.from_text(text))

    def check(self, text: str) -> Report:
        """`check_claim` wrapped in a one-verdict report."""
        verdicts = (self.check_claim(text),)
        return Report(
            input=" ".join(text.split()), verdicts=verdicts, judge=self.judge.name, usage=self._usage()
        )

    def audit(self, article_text: str, *, source: str) -> Report:
        verdicts = tuple(self.iter_audit(article_text, source=source))
        return Report(input=source, verdicts=verdicts, judge=self.judge.name, usage=self._usage())

    def _usage(self) -> LLMUsage | None:
        return self.usage() if self.usage is not None else None

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
        hits = self.store.search(claim.shown, k=self.top_k)  # the topic helps retrieval find the story
        evidence = review_all(self.reviewers, claim, self.judge.judge(claim, hits))
        return self.judge.decide(claim, evidence), hits


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
    # one process builds (or rebuilds) the index; another one started meanwhile waits, then reuses it
    lock = StoreLock(
        settings.examples_lock_file, what="The shipped-examples index", wait=settings.examples_lock_wait
    )
    with lock:
        return _examples_store(settings, embedder, examples, notice)


def _examples_store(settings: Settings, embedder: Embedder, examples: Path, notice: Notice) -> EvidenceStore:
    options = store_options(settings)
    try:
        cache = EvidenceStore.open(settings.examples_store_dir, embedder, **options)
    except (EmbeddingMismatchError, FormatMismatchError):  # our own index of the shipped files, made
        # by an older embedder or an older store format
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

    return shared_embedder(
        settings.embed_batch_size, settings.threads, settings.embedder_dir, settings.embedder_backend
    )


def store_options(settings: Settings) -> dict[str, int]:
    return {"candidates": settings.candidates, "rrf_k": settings.rrf_k, "ef_search": settings.hnsw_ef_search}


def build_checker(
    settings: Settings,
    notice: Notice = _log_notice,
    store: Retriever | None = None,
    extractor: ClaimExtractor | None = None,
    llm: object | None = None,
) -> Checker:
    """Wire the default components for `settings` (over `store`, with `extractor`, when given).

    The default extractor is `ArticleClaimExtractor` (spaCy; decontextualised atomic claims);
    `SentenceClaimExtractor` (one verbatim claim per sentence) stays available.
    With `settings.llm` (or `llm`, a LangChain chat model) a language model judges and/or extracts.
    """
    from verifier.claims.extract import ArticleClaimExtractor
    from verifier.judges import get_judge

    llm_parts = _llm_parts(settings, llm)  # before any model loads: a bad --llm fails fast
    embedder = store.embedder if isinstance(store, EvidenceStore) else make_embedder(settings)
    judge: Judge
    if llm_parts is not None and llm_parts.judge is not None:
        judge = llm_parts.judge
    else:
        judge = get_judge(settings.judge, settings, embedder=embedder)  # fail fast on an unknown name
    if llm_parts is not None and llm_parts.extractor is not None:
        extractor = llm_parts.extractor
    if store is None:
        store = open_store(settings, embedder, notice)
    return Checker(
        extractor=extractor if extractor is not None else ArticleClaimExtractor(),
        store=reranking(settings, store),
        judge=judge,
        top_k=settings.top_k,
        reviewers=default_reviewers(settings, judge),
        usage=llm_parts.meter.snapshot if llm_parts is not None else None,
    )


def build_grounded_checker(
    settings: Settings,
    documents: Sequence[Path],
    notice: Notice = _log_notice,
    extractor: ClaimExtractor | None = None,
) -> Checker:
    """A checker over the given documents only (`--against`): read and chunked as `ingest` does, held
    in memory, every passage judged; no store is opened or written. A missing, binary or empty file
    fails (one line) before any model loads."""
    from verifier.store.grounded import GroundedRetriever

    store = GroundedRetriever.from_paths(documents, settings.max_file_bytes)
    return build_checker(settings, notice, store=store, extractor=extractor)


def _llm_parts(settings: Settings, llm: object | None) -> LLMParts | None:
    """The optional LangChain path (`--llm`): nothing of it is imported unless a model is named."""
    if settings.llm is None and llm is None:
        return None
    from verifier.llm.compose import llm_components

    return llm_components(settings, model=llm)


def default_reviewers(
    settings: Settings, judge: Judge, tuned: bool | None = None
) -> tuple[EvidenceReviewer, ...]:
    """The checks on judged evidence before the decision: figures, dates and actors (the judge re-reads
    a window it calls contradicting although the figures agree), then relevance. The trained relevance
    weighting replaces the off-topic gate (a window sharing no word with the claim cannot contradict
    it), which stays for judges not tuned with the weighting. Dev before/after of each, on the same
    judged passages: eval/numeric/dev_ablation.json; the numeric set: eval/numeric/RESULTS.md.
    `tuned`: see `relevance_reviewers`."""
    from verifier.review.numeric import NumericReviewer
    from verifier.review.relevance import OffTopicReviewer

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
    from verifier.review.relevance import RelevanceWeighting
    from verifier.store.rerank import RerankConfig, reranker_available

    if tuned is None:
        tuned = judge.relevance_weighted
    if not settings.relevance_weighting or not tuned or not reranker_available():
        return ()
    return (RelevanceWeighting(shared_relevance(), exponent=RerankConfig.load().weight_exponent),)


@lru_cache(maxsize=1)
def shared_relevance() -> Relevance:
    """One reranker per process (loaded on first use)."""
    from verifier.store.rerank import CrossEncoderRelevance

    return CrossEncoderRelevance()


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


def open_directory_store(settings: Settings) -> EvidenceStore:
    """The local store `store verify` and `store repair` work on; a Chroma server is checked by its own
    tools (one line, exit 1)."""
    if settings.store_url is not None:
        raise InputError(
            f"store verify/repair work on a store directory, not on the Chroma server {settings.store_url}"
        )
    return EvidenceStore.open(settings.store_dir, make_embedder(settings), **store_options(settings))
