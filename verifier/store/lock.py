"""One local writer at a time: an advisory lock on a file that holds the writer's pid.

`fcntl.flock` where it exists (POSIX): the kernel drops the lock when its process dies, however it dies
(kill -9 included), so a lock file left by a dead process is simply taken over. Elsewhere the file is
created with O_EXCL and a lock whose pid is no longer running is removed and taken over.
"""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path
from types import TracebackType

from verifier.errors import StoreError, StoreLockedError

log = logging.getLogger(__name__)

_POLL_SECONDS = 0.1


def pid_running(pid: int) -> bool:
    """True when a process with this pid exists (it may belong to another user)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _read_pid(path: Path) -> int | None:
    try:
        text = path.read_text(encoding="ascii", errors="replace").strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


class StoreLock:
    """`with StoreLock(path, what="Store /x"):` holds the lock file `path` for this process.

    `wait`: seconds to wait for another holder before giving up with a `StoreLockedError` that names
    its pid (0: give up at once)."""

    def __init__(self, path: Path, *, what: str, wait: float = 0.0) -> None:
        self.path = path
        self.what = what
        self.wait = wait
        self._fd: int | None = None

    def __enter__(self) -> StoreLock:
        self.acquire()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.release()

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> None:
        if self._fd is not None:
            raise StoreError(f"{self.what}: lock {self.path} is already held by this process")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as ex:
            raise StoreError(f"Cannot create {self.path.parent}: {ex.strerror or ex}") from None
        deadline = time.monotonic() + self.wait
        while True:
            holder = self._try_acquire()
            if holder is None:
                return
            if time.monotonic() >= deadline:
                who = f"pid {holder}" if holder > 0 else "a process whose pid is not yet written"
                raise StoreLockedError(
                    f"{self.what} is being written by another verifier process ({who}; lock file "
                    f"{self.path}); wait for it to finish and try again"
                )
            time.sleep(_POLL_SECONDS)

    def _try_acquire(self) -> int | None:
        """None when acquired; else the holder's pid (0 when unknown)."""
        try:
            import fcntl
        except ImportError:  # pragma: no cover - not POSIX
            return self._try_exclusive_create()
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as ex:
            raise StoreError(f"Cannot open the lock file {self.path}: {ex.strerror or ex}") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return _read_pid(self.path) or 0
        previous = _read_pid(self.path)
        if previous is not None and previous != os.getpid():
            log.warning(
                "taking over the lock %s left by pid %d, which is no longer running", self.path, previous
            )
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode("ascii"))
        os.fsync(fd)
        self._fd = fd
        return None

    def _try_exclusive_create(self) -> int | None:  # pragma: no cover - exercised where fcntl is absent
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            holder = _read_pid(self.path)
            if holder is not None and not pid_running(holder):
                log.warning(
                    "taking over the lock %s left by pid %d, which is no longer running", self.path, holder
                )
                self.path.unlink(missing_ok=True)
                return self._try_exclusive_create()
            return holder or 0
        os.write(fd, f"{os.getpid()}\n".encode("ascii"))
        self._fd = fd
        return None

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        try:
            import fcntl
        except ImportError:  # pragma: no cover - not POSIX
            os.close(fd)
            self.path.unlink(missing_ok=True)
            return
        os.ftruncate(fd, 0)  # an unheld lock file names nobody
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
