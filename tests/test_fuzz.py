"""Property-based fuzzing (hypothesis, a bounded number of examples so CI stays quick) of the parsers that
read untrusted text: the quantity parser, HTML to text, front matter, the JSONL corpus and gold readers.
Each must either return a well-formed result or raise a one-line `VerifierError`, never anything else."""

from __future__ import annotations

import json
import string
import tempfile
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from verifier.errors import VerifierError
from verifier.evaluation.runs import load_claims
from verifier.models import Source
from verifier.review.quantities import parse
from verifier.store.sources import (
    chunk_source,
    document_title,
    parse_html,
    read_jsonl_sources,
)
from verifier.text.encoding import decode_bytes
from verifier.text.frontmatter import parse_markdown

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# text that looks like news figures: digits, separators, units, number words, months
NUMBER_PIECES = [
    *string.digits,
    *" .,-%$£€/:()k",
    "million",
    "bn",
    "half",
    "about",
    "March",
    "2026",
    "per cent",
    "twenty",
    "km",
    "°C",
    "a third",
    "aged",
    "up from",
    "to",
    "between",
    "and",
    "\u2013",
    "\u00a0",
    " herons",
]
NUMBERISH = st.lists(st.sampled_from(NUMBER_PIECES), max_size=30).map("".join)
ANY_TEXT = st.text(max_size=300)


@FUZZ
@given(st.one_of(NUMBERISH, ANY_TEXT))
@example("between 3 and 2 million, up from 1.5bn (about a third) on 31 February 2026")
@example("9" * 400)
def test_quantity_parser_never_fails_and_spans_slice_the_text(text: str) -> None:
    for q in parse(text, date(2026, 3, 1)):
        start, end = q.span
        assert 0 <= start <= end <= len(text) and text[start:end] == q.text
        assert q.lo <= q.hi or q.lo != q.lo  # ordered (NaN never produced for finite input)


HTML_PIECES = st.sampled_from(
    [
        *("<p>", "</p>", "<div>", "</div>", "<script>", "</script>", "<style>", "</style>", "<br/>"),
        *("<!--", "-->", "<title>", "</title>", "&amp;", "&nbsp;", "&#8212;", "&#x27;", "&bogus;"),
        *("&#99999999;", "<", ">", "<a href='x", "<![CDATA[", "]]>", "<svg>", "</svg>", "<nav>", "</nav>"),
        *("<td>", "<tr>", "<table>", "<head>", "<body>", "\n", "  ", "Text", "word", "42", "é", "</"),
        *("<div hidden>", "<meta name='date' content='2026-01-02'>", "<!DOCTYPE html>"),
    ]
)


@FUZZ
@given(st.one_of(st.lists(HTML_PIECES, max_size=40).map("".join), ANY_TEXT))
def test_html_to_text_never_fails_and_passages_slice_it(raw: str) -> None:
    text, meta = parse_html(raw)
    assert text == text.strip() and "\n\n\n" not in text
    assert set(meta) <= {"title", "url", "published"}
    if text:
        source = Source(id="s", title=meta.get("title"), url=None, text=text)
        for p in chunk_source(source):
            assert text[p.start : p.end] == p.text and p.text.strip()


@FUZZ
@given(
    st.dictionaries(
        st.text(alphabet=string.ascii_letters + "_-", min_size=1, max_size=8),
        st.text(alphabet=st.characters(blacklist_characters="\r\n"), max_size=30),
        max_size=5,
    ),
    ANY_TEXT,
)
def test_front_matter_round_trips(meta: dict[str, str], body: str) -> None:
    block = "".join(f"{k}: {v}\n" for k, v in meta.items())
    text, got = parse_markdown(f"---\n{block}---\n{body}")
    assert text == body
    for key, value in meta.items():
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        # a later key written in another case replaces an earlier one
        if sum(k.strip().lower() == key.strip().lower() for k in meta) == 1 and key.strip():
            assert got[key.strip().lower()] == value
    title = document_title(text, got, ".md")
    assert title is None or (title.strip() == title and title)


@FUZZ
@given(ANY_TEXT)
def test_front_matter_of_any_text_never_fails(raw: str) -> None:
    text, meta = parse_markdown(raw)
    assert raw.endswith(text) and all(k == k.lower() for k in meta)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=8,
)
ROWS = st.fixed_dictionaries(
    {},
    optional={"id": JSON_VALUES, "text": JSON_VALUES | st.text(min_size=1, max_size=80), "title": JSON_VALUES,
              "url": JSON_VALUES, "published": JSON_VALUES, "sentences": JSON_VALUES},
)  # fmt: skip


@FUZZ
@given(st.lists(st.one_of(ROWS.map(json.dumps), JSON_VALUES.map(json.dumps), ANY_TEXT), max_size=6))
def test_jsonl_corpus_reader_returns_sources_or_one_line_errors(lines: list[str]) -> None:
    try:
        docs = list(read_jsonl_sources("\n".join(lines), "corpus.jsonl"))
    except VerifierError as ex:
        assert "\n" not in str(ex) and str(ex).startswith("corpus.jsonl:")
        return
    for source, sentences in docs:
        assert source.text.strip() and isinstance(source.id, str)
        assert all(isinstance(v, str) for v in (source.title, source.url, source.published) if v is not None)
        for p in chunk_source(source, sentences):
            assert source.text[p.start : p.end] == p.text


GOLD_ROWS = st.fixed_dictionaries(
    {},
    optional={"id": JSON_VALUES | st.integers(), "claim": JSON_VALUES | st.text(min_size=1, max_size=30),
              "label": st.sampled_from(["SUPPORTS", "refutes", "supported", "NOT ENOUGH INFO", "x", 3]),
              "evidence": JSON_VALUES, "meta": JSON_VALUES},
)  # fmt: skip


@FUZZ
@given(st.lists(st.one_of(GOLD_ROWS.map(json.dumps), ANY_TEXT), max_size=5), st.binary(max_size=20))
def test_gold_reader_returns_claims_or_one_line_errors(lines: list[str], junk: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "claims.jsonl"
        path.write_bytes("\n".join(lines).encode("utf-8") + junk)
        try:
            claims = load_claims(path)
        except VerifierError as ex:
            assert "\n" not in str(ex)
            return
    assert claims and len({c.id for c in claims}) == len(claims)


@FUZZ
@given(st.binary(max_size=400))
def test_decoding_any_bytes_is_text_or_one_line_error(data: bytes) -> None:
    try:
        text = decode_bytes(data, "x")
    except VerifierError as ex:
        assert "\n" not in str(ex)
        return
    assert isinstance(text, str) and "\x00" not in text
