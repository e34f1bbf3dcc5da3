"""Evaluation harness: gold claims (jsonl) + a corpus -> metrics.json, predictions.jsonl, report.md.

Only the claim text reaches the checker; `label`, `evidence` and `meta` stay on the gold side.
The metric functions are pure (lists in, numbers out); `evaluate` runs a checker over gold claims and
`compute_metrics` turns prediction rows into the metrics dict, so a resumed run is scored the same way.
"""

from __future__ import annotations

import hashlib
import json
import logging
import resource
import statistics
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from verifier.errors import EvalDataError
from verifier.models import Claim, Label, Verdict, stable_id
from verifier.pipeline import Checker
from verifier.store.sources import read_text

log = logging.getLogger(__name__)

LABELS: tuple[Label, ...] = (Label.SUPPORTED, Label.CONTRADICTED, Label.UNVERIFIED)
RECALL_DEPTH = 20  # recall@k is reported for k = 1..RECALL_DEPTH
CALIBRATION_BINS = 10
WARM_UP_CLAIM = "Warm-up claim: the models load before timing starts."

# FEVER (SUPPORTS / REFUTES / NOT ENOUGH INFO) and AVeriTeC label names, mapped to ours.
LABEL_ALIASES: dict[str, Label] = {
    "supports": Label.SUPPORTED,
    "support": Label.SUPPORTED,
    "refutes": Label.CONTRADICTED,
    "refuted": Label.CONTRADICTED,
    "contradict": Label.CONTRADICTED,
    "not enough info": Label.UNVERIFIED,
    "not_enough_info": Label.UNVERIFIED,
    "nei": Label.UNVERIFIED,
    "not enough evidence": Label.UNVERIFIED,
}


class GoldClaim(BaseModel):
    """One gold row: our format (`id`, `claim`, `label`, `evidence` ids) or FEVER-style jsonl."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    id: str = Field(min_length=1)
    claim: str = Field(min_length=1)
    label: Label
    evidence: list[str] = Field(default_factory=list)
    meta: dict[str, Any] = Field(default_factory=dict)  # gold-side: never passed to the checker

    @field_validator("id", mode="before")
    @classmethod
    def _int_ids(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value

    @field_validator("label", mode="before")
    @classmethod
    def _label_aliases(cls, value: Any) -> Any:
        if isinstance(value, str):
            return LABEL_ALIASES.get(value.strip().lower(), value)
        return value

    @model_validator(mode="before")
    @classmethod
    def _fever_evidence(cls, data: Any) -> Any:
        """FEVER evidence is sets of [annotation_id, evidence_id, page, sentence]: keep the pages."""
        if isinstance(data, dict) and isinstance(data.get("evidence"), list):
            data = {**data, "evidence": fever_evidence_ids(data["evidence"])}
        return data


def fever_evidence_ids(evidence: list[Any]) -> Any:
    """Flatten FEVER evidence sets to page ids; a plain list of ids is returned unchanged."""
    if all(isinstance(e, str) for e in evidence):
        return evidence
    ids: list[str] = []
    leaves = 0

    def walk(item: Any) -> None:
        nonlocal leaves
        if isinstance(item, list) and len(item) == 4 and not any(isinstance(x, list) for x in item):
            leaves += 1
            if isinstance(item[2], str):  # NOT ENOUGH INFO rows have [id, null, null, null]
                ids.append(item[2])
        elif isinstance(item, list):
            for sub in item:
                walk(sub)

    walk(evidence)
    return list(dict.fromkeys(ids)) if leaves else evidence  # other shapes fail validation


def load_claims(path: Path, limit: int | None = None) -> list[GoldClaim]:
    """Parse gold claims; a malformed row or a repeated id raises EvalDataError naming `file:line`."""
    text = read_text(path)
    rows: list[GoldClaim] = []
    seen: dict[str, int] = {}
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = GoldClaim.model_validate_json(line)
        except ValidationError as ex:
            err = ex.errors()[0]
            where = ".".join(str(p) for p in err["loc"]) or "row"
            raise EvalDataError(f"{path}:{lineno}: {where}: {err['msg']}") from None
        if row.id in seen:
            raise EvalDataError(f"{path}:{lineno}: id {row.id!r} repeats line {seen[row.id]}")
        seen[row.id] = lineno
        rows.append(row)
    if not rows:
        raise EvalDataError(f"{path}: no claims in this file")
    return rows[:limit] if limit is not None else rows


# --------------------------------------------------------------------------- metric arithmetic


@dataclass(frozen=True, slots=True)
class ClassScores:
    precision: float
    recall: float
    f1: float
    support: int


LabelLike = Label | str


def _labels(values: Sequence[LabelLike]) -> list[Label]:
    return [Label(v) for v in values]


def confusion(gold: Sequence[LabelLike], pred: Sequence[LabelLike]) -> dict[Label, dict[Label, int]]:
    """confusion[gold][pred] counts."""
    table = {g: dict.fromkeys(LABELS, 0) for g in LABELS}
    for g, p in zip(_labels(gold), _labels(pred), strict=True):
        table[g][p] += 1
    return table


def per_class(gold: Sequence[LabelLike], pred: Sequence[LabelLike]) -> dict[Label, ClassScores]:
    """Precision, recall, F1 and support per label (labels as `Label`s or their string values)."""
    gold, pred = _labels(gold), _labels(pred)
    out: dict[Label, ClassScores] = {}
    for label in LABELS:
        tp = sum(1 for g, p in zip(gold, pred, strict=True) if g is label and p is label)
        n_pred = sum(1 for p in pred if p is label)
        n_gold = sum(1 for g in gold if g is label)
        precision = tp / n_pred if n_pred else 0.0
        recall = tp / n_gold if n_gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        out[label] = ClassScores(precision, recall, f1, n_gold)
    return out


def accuracy(gold: Sequence[LabelLike], pred: Sequence[LabelLike]) -> float:
    pairs = list(zip(_labels(gold), _labels(pred), strict=True))
    return sum(1 for g, p in pairs if g is p) / len(pairs) if pairs else 0.0


def macro_f1(gold: Sequence[LabelLike], pred: Sequence[LabelLike]) -> float:
    """Mean F1 over the labels present in the gold data."""
    scores = per_class(gold, pred)
    present = [label for label in LABELS if scores[label].support > 0]
    return sum(scores[label].f1 for label in present) / len(present) if present else 0.0


def recall_at_k(gold_ids: Sequence[Sequence[str]], retrieved: Sequence[Sequence[str]]) -> float | None:
    """Share of claims with gold evidence for which a gold id is among the retrieved source ids."""
    pairs = [(set(g), set(r)) for g, r in zip(gold_ids, retrieved, strict=True) if g]
    if not pairs:
        return None
    return sum(1 for g, r in pairs if g & r) / len(pairs)


def recall_curve(
    gold_ids: Sequence[Sequence[str]], ranked: Sequence[Sequence[str]], depth: int = RECALL_DEPTH
) -> dict[int, float | None]:
    """recall@k for k = 1..depth: a gold id among the first k entries of each ranked list.

    `ranked` holds one source id per retrieved passage (or per citation), best first, so k counts
    passages; claims without gold evidence are left out (None when no claim has any).
    """
    return {k: recall_at_k(gold_ids, [r[:k] for r in ranked]) for k in range(1, depth + 1)}


def strict_score(
    gold: Sequence[LabelLike],
    pred: Sequence[LabelLike],
    gold_ids: Sequence[Sequence[str]],
    cited: Sequence[Sequence[str]],
) -> float:
    """FEVER-style: the label is right AND a gold evidence id is cited.

    An unverified claim needs only the label; so does a decided claim whose gold row lists no evidence
    (there is nothing to check the citations against).
    """
    rows = list(zip(_labels(gold), _labels(pred), gold_ids, cited, strict=True))
    if not rows:
        return 0.0
    ok = 0
    for g, p, ev, c in rows:
        if g is p and (g is Label.UNVERIFIED or not ev or set(ev) & set(c)):
            ok += 1
    return ok / len(rows)


@dataclass(frozen=True, slots=True)
class CalibrationBin:
    lower: float
    upper: float
    count: int
    confidence: float  # mean confidence in the bin (0 when empty)
    accuracy: float  # share of correct verdicts in the bin (0 when empty)


def calibration_bins(
    confidences: Sequence[float], correct: Sequence[bool], bins: int = CALIBRATION_BINS
) -> list[CalibrationBin]:
    """Equal-width confidence bins [0, 0.1), ..., [0.9, 1.0]; a confidence of 1.0 falls in the last."""
    members: list[list[tuple[float, bool]]] = [[] for _ in range(bins)]
    for c, ok in zip(confidences, correct, strict=True):
        members[min(max(int(c * bins), 0), bins - 1)].append((c, ok))
    out = []
    for i, rows in enumerate(members):
        n = len(rows)
        out.append(
            CalibrationBin(
                lower=i / bins,
                upper=(i + 1) / bins,
                count=n,
                confidence=sum(c for c, _ in rows) / n if n else 0.0,
                accuracy=sum(1 for _, ok in rows if ok) / n if n else 0.0,
            )
        )
    return out


def expected_calibration_error(
    confidences: Sequence[float], correct: Sequence[bool], bins: int = CALIBRATION_BINS
) -> float | None:
    """ECE = sum over bins of (bin size / n) * |accuracy - mean confidence|; None without verdicts."""
    n = len(confidences)
    if n == 0:
        return None
    return sum(
        b.count / n * abs(b.accuracy - b.confidence) for b in calibration_bins(confidences, correct, bins)
    )


def peak_rss_mb() -> float:
    """Peak resident set size of this process (ru_maxrss is KiB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(peak / (1024 * 1024 if sys.platform == "darwin" else 1024), 1)


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
    }


def iter_predictions(
    checker: Checker, gold: Sequence[GoldClaim], depth: int = RECALL_DEPTH
) -> Iterator[dict[str, Any]]:
    """Verify each gold claim (its text only) and yield its prediction row as soon as it is reached.

    The verdict comes from `checker.verify_with_hits`, unchanged (the judge sees `top_k` passages).
    For recall@k up to `depth` a second, deeper search is made when `depth > top_k`; it is not timed.
    """
    for g in gold:
        claim = Claim.from_text(g.claim)
        t0 = time.perf_counter()
        verdict, hits = checker.verify_with_hits(claim)
        seconds = time.perf_counter() - t0
        judged = [h.passage.source_id for h in hits]
        deep = hits if depth <= checker.top_k else checker.store.search(claim.text, k=depth)
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
        "seconds_per_claim": round(statistics.fmean(seconds), 4) if seconds else 0.0,
        "median_seconds_per_claim": round(statistics.median(seconds), 4) if seconds else 0.0,
    }


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
            for row in iter_predictions(checker, todo, depth):
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


@contextmanager
def progress_bar(total: int, mode: str, label: str = "eval") -> Iterator[Callable[[int], None]]:
    """A rich progress bar with ETA on stderr; `mode` auto (when stderr is a TTY), always or never."""
    if total == 0 or mode == "never" or (mode == "auto" and not sys.stderr.isatty()):
        yield lambda n: None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    console = Console(stderr=True)
    with Progress(
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("claims"),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        console=console,
        transient=console.is_terminal,  # in a log, the final state stays
    ) as bar:
        task = bar.add_task(label, total=total)
        yield lambda n: bar.advance(task, n)


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
) -> dict[str, Any]:
    """Evaluate the configured judge on gold claims against a corpus; write the run into `out`.

    Writes predictions.jsonl (appended per claim; a re-run resumes), run.json, metrics.json,
    report.md and the figures; returns the metrics.
    """
    from verifier.evaluation.datasets import load_split
    from verifier.pipeline import build_checker, open_eval_store

    started = time.perf_counter() if started is None else started
    keep = None
    if split != "all":
        if split_file is None:
            raise EvalDataError(f"--split {split} needs a dataset with a split file; use --split all")
        keep = load_split(split_file, split)  # type: ignore[arg-type]
    gold = select_claims(load_claims(claims), keep, limit)
    if not gold:
        raise EvalDataError(f"{claims}: no claims in split {split!r}")
    store, stats = open_eval_store(settings, corpus)
    checker = build_checker(settings, store=store)
    config = {
        "dataset": dataset or str(claims.resolve()),
        "corpus": None if dataset else str(corpus.resolve()),
        "split": split,
        "judge": checker.judge.name,
        "top_k": checker.top_k,
    }
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
    write_metrics(out, metrics)
    from verifier.evaluation.report import report_markdown

    (out / "report.md").write_text(report_markdown(metrics), encoding="utf-8")
    if plots:
        from verifier.evaluation.plots import write_plots

        write_plots(metrics, out)
    return metrics


def code_version() -> str | None:
    """The git commit of the checkout (with "+dirty" when files are modified), when it is one."""
    import subprocess

    root = Path(__file__).resolve().parents[2]
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True, text=True, timeout=5
        )
        if head.returncode != 0:
            return None
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no", "--", "verifier"],
            cwd=root, capture_output=True, text=True, timeout=5,
        ).stdout.strip()  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return None
    return head.stdout.strip() + ("+dirty" if dirty else "")


def machine() -> str:
    """Cores and CPU model, for the record."""
    import os
    import platform

    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores, {model}, {platform.system()}"
