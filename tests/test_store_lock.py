"""One local writer per store, proved with real second processes: a clear error naming the holder's
pid, the shipped-examples index built by one process at a time, a dead holder's lock taken over."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import DATA, REPO
from verifier.config import Settings
from verifier.errors import StoreLockedError
from verifier.pipeline import open_store
from verifier.store.embedding import MiniLMEmbedder
from verifier.store.evidence import LOCK_FILE, EvidenceStore
from verifier.store.lock import StoreLock, pid_running

HOLD = """
import sys
from pathlib import Path
from verifier.store.lock import StoreLock
lock = StoreLock(Path(sys.argv[1]), what="test")
lock.acquire()
print("locked", flush=True)
sys.stdin.read()  # hold until the test closes stdin (or kills us)
lock.release()
"""


@contextmanager
def held_by_other_process(lock_file: Path) -> Iterator[subprocess.Popen[str]]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(lock_file)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env, cwd=REPO,
    )  # fmt: skip
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()


def test_second_writer_gets_an_error_naming_the_holder(store: EvidenceStore) -> None:
    with held_by_other_process(store.path / LOCK_FILE) as holder:
        with pytest.raises(StoreLockedError, match=rf"pid {holder.pid}\b") as info:
            store.ingest([DATA / "corpus.jsonl"], progress="never")
        assert str(store.path) in str(info.value) and "\n" not in str(info.value)
        assert store.count_sources() == 0  # nothing was written
        holder.stdin.close()  # type: ignore[union-attr]
        holder.wait()
    stats = store.ingest([DATA / "corpus.jsonl"], progress="never")  # released: the next writer goes
    assert stats.added > 0


def test_lock_of_a_killed_process_is_taken_over(
    store: EvidenceStore, caplog: pytest.LogCaptureFixture
) -> None:
    lock_file = store.path / LOCK_FILE
    with held_by_other_process(lock_file) as holder:
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait()
    assert lock_file.read_text().strip() == str(holder.pid) and not pid_running(holder.pid)
    stats = store.ingest([DATA / "corpus.jsonl"], progress="never")
    assert stats.added > 0
    assert any(f"left by pid {holder.pid}" in r.getMessage() for r in caplog.records)
    assert lock_file.read_text() == ""  # released: names nobody


def test_waiting_writer_goes_once_the_holder_is_done(tmp_path: Path) -> None:
    lock_file = tmp_path / "x.lock"
    with held_by_other_process(lock_file) as holder:
        with pytest.raises(StoreLockedError, match=str(holder.pid)):
            StoreLock(lock_file, what="X", wait=0.3).acquire()
        holder.stdin.close()  # type: ignore[union-attr]
        with StoreLock(lock_file, what="X", wait=60) as lock:  # waits for the holder to let go
            assert lock.held and lock_file.read_text().strip() == str(os.getpid())


def test_two_locks_in_one_process_exclude_each_other(tmp_path: Path) -> None:
    with StoreLock(tmp_path / "x.lock", what="X"):
        with pytest.raises(StoreLockedError, match=f"pid {os.getpid()}"):
            StoreLock(tmp_path / "x.lock", what="X").acquire()


def test_examples_index_is_built_by_one_process_at_a_time(
    embedder: MiniLMEmbedder, isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VERIFIER_EXAMPLES_LOCK_WAIT", "0.2")
    settings = Settings.resolve()
    with held_by_other_process(settings.examples_lock_file) as holder:
        with pytest.raises(StoreLockedError, match=rf"shipped-examples index .*pid {holder.pid}\b"):
            open_store(settings, embedder, lambda _: None)
        assert not (isolated_home / "examples-store" / "chroma").exists()  # nothing was built meanwhile


def test_concurrent_ingest_processes_leave_one_consistent_store(tmp_path: Path) -> None:
    """Two real `verifier ingest` processes at once on one store: one writes, the other is refused with
    the one-line message (or, when they did not overlap, finds everything unchanged)."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "VERIFIER_HOME": str(tmp_path / "home")}
    cmd = [sys.executable, "-m", "verifier", "ingest", str(DATA / "sources"), str(DATA / "corpus.jsonl"),
           "--store", str(tmp_path / "store"), "--format", "json"]  # fmt: skip
    procs = [
        subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        for _ in range(2)
    ]
    outputs = [p.communicate() for p in procs]  # (stdout, stderr), read to the end
    results = [(p.returncode, out, err) for p, (out, err) in zip(procs, outputs, strict=True)]
    ok = [r for r in results if r[0] == 0]
    refused = [r for r in results if r[0] != 0]
    assert ok, results
    for code, _, err in refused:
        assert code == 1 and err.strip().startswith("Error: Store ") and "pid " in err, err
        assert "Traceback" not in err
    store = EvidenceStore.open(tmp_path / "store", _embedder())
    assert store.count_passages() == store.collection.count() > 0
    store.close()


def _embedder() -> MiniLMEmbedder:
    from verifier.store.embedding import shared_embedder

    return shared_embedder(32, 1)
