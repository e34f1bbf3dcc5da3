"""Read evidence files into `Source`s and split them into `Passage`s that keep exact offsets."""

from __future__ import annotations

import errno
import json
import logging
import re
import stat
from collections.abc import Iterable, Iterator
from html.parser import HTMLParser
from pathlib import Path

from verifier.errors import SourceReadError
from verifier.models import Passage, Source, stable_id
from verifier.text.sentences import sentence_spans

log = logging.getLogger(__name__)

SUPPORTED_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".jsonl")
MAX_CHUNK_CHARS = 900
MAX_CHUNK_SENTENCES = 6
_MAX_ENV = "VERIFIER_MAX_FILE_MB"  # the setting `Settings.max_file_mb`, named in messages
MAX_SENTENCE_CHARS = 1_800  # longer "sentences" (tables, lists without stops) are cut at white space


# --------------------------------------------------------------------------- reading text


def read_text(path: Path, max_bytes: int | None = None) -> str:
    """A file's text (UTF-8, else its detected encoding); one-line `SourceReadError`s for everything that
    is not usable text, and for files over `max_bytes`."""
    if not path.exists():
        raise SourceReadError(f"{path}: no such file")
    if path.is_dir():
        raise SourceReadError(f"{path}: is a directory, not a file")
    try:
        size = path.stat().st_size
        if max_bytes is not None and size > max_bytes:
            raise SourceReadError(
                f"{path}: {size / 1e6:.1f} MB is over the maximum file size of {max_bytes / 1e6:.1f} MB "
                f"({_MAX_ENV})"
            )
        data = path.read_bytes()
    except OSError as ex:
        raise SourceReadError(f"{path}: cannot read ({ex.strerror or ex})") from None
    return decode_text(data, str(path), empty="file is empty")


def decode_stdin(data: bytes, name: str = "<stdin>") -> str:
    """Same checks as `read_text`, for bytes read from standard input."""
    return decode_text(data, name, empty="input is empty")


def decode_text(data: bytes, name: str, *, empty: str = "file is empty") -> str:
    """`data` as text: see `verifier.text.encoding.decode_bytes`; an empty text is an error too."""
    from verifier.text.encoding import decode_bytes

    text = decode_bytes(data, name)
    if not text.strip():
        raise SourceReadError(f"{name}: {empty}")
    return text


def content_hash(text: str, *meta: str | None) -> str:
    return stable_id(text, *(m or "" for m in meta), length=32)


def _slug(rel: str) -> str:
    return re.sub(r"[^A-Za-z0-9._/-]+", "-", rel).strip("-") or "source"


# --------------------------------------------------------------------------- formats

_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(?:(.*?)\r?\n)?---[ \t]*(?:\r?\n|\Z)", re.DOTALL)
_HEADING = re.compile(r"^#\s+(.+?)\s*#*\s*$", re.MULTILINE)


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


class _HTMLText(HTMLParser):
    _SKIP = frozenset({"script", "style", "nav", "noscript", "template", "svg", "head", "iframe", "form"})
    _VOID = frozenset({"br", "hr", "img", "meta", "link", "input", "wbr", "source", "area", "base", "col"})
    _BLOCK = (
        "p", "div", "section", "article", "main", "header", "footer", "aside", "li", "ul", "ol",
        "table", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "figure", "figcaption",
        "dt", "dd", "dl",
    )  # fmt: skip
    _BREAK = {**dict.fromkeys(_BLOCK, "\n\n"), "tr": "\n", "td": " ", "th": " "}
    _DATE_META = ("article:published_time", "og:published_time", "date", "pubdate", "dc.date", "published")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title: str | None = None
        self.canonical: str | None = None
        self.published: str | None = None
        self._skip_tag: str | None = None
        self._skip_nest = 0
        self._in_title = False

    def _hidden(self, tag: str, a: dict[str, str]) -> bool:
        marks = f"{a.get('class', '')} {a.get('id', '')}".lower()
        return (
            tag in self._SKIP
            or "cookie" in marks
            or a.get("aria-hidden") == "true"
            or "hidden" in a
            or a.get("role") == "navigation"
        )

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag == "title":
            self._in_title = True
        elif tag == "link" and "canonical" in a.get("rel", "").lower().split() and a.get("href"):
            self.canonical = a["href"]
        elif tag == "meta":
            key = (a.get("property") or a.get("name") or a.get("itemprop") or "").lower()
            if key in self._DATE_META and a.get("content") and not self.published:
                self.published = a["content"].strip()
        elif tag == "time" and a.get("datetime") and not self.published:
            self.published = a["datetime"].strip()
        if tag in self._VOID:
            if tag in ("br", "hr") and not self._skip_tag:
                self.parts.append("\n")
            return
        if tag == "body":  # `</head>` may be omitted
            self._skip_tag, self._skip_nest = None, 0
        elif self._skip_tag:
            self._skip_nest += tag == self._skip_tag
        elif self._hidden(tag, a):
            self._skip_tag, self._skip_nest = tag, 1
        else:
            self.parts.append(self._BREAK.get(tag, ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        if self._skip_tag:
            if tag == self._skip_tag:
                self._skip_nest -= 1
                if self._skip_nest <= 0:
                    self._skip_tag = None
            return
        self.parts.append(self._BREAK.get(tag, ""))

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title = ((self.title or "") + " ".join(data.split())).strip() or None
        if self._skip_tag:
            return
        self.parts.append(re.sub(r"\s+", " ", data))


def parse_html(raw: str) -> tuple[str, dict[str, str]]:
    """Visible text of an HTML page (blocks separated by blank lines) and its title/url/date."""
    parser = _HTMLText()
    parser.feed(raw)
    parser.close()
    text = "".join(parser.parts)
    text = re.sub(r"[ \t]+", " ", text)
    text = re.sub(r" *\n *", "\n", text)  # no stray blanks around line breaks
    text = re.sub(r"\n{3,}", "\n\n", text).strip()
    meta = {
        k: v
        for k, v in (("title", parser.title), ("url", parser.canonical), ("published", parser.published))
        if v
    }
    return text, meta


def _first_heading(text: str) -> str | None:
    m = _HEADING.search(text)
    return m.group(1).strip() if m else None


_TITLE_MAX_CHARS = 200
_SENTENCE_END = tuple(".!?;:,")


def _heading_line(text: str) -> str | None:
    """The first line when it reads as a heading: a `# ...` line, or a short line standing alone
    (followed by a blank line) that does not end like a sentence."""
    lines = text.lstrip().split("\n", 2)
    first = lines[0].strip()
    m = _HEADING.match(first)
    if m:
        return m.group(1).strip() or None
    alone = len(lines) == 1 or not lines[1].strip()
    if not first or not alone or len(first) > _TITLE_MAX_CHARS or first.endswith(_SENTENCE_END):
        return None
    return first


def document_title(text: str, meta: dict[str, str], suffix: str) -> str | None:
    """A source's title from the document itself: front matter or `<title>`, else (markdown) its first
    `#` heading, else a first line that is a heading; otherwise none. Never the file name: a verdict
    must not depend on what a file happens to be called (the title is indexed with every passage)."""
    title = " ".join(meta.get("title", "").split())
    if not title and suffix in (".md", ".markdown"):
        title = _first_heading(text) or ""
    return title or _heading_line(text)


def _read_file(path: Path, source_id: str, max_bytes: int | None = None) -> Source:
    raw = read_text(path, max_bytes)
    suffix = path.suffix.lower()
    meta: dict[str, str] = {}
    if suffix in (".html", ".htm"):
        text, meta = parse_html(raw)
    else:
        text, meta = parse_markdown(raw)  # front matter is honoured in .txt files too
    if not text.strip():
        raise SourceReadError(f"{path}: no text left after removing markup")
    title = document_title(text, meta, suffix)
    url = meta.get("url") or str(path.resolve())
    published = meta.get("published") or meta.get("date") or None
    return Source(
        id=source_id,
        title=title,
        url=url,
        text=text,
        published=published,
        content_hash=content_hash(text, title, url, published),
    )


def _read_jsonl(path: Path, max_bytes: int | None = None) -> Iterator[tuple[Source, list[str] | None]]:
    yield from read_jsonl_sources(read_text(path, max_bytes), str(path))


def read_jsonl_sources(content: str, name: str) -> Iterator[tuple[Source, list[str] | None]]:
    """The sources of a JSONL corpus's text (one object a line: id, text, title, url, published)."""
    # split on "\n" only: str.splitlines() would also split at a U+2028 inside a JSON string
    for lineno, line in enumerate(content.split("\n"), 1):
        if not line.strip():
            continue
        where = f"{name}:{lineno}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as ex:
            raise SourceReadError(f"{where}: invalid JSON ({ex.msg})") from None
        except RecursionError:
            raise SourceReadError(f"{where}: invalid JSON (nested too deeply)") from None
        if not isinstance(row, dict):
            raise SourceReadError(f"{where}: expected a JSON object")
        sid, text = row.get("id"), row.get("text")
        if sid is None or not isinstance(text, str) or not text.strip():
            raise SourceReadError(f"{where}: each row needs an 'id' and a non-empty 'text'")
        title = str(row.get("title") or "") or None
        url = str(row.get("url") or "") or None
        published = str(row.get("published") or row.get("date") or "") or None
        sentences = row.get("sentences")
        yield (
            Source(
                id=str(sid),
                title=title,
                url=url,
                text=text,
                published=published,
                content_hash=content_hash(text, title, url, published),
            ),
            [str(s) for s in sentences] if isinstance(sentences, list) else None,
        )


def _unusable(path: Path, max_bytes: int | None) -> str | None:
    """Why a file found in a folder is skipped (with a warning), or None to read it."""
    if path.is_symlink():
        try:
            path.resolve(strict=True)
        except RuntimeError:  # Python < 3.13 reports a symlink loop this way
            return "a symlink loop"
        except OSError as ex:
            return "a symlink loop" if ex.errno == errno.ELOOP else "a broken symlink"
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            return "not a regular file"
        size = info.st_size
        with path.open("rb"):
            pass
    except OSError as ex:
        return "a symlink loop" if ex.errno == errno.ELOOP else f"unreadable ({ex.strerror or ex})"
    if max_bytes is not None and size > max_bytes:
        return f"{size / 1e6:.1f} MB, over the maximum file size of {max_bytes / 1e6:.1f} MB ({_MAX_ENV})"
    return None


def _candidate_files(root: Path, max_bytes: int | None = None) -> Iterator[Path]:
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if any(part.startswith(".") for part in rel.parts):
            continue
        if path.suffix.lower() not in SUPPORTED_SUFFIXES:
            if path.is_file():
                log.info("skipping %s (unsupported file type)", path)
            continue
        why = _unusable(path, max_bytes)
        if why is not None:
            log.warning("skipping %s: %s", path, why)
        elif path.is_file():
            yield path


def iter_documents(
    paths: Iterable[Path], max_bytes: int | None = None
) -> Iterator[tuple[Source, list[str] | None]]:
    """Every source under `paths`, with the sentence split when the corpus provides one.

    A file's source id is its path relative to the folder given (its name when given directly). In a
    folder, symlink loops, unreadable files and files over `max_bytes` are skipped with a warning; a
    file given directly is an error instead.
    """
    for given in paths:
        if not given.exists():
            raise SourceReadError(f"{given}: no such file or directory")
        if given.is_dir():
            files = [(p, p.relative_to(given).as_posix()) for p in _candidate_files(given, max_bytes)]
            if not files:
                raise SourceReadError(f"{given}: no {', '.join(SUPPORTED_SUFFIXES)} files in this folder")
        else:
            if given.suffix.lower() not in SUPPORTED_SUFFIXES:
                raise SourceReadError(
                    f"{given}: unsupported file type {given.suffix or '(none)'!r}; "
                    f"use one of {', '.join(SUPPORTED_SUFFIXES)}"
                )
            files = [(given, given.name)]
        for path, rel in files:
            if path.suffix.lower() == ".jsonl":
                yield from _read_jsonl(path, max_bytes)
            else:
                yield _read_file(path, _slug(rel), max_bytes), None


def read_sources(paths: Iterable[Path]) -> list[Source]:
    return [src for src, _ in iter_documents(paths)]


# --------------------------------------------------------------------------- chunking


def _spans_from_sentences(text: str, sentences: list[str]) -> list[tuple[int, int]] | None:
    spans: list[tuple[int, int]] = []
    cursor = 0
    for sent in sentences:
        piece = sent.strip()
        if not piece:
            continue
        idx = text.find(piece, cursor)
        if idx < 0:
            return None
        spans.append((idx, idx + len(piece)))
        cursor = idx + len(piece)
    return spans or None


def _cut_long(text: str, spans: list[tuple[int, int]], limit: int) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in spans:
        while e - s > limit:
            cut = text.rfind(" ", s + limit // 2, s + limit)
            cut = cut if cut > s else s + limit
            out.append((s, cut))
            s = cut
            while s < e and text[s].isspace():
                s += 1
        if e > s:
            out.append((s, e))
    return out


def chunk_spans(
    text: str,
    sentences: list[tuple[int, int]] | None = None,
    max_chars: int = MAX_CHUNK_CHARS,
    max_sentences: int = MAX_CHUNK_SENTENCES,
) -> list[tuple[int, int]]:
    """Sentence-aligned chunks of up to `max_sentences` / ~`max_chars`, overlapping by one sentence."""
    sents = sentences if sentences is not None else sentence_spans(text)
    sents = _cut_long(text, sents, MAX_SENTENCE_CHARS)
    if not sents:
        return [(0, len(text))] if text.strip() else []
    chunks: list[tuple[int, int]] = []
    i = 0
    while i < len(sents):
        n = 1
        while i + n < len(sents) and n < max_sentences and sents[i + n][1] - sents[i][0] <= max_chars:
            n += 1
        chunks.append((sents[i][0], sents[i + n - 1][1]))
        if i + n >= len(sents):
            break
        i = i + n - 1 if n > 1 else i + 1
    return chunks


def chunk_source(source: Source, sentences: list[str] | None = None) -> list[Passage]:
    """The passages of one source; `passage.text == source.text[passage.start:passage.end]`."""
    spans = _spans_from_sentences(source.text, sentences) if sentences else None
    return [
        Passage(
            id=f"{source.id}#{n}",
            source_id=source.id,
            text=source.text[s:e],
            start=s,
            end=e,
            title=source.title,
            url=source.url,
            published=source.published,
        )
        for n, (s, e) in enumerate(chunk_spans(source.text, spans))
    ]
