"""Peak RSS of `verifier ingest` (a fresh process) on generated text: one big file, or many 0.1 MB ones.

    python bench/ingest_memory.py one|many MEGABYTES [REPO]     (REPO: the checkout to run, default .)
    python bench/ingest_memory.py read MEGABYTES [REPO]         (reading + chunking only, no models)

Results: bench/README.md ("Ingest memory").
"""

from __future__ import annotations

import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def write_text(path: Path, mb: float, seed: int) -> None:
    random.seed(seed)
    words = (
        "the council voted to approve a new budget of million pounds for roads schools and the harbour "
        "after months of debate about costs delays and the ferry terminal in 2025"
    ).split()
    n = 0
    with path.open("w") as f:
        while n < mb * 1e6:
            para = " ".join(
                " ".join(random.choices(words, k=random.randint(8, 25))).capitalize() + "." for _ in range(5)
            )
            f.write(para + "\n\n")
            n += len(para) + 2


root, mode, mb = Path(tempfile.mkdtemp()), sys.argv[1], float(sys.argv[2])
tree = sys.argv[3] if len(sys.argv) > 3 else str(Path(__file__).resolve().parents[1])
src = root / "src"
src.mkdir()
if mode in ("one", "read"):
    write_text(src / "big.txt", mb, 1)
else:
    for i in range(int(mb * 10)):
        write_text(src / f"doc-{i:04d}.txt", 0.1, i)
env = {**os.environ, "PYTHONPATH": tree, "VERIFIER_HOME": str(root / "home")}
READ = (
    "import sys; from pathlib import Path; from verifier.store.sources import iter_documents, chunk_source; "
    "print(sum(len(chunk_source(s, x)) for s, x in iter_documents([Path(sys.argv[1])])), 'passages')"
)
if mode == "read":
    argv = ["-c", READ, str(src)]
else:
    argv = ["-m", "verifier", "ingest", str(src), "--store", str(root / "store"), "--no-progress"]
t = time.perf_counter()
r = subprocess.run(
    [sys.executable, *argv],
    env=env,
    capture_output=True,
    text=True,
    cwd=tree,
)
secs = time.perf_counter() - t
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(f"{tree} mode={mode} mb={mb} rc={r.returncode} seconds={secs:.0f} peak_rss_mb={rss:.0f}")
print(r.stdout.strip()[-200:], r.stderr.strip()[-300:])
