"""An article cut into sentence units with exact offsets, the article date, and embedded social posts.

A unit is a sentence, or a quotation of several sentences closed by one speech tag; the lines of an
embedded post ("text", a link, "— Name (@handle) Month D, YYYY") are marked with the post's author and
date so their facts can be attributed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from verifier.text.frontmatter import body_offset, parse_markdown
from verifier.text.sentences import sentence_spans

_BLANK = re.compile(r"\n[ \t]*\n")
SIGNATURE = re.compile(
    r"^[ \t]*[—–-]{1,2}[ \t]*(?P<author>[^\n(]+?)[ \t]*\(@(?P<handle>\w+)\)[ \t]*"
    r"(?P<date>[A-Z][a-z]+\.? \d{1,2}, \d{4})?[ \t]*$",
    re.MULTILINE,
)
_DATE_LINE = re.compile(r"^[ \t]*(?:date|published|updated)[ \t]*:[ \t]*(?P<value>[^\n]+)$", re.I | re.M)
_OPEN_Q = '"“'
_CAPTION_CREDIT = re.compile(r"\((?:photo|image|picture|illustration|video)s?\s*:", re.I)
_CLOSE_Q = '"”'


@dataclass(frozen=True, slots=True)
class Unit:
    """One sentence-like unit; `text == article[start:end]`."""

    start: int
    end: int
    text: str
    role: str = "body"  # body | headline | caption | post | signature
    post_author: str | None = None
    post_date: date | None = None


def parse_date(value: str) -> date | None:
    """ISO dates (and datetimes), "April 8, 2026", "8 April 2026"; None when unparseable."""
    value = value.strip().strip("\"'")
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", value)
    if m:
        try:
            return date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return None
    for fmt in ("%B %d, %Y", "%b %d, %Y", "%b. %d, %Y", "%d %B %Y", "%d %b %Y"):
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


def article_date(article: str) -> date | None:
    """The date in the front matter (`date`/`published`), else a `Date: ...` line near the top."""
    _, meta = parse_markdown(article)
    for key in ("date", "published", "updated"):
        if meta.get(key) and (d := parse_date(meta[key])):
            return d
    head = article[body_offset(article) :][:2000]
    for m in _DATE_LINE.finditer(head):
        if d := parse_date(m["value"]):
            return d
    return None


def _quote_balance(s: str) -> int:
    straight = s.count('"')
    return (straight % 2) + s.count("“") - s.count("”")


def _merge_quotes(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Join sentences while a quotation opened in one is still open (at most 4 sentences)."""
    out: list[tuple[int, int]] = []
    i = 0
    while i < len(spans):
        s, e = spans[i]
        j = i
        while _quote_balance(text[s:e]) != 0 and j + 1 < len(spans) and j - i < 3:
            j += 1
            e = spans[j][1]
        if _quote_balance(text[s:e]) != 0:
            j, e = i, spans[i][1]
        out.append((s, e))
        i = j + 1
    return out


def _blocks(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    pos = start
    for m in _BLANK.finditer(text, start, end):
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, end))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def _sentences(article: str, s: int, e: int) -> list[tuple[int, int]]:
    piece = article[s:e]
    return [(s + a, s + b) for a, b in _merge_quotes(piece, sentence_spans(piece))]


def segment(article: str) -> list[Unit]:
    """Sentence units of the body (front matter skipped), in order, paragraphs first."""
    units: list[Unit] = []
    first = True
    for bs, be in _blocks(article, body_offset(article), len(article)):
        block = article[bs:be]
        sig = SIGNATURE.search(block)
        if sig:
            author = sig["author"].strip()
            when = parse_date(sig["date"]) if sig["date"] else None
            for s, e in _sentences(article, bs, bs + sig.start()):
                units.append(Unit(s, e, article[s:e], "post", author, when))
            s, e = bs + sig.start(), bs + sig.end()
            while article[s].isspace():
                s += 1
            units.append(Unit(s, e, article[s:e], "signature", author, when))
            rest = (bs + sig.end(), be)
            if article[rest[0] : rest[1]].strip():
                units.extend(Unit(a, b, article[a:b]) for a, b in _sentences(article, *rest))
            first = False
            continue
        sents = _sentences(article, bs, be)
        if first and len(sents) == 1 and "\n" not in block.strip() and not re.search(r"[.!?\"”]\s*$", block):
            s, e = sents[0]
            units.append(Unit(s, e, article[s:e], "headline"))
        else:
            units.extend(Unit(s, e, article[s:e], _line_role(article, s)) for s, e in sents)
        first = False
    return units


def _line_role(article: str, start: int) -> str:
    """The role of a sentence by its line: a caption when the line carries a photo credit, else body."""
    lo = article.rfind("\n", 0, start) + 1
    hi = article.find("\n", start)
    line = article[lo : hi if hi >= 0 else len(article)]
    return "caption" if _CAPTION_CREDIT.search(line) else "body"
