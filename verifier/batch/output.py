"""The JSONL a batch audit writes: one line per article, keyed by its id, appended as each article is
done, so a killed run loses at most the line it was writing and a re-run resumes after the others."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import IO, Any

from verifier.errors import InputError

log = logging.getLogger(__name__)


def line_of(obj: dict[str, Any]) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def recover(path: Path) -> set[str]:
    """The ids already written to `path` (none when it does not exist). A torn last line (a run killed
    while writing it) is cut off, so the article is done again and the file stays valid JSONL."""
    if not path.exists():
        return set()
    if path.is_dir():
        raise InputError(f"--out {path}: is a directory, not a file")
    done: set[str] = set()
    good = 0  # bytes up to the end of the last complete, valid line
    torn: int | None = None  # the line number of a bad line
    with path.open("rb") as fh:
        for lineno, raw in enumerate(fh, 1):
            if torn is not None:  # a bad line with more after it: not a torn end
                raise InputError(
                    f"--out {path}:{torn}: not a line of a batch audit (no JSON object with an 'id')"
                )
            try:
                row = json.loads(raw)
            except ValueError:
                row = None
            if not raw.endswith(b"\n") or not isinstance(row, dict) or "id" not in row:
                torn = lineno
                continue
            done.add(str(row["id"]))
            good += len(raw)
    if good != path.stat().st_size:
        log.warning("%s: cutting off a torn last line (%d bytes)", path, path.stat().st_size - good)
        with path.open("r+b") as fh:
            fh.truncate(good)
    return done


class JsonlSink:
    """Appends one line per article and flushes it, to a file or to a text stream (stdout)."""

    def __init__(self, stream: IO[str], *, sync: bool = False) -> None:
        self._stream = stream
        self._sync = sync

    @classmethod
    def append_to(cls, path: Path) -> JsonlSink:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            return cls(path.open("a", encoding="utf-8"), sync=True)
        except OSError as ex:
            raise InputError(f"--out {path}: cannot write ({ex.strerror or ex})") from None

    def write(self, obj: dict[str, Any]) -> None:
        self._stream.write(line_of(obj) + "\n")
        self._stream.flush()
        if self._sync:
            os.fsync(self._stream.fileno())

    def close(self) -> None:
        if self._sync:
            self._stream.close()
