from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import DATA
from verifier.errors import SourceReadError
from verifier.models import Source
from verifier.store.sources import (
    chunk_source,
    chunk_spans,
    iter_documents,
    parse_html,
    read_sources,
    read_text,
)


def _by_id(paths: list[Path]) -> dict[str, Source]:
    return {s.id: s for s in read_sources(paths)}


def test_markdown_front_matter_and_ids_relative_to_folder() -> None:
    sources = _by_id([DATA / "sources"])
    assert set(sources) == {"ash-creek-bridge.md", "dunmore-museum.html", "marlow-orchard.txt"}
    md = sources["ash-creek-bridge.md"]
    assert md.title == "Ash Creek footbridge reopens after repairs"
    assert md.url == "https://example.test/news/ash-creek-bridge"
    assert md.published == "2026-01-10"
    assert not md.text.startswith("---") and "title:" not in md.text
    assert len(md.content_hash) == 32
    # the same file given directly keeps the same id
    assert read_sources([DATA / "sources" / "ash-creek-bridge.md"])[0].id == "ash-creek-bridge.md"


def test_plain_text_uses_path_as_url_and_no_title_from_the_file_name() -> None:
    txt = _by_id([DATA / "sources"])["marlow-orchard.txt"]
    assert txt.title is None  # its first line is a sentence, not a heading; the stem is never a title
    assert txt.url is not None and txt.url.endswith("marlow-orchard.txt")
    assert txt.published is None


def test_html_drops_script_style_nav_and_reads_metadata() -> None:
    html = _by_id([DATA / "sources"])["dunmore-museum.html"]
    assert html.title == "Dunmore Museum opens a new textile gallery"
    assert html.url == "https://example.test/culture/dunmore-textiles"
    assert html.published == "2026-02-02"
    for hidden in ("MUST-NOT-APPEAR", "ALSO-NOT-TEXT", "font-family", "<p>"):
        assert hidden not in html.text
    assert "The gallery shows 420 pieces of woven cloth" in html.text
    assert "end of June & the" in html.text  # entities decoded


def test_html_without_closing_head_keeps_body_text() -> None:
    text, meta = parse_html("<html><head><title>T</title><body><p>Body text stays.</p></body></html>")
    assert text == "Body text stays." and meta["title"] == "T"


def test_jsonl_corpus_rows_become_sources_with_their_sentence_split() -> None:
    rows = list(iter_documents([DATA / "corpus.jsonl"]))
    assert [s.id for s, _ in rows] == ["doc-heron", "doc-tram", "doc-bakery", "doc-lighthouse"]
    heron, sentences = rows[0]
    assert sentences is not None and len(sentences) == 3
    assert rows[2][0].url is None  # empty url -> None


def test_short_jsonl_row_is_one_passage_and_offsets_are_exact() -> None:
    for source, sentences in iter_documents([DATA / "corpus.jsonl", DATA / "sources"]):
        passages = chunk_source(source, sentences)
        assert passages, source.id
        for p in passages:
            assert source.text[p.start : p.end] == p.text
            assert p.id.startswith(source.id + "#")
        if source.id == "doc-tram":
            assert len(passages) == 1 and passages[0].text == source.text


def test_chunks_overlap_by_one_sentence_and_respect_the_size_limit() -> None:
    sentence = "This sentence has exactly some forty characters."
    text = " ".join(f"{sentence[:-1]} {i}." for i in range(30))
    spans = chunk_spans(text, max_chars=300, max_sentences=6)
    assert len(spans) > 3
    for (_s1, e1), (s2, _) in zip(spans, spans[1:], strict=False):
        assert s2 < e1  # one sentence of overlap
    assert all(e - s <= 300 for s, e in spans)
    assert spans[0][0] == 0 and spans[-1][1] == len(text)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.text(alphabet="abc XYZ.,!?\n0123", min_size=0, max_size=80), min_size=1, max_size=12))
def test_chunk_offsets_always_slice_the_source(parts: list[str]) -> None:
    text = ". ".join(parts)
    source = Source(id="s", title=None, url=None, text=text)
    for p in chunk_source(source):
        assert text[p.start : p.end] == p.text
        assert p.text.strip()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"", "file is empty"),
        ("blank.md", b"  \n\n", "file is empty"),
        ("binary.txt", b"abc\x00def", "binary"),
        ("garbage.txt", bytes(range(1, 256)) * 4, "not UTF-8 and no known text encoding fits"),
        ("table.csv", b"a,b\n1,2\n", "unsupported file type"),
        ("bad.jsonl", b'{"id": "x", "text": "ok"}\n{not json}\n', "bad.jsonl:2: invalid JSON"),
        ("notext.jsonl", b'{"id": "x"}\n', "notext.jsonl:1: each row needs"),
        ("markup.html", b"<html><script>x()</script></html>", "no text left"),
    ],
)
def test_bad_files_raise_one_line_errors(tmp_path: Path, name: str, content: bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(SourceReadError, match=message) as ex:
        read_sources([path])
    assert "\n" not in str(ex.value)


def test_missing_path_and_folder_without_sources(tmp_path: Path) -> None:
    with pytest.raises(SourceReadError, match="no such file"):
        read_sources([tmp_path / "nope.txt"])
    (tmp_path / "only.png").write_bytes(b"\x89PNG")
    with pytest.raises(SourceReadError, match="no .txt"):
        read_sources([tmp_path])
    with pytest.raises(SourceReadError, match="no such file"):
        read_text(tmp_path / "nope.txt")


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes("\ufeffHello there, this is text.".encode())
    assert read_sources([path])[0].text == "Hello there, this is text."
