"""The articles of a batch audit: files, folders, glob patterns and JSONL files of articles
(`{"id", "text", "url"?, "date"?}`), expanded lazily in a stable order."""

from __future__ import annotations

import glob
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from verifier.errors import InputError, VerifierError
from verifier.store.sources import read_text

ARTICLE_SUFFIXES = (".txt", ".md", ".markdown", ".text")  # what a folder is searched for
_GLOB = frozenset("*?[")


@dataclass(frozen=True, slots=True)
class ArticleInput:
    """One article to audit: its text already read, or `error` when it could not be read."""

    id: str  # the file path as found, or the JSONL row's id
    text: str = ""
    url: str | None = None
    date: str | None = None
    error: str | None = None


def is_glob(spec: str) -> bool:
    return any(ch in _GLOB for ch in spec) and not Path(spec).exists()


def is_batch(specs: Sequence[str]) -> bool:
    """Several inputs, a folder, a glob pattern or a JSONL of articles: a batch audit."""
    if len(specs) != 1:
        return True
    spec = specs[0]
    return spec != "-" and (is_glob(spec) or Path(spec).is_dir() or spec.lower().endswith(".jsonl"))


def _folder_files(root: Path) -> list[Path]:
    return [
        p
        for p in sorted(root.rglob("*"))
        if p.is_file()
        and p.suffix.lower() in ARTICLE_SUFFIXES
        and not any(part.startswith(".") for part in p.relative_to(root).parts)
    ]


def _paths(spec: str) -> list[Path]:
    if spec == "-":
        raise InputError("stdin (-) can only be audited on its own; give files, folders or a .jsonl")
    if is_glob(spec):
        found = sorted(Path(p) for p in glob.glob(spec, recursive=True))
        files = [p for p in found if p.is_file()]
        if not files:
            raise InputError(f"{spec}: no file matches this pattern")
        return files
    path = Path(spec)
    if path.is_dir():
        files = _folder_files(path)
        if not files:
            raise InputError(f"{spec}: no {', '.join(ARTICLE_SUFFIXES)} files in this folder")
        return files
    if not path.exists():
        raise InputError(f"{spec}: no such file or directory")
    return [path]


def article_files(specs: Sequence[str]) -> list[Path]:
    """Every file the inputs name, in order (a folder's and a pattern's sorted); missing inputs, empty
    folders and patterns matching nothing are errors before anything runs."""
    return [p for spec in specs for p in _paths(spec)]


def count_articles(files: Sequence[Path]) -> int:
    """How many articles `iter_articles(files)` yields (non-blank lines of the JSONL files)."""
    total = 0
    for path in files:
        if path.suffix.lower() == ".jsonl":
            try:
                with path.open("rb") as fh:
                    total += sum(1 for line in fh if line.strip())
            except OSError:
                total += 1
        else:
            total += 1
    return total


def iter_articles(files: Sequence[Path]) -> Iterator[ArticleInput]:
    """Each article with its text; one that cannot be read comes with its `error` instead."""
    for path in files:
        if path.suffix.lower() == ".jsonl":
            yield from _jsonl_articles(path)
            continue
        try:
            yield ArticleInput(id=str(path), text=read_text(path))
        except VerifierError as ex:
            yield ArticleInput(id=str(path), error=str(ex))


def _jsonl_articles(path: Path) -> Iterator[ArticleInput]:
    try:
        fh = path.open("rb")
    except OSError as ex:
        yield ArticleInput(id=str(path), error=f"{path}: cannot read ({ex.strerror or ex})")
        return
    with fh:
        for lineno, raw in enumerate(fh, 1):
            if not raw.strip():
                continue
            where = f"{path}:{lineno}"
            try:
                line = raw.decode("utf-8-sig" if lineno == 1 else "utf-8")
            except UnicodeDecodeError:
                yield ArticleInput(id=where, error=f"{where}: not UTF-8 text")
                continue
            yield _row_article(line, where)


def _row_article(line: str, where: str) -> ArticleInput:
    try:
        row = json.loads(line)
    except json.JSONDecodeError as ex:
        return ArticleInput(id=where, error=f"{where}: invalid JSON ({ex.msg})")
    if not isinstance(row, dict) or row.get("id") in (None, ""):
        return ArticleInput(id=where, error=f"{where}: each row needs an 'id' and a 'text'")
    aid, text = str(row["id"]), row.get("text")
    url = str(row["url"]) if row.get("url") else None
    date = str(row["date"]) if row.get("date") else None
    if not isinstance(text, str) or not text.strip():
        return ArticleInput(id=aid, url=url, date=date, error=f"{where}: article {aid!r} has no text")
    if "\x00" in text:
        return ArticleInput(id=aid, url=url, date=date, error=f"{where}: article {aid!r} is binary data")
    return ArticleInput(id=aid, text=text, url=url, date=date)
