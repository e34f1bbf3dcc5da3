"""Text utilities shared by ingest, claim extraction and judging: sentence spans with exact offsets."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

_PARAGRAPH = re.compile(r"\n\s*\n")
_MAX_PARAGRAPH = 5_000  # pysbd slows sharply on very long strings: cut such paragraphs at line breaks


@lru_cache(maxsize=1)
def _segmenter() -> Any:
    import pysbd

    return pysbd.Segmenter(language="en", clean=False)


def _paragraph_spans(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    pos = 0
    for m in _PARAGRAPH.finditer(text):
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, len(text)))
    out: list[tuple[int, int]] = []
    for s, e in spans:
        while e - s > _MAX_PARAGRAPH:
            cut = text.rfind("\n", s, s + _MAX_PARAGRAPH)
            if cut <= s:
                cut = text.rfind(" ", s, s + _MAX_PARAGRAPH)
            if cut <= s:
                cut = s + _MAX_PARAGRAPH
            out.append((s, cut))
            s = cut
        out.append((s, e))
    return out


_BLOCK_START = re.compile(r"[ \t]*(?:[-*+•>|#]|\d{1,3}[.)])\s")
_SINGLE_BREAK = re.compile(r"\n")


def _unwrap(para: str) -> str:
    """Hard-wrapped lines joined with a space (same length, so offsets hold); list items, headings,
    quotes and table rows keep their line break, as does the line after a heading."""

    def join(m: re.Match[str]) -> str:
        i = m.start()
        line_start = para.rfind("\n", 0, i) + 1
        prev = para[line_start:i].lstrip()
        if prev.startswith(("#", "|")) or _BLOCK_START.match(para, i + 1):
            return "\n"
        return " "

    return _SINGLE_BREAK.sub(join, para)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Sentence boundaries as `[start, end)` offsets into `text`, stripped of surrounding white space."""
    spans: list[tuple[int, int]] = []
    seg = _segmenter()
    for p_start, p_end in _paragraph_spans(text):
        para = _unwrap(text[p_start:p_end])
        if not para.strip():
            continue
        cursor = 0
        for sent in seg.segment(para):
            piece = sent.strip()
            if not piece:
                continue
            idx = para.find(piece, cursor)
            if idx < 0:  # pysbd altered the text; fall back to the rest of the paragraph
                idx = cursor
                piece = para[cursor:].strip()
                if not piece:
                    break
                idx = para.find(piece, cursor)
            spans.append((p_start + idx, p_start + idx + len(piece)))
            cursor = idx + len(piece)
    return spans


def sentence_windows(text: str, size: int = 2, max_chars: int = 700) -> list[tuple[int, int]]:
    """Single sentences plus sliding windows of up to `size` consecutive sentences, as offsets."""
    sents = sentence_spans(text)
    if not sents:
        return [(0, len(text))] if text.strip() else []
    windows: list[tuple[int, int]] = []
    for i in range(len(sents)):
        for n in range(1, size + 1):
            if i + n > len(sents):
                break
            s, e = sents[i][0], sents[i + n - 1][1]
            if n > 1 and e - s > max_chars:
                break
            windows.append((s, e))
    return windows
