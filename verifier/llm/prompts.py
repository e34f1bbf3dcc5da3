"""Prompt templates: plain files in the repository's `prompts/` folder, never text in the code.

A template file declares its placeholders in a header and holds one section per chat role:

    # prompt: judge
    # version: 1
    # placeholders: claim, windows
    ### system
    ...
    ### user
    ... ${claim} ...

Placeholders are `string.Template` fields (`${name}`), so JSON braces in a prompt need no escaping.
A prompt's version is its declared version plus a hash of its text: editing a template invalidates the
answers cached for it.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from verifier.errors import ModelLoadError
from verifier.models import stable_id

PROMPTS_DIR = Path(__file__).resolve().parents[2] / "prompts"
ROLES = ("system", "user")
_SECTION = "### "
_HEADER = "# "


@dataclass(frozen=True, slots=True)
class Prompt:
    name: str
    version: str
    placeholders: tuple[str, ...]
    sections: tuple[tuple[str, str], ...]  # (role, template text)

    def used_placeholders(self) -> set[str]:
        """The fields the template text refers to."""
        return {name for _, text in self.sections for name in string.Template(text).get_identifiers()}

    def render(self, fields: Mapping[str, str]) -> list[tuple[str, str]]:
        """(role, text) messages with every declared placeholder filled; a missing or extra field is a
        programming error (the prompt and the code disagree)."""
        if set(fields) != set(self.placeholders):
            raise ValueError(
                f"prompt {self.name!r} declares {sorted(self.placeholders)}; the code filled {sorted(fields)}"
            )
        return [(role, string.Template(text).substitute(fields)) for role, text in self.sections]

    def render_text(self, fields: Mapping[str, str]) -> str:
        """A fragment prompt (one section) as plain text."""
        return "\n".join(text for _, text in self.render(fields))


def parse_prompt(name: str, raw: str) -> Prompt:
    header: dict[str, str] = {}
    sections: list[tuple[str, list[str]]] = []
    for line in raw.splitlines():
        if line.startswith(_SECTION):
            role = line[len(_SECTION) :].strip()
            if role not in ROLES:
                raise ModelLoadError(
                    f"prompt {name!r}: unknown section {role!r}; use one of {', '.join(ROLES)}"
                )
            sections.append((role, []))
        elif sections:
            sections[-1][1].append(line)
        elif line.startswith(_HEADER) and ":" in line:
            key, _, value = line[len(_HEADER) :].partition(":")
            header[key.strip()] = value.strip()
    if not sections:
        raise ModelLoadError(f"prompt {name!r} has no '### system' or '### user' section")
    placeholders = tuple(p.strip() for p in header.get("placeholders", "").split(",") if p.strip())
    body = tuple((role, "\n".join(lines).strip("\n")) for role, lines in sections)
    version = f"{header.get('version', '0')}-{stable_id(raw, length=8)}"
    return Prompt(name=name, version=version, placeholders=placeholders, sections=body)


def prompt_files(directory: Path | None = None) -> list[Path]:
    return sorted((directory or PROMPTS_DIR).glob("*.txt"))


@lru_cache(maxsize=32)
def load_prompt(name: str, directory: Path | None = None) -> Prompt:
    """The template `name` from `directory` (default: the repository's `prompts/`)."""
    path = (directory or PROMPTS_DIR) / f"{name}.txt"
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError:
        raise ModelLoadError(
            f"The prompt template {path} is missing; the LLM path reads its prompts from the repository's "
            "prompts/ folder (or set VERIFIER_PROMPTS_DIR to a folder holding them)"
        ) from None
    return parse_prompt(name, raw)
