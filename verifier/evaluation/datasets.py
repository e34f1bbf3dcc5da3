"""Named evaluation sets: `scifact-dev` -> claims file, corpus, internal train/val split.

The registry is `eval/datasets.toml` in the repository. Shared data is found through `--data-dir`,
else `VERIFIER_EVAL_DATA`, else `../shared/eval-data` beside the repository.
"""

from __future__ import annotations

import json
import os
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from verifier.errors import EvalDataError

Split = Literal["train", "tune", "val", "all"]
SPLITS: tuple[Split, ...] = ("train", "tune", "val", "all")
DATA_ENV = "VERIFIER_EVAL_DATA"


def repo_root() -> Path:
    return Path(__file__).resolve().parents[2]


def registry_file() -> Path:
    return repo_root() / "eval" / "datasets.toml"


def splits_dir() -> Path:
    return repo_root() / "eval" / "splits"


def data_dir(override: Path | None = None) -> Path:
    """Where the shared eval data lives: the flag, then the environment, then ../shared/eval-data."""
    if override is not None:
        return override.expanduser()
    env = os.environ.get(DATA_ENV)
    if env:
        return Path(env).expanduser()
    return repo_root().parent / "shared" / "eval-data"


@dataclass(frozen=True, slots=True)
class Dataset:
    name: str
    claims: Path
    corpus: Path
    split_file: Path | None = None
    description: str = ""


def load_registry(path: Path | None = None) -> dict[str, dict[str, Any]]:
    """The raw registry entries by name (a missing or malformed file is an EvalDataError)."""
    path = path or registry_file()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise EvalDataError(
            f"No dataset registry at {path} (it ships with the repository); pass --claims and --corpus"
        ) from None
    except tomllib.TOMLDecodeError as ex:
        raise EvalDataError(f"{path}: {ex}") from None
    entries = data.get("datasets")
    if not isinstance(entries, dict):
        raise EvalDataError(f"{path}: no [datasets.NAME] tables")
    for name, entry in entries.items():
        if not isinstance(entry, dict) or not {"claims", "corpus"} <= entry.keys():
            raise EvalDataError(f"{path}: [datasets.{name}] needs 'claims' and 'corpus'")
        if entry.get("root", "data") not in ("data", "repo"):
            raise EvalDataError(f"{path}: [datasets.{name}] root must be 'data' or 'repo'")
    return entries


def dataset_names(path: Path | None = None) -> list[str]:
    return list(load_registry(path))


def resolve(name: str, data: Path | None = None, registry: Path | None = None) -> Dataset:
    """The files of the named dataset; an unknown name or a missing file is an EvalDataError."""
    entries = load_registry(registry)
    if name not in entries:
        raise EvalDataError(f"Unknown dataset {name!r}; choose from {', '.join(entries)}")
    entry = entries[name]
    base = repo_root() if entry.get("root", "data") == "repo" else data_dir(data)
    claims, corpus = base / entry["claims"], base / entry["corpus"]
    for path in (claims, corpus):
        if not path.exists():
            hint = "" if entry.get("root") == "repo" else f" (set --data-dir or {DATA_ENV})"
            raise EvalDataError(f"Dataset {name!r}: {path} is missing{hint}")
    split = entry.get("split")
    split_file = splits_dir() / f"{split}.json" if split else None
    return Dataset(name, claims, corpus, split_file, str(entry.get("description", "")))


def load_split(path: Path, split: Split) -> frozenset[str] | None:
    """The claim ids of `split` in a splits file ({"train": [...], "tune": [...], "val": [...]});
    None for "all"."""
    if split == "all":
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise EvalDataError(f"No split file {path}; use --split all") from None
    except json.JSONDecodeError as ex:
        raise EvalDataError(f"{path}: invalid JSON ({ex.msg})") from None
    ids = data.get(split) if isinstance(data, dict) else None
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        raise EvalDataError(f"{path}: no list of claim ids under {split!r}")
    return frozenset(ids)


def select(ids: Sequence[str], keep: frozenset[str] | None) -> list[int]:
    """Indices of `ids` that are in `keep` (all when `keep` is None)."""
    return [i for i, x in enumerate(ids) if keep is None or x in keep]
