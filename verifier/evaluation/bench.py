"""Speed benchmarks: ingest passages/s, retrieval ms/query, judge pairs/s, `check` latency cold and warm,
audit seconds per 1,000 words, peak RSS. Measured, never asserted; `verifier bench` writes the JSON.

Everything runs against a fresh store built from the first `docs` rows of a corpus (by default the
SciFact corpus of the shared eval data) in a temporary directory, so no user store is touched.
"""

from __future__ import annotations

import json
import logging
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from verifier.errors import EvalDataError
from verifier.evaluation.gold import load_claims
from verifier.evaluation.machine import machine, peak_rss_mb
from verifier.models import Claim, Hit, Passage

log = logging.getLogger(__name__)

Notice = Callable[[str], None]
PAIR_WORDS = 110  # premise words: with a ~20-word claim, ~150 wordpiece tokens per pair


def _ms(values: Sequence[float]) -> dict[str, float]:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {
        "mean_ms": round(1000 * statistics.fmean(ordered), 2),
        "median_ms": round(1000 * statistics.median(ordered), 2),
        "p95_ms": round(1000 * p95, 2),
        "n": len(ordered),
    }


def subset_corpus(corpus: Path, docs: int, dest: Path) -> Path:
    """The first `docs` rows of a jsonl corpus (a folder is used whole)."""
    if corpus.is_dir():
        return corpus
    with corpus.open(encoding="utf-8") as src, dest.open("w", encoding="utf-8") as out:
        for i, line in enumerate(src):
            if i >= docs:
                break
            out.write(line)
    return dest


def default_inputs(data_dir: Path | None = None) -> tuple[Path, Path]:
    """(corpus, claims): SciFact from the shared eval data when present, else the shipped examples."""
    from verifier.evaluation import datasets

    try:
        ds = datasets.resolve("scifact-dev", data_dir)
    except EvalDataError:
        ds = datasets.resolve("examples")
    return ds.corpus, ds.claims


def judge_pairs_per_second(judge: Any, passages: Sequence[Passage], claims: Sequence[str]) -> dict[str, Any]:
    """Throughput of the judge on (premise ~110 words, claim) pairs.

    For the NLI judge its batched pair scorer is timed directly (model pairs/s); for other judges
    `judge.judge` is called with one passage per pair.
    """
    premises = [" ".join(p.text.split()[:PAIR_WORDS]) for p in passages]
    pairs = [(prem, claims[i % len(claims)]) for i, prem in enumerate(premises)]
    scorer = getattr(judge, "scorer", None)
    if scorer is not None and hasattr(scorer, "score"):
        scorer.score(pairs[:8])  # load and warm
        t0 = time.perf_counter()
        scorer.score(pairs)
        seconds = time.perf_counter() - t0
        method = f"PairScorer.score, batch size {getattr(scorer, 'batch_size', '?')}"
    else:
        hits = [
            Hit(Passage(p.id, p.source_id, prem, 0, len(prem)), 1.0)
            for p, prem in zip(passages, premises, strict=True)
        ]
        judge.judge(Claim.from_text(claims[0]), hits[:2])
        t0 = time.perf_counter()
        for (_, claim), hit in zip(pairs, hits, strict=True):
            judge.judge(Claim.from_text(claim), [hit])
        seconds = time.perf_counter() - t0
        method = "judge.judge, one passage per call"
    words = statistics.fmean(len(p.split()) + len(c.split()) for p, c in pairs)
    return {
        "pairs": len(pairs),
        "pairs_per_second": round(len(pairs) / seconds, 1),
        "mean_words_per_pair": round(words, 1),
        "method": method,
    }


def embedding_passages(corpus: Path, n: int = 128, words: int = 120) -> list[str]:
    """`n` passages cut to `words` words (SciFact abstracts: ~150-200 wordpiece tokens; texts under 10
    words skipped) from a jsonl corpus or folder."""
    texts: list[str] = []
    paths = sorted(corpus.glob("*.txt")) if corpus.is_dir() else [corpus]
    for path in paths:
        for line in path.open(encoding="utf-8"):
            text = line if path.suffix == ".txt" else str(json.loads(line).get("text", ""))
            if len(text.split()) >= 10:
                texts.append(" ".join(text.split()[:words]))
            if len(texts) >= n:
                return texts
    return texts


def embedder_alternatives(
    settings: Any, texts: Sequence[str], rounds: int = 3, int8_dir: Path | None = None
) -> dict[str, Any]:
    """Passages/s of each arithmetic path the embedder can take, measured side by side in this process
    (rounds interleaved, best round kept), so their ratio holds on a machine shared with other work:
    the shipped ONNX fp32 model, the sentence-transformers reference in fp32 and in bf16 autocast, and
    (when `onnx` is installed and `int8_dir` given) a dynamic int8 copy of the ONNX model. Each path's
    vectors are compared with the reference fp32 ones (minimum cosine)."""
    import numpy as np

    from verifier.hardware import cpu, precision
    from verifier.store.embedding import ONNX_DIR, MiniLMEmbedder, OnnxEmbedder

    batch, threads = settings.embed_batch_size, settings.threads
    paths: dict[str, Any] = {
        "onnx fp32": OnnxEmbedder(batch_size=batch, threads=threads),
        "torch fp32": MiniLMEmbedder(batch_size=batch, bf16=False, threads=threads),
        "torch bf16": MiniLMEmbedder(batch_size=batch, bf16=True, threads=threads),
    }
    if int8_dir is not None:
        try:
            import shutil

            from onnxruntime.quantization import QuantType, quantize_dynamic

            int8_dir.mkdir(parents=True, exist_ok=True)
            for name in ("tokenizer.json", "embedder.onnx.json"):
                shutil.copy(ONNX_DIR / name, int8_dir / name)
            # a dynamic int8 copy, measured only: not shipped, its vectors move with their batch mates
            quantize_dynamic(
                str(ONNX_DIR / "model.onnx"), str(int8_dir / "model.onnx"), weight_type=QuantType.QInt8
            )
            paths["onnx int8 (dynamic)"] = OnnxEmbedder(int8_dir, batch_size=batch, threads=threads)
        except ImportError as ex:  # onnx (the train extra) is needed to quantise
            log.info("no int8 alternative: %s", ex)
    best: dict[str, float] = {}
    vectors: dict[str, Any] = {}
    for emb in paths.values():
        emb.embed(list(texts[:4]))  # load and warm
    # emulated bf16 is several times slower: timed once, on the first 32 passages
    slow = {} if cpu().native_bf16 else {"torch bf16": min(32, len(texts))}
    for round_ in range(rounds):
        for name, emb in paths.items():
            if name in slow and round_:
                continue
            t0 = time.perf_counter()
            vectors[name] = np.asarray(emb.embed(list(texts[: slow.get(name)])), dtype=np.float64)
            seconds = (time.perf_counter() - t0) * len(texts) / len(vectors[name])
            best[name] = min(best.get(name, seconds), seconds)
    ref = vectors["torch fp32"]
    chosen = "onnx fp32" if settings.embedder_backend == "onnx" else f"torch {precision()}"
    return {
        "cpu": cpu().summary,
        "precision": precision(),
        "embedder_backend": settings.embedder_backend,
        "chosen": chosen,
        "passages": len(texts),
        "mean_words": round(statistics.fmean(len(t.split()) for t in texts), 1),
        "threads": threads,
        "batch_size": batch,
        "rounds": rounds,
        "alternatives": {
            name: {
                "passages_per_second": round(len(texts) / best[name], 1),
                "vs_torch_fp32": round(best["torch fp32"] / best[name], 2),
                "min_cosine_to_torch_fp32": round(
                    float((vectors[name] * ref[: len(vectors[name])]).sum(1).min()), 5
                ),
                **({"note": f"emulated bf16: first {slow[name]} passages, 1 round"} if name in slow else {}),
            }
            for name in paths
        },
    }


def cold_check_seconds(claim: str, store: Path, judge: str, runs: int, home: Path) -> dict[str, Any]:
    """Wall time of `verifier check` in a fresh process (imports, model loads, one verdict)."""
    env = {**os.environ, "VERIFIER_HOME": str(home)}
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "verifier",
                "check",
                claim,
                "--store",
                str(store),
                "--judge",
                judge,
                "-f",
                "json",
            ],
            check=True,
            capture_output=True,
            env=env,
        )
        times.append(time.perf_counter() - t0)
    return {"runs": runs, "median_s": round(statistics.median(times), 2), "min_s": round(min(times), 2)}


def run_bench(
    settings: Any,
    *,
    corpus: Path,
    claims: Path,
    docs: int = 1000,
    queries: int = 50,
    pairs: int = 256,
    cold_runs: int = 3,
    embed_passages: int = 128,
    articles: Sequence[Path] = (),
    notice: Notice = log.info,
) -> dict[str, Any]:
    """Measure everything against a temporary store of the first `docs` corpus rows."""
    from verifier.pipeline import build_checker, make_embedder, store_options
    from verifier.store.evidence import EvidenceStore

    claim_texts = [g.claim for g in load_claims(claims)][:queries]
    result: dict[str, Any] = {
        "machine": machine(),
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "corpus": str(corpus),
        "threads": settings.threads,
        "embed_batch_size": settings.embed_batch_size,
    }
    with tempfile.TemporaryDirectory(prefix="verifier-bench-") as tmp:
        root = Path(tmp)
        texts = embedding_passages(corpus, embed_passages) if embed_passages else []
        if texts:
            notice(f"embedding arithmetic: {len(texts)} passages on each path")
            result["arithmetic"] = embedder_alternatives(settings, texts, int8_dir=root / "int8")
        embedder = make_embedder(settings)
        t0 = time.perf_counter()
        embedder.embed(["load the model"])
        result["embedder_load_s"] = round(time.perf_counter() - t0, 2)

        notice(f"ingest: first {docs} rows of {corpus}")
        store = EvidenceStore.open(root / "store", embedder, **store_options(settings))
        stats = store.ingest(
            [subset_corpus(corpus, docs, root / "corpus.jsonl")],
            batch_size=settings.ingest_batch_size,
            progress=settings.progress,
        )
        result["ingest"] = {
            "sources": stats.added,
            "passages": stats.passages,
            "seconds": round(stats.seconds, 2),
            "passages_per_second": round(stats.passages_per_second, 1),
        }

        notice(f"retrieval: {len(claim_texts)} queries, k={settings.top_k}")
        store.search(claim_texts[0], settings.top_k)  # chroma open, bm25 load
        times = []
        for q in claim_texts:
            t = time.perf_counter()
            store.search(q, settings.top_k)
            times.append(time.perf_counter() - t)
        result["retrieval"] = {**_ms(times), "passages_in_store": store.count_passages()}

        checker = build_checker(settings, store=store)
        result["judge"] = checker.judge.name
        if checker.store is not store:  # the evidence reranker over the fused candidates
            notice(f"reranked retrieval: {len(claim_texts)} queries, depth {settings.rerank_depth}")
            checker.store.search(claim_texts[0], settings.top_k)  # load the reranker
            times = []
            for q in claim_texts:
                t = time.perf_counter()
                checker.store.search(q, settings.top_k)
                times.append(time.perf_counter() - t)
            result["retrieval_reranked"] = {**_ms(times), "depth": settings.rerank_depth}
        notice(f"judge: {pairs} pairs")
        sample = store.passages()[:pairs]
        result["judge_throughput"] = judge_pairs_per_second(checker.judge, sample, claim_texts)

        notice(f"check (warm): {len(claim_texts)} claims")
        checker.check_claim(claim_texts[0])
        times = []
        for q in claim_texts:
            t = time.perf_counter()
            checker.check_claim(q)
            times.append(time.perf_counter() - t)
        result["check_warm"] = _ms(times)

        if articles:
            notice(f"audit: {len(articles)} articles")
            words, seconds, n_claims = 0, 0.0, 0
            for path in articles:
                text = path.read_text(encoding="utf-8")
                t = time.perf_counter()
                report = checker.audit(text, source=str(path))
                seconds += time.perf_counter() - t
                words += len(text.split())
                n_claims += len(report.verdicts)
            result["audit"] = {
                "articles": len(articles),
                "words": words,
                "claims": n_claims,
                "seconds_per_1000_words": round(1000 * seconds / words, 2),
            }
        store.close()
        result["peak_rss_mb"] = peak_rss_mb()

        if cold_runs:
            notice(f"check (cold): {cold_runs} fresh processes")
            result["check_cold"] = cold_check_seconds(
                claim_texts[0], root / "store", settings.judge, cold_runs, root / "home"
            )
    return result


def write_result(result: dict[str, Any], out: Path) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return out


def summary_lines(r: dict[str, Any]) -> list[str]:
    jt = r["judge_throughput"]
    lines = [f"machine: {r['machine']}  judge {r.get('judge')}  threads {r['threads']}"]
    if a := r.get("arithmetic"):
        lines.append(
            f"arithmetic: {a['cpu']}: precision {a['precision']}, embedder {a['embedder_backend']} "
            f"({a['chosen']}); {a['passages']} passages of ~{a['mean_words']} words, side by side:"
        )
        lines.extend(
            f"  {'*' if name == a['chosen'] else ' '} {name}: {alt['passages_per_second']} passages/s "
            f"({alt['vs_torch_fp32']}x torch fp32, min cosine {alt['min_cosine_to_torch_fp32']})"
            for name, alt in a["alternatives"].items()
        )
    lines += [
        f"ingest: {r['ingest']['passages']} passages in {r['ingest']['seconds']} s "
        f"= {r['ingest']['passages_per_second']} passages/s",
        f"retrieval: {r['retrieval']['median_ms']} ms median, {r['retrieval']['p95_ms']} ms p95 "
        f"over {r['retrieval']['passages_in_store']} passages",
        *(
            [
                f"retrieval + rerank of the top {rr['depth']}: "
                f"{rr['median_ms']} ms median, {rr['p95_ms']} ms p95"
            ]
            if (rr := r.get("retrieval_reranked"))
            else []
        ),
        f"judge: {jt['pairs_per_second']} pairs/s (~{jt['mean_words_per_pair']} words/pair; {jt['method']})",
        f"check warm: {r['check_warm']['median_ms']} ms median, {r['check_warm']['p95_ms']} ms p95",
    ]
    if "check_cold" in r:
        lines.append(
            f"check cold: {r['check_cold']['median_s']} s median of {r['check_cold']['runs']} processes"
        )
    if "audit" in r:
        lines.append(
            f"audit: {r['audit']['seconds_per_1000_words']} s per 1,000 words ({r['audit']['claims']} claims)"
        )
    lines.append(f"peak RSS: {r['peak_rss_mb']} MB")
    return lines
