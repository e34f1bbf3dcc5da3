"""Scale-out benchmark (not a test): batch-audit throughput in one process vs a 2-worker dask
LocalCluster, the per-article cost, and ingest throughput into a Chroma server vs the embedded store.

    python bench/scale.py [--articles 20] [--docs 300] [--out bench/results/scale-<time>.json]

Articles: the paragraphs of evidence/articles/*.txt (the shipped news articles), cut into articles of
~3 paragraphs, audited against the shipped examples. Ingest: the first --docs rows of the SciFact
corpus (../shared/eval-data) or the shipped examples when it is absent.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def cpu_name() -> str:
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True, check=True).stdout
        for line in out.splitlines():
            if line.startswith("Model name:"):
                return line.split(":", 1)[1].strip()
    except (OSError, subprocess.CalledProcessError):
        pass
    return platform.processor() or "unknown"


def small_articles(n: int) -> list[dict[str, str]]:
    """n articles of ~3 paragraphs each from the shipped articles (front matter kept for the date)."""
    from verifier.store.sources import parse_markdown

    rows: list[dict[str, str]] = []
    files = sorted((REPO / "evidence" / "articles").glob("*.txt"))
    while len(rows) < n:
        for file in files:
            body, meta = parse_markdown(file.read_text(encoding="utf-8"))
            paras = [p for p in body.split("\n\n") if len(p.split()) > 12]
            for i in range(0, len(paras), 3):
                rows.append(
                    {"id": f"{file.stem}-{i // 3}-{len(rows)}", "text": "\n\n".join(paras[i : i + 3]),
                     "date": meta.get("date", "")}
                )  # fmt: skip
    return rows[:n]


def audit_runs(home: Path, articles: list[dict[str, str]], workers: list[int]) -> list[dict[str, Any]]:
    from verifier.batch.inputs import ArticleInput
    from verifier.batch.run import run_batch
    from verifier.config import Settings

    inputs = [ArticleInput(id=a["id"], text=a["text"], date=a["date"] or None) for a in articles]
    words = sum(len(a["text"].split()) for a in articles)
    results = []
    for n in workers:
        settings = Settings.resolve(home=home, workers=n, progress="never")
        lines: list[dict[str, Any]] = []
        started = time.perf_counter()
        summary = run_batch(settings, inputs, lines.append)
        wall = time.perf_counter() - started
        results.append(
            {
                "workers": n or 1,
                "mode": "in process" if n == 0 else f"dask LocalCluster, {n} processes x 1 thread",
                "articles": summary.audited,
                "failed": summary.failed,
                "claims": summary.claims,
                "words_per_article": round(words / len(articles), 1),
                "seconds": round(wall, 1),
                "articles_per_minute": round(60 * summary.audited / wall, 2),
                "seconds_per_article": round(wall / summary.audited, 2),
                "note": "includes model loading (in each worker process on dask) and cluster start",
            }
        )
        print(json.dumps(results[-1]), flush=True)
    return results


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def ingest_runs(home: Path, corpus: Path, docs: int) -> dict[str, Any]:
    from verifier.config import Settings
    from verifier.pipeline import make_embedder
    from verifier.store.evidence import EvidenceStore
    from verifier.store.server import ServerEvidenceStore

    src = home / "corpus.jsonl"
    if corpus.is_dir():
        src = corpus
    else:
        with corpus.open(encoding="utf-8") as fh, src.open("w", encoding="utf-8") as out:
            for i, line in enumerate(fh):
                if i >= docs:
                    break
                out.write(line)
    settings = Settings.resolve(home=home)
    embedder = make_embedder(settings)
    embedder.embed(["warm up"])
    out: dict[str, Any] = {"corpus": str(corpus), "docs": docs}
    store = EvidenceStore.open(home / "embedded", embedder)
    stats = store.ingest([src], progress="never")
    out["embedded"] = {"passages": stats.passages, "seconds": round(stats.seconds, 2),
                       "passages_per_second": round(stats.passages_per_second, 1)}  # fmt: skip
    print(json.dumps(out["embedded"]), flush=True)
    port = free_port()
    chroma = Path(sys.executable).with_name("chroma")
    env = {**os.environ, "ANONYMIZED_TELEMETRY": "False"}
    log = (home / "chroma.log").open("wb")
    proc = subprocess.Popen(
        [str(chroma), "run", "--path", str(home / "server"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=log, stderr=subprocess.STDOUT, env=env,
    )  # fmt: skip
    try:
        url = f"http://127.0.0.1:{port}"
        for _ in range(300):
            try:
                urllib.request.urlopen(url + "/api/v2/heartbeat", timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        server = ServerEvidenceStore.open(url, embedder, cache_dir=home / "server-cache")
        stats = server.ingest([src], progress="never")
        out["server"] = {"passages": stats.passages, "seconds": round(stats.seconds, 2),
                         "passages_per_second": round(stats.passages_per_second, 1)}  # fmt: skip
        started = time.perf_counter()
        server._lexical_index()
        out["server"]["lexical_rebuild_seconds"] = round(time.perf_counter() - started, 2)
        print(json.dumps(out["server"]), flush=True)
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=20)
    parser.add_argument("--docs", type=int, default=300)
    parser.add_argument("--workers", type=int, nargs="+", default=[0, 2])
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    from verifier.evaluation.bench import default_inputs

    home = Path(tempfile.mkdtemp(prefix="verifier-scale-"))
    os.environ["VERIFIER_HOME"] = str(home)
    result: dict[str, Any] = {
        "cpu": cpu_name(),
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "note": "2 cores shared with other developers' jobs while measured",
    }
    result["audit"] = audit_runs(home, small_articles(args.articles), args.workers)
    corpus, _ = default_inputs()
    result["ingest"] = ingest_runs(home, corpus, args.docs)
    out = args.out or REPO / "bench" / "results" / time.strftime("scale-%Y%m%d-%H%M.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"Wrote {out}")


if __name__ == "__main__":
    main()
