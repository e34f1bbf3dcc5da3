"""Run a batch audit: each article through the same `Checker.audit` as `verifier audit FILE`, in this
process or on a dask cluster (a LocalCluster on 127.0.0.1, or an existing scheduler), one JSONL line
per article written as soon as it is done.

On dask, each worker process builds its checker (embedder, spaCy, judge, store) once, on its first
article, and keeps it (`worker_checker`, a per-process cache); the tasks carry only the settings and
the article. Articles are read here, so workers on other machines need no access to the files, only to
the store (a Chroma server, `--store http://HOST:PORT`, or a path they all see).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import islice
from pathlib import Path
from typing import IO, Any

from verifier.batch.inputs import ArticleInput
from verifier.config import Settings
from verifier.errors import InputError, VerifierError
from verifier.pipeline import Checker
from verifier.progress import progress_bar

log = logging.getLogger(__name__)

Line = dict[str, Any]
Notice = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class BatchSummary:
    audited: int  # articles audited in this run, failed ones included
    failed: int
    skipped: int  # already in the output of an earlier run
    duplicates: int  # ids seen earlier in the same inputs (left out)
    claims: int
    seconds: float
    workers: int  # processes the articles ran on (1: this one)

    @property
    def articles_per_minute(self) -> float:
        return 60.0 * self.audited / self.seconds if self.seconds > 0 else 0.0

    def line(self) -> str:
        return (
            f"Audited {self.audited} articles ({self.failed} failed, {self.claims} claims) in "
            f"{self.seconds:.1f} s on {self.workers} worker{'s' if self.workers != 1 else ''}: "
            f"{self.articles_per_minute:.1f} articles/minute"
            + (f"; {self.skipped} already done" if self.skipped else "")
            + (f"; {self.duplicates} duplicate ids left out" if self.duplicates else "")
            + "."
        )


# --------------------------------------------------------------------------- one article


def audit_line(checker: Checker, article: ArticleInput, default_date: str | None = None) -> Line:
    """The output line of one article: its audit (the `audit --format json` object plus its id), or its
    error. A failure of one article never raises."""
    if article.error is not None:
        return error_line(article, article.error)
    from verifier.claims.extract import extractor_for_audit
    from verifier.report import audit_dict

    try:
        extractor = extractor_for_audit(article.date or default_date)
        report = replace(checker, extractor=extractor).audit(article.text, source=article.id)
    except VerifierError as ex:
        return error_line(article, " ".join(str(ex).split()))
    except Exception as ex:  # a bug on one article's text must not end a batch of thousands
        log.error("article %s failed", article.id, exc_info=True)
        return error_line(article, f"internal error: {type(ex).__name__}: {ex}")
    line: Line = {"id": article.id}
    line.update({k: v for k, v in (("url", article.url), ("date", article.date)) if v})
    line.update(audit_dict(report))
    return line


def error_line(article: ArticleInput, error: str) -> Line:
    return {"id": article.id, "error": error}


@lru_cache(maxsize=2)
def worker_checker(settings: Settings) -> Checker:
    """One checker (and one copy of every model) per process and settings."""
    from verifier.pipeline import build_checker

    return build_checker(settings)


def audit_task(settings: Settings, article: ArticleInput, default_date: str | None) -> Line:
    """What a dask worker runs for one article."""
    return audit_line(worker_checker(settings), article, default_date)


def loaded_checkers() -> int:
    """How many checkers this process has built (for tests and diagnostics, run on each worker)."""
    return worker_checker.cache_info().currsize


# --------------------------------------------------------------------------- the batch


def resolved_settings(settings: Settings, notice: Notice) -> Settings:
    """`settings` with the store pinned: without `--store`, the default store or the shipped examples'
    index, made here once (so that workers only read it)."""
    if settings.store_url is not None:
        return settings
    from verifier.pipeline import make_embedder, open_store
    from verifier.store.evidence import EvidenceStore

    store = open_store(settings, make_embedder(settings), notice)
    if not isinstance(store, EvidenceStore):
        return settings
    store.close()
    return settings.model_copy(update={"store": store.path})


def audit_many(
    settings: Settings,
    inputs: Sequence[str],
    *,
    out: Path | None,
    stdout: IO[str],
    article_date: str | None = None,
    notice: Notice = log.warning,
) -> BatchSummary:
    """`verifier audit` over many inputs: lines appended to `out` (resuming after the ids it holds),
    or written to `stdout` when no `out` is given."""
    from verifier.batch.inputs import article_files, count_articles, iter_articles
    from verifier.batch.output import JsonlSink, recover

    files = article_files(inputs)
    done = frozenset(recover(out)) if out is not None else frozenset()
    sink = JsonlSink.append_to(out) if out is not None else JsonlSink(stdout)
    try:
        return run_batch(
            settings, iter_articles(files), sink.write, done=done, article_date=article_date,
            total=count_articles(files), notice=notice,
        )  # fmt: skip
    finally:
        sink.close()


def run_batch(
    settings: Settings,
    articles: Iterable[ArticleInput],
    write: Callable[[Line], None],
    *,
    done: frozenset[str] = frozenset(),
    article_date: str | None = None,
    total: int | None = None,
    notice: Notice = log.warning,
) -> BatchSummary:
    """Audit every article not in `done` and `write` each one's line as soon as it is ready (in
    completion order: key the lines by id). Serial when `settings.workers` is 0 and no scheduler is
    set, else on dask."""
    from verifier.claims.extract import extractor_for_audit

    extractor_for_audit(article_date)  # a bad --date fails before anything runs
    started = time.perf_counter()
    settings = resolved_settings(settings, notice)
    counts = {"audited": 0, "failed": 0, "skipped": 0, "duplicates": 0, "claims": 0}
    seen: set[str] = set()

    def todo() -> Iterator[ArticleInput]:
        for article in articles:
            if article.id in done:
                counts["skipped"] += 1
                advance(1)
            elif article.id in seen:
                log.warning("duplicate article id %s: only the first is audited", article.id)
                counts["duplicates"] += 1
                advance(1)
            else:
                seen.add(article.id)
                yield article

    def record(line: Line) -> None:
        write(line)
        counts["audited"] += 1
        counts["failed"] += "error" in line
        counts["claims"] += len(line.get("claims", ()))
        advance(1)

    distributed = settings.workers > 0 or settings.scheduler is not None
    with progress_bar(total, settings.progress, label="audit", unit="articles") as advance:
        if distributed:
            workers = _run_dask(settings, todo(), record, article_date)
        else:
            workers = 1
            checker = worker_checker(settings)
            for article in todo():
                record(audit_line(checker, article, article_date))
    return BatchSummary(**counts, seconds=time.perf_counter() - started, workers=workers)


def _run_dask(
    settings: Settings, articles: Iterator[ArticleInput], record: Callable[[Line], None], date: str | None
) -> int:
    """Run the articles on dask, at most `batch_inflight` per worker queued at once; returns the number
    of workers."""
    from dask.distributed import as_completed

    with dask_client(settings) as client:
        workers = max(1, len(client.scheduler_info()["workers"]))
        window = settings.batch_inflight * workers
        pending: dict[str, ArticleInput] = {}
        running = as_completed()

        def submit(batch: Iterable[ArticleInput]) -> None:
            for article in batch:
                if article.error is not None:  # unreadable: nothing to send
                    record(error_line(article, article.error))
                    continue
                future = client.submit(audit_task, settings, article, date, pure=False)
                pending[future.key] = article
                running.add(future)

        submit(islice(articles, window))
        for future in running:
            article = pending.pop(future.key)
            try:
                line = future.result()
            except Exception as ex:  # the worker died (out of memory, killed): this article only
                line = error_line(article, f"worker failed: {type(ex).__name__}: {ex}")
            finally:
                future.release()
            record(line)
            submit(islice(articles, max(0, window - len(pending))))
        return workers


@contextmanager
def dask_client(settings: Settings) -> Iterator[Any]:
    """A dask client: on `settings.scheduler`, else on a LocalCluster of `settings.workers`
    single-threaded processes, scheduler and workers bound to 127.0.0.1, no dashboard."""
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        from verifier.errors import MissingExtraError

        raise MissingExtraError(
            '--workers and --scheduler need dask: pip install "verifier[scale]"'
        ) from None
    if settings.scheduler is not None:
        try:
            client = Client(settings.scheduler, timeout="10s")
        except (OSError, TimeoutError) as ex:
            raise InputError(f"--scheduler {settings.scheduler}: cannot connect ({ex})") from None
        try:
            yield client
        finally:
            client.close()
        return
    threads = str(settings.threads)
    cluster = LocalCluster(
        host="127.0.0.1",
        n_workers=settings.workers,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        silence_logs=logging.ERROR,
        # one thread per worker for torch and onnxruntime too: the workers are the parallelism
        env={"VERIFIER_THREADS": threads, "OMP_NUM_THREADS": threads, "MKL_NUM_THREADS": threads},
    )
    try:
        with Client(cluster) as client:
            yield client
    finally:
        cluster.close()
