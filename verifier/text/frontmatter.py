"""Front matter: a leading `---` block of `key: value` lines (title, url, date) and where the body starts."""

from __future__ import annotations

import re

_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(?:(.*?)\r?\n)?---[ \t]*(?:\r?\n|\Z)", re.DOTALL)


def parse_markdown(raw: str) -> tuple[str, dict[str, str]]:
    """Split a `---` front-matter block (simple `key: value` lines) from the body."""
    meta: dict[str, str] = {}
    m = _FRONT_MATTER.match(raw)
    if not m:
        return raw, meta
    for line in re.split(r"\r?\n", m.group(1) or ""):  # not splitlines(): a value may hold \f or U+2028
        key, sep, value = line.partition(":")
        if sep and key.strip():
            value = value.strip()
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
                value = value[1:-1]
            meta[key.strip().lower()] = value
    return raw[m.end() :], meta


def body_offset(article: str) -> int:
    """Where the article body starts: after a `---` front-matter block, if any."""
    m = _FRONT_MATTER.match(article)
    return m.end() if m else 0
