"""Evaluation runs: gold claims (jsonl) + a corpus -> metrics.json, predictions.jsonl, report.md.

Only the claim text reaches the checker; `label`, `evidence` and `meta` stay on the gold side.
`evaluate` runs a checker over gold claims and `compute_metrics` turns prediction rows into the metrics
dict (`metrics`), so a resumed run is scored the same way. The corpus is indexed once into a cache store
keyed by its content and the embedder (`open_eval_store`).
"""

from __future__ import annotations

import hashlib
import json
import logging
import statistics
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from verifier.config import Settings
from verifier.errors import EvalDataError
from verifier.evaluation.gold import GoldClaim, load_claims
from verifier.evaluation.machine import code_version, machine, peak_rss_mb
from verifier.evaluation.metrics import (
    DECIDED,
    LABELS,
    RECALL_DEPTH,
    accuracy,
    auroc,
    calibration_bins,
    confusion,
    coverage,
    expected_calibration_error,
    false_rate,
    label_curve,
    macro_f1,
    per_class,
    recall_at_k,
    recall_curve,
    risk_coverage,
    strict_score,
)
from verifier.models import Claim, Label, Verdict, stable_id
from verifier.pipeline import Checker, make_embedder, store_options
from verifier.progress import progress_bar
from verifier.protocols import Retriever
from verifier.store.evidence import FORMAT_VERSION, EvidenceStore, IngestStats
from verifier.store.sources import read_text

log = logging.getLogger(__name__)

WARM_UP_CLAIM = "Warm-up claim: the models load before timing starts."


# --------------------------------------------------------------------------- corpus cache


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def corpus_fingerprint(corpus: Path) -> str:
    """Content hash of a corpus file, or of every file (with its relative path) under a folder."""
    if corpus.is_file():
        return file_sha256(corpus)
    files = sorted(p for p in corpus.rglob("*") if p.is_file())
    return stable_id(*(f"{p.relative_to(corpus).as_posix()}:{file_sha256(p)}" for p in files), length=64)


def corpus_cache_dir(root: Path, corpus: Path, embedding_model: str) -> Path:
    """Eval stores are keyed by corpus content and embedding model, so they are reused safely."""
    return root / f"{corpus.stem}-{stable_id(corpus_fingerprint(corpus), embedding_model)}"


# --------------------------------------------------------------------------- running


def prediction_row(
    gold: GoldClaim, verdict: Verdict, judged: Sequence[str], ranked: Sequence[str], seconds: float
) -> dict[str, Any]:
    """One line of predictions.jsonl: the verdict with its citations, beside the gold label."""
    return {
        "id": gold.id,
        "claim": gold.claim,
        "gold": gold.label.value,
        "pred": verdict.label.value,
        "confidence": verdict.confidence,
        "conflicting": verdict.conflicting,
        "cited": list(dict.fromkeys(c.source_id for c in verdict.citations)),
        "citations": [
            {
                "source_id": c.source_id,
                "passage_id": c.passage_id,
                "stance": c.stance.value,
                "score": c.score,
                "start": c.start,
                "end": c.end,
                "quote": c.quote,
            }
            for c in verdict.citations
        ],
        "judged": list(judged),  # source id per passage given to the judge, best first
        "retrieved": list(ranked),  # source id per passage of the deeper ranking used for recall@k
        "gold_evidence": gold.evidence,
        "seconds": round(seconds, 4),
        # the strongest stance scores the decision was made on (for the per-label threshold curves)
        "entailment": round(max((e.probs.entailment for e in verdict.evidence), default=0.0), 4),
        "contradiction": round(max((e.probs.contradiction for e in verdict.evidence), default=0.0), 4),
    }


def iter_predictions(
    checker: Checker,
    gold: Sequence[GoldClaim],
    depth: int = RECALL_DEPTH,
    stores: Callable[[GoldClaim], Retriever] | None = None,
) -> Iterator[dict[str, Any]]:
    """Verify each gold claim (its text only) and yield its prediction row as soon as it is reached.

    The verdict comes from `checker.verify_with_hits`, unchanged (the judge sees `top_k` passages).
    For recall@k up to `depth` a second, deeper search is made when `depth > top_k`; it is not timed.
    `stores` (grounded runs): each claim is checked over its own documents only.
    """
    for g in gold:
        if stores is not None:
            checker = replace(checker, store=stores(g))
        claim = Claim.from_text(g.claim)
        t0 = time.perf_counter()
        verdict, hits = checker.verify_with_hits(claim)
        seconds = time.perf_counter() - t0
        judged = [h.passage.source_id for h in hits]
        deep = hits if depth <= checker.top_k else checker.store.search(claim.shown, k=depth)
        yield prediction_row(g, verdict, judged, [h.passage.source_id for h in deep], seconds)


def warm_up(checker: Checker) -> None:
    """Load the embedding and judge models, so per-claim seconds measure a warm checker."""
    checker.verify_with_hits(Claim.from_text(WARM_UP_CLAIM))


def _round(x: float | None, digits: int = 4) -> float | None:
    return None if x is None else round(x, digits)


def compute_metrics(
    rows: Sequence[Mapping[str, Any]], *, judge: str, top_k: int, depth: int = RECALL_DEPTH
) -> dict[str, Any]:
    """All harness metrics from prediction rows (see `prediction_row`)."""
    golds = [Label(r["gold"]) for r in rows]
    preds = [Label(r["pred"]) for r in rows]
    evidence = [list(r["gold_evidence"]) for r in rows]
    cited = [list(r["cited"]) for r in rows]
    correct = [g is p for g, p in zip(golds, preds, strict=True)]
    confidences = [float(r["confidence"]) for r in rows]
    seconds = [float(r["seconds"]) for r in rows]
    scores = per_class(golds, preds)
    shares = coverage(preds)
    retrieved = recall_curve(evidence, [r["retrieved"] for r in rows], depth)
    cited_curve = recall_curve(evidence, cited, depth)
    return {
        "n": len(rows),
        "judge": judge,
        "top_k": top_k,
        "accuracy": round(accuracy(golds, preds), 4),
        "macro_f1": round(macro_f1(golds, preds), 4),
        "per_class": {
            label.value: {
                "precision": round(s.precision, 4),
                "recall": round(s.recall, 4),
                "f1": round(s.f1, 4),
                "support": s.support,
                "coverage": round(shares[label], 4),
            }
            for label, s in scores.items()
        },
        "confusion": {
            g.value: {p.value: n for p, n in row.items()} for g, row in confusion(golds, preds).items()
        },
        "n_with_evidence": sum(1 for e in evidence if e),
        # gold evidence among the top_k passages the judge was given (the headline recall)
        "evidence_recall_at_k": _round(recall_at_k(evidence, [r["judged"] for r in rows])),
        "recall_retrieved": {str(k): _round(v) for k, v in retrieved.items()},
        "recall_cited": {str(k): _round(v) for k, v in cited_curve.items()},
        "cited_recall": _round(recall_at_k(evidence, cited)),
        "strict": round(strict_score(golds, preds, evidence, cited), 4),
        "ece": _round(expected_calibration_error(confidences, correct)),
        "calibration": [
            {
                "lower": b.lower,
                "upper": b.upper,
                "count": b.count,
                "confidence": round(b.confidence, 4),
                "accuracy": round(b.accuracy, 4),
            }
            for b in calibration_bins(confidences, correct)
        ],
        **trust_metrics(golds, preds, confidences, rows),
        "seconds_per_claim": round(statistics.fmean(seconds), 4) if seconds else 0.0,
        "median_seconds_per_claim": round(statistics.median(seconds), 4) if seconds else 0.0,
    }


CURVE_THRESHOLDS = tuple(round(0.05 * i, 2) for i in range(1, 20))  # 0.05 .. 0.95


def trust_metrics(
    golds: Sequence[Label],
    preds: Sequence[Label],
    confidences: Sequence[float],
    rows: Sequence[Mapping[str, Any]],
) -> dict[str, Any]:
    """What a fact-checker needs to trust the verdicts: per-label coverage, false "contradicted" on
    gold supported / unverified claims, the AUROC of confidence for correctness, the risk-coverage
    curve of decided verdicts, and each label's precision / coverage as its threshold moves (from the
    rows' strongest stance scores; older runs without them get no threshold curves)."""
    correct = [g is p for g, p in zip(golds, preds, strict=True)]
    decided = [i for i, p in enumerate(preds) if p in DECIDED]
    cover = coverage(preds)
    out: dict[str, Any] = {
        "coverage": {label.value: round(cover[label], 4) for label in LABELS},
        "decided_coverage": round(len(decided) / len(preds), 4) if preds else 0.0,
        "false_contradicted": _round(false_rate(golds, preds, Label.CONTRADICTED)),
        "false_supported": _round(false_rate(golds, preds, Label.SUPPORTED)),
        "auroc": _round(auroc(confidences, correct)),
        "auroc_decided": _round(auroc([confidences[i] for i in decided], [correct[i] for i in decided])),
        "risk_coverage": [
            {"threshold": p.threshold, "coverage": round(p.coverage, 4), "precision": _round(p.precision)}
            for p in risk_coverage([correct[i] for i in decided], [confidences[i] for i in decided])
        ],
    }
    if rows and all("entailment" in r and "contradiction" in r for r in rows):
        entail = [float(r["entailment"]) for r in rows]
        contra = [float(r["contradiction"]) for r in rows]
        out["label_curves"] = {
            label.value: [
                {"threshold": p.threshold, "coverage": round(p.coverage, 4), "precision": _round(p.precision)}
                for p in label_curve(golds, own, other, label, CURVE_THRESHOLDS)
            ]
            for label, own, other in (
                (Label.SUPPORTED, entail, contra),
                (Label.CONTRADICTED, contra, entail),
            )
        }
    return out


def evaluate(
    checker: Checker,
    gold: Sequence[GoldClaim],
    on_claim: Callable[[int], None] | None = None,
    *,
    depth: int = RECALL_DEPTH,
    warm: bool = True,
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Run every gold claim through `checker`; (metrics, prediction rows). No files are written."""
    if warm:
        warm_up(checker)
    rows: list[dict[str, Any]] = []
    for i, row in enumerate(iter_predictions(checker, gold, depth), 1):
        rows.append(row)
        if on_claim is not None:
            on_claim(i)
    metrics = compute_metrics(rows, judge=checker.judge.name, top_k=checker.top_k, depth=depth)
    metrics["peak_rss_mb"] = peak_rss_mb()
    return metrics, rows


# --------------------------------------------------------------------------- run directories

PREDICTIONS = "predictions.jsonl"
RUN_CONFIG = "run.json"


def read_predictions(path: Path) -> list[dict[str, Any]]:
    """Rows of a predictions file; a torn last line (an interrupted write) is cut off the file."""
    if not path.exists():
        return []
    rows: list[dict[str, Any]] = []
    good_bytes = 0
    with path.open("rb") as fh:
        lines = fh.readlines()
    for lineno, raw in enumerate(lines, 1):
        try:
            row = json.loads(raw)
            if not raw.endswith(b"\n") or not isinstance(row, dict) or "id" not in row:
                raise ValueError
        except ValueError:
            if lineno == len(lines):
                log.warning("%s: dropping an incomplete last line", path)
                with path.open("r+b") as fh:
                    fh.truncate(good_bytes)
                break
            raise EvalDataError(f"{path}:{lineno}: not a prediction row; use --fresh") from None
        rows.append(row)
        good_bytes += len(raw)
    return rows


def open_run(out: Path, config: Mapping[str, Any], *, fresh: bool = False) -> dict[str, dict[str, Any]]:
    """Prepare `out` for a run of `config`; the predictions already made there, by claim id.

    A directory holding predictions of another configuration (judge, top_k, dataset, split) is an
    error unless `fresh`, which starts over.
    """
    out.mkdir(parents=True, exist_ok=True)
    preds, cfg = out / PREDICTIONS, out / RUN_CONFIG
    if fresh:
        for name in (PREDICTIONS, RUN_CONFIG, "metrics.json", "report.md"):
            (out / name).unlink(missing_ok=True)
    done = read_predictions(preds)
    if done:
        try:
            old = json.loads(cfg.read_text(encoding="utf-8"))
        except (FileNotFoundError, json.JSONDecodeError):
            old = None
        if old != dict(config):
            diff = (
                ", ".join(
                    f"{k} {old.get(k)!r} -> {config.get(k)!r}"
                    for k in sorted(set(old) | set(config))
                    if old.get(k) != config.get(k)
                )
                if isinstance(old, dict)
                else "no run.json"
            )
            raise EvalDataError(
                f"{out} holds predictions of another run ({diff}); pass --fresh to start over "
                "or choose another --out"
            )
    cfg.write_text(json.dumps(dict(config), indent=2) + "\n", encoding="utf-8")
    return {row["id"]: row for row in done}


@contextmanager
def prediction_sink(out: Path) -> Iterator[Callable[[dict[str, Any]], None]]:
    """Append each prediction row to out/predictions.jsonl as soon as it exists (flushed)."""
    with (out / PREDICTIONS).open("a", encoding="utf-8") as fh:

        def write(row: dict[str, Any]) -> None:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
            fh.flush()

        yield write


def write_run(out: Path, metrics: dict[str, Any], rows: Sequence[dict[str, Any]]) -> None:
    """Write metrics.json and (rewriting it) predictions.jsonl in one go."""
    out.mkdir(parents=True, exist_ok=True)
    write_metrics(out, metrics)
    with (out / PREDICTIONS).open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def write_metrics(out: Path, metrics: Mapping[str, Any]) -> None:
    (out / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n", encoding="utf-8")


def read_metrics(run: Path) -> dict[str, Any]:
    """metrics.json of a run directory (or the file itself)."""
    path = run / "metrics.json" if run.is_dir() else run
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise EvalDataError(f"{path}: no such file") from None
    except json.JSONDecodeError as ex:
        raise EvalDataError(f"{path}: invalid JSON ({ex.msg})") from None
    if not isinstance(data, dict):
        raise EvalDataError(f"{path}: not a metrics object")
    return data


def run_to_dir(
    checker: Checker,
    gold: Sequence[GoldClaim],
    out: Path,
    config: Mapping[str, Any],
    *,
    fresh: bool = False,
    progress: str = "auto",
    depth: int = RECALL_DEPTH,
    started: float | None = None,
    stores: Callable[[GoldClaim], Retriever] | None = None,
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Evaluate into `out`, resuming: claims already in out/predictions.jsonl are not run again.

    Each prediction is appended as soon as it is made, so an interrupted run loses at most one claim.
    `started` (a `time.perf_counter()` value) gives `seconds_to_first_verdict` from that moment.
    """
    done = open_run(out, config, fresh=fresh)
    todo = [g for g in gold if g.id not in done]
    first: float | None = None
    wall = time.perf_counter()
    if todo:
        warm_up(checker)
        with prediction_sink(out) as write, progress_bar(len(todo), progress) as advance:
            for row in iter_predictions(checker, todo, depth, stores):
                write(row)
                done[row["id"]] = row
                advance(1)
                if first is None and started is not None:
                    first = time.perf_counter() - started
    rows = [done[g.id] for g in gold]
    metrics = compute_metrics(rows, judge=checker.judge.name, top_k=checker.top_k, depth=depth)
    measured = {
        "wall_seconds": round(time.perf_counter() - wall, 2),
        "seconds_to_first_verdict": _round(first, 2),
        "peak_rss_mb": peak_rss_mb(),
    }
    if not todo and (out / "metrics.json").exists():  # a re-score: keep what the predicting run measured
        previous = read_metrics(out)
        measured = {k: previous.get(k, v) for k, v in measured.items()}
    metrics.update({"predicted_now": len(todo), "resumed": len(gold) - len(todo), **measured})
    return metrics, rows


# --------------------------------------------------------------------------- one call for the CLI


def select_claims(
    gold: Sequence[GoldClaim], keep: frozenset[str] | None, limit: int | None = None
) -> list[GoldClaim]:
    """The gold claims whose id is in `keep` (all when None), then the first `limit` of them."""
    chosen = [g for g in gold if keep is None or g.id in keep]
    return chosen[:limit] if limit is not None else chosen


def run_eval(
    settings: Any,
    *,
    claims: Path,
    corpus: Path,
    out: Path,
    dataset: str | None = None,
    split: str = "all",
    split_file: Path | None = None,
    limit: int | None = None,
    fresh: bool = False,
    plots: bool = True,
    started: float | None = None,
    grounded: bool = False,
) -> dict[str, Any]:
    """Evaluate the configured judge on gold claims against a corpus; write the run into `out`.
    `grounded`: each claim against its own documents only (`evaluation.grounded`), no store.

    Writes predictions.jsonl (appended per claim; a re-run resumes), run.json, metrics.json,
    report.md and the figures; returns the metrics.
    """
    from verifier.evaluation.datasets import load_split
    from verifier.pipeline import build_checker

    started = time.perf_counter() if started is None else started
    keep = None
    if split != "all":
        if split_file is None:
            raise EvalDataError(f"--split {split} needs a dataset with a split file; use --split all")
        keep = load_split(split_file, split)  # type: ignore[arg-type]
    gold = select_claims(load_claims(claims), keep)
    if grounded:
        return _run_grounded(
            settings, gold[:limit] if limit is not None else gold, claims=claims, corpus=corpus,
            out=out, dataset=dataset, split=split, fresh=fresh, plots=plots, started=started,
        )  # fmt: skip
    gold = gold[:limit] if limit is not None else gold
    if not gold:
        raise EvalDataError(f"{claims}: no claims in split {split!r}")
    store, stats = open_eval_store(settings, corpus)
    checker = build_checker(settings, store=store)
    config = _run_config(checker, claims, corpus, dataset, split)
    metrics, _ = run_to_dir(
        checker, gold, out, config, fresh=fresh, progress=settings.progress, started=started
    )
    head = {"dataset": dataset, "split": split}
    metrics = {
        **head,
        **metrics,
        "claims_file": str(claims),
        "corpus_file": str(corpus),
        "embedding_model": store.embedder.name,
        "ingest_seconds": round(stats.seconds, 2),
        "store_format": (store.read_manifest() or {}).get("format_version"),
        "code_version": code_version(),
        "machine": machine(),
    }
    return _finish(out, metrics, plots)


def _run_config(
    checker: Checker, claims: Path, corpus: Path, dataset: str | None, split: str
) -> dict[str, Any]:
    """What a run directory is keyed by: a resumed run must have been made with the same."""
    return {
        "dataset": dataset or str(claims.resolve()),
        "corpus": None if dataset else str(corpus.resolve()),
        "split": split,
        "judge": checker.judge.name,
        "top_k": checker.top_k,
    }


def _run_grounded(
    settings: Any,
    gold: Sequence[GoldClaim],
    *,
    claims: Path,
    corpus: Path,
    out: Path,
    dataset: str | None,
    split: str,
    fresh: bool,
    plots: bool,
    started: float,
) -> dict[str, Any]:
    """`run_eval --grounded`: each claim against its own documents only (`evaluation.grounded`)."""
    from verifier.evaluation.grounded import GroundedCorpus, grounded_metrics
    from verifier.pipeline import build_checker
    from verifier.store.grounded import GroundedRetriever

    if not corpus.is_dir():
        read_text(corpus)  # missing / empty / binary corpus: a one-line error before any model loads
    documents = GroundedCorpus(corpus)
    usable = [g for g in gold if documents.usable(g)]
    if not usable:
        raise EvalDataError(f"{claims}: no claim in split {split!r} names documents found in {corpus}")
    checker = build_checker(settings, store=GroundedRetriever(()))
    config = {**_run_config(checker, claims, corpus, dataset, split), "grounded": True}
    metrics, rows = run_to_dir(
        checker, usable, out, config, fresh=fresh, progress=settings.progress, started=started,
        stores=documents.retriever,
    )  # fmt: skip
    metrics = {
        "dataset": dataset,
        "split": split,
        "grounded": {**grounded_metrics(rows, usable), "skipped_without_documents": len(gold) - len(usable)},
        **metrics,
        "claims_file": str(claims),
        "corpus_file": str(corpus),
        "code_version": code_version(),
        "machine": machine(),
    }
    return _finish(out, metrics, plots)


def _finish(out: Path, metrics: dict[str, Any], plots: bool) -> dict[str, Any]:
    write_metrics(out, metrics)
    from verifier.evaluation.report import report_markdown

    (out / "report.md").write_text(report_markdown(metrics), encoding="utf-8")
    if plots:
        from verifier.evaluation.plots import write_plots

        write_plots(metrics, out)
    return metrics


def open_eval_store(settings: Settings, corpus: Path) -> tuple[EvidenceStore, IngestStats]:
    """A cache store for `corpus` under home/eval-cache, keyed by its content and the embedding model."""
    if not corpus.is_dir():
        read_text(corpus)  # missing / empty / binary corpus: a one-line error before any model loads
    embedder = make_embedder(settings)
    # keyed by the store format too: a change of what is indexed rebuilds the cache
    path = corpus_cache_dir(settings.eval_cache_dir, corpus, f"{embedder.name}/store-v{FORMAT_VERSION}")
    store = EvidenceStore.open(path, embedder, **store_options(settings))
    stats = store.ingest([corpus], batch_size=settings.ingest_batch_size, progress=settings.progress)
    return store, stats
