"""One progress bar for long runs (eval claims, batch articles): rich, on stderr, only where wanted."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager


@contextmanager
def progress_bar(
    total: int | None, mode: str, label: str = "eval", unit: str = "claims"
) -> Iterator[Callable[[int], None]]:
    """A rich progress bar with ETA on stderr, yielding `advance(n)`; `mode` (`Settings.progress`) auto
    (when stderr is a TTY), always or never. `total` None: the count is not known in advance."""
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
        TextColumn(unit),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        console=console,
        transient=console.is_terminal,  # in a log, the final state stays
    ) as bar:
        task = bar.add_task(label, total=total)
        yield lambda n: bar.advance(task, n)
