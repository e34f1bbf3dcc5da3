"""The `verifier` command line: thin wrappers that resolve settings, call the pipeline, render.

Heavy libraries (torch, chromadb, sentence-transformers, bm25s) are imported inside the commands only,
so `verifier --help` stays instant.
"""

from __future__ import annotations

import dataclasses
import logging
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from verifier.errors import InputError, VerifierError

EXIT_CODES = (
    "Exit codes: 0 ok; 1 user error (bad input, an unreadable or binary file, a missing, locked or "
    "inconsistent store: one 'Error: ...' line on stderr, never a traceback); 2 usage error (an unknown "
    "option, a missing argument); 130 interrupted (Ctrl-C)."
)

app = typer.Typer(
    name="verifier",
    epilog=EXIT_CODES,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    help="Check claims against your own sources, offline: ingest sources, check a claim, audit an article.",
)


class Format(StrEnum):
    text = "text"
    json = "json"


StoreOpt = Annotated[
    str | None,
    typer.Option(
        "--store",
        help="Evidence store directory, or a Chroma server as http://HOST:PORT "
        "[env VERIFIER_STORE; default: VERIFIER_HOME/store].",
        show_default=False,
    ),
]
JudgeOpt = Annotated[
    str | None,
    typer.Option(
        "--judge",
        help="Judge: 'nli' (trained NLI model, the default; falls back to the baseline when its model is "
        "not installed) or 'baseline' (a lexical-overlap baseline with negation/number cues, not a model) "
        "[env VERIFIER_JUDGE].",
        show_default=False,
    ),
]
TopKOpt = Annotated[
    int | None,
    typer.Option(
        "--top-k", help="Passages retrieved per claim [env VERIFIER_TOP_K; default 8].", show_default=False
    ),
]
StrictnessOpt = Annotated[
    str | None,
    typer.Option(
        "--strictness",
        help="Operating point of the judge: 'strict' (a label only where its dev precision reached the "
        "stored target) or 'balanced' (tuned for macro-F1: more verdicts, more of them wrong) "
        "[env VERIFIER_STRICTNESS; default in config.Settings].",
        show_default=False,
    ),
]
AgainstOpt = Annotated[
    list[Path] | None,
    typer.Option(
        "--against",
        help="Check against these documents only (repeat for several; files or folders ingest reads), "
        "with no store: nothing is ingested or kept.",
        show_default=False,
    ),
]
FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]


class LLMRole(StrEnum):
    judge = "judge"
    extract = "extract"
    both = "both"


LLMOpt = Annotated[
    str | None,
    typer.Option(
        "--llm",
        help="A chat model as judge and/or claim extractor (needs verifier[llm]): provider:model, e.g. "
        "ollama:llama3.1, openai:gpt-4o-mini, llamacpp:/path/model.gguf [env VERIFIER_LLM].",
        show_default=False,
    ),
]
LLMRoleOpt = Annotated[
    LLMRole | None,
    typer.Option(
        "--llm-role",
        help="What the --llm model does [env VERIFIER_LLM_ROLE; default both].",
        show_default=False,
    ),
]
MaxLLMCallsOpt = Annotated[
    int | None,
    typer.Option(
        "--max-llm-calls",
        min=1,
        help="Stop calling the --llm model after N calls; the claims left come back unverified "
        "[env VERIFIER_MAX_LLM_CALLS].",
        show_default=False,
    ),
]


def _llm_overrides(llm: str | None, role: LLMRole | None, max_calls: int | None) -> dict[str, Any]:
    return {"llm": llm, "llm_role": role.value if role else None, "max_llm_calls": max_calls}


def _echo_usage(report: Any) -> None:
    """The language model's cost, to stderr beside the text output (JSON and Markdown carry it)."""
    if getattr(report, "usage", None) is not None:
        from verifier.report.usage import usage_line

        _echo_err("Language model: " + usage_line(report.usage))


ProgressOpt = Annotated[
    bool | None,
    typer.Option(
        "--progress/--no-progress",
        help="Progress bar with ETA (default: when stderr is a terminal).",
        show_default=False,
    ),
]


def _progress_mode(progress: bool | None) -> str | None:
    """The `--progress/--no-progress` flag as a Settings.progress value (None: not given)."""
    return None if progress is None else ("always" if progress else "never")


class ReportFormat(StrEnum):
    text = "text"
    json = "json"
    jsonl = "jsonl"
    markdown = "markdown"
    html = "html"
    claimreview = "claimreview"


ReportFormatOpt = Annotated[
    ReportFormat,
    typer.Option(
        "--format",
        "-f",
        help="Output: text (a table), json, jsonl (one verdict per line, streamed), markdown, "
        "html (a self-contained page), claimreview (schema.org ClaimReview JSON-LD).",
    ),
]
OrgOpt = Annotated[
    str,
    typer.Option(
        "--org", envvar="VERIFIER_ORG", help="Author organisation of ClaimReview output [env VERIFIER_ORG]."
    ),
]
UrlOpt = Annotated[
    str | None,
    typer.Option(
        "--url",
        help="Where the text appeared (claimreview, html, markdown) [default: the front-matter url].",
        show_default=False,
    ),
]


def _setup_logging(verbose: bool) -> None:
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
        force=True,
    )
    for noisy in ("httpx", "chromadb", "sentence_transformers", "bm25s", "urllib3", "transformers"):
        logging.getLogger(noisy).setLevel(logging.INFO if verbose else logging.ERROR)


def _echo_err(message: str) -> None:
    typer.echo(message, err=True)


@contextmanager
def user_errors() -> Iterator[None]:
    """VerifierError -> one `Error: ...` line on stderr and exit code 1, never a traceback."""
    try:
        yield
    except VerifierError as ex:
        _echo_err("Error: " + " ".join(str(ex).split()))
        raise typer.Exit(code=1) from None
    except KeyboardInterrupt:
        _echo_err("Interrupted.")
        raise typer.Exit(code=130) from None


def _settings(**overrides: Any) -> Any:
    from verifier.config import Settings

    return Settings.resolve(**overrides)


@app.callback()
def main_callback(
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log what happens (to stderr).")] = False,
) -> None:
    _setup_logging(verbose)


@app.command(epilog=EXIT_CODES)
def ingest(
    paths: Annotated[
        list[Path], typer.Argument(help="Files or folders: .txt .md .html .jsonl", show_default=False)
    ],
    store: StoreOpt = None,
    progress: ProgressOpt = None,
    fmt: FormatOpt = Format.text,
) -> None:
    """Add sources to the evidence store; unchanged files are skipped, changed ones replaced."""
    with user_errors():
        settings = _settings(store=store, progress=_progress_mode(progress))
        from verifier.pipeline import open_target_store

        target = open_target_store(settings)
        stats = target.ingest(
            paths, batch_size=settings.ingest_batch_size, progress=settings.progress,
            lock_wait=settings.lock_wait, max_file_bytes=settings.max_file_bytes,
        )  # fmt: skip
        total = target.count_sources()
    if fmt is Format.json:
        from verifier.report.json import to_json

        typer.echo(
            to_json(
                {
                    "store": settings.store_location,
                    "added": stats.added,
                    "updated": stats.updated,
                    "unchanged": stats.unchanged,
                    "passages": stats.passages,
                    "sources_in_store": total,
                    "seconds": round(stats.seconds, 3),
                }
            )
        )
    else:
        typer.echo(
            f"Ingested into {settings.store_location}: {stats.added} added, {stats.updated} updated, "
            f"{stats.unchanged} unchanged; {stats.passages} passages written in {stats.seconds:.1f} s "
            f"({stats.passages_per_second:.1f} passages/s). {total} sources in the store."
        )


@app.command(epilog=EXIT_CODES)
def check(
    claim: Annotated[str, typer.Argument(help="The claim to verify.", show_default=False)],
    store: StoreOpt = None,
    judge: JudgeOpt = None,
    top_k: TopKOpt = None,
    fmt: ReportFormatOpt = ReportFormat.text,
    org: OrgOpt = "verifier",
    url: UrlOpt = None,
    llm: LLMOpt = None,
    llm_role: LLMRoleOpt = None,
    max_llm_calls: MaxLLMCallsOpt = None,
    strictness: StrictnessOpt = None,
    against: AgainstOpt = None,
) -> None:
    """Verify one claim against the ingested sources (the shipped examples if none), or against the
    documents given with --against."""
    with user_errors():
        if not claim.strip():
            raise InputError("The claim is empty")
        settings = _settings(
            store=store, judge=judge, top_k=top_k, strictness=strictness,
            **_llm_overrides(llm, llm_role, max_llm_calls),
        )  # fmt: skip
        from verifier.pipeline import build_checker, build_grounded_checker

        if against:
            _no_store_with_against(store)
            report = build_grounded_checker(settings, against, notice=_echo_err).check(claim)
        else:
            report = build_checker(settings, notice=_echo_err).check(claim)
    from verifier.report.common import Article

    _emit(report, fmt, article=Article(text="", url=url) if url else None, org=org, audit=False)
    if fmt is ReportFormat.text:
        _echo_usage(report)


def _no_store_with_against(store: str | None) -> None:
    if store is not None:
        raise InputError("--against checks the given documents only; leave out --store")


def _emit(report: Any, fmt: ReportFormat, *, article: Any, org: str, audit: bool) -> None:
    """Print `report` in `fmt`; the date and version stamp is taken here, at the edge."""
    from verifier import report as reporting

    if fmt is ReportFormat.text:
        v = report.verdicts[0] if report.verdicts and not audit else None
        _console().print(
            reporting.check_renderable(v, report.judge) if v else reporting.audit_renderable(report)
        )
        return
    stamp = reporting.Stamp.now()
    typer.echo(
        reporting.render(report, fmt.value, audit=audit, article=article, org=org, stamp=stamp), nl=False
    )


def _console() -> Any:
    from rich.console import Console

    return Console(soft_wrap=False)


def _read_article(file: str) -> tuple[str, str]:
    from verifier.store.sources import decode_stdin, read_text

    if file == "-":
        return decode_stdin(sys.stdin.buffer.read()), "<stdin>"
    return read_text(Path(file)), file


@app.command(epilog=EXIT_CODES)
def audit(
    inputs: Annotated[
        list[str],
        typer.Argument(
            help="Article file (plain text or markdown), or - for stdin. Several files, folders, glob "
            "patterns or a .jsonl of articles ({id, text, url?, date?}) make a batch: one JSON line per "
            "article.",
            show_default=False,
        ),
    ],
    store: StoreOpt = None,
    judge: JudgeOpt = None,
    top_k: TopKOpt = None,
    fmt: ReportFormatOpt = ReportFormat.text,
    org: OrgOpt = "verifier",
    url: UrlOpt = None,
    all_sentences: Annotated[
        bool, typer.Option("--all", help="Also list the sentences left out as not check-worthy, and why.")
    ] = False,
    article_date: Annotated[
        str | None,
        typer.Option(
            "--date",
            help="Article date (YYYY-MM-DD) that relative dates are anchored to "
            "[default: front matter, or a 'Date:' line].",
            show_default=False,
        ),
    ] = None,
    llm: LLMOpt = None,
    llm_role: LLMRoleOpt = None,
    max_llm_calls: MaxLLMCallsOpt = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Batch: append one JSON line per article to this file; a re-run skips the articles "
            "already in it [default: stdout].",
            show_default=False,
        ),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            min=0,
            help="Batch: audit on a local dask cluster of N processes (on 127.0.0.1) [env "
            "VERIFIER_WORKERS; default 0: in this process].",
            show_default=False,
        ),
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler",
            help="Batch: audit on an existing dask cluster, tcp://HOST:PORT [env VERIFIER_SCHEDULER].",
            show_default=False,
        ),
    ] = None,
    progress: ProgressOpt = None,
    strictness: StrictnessOpt = None,
    against: AgainstOpt = None,
) -> None:
    """Extract the claims of an article and verify each one; or audit many articles (a batch)."""
    from verifier.batch.inputs import is_batch

    batch = out is not None or workers is not None or scheduler is not None or is_batch(inputs)
    if batch and against:
        with user_errors():
            raise InputError("--against checks one article against its documents, not a batch")
    if batch:
        _audit_batch(
            inputs, out, fmt, article_date,
            store=store, judge=judge, top_k=top_k, workers=workers, scheduler=scheduler,
            progress=_progress_mode(progress), strictness=strictness,
        )  # fmt: skip
        return
    from verifier import report as reporting

    file = inputs[0]
    with user_errors():
        article, source = _read_article(file)
        settings = _settings(
            store=store, judge=judge, top_k=top_k, strictness=strictness,
            **_llm_overrides(llm, llm_role, max_llm_calls),
        )  # fmt: skip
        from verifier.claims.extract import dropped_renderable, extractor_for_audit
        from verifier.pipeline import build_checker

        extractor = extractor_for_audit(article_date)
        if against:
            from verifier.pipeline import build_grounded_checker

            _no_store_with_against(store)
            checker = build_grounded_checker(settings, against, notice=_echo_err, extractor=extractor)
        else:
            checker = build_checker(settings, notice=_echo_err, extractor=extractor)
        if fmt is ReportFormat.jsonl:  # one line per claim as soon as it is verified
            for v in checker.iter_audit(article, source=source):
                typer.echo(reporting.jsonl_line(reporting.audit_claim_dict(v, checker.judge.name)))
            return
        report = checker.audit(article, source=source)
    _emit(report, fmt, article=reporting.Article.parse(article, url), org=org, audit=True)
    if all_sentences and fmt is ReportFormat.text and checker.extractor is extractor:
        _console().print(dropped_renderable(extractor.analyse(article).dropped))
    if fmt is ReportFormat.text:
        _echo_usage(report)


def _audit_batch(
    inputs: list[str], out: Path | None, fmt: ReportFormat, article_date: str | None, **overrides: Any
) -> None:
    """Many articles: one JSON line each (to --out, or stdout), then a summary line on stderr."""
    with user_errors():
        if fmt not in (ReportFormat.text, ReportFormat.jsonl):
            raise InputError(
                f"--format {fmt.value} renders one article; a batch writes one JSON line per article"
            )
        settings = _settings(**overrides)
        from verifier.batch.run import audit_many

        summary = audit_many(
            settings, inputs, out=out, stdout=sys.stdout, article_date=article_date, notice=_echo_err
        )
    _echo_err(summary.line() + (f" Wrote {out}" if out is not None else ""))


@app.command("eval", epilog=EXIT_CODES)
def eval_cmd(
    dataset: Annotated[
        str | None,
        typer.Argument(
            help="A dataset named in eval/datasets.toml: scifact-dev, climate-fever-dev, averitec-dev, "
            "examples. Or give --claims and --corpus.",
            show_default=False,
        ),
    ] = None,
    claims: Annotated[
        Path | None,
        typer.Option(
            "--claims",
            help="Gold claims jsonl (id, claim, label, evidence; or FEVER-style).",
            show_default=False,
        ),
    ] = None,
    corpus: Annotated[
        Path | None,
        typer.Option(
            "--corpus",
            help="Corpus: a jsonl (id, title, text, url) or a folder of sources.",
            show_default=False,
        ),
    ] = None,
    data_dir: Annotated[
        Path | None,
        typer.Option(
            "--data-dir",
            envvar="VERIFIER_EVAL_DATA",
            help="Shared eval data [env VERIFIER_EVAL_DATA; default ../shared/eval-data beside the repo].",
            show_default=False,
        ),
    ] = None,
    split: Annotated[
        str, typer.Option("--split", help="train, tune, val or all: the internal claim roles (eval/splits/).")
    ] = "all",
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", help="Output dir [default: runs/<dataset>-<split>-<judge>-k<top_k>].", show_default=False
        ),
    ] = None,
    limit: Annotated[
        int | None, typer.Option("--limit", min=1, help="Only the first N claims.", show_default=False)
    ] = None,
    judge: JudgeOpt = None,
    top_k: TopKOpt = None,
    fresh: Annotated[bool, typer.Option("--fresh", help="Discard earlier predictions in --out.")] = False,
    compare: Annotated[
        Path | None,
        typer.Option("--compare", help="Print metric deltas against another run dir.", show_default=False),
    ] = None,
    progress: ProgressOpt = None,
    fmt: FormatOpt = Format.text,
    strictness: StrictnessOpt = None,
    grounded: Annotated[
        bool,
        typer.Option(
            "--grounded",
            help="Check each claim against its own documents only (named by the gold file), no store; "
            "adds balanced accuracy of supported vs not.",
        ),
    ] = False,
) -> None:
    """Measure a judge on gold claims: macro-F1, accuracy, per-class P/R/F1, evidence recall@k, strict
    score, calibration, speed. Writes metrics.json, predictions.jsonl, report.md and figures; resumes."""
    started = time.perf_counter()
    with user_errors():
        from verifier.evaluation import datasets
        from verifier.evaluation.runs import read_metrics, run_eval

        if split not in datasets.SPLITS:
            raise InputError(f"--split must be one of {', '.join(datasets.SPLITS)}")
        split_file = None
        if dataset is not None:
            if claims is not None or corpus is not None:
                raise InputError("Give a dataset name or --claims/--corpus, not both")
            ds = datasets.resolve(dataset, data_dir)
            claims, corpus, split_file = ds.claims, ds.corpus, ds.split_file
        elif claims is None or corpus is None:
            names = ", ".join(datasets.dataset_names())
            raise InputError(f"Name a dataset ({names}) or give both --claims and --corpus")
        settings = _settings(
            judge=judge, top_k=top_k, progress=_progress_mode(progress), strictness=strictness
        )
        if out is None:
            point = "" if settings.strictness == "balanced" else f"-{settings.strictness}"
            stem = f"{dataset}-{split}-{settings.judge}{point}-k{settings.top_k}" if dataset else None
            stem = f"{stem}-grounded" if stem and grounded else stem
            out = Path("runs") / (stem or time.strftime("eval-%Y%m%d-%H%M%S"))
        other = read_metrics(compare) if compare is not None else None
        metrics = run_eval(
            settings, claims=claims, corpus=corpus, out=out, dataset=dataset, split=split,
            split_file=split_file, limit=limit, fresh=fresh, started=started, grounded=grounded,
        )  # fmt: skip
    from verifier import report as reporting
    from verifier.evaluation import report as eval_report

    if fmt is Format.json:
        typer.echo(reporting.to_json(metrics))
    else:
        _console().print(eval_report.summary_renderable(metrics))
        if grounded:
            typer.echo(
                f"Grounded balanced accuracy (supported vs not): {metrics['grounded']['balanced_accuracy']}"
            )
        typer.echo(f"Wrote {out}/: metrics.json, predictions.jsonl, report.md and the figures (*.png)")
    if other is not None:  # beside JSON output the deltas go to stderr
        from rich.console import Console

        console = Console(stderr=True) if fmt is Format.json else _console()
        console.print(eval_report.compare_renderable(metrics, other, str(compare)))


@app.command("eval-claims", epilog=EXIT_CODES)
def eval_claims(
    gold: Annotated[
        Path, typer.Option("--gold", help="Extraction gold set (jsonl: id, path, claims, not_checkworthy).")
    ] = Path("eval/extraction/gold.jsonl"),
    extractor: Annotated[
        str, typer.Option("--extractor", help="'article' (spaCy, the default) or 'sentences' (verbatim).")
    ] = "article",
    out: Annotated[
        Path | None, typer.Option("--out", help="Write the metrics and per-article results as JSON.")
    ] = None,
    fmt: FormatOpt = Format.text,
) -> None:
    """Score claim extraction on a gold set: coverage, precision, decontextualisation, check-worthiness F1."""
    with user_errors():
        from verifier.evaluation.extraction import evaluate_extractor, make_extractor, write_results

        metrics, scores = evaluate_extractor(make_extractor(extractor), gold)
        if out is not None:
            write_results(out, metrics, scores)
    if fmt is Format.json:
        from verifier.report.json import to_json

        typer.echo(to_json(metrics))
    else:
        from verifier.evaluation.extraction import metrics_renderable

        _console().print(metrics_renderable(metrics, scores))
        if out is not None:
            typer.echo(f"Wrote {out}")


@app.command(epilog=EXIT_CODES)
def bench(
    corpus: Annotated[
        Path | None,
        typer.Option(
            "--corpus",
            help="Corpus jsonl or folder [default: SciFact, else the examples].",
            show_default=False,
        ),
    ] = None,
    claims: Annotated[
        Path | None,
        typer.Option(
            "--claims", help="Claims used as queries [default: the dataset's claims].", show_default=False
        ),
    ] = None,
    docs: Annotated[int, typer.Option("--docs", min=1, help="Corpus rows to ingest.")] = 1000,
    queries: Annotated[int, typer.Option("--queries", min=1, help="Queries / claims to time.")] = 50,
    cold_runs: Annotated[
        int, typer.Option("--cold-runs", min=0, help="Fresh `check` processes to time.")
    ] = 3,
    judge: JudgeOpt = None,
    embed_passages: Annotated[
        int, typer.Option("--embed-passages", min=0, help="Passages timed on each embedder path (0: none).")
    ] = 128,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", help="JSON file [default: bench/results/bench-<time>.json].", show_default=False
        ),
    ] = None,
    fmt: FormatOpt = Format.text,
) -> None:
    """Measure speed: ingest passages/s, retrieval ms/query, judge pairs/s, check latency cold and warm,
    audit seconds per 1,000 words, peak RSS; writes JSON."""
    with user_errors():
        from verifier.evaluation import bench as bench_mod

        settings = _settings(judge=judge, progress="never")
        default_corpus, default_claims = bench_mod.default_inputs()
        articles = sorted((Path(__file__).resolve().parent.parent / "evidence" / "articles").glob("*.txt"))
        result = bench_mod.run_bench(
            settings, corpus=corpus or default_corpus, claims=claims or default_claims, docs=docs,
            queries=queries, cold_runs=cold_runs, embed_passages=embed_passages, articles=articles,
            notice=_echo_err,
        )  # fmt: skip
        default_out = Path("bench/results") / time.strftime("bench-%Y%m%d-%H%M.json")
        path = bench_mod.write_result(result, out or default_out)
    if fmt is Format.json:
        from verifier.report.json import to_json

        typer.echo(to_json(result))
    else:
        typer.echo("\n".join([*bench_mod.summary_lines(result), f"Wrote {path}"]))


store_app = typer.Typer(
    no_args_is_help=True,
    epilog=EXIT_CODES,
    help="Check an evidence store's consistency, and repair what can be rebuilt.",
)
app.add_typer(store_app, name="store")


@store_app.command("verify", epilog=EXIT_CODES)
def store_verify(store: StoreOpt = None, fmt: FormatOpt = Format.text) -> None:
    """Check that the manifest, the chroma collection, the lexical index and the source table agree
    (counts, passage ids, embedding model); exit 1 naming what differs."""
    with user_errors():
        settings = _settings(store=store)
        from verifier.pipeline import open_directory_store
        from verifier.store.integrity import verify_store

        check = verify_store(open_directory_store(settings), lock_wait=settings.lock_wait)
        if fmt is Format.json:
            from verifier.report import to_json

            typer.echo(to_json({**dataclasses.asdict(check), "ok": check.ok}))
        check.raise_if_inconsistent()
    if fmt is Format.text:
        typer.echo(
            f"Store {check.path} is consistent: {check.sources} sources, {check.passages} passages, "
            f"{check.vectors} vectors, {check.lexical} passages in the lexical index."
        )


@store_app.command("repair", epilog=EXIT_CODES)
def store_repair(store: StoreOpt = None, fmt: FormatOpt = Format.text) -> None:
    """Roll back sources half-written by an interrupted ingest, drop orphan vectors, re-embed missing
    ones and rebuild the lexical index from the source texts; then verify."""
    with user_errors():
        settings = _settings(store=store)
        from verifier.pipeline import open_directory_store
        from verifier.store.integrity import repair_store, verify_store

        target = open_directory_store(settings)
        stats = repair_store(target, batch_size=settings.ingest_batch_size, lock_wait=settings.lock_wait)
        check = verify_store(target, lock_wait=settings.lock_wait)
        check.raise_if_inconsistent()
    if fmt is Format.json:
        from verifier.report import to_json

        typer.echo(to_json({**dataclasses.asdict(stats), **dataclasses.asdict(check), "ok": check.ok}))
    else:
        typer.echo(
            f"Repaired {check.path}: {stats.rolled_back} half-written sources rolled back (ingest them "
            f"again), {stats.orphan_vectors} orphan vectors and {stats.orphan_passages} orphan passages "
            f"removed, {stats.vectors_added} vectors re-embedded, lexical index rebuilt "
            f"({stats.lexical_passages} passages). The store is consistent."
        )


def main() -> None:
    app()
