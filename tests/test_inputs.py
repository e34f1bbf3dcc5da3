"""Input from the wild: detected encodings, binary data refused in one line, HTML with scripts, broken
markup and entities reduced to text, symlink loops / unreadable / oversized files in a folder skipped
with a warning."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

import pytest

from verifier.errors import SourceReadError
from verifier.models import Source
from verifier.store.evidence import EvidenceStore
from verifier.store.sources import (
    chunk_source,
    decode_stdin,
    iter_documents,
    parse_html,
    read_sources,
    read_text,
)
from verifier.text.encoding import decode_bytes

GERMAN = "Die Preise in M\u00fcnster stiegen um 12 % \u2013 sagte der B\u00fcrgermeister am Dienstag.\n"
RUSSIAN = "Цены в Москве выросли на 12 процентов за год. " * 8


@pytest.mark.parametrize(
    ("data", "text"),
    [
        (GERMAN.encode("utf-8"), GERMAN),
        (b"\xef\xbb\xbf" + GERMAN.encode("utf-8"), GERMAN),  # UTF-8 with a BOM
        (GERMAN.encode("utf-16"), GERMAN),  # UTF-16 with its BOM (and NUL bytes)
        (GERMAN.encode("utf-32"), GERMAN),
        (GERMAN.encode("cp1252"), GERMAN),
        ("caf\u00e9 cr\u00e8me".encode("cp1252"), "caf\u00e9 cr\u00e8me"),
        (RUSSIAN.encode("cp1251"), RUSSIAN),
    ],
)
def test_encodings_are_detected(data: bytes, text: str) -> None:
    assert decode_bytes(data, "x.txt") == text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj",
            "x.txt: looks like a PDF file, not text; extract its text first",
        ),
        (b"PK\x03\x04\x14\x00\x06\x00", "x.txt: looks like a zip archive (or a .docx/.xlsx/.epub), not text"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "x.txt: looks like a PNG image, not text"),
        (b"\x1f\x8b\x08\x00\x00\x00", "x.txt: looks like a gzip archive, not text"),
        (b"plain start\x00then nul", "x.txt: looks like binary data (it contains NUL bytes), not text"),
        (bytes(range(1, 32)) * 40, "x.txt: looks like binary data (mostly control characters), not text"),
        (bytes(range(1, 256)) * 4, "x.txt: not UTF-8 and no known text encoding fits (binary data?)"),
    ],
)
def test_binary_data_is_one_clear_error(data: bytes, message: str) -> None:
    with pytest.raises(SourceReadError) as info:
        decode_bytes(data, "x.txt")
    assert str(info.value).startswith(message) and "\n" not in str(info.value)


def test_files_and_stdin_share_the_checks(tmp_path: Path) -> None:
    path = tmp_path / "latin.txt"
    path.write_bytes(GERMAN.encode("cp1252"))
    assert read_text(path) == GERMAN
    assert decode_stdin(GERMAN.encode("cp1252")) == GERMAN
    with pytest.raises(SourceReadError, match="<stdin>: looks like a PDF file"):
        decode_stdin(b"%PDF-1.4 ...")
    with pytest.raises(SourceReadError, match="<stdin>: input is empty"):
        decode_stdin("  \n".encode("utf-16"))


WILD_HTML = (
    "<HTML><HEAD><TITLE>Wild &amp; Woolly</TITLE>"
    '<SCRIPT>if (a < b && c > d) { document.write("</div><p>SCRIPT-TEXT</p>"); }</SCRIPT></HEAD>'
    "<BODY><P>First para &mdash; with &nbsp;entities &#8212; and &#x27;quotes&#x27; &bogus; ok"
    "<P>Second para<br/>line two<!-- COMMENT-TEXT --><style>p{color:red}</style></b></i>"
    "<div class=x>Third <b>bold <i>nested</div> tail"
    "<svg><text>SVG-TEXT</text></svg><div hidden>HIDDEN-TEXT</div><nav>NAV-TEXT</nav>"
    "<table><tr><td>1<td>2<tr><td>3</table><p>Unclosed script next<script>var s = 'TAIL-SCRIPT';"
)


def test_html_from_the_wild_reduces_to_text(tmp_path: Path) -> None:
    text, meta = parse_html(WILD_HTML)
    assert meta == {"title": "Wild & Woolly"}
    for hidden in (
        "SCRIPT-TEXT",
        "COMMENT-TEXT",
        "color:red",
        "SVG-TEXT",
        "HIDDEN-TEXT",
        "NAV-TEXT",
        "TAIL-SCRIPT",
    ):
        assert hidden not in text
    assert text == (
        "First para \u2014 with entities \u2014 and 'quotes' &bogus; ok\n\nSecond para\nline two\n\n"
        "Third bold nested\n\ntail\n\n1 2\n3\n\nUnclosed script next"
    )
    (tmp_path / "wild.html").write_text(WILD_HTML, encoding="utf-8")
    [source] = read_sources([tmp_path / "wild.html"])
    assert source.text == text and source.title == "Wild & Woolly"
    for p in chunk_source(source):  # offsets slice the extracted text exactly
        assert source.text[p.start : p.end] == p.text


def test_html_in_another_encoding(tmp_path: Path) -> None:
    page = f"<html><head><meta charset='windows-1252'><title>M\u00fcnster</title></head><body><p>{GERMAN}</p>"
    (tmp_path / "page.html").write_bytes(page.encode("cp1252"))
    [source] = read_sources([tmp_path / "page.html"])
    assert source.title == "M\u00fcnster" and source.text == GERMAN.strip()


def _good(folder: Path) -> None:
    folder.mkdir(exist_ok=True)
    (folder / "good.txt").write_text("The Marlow Orchard cooperative picked 212 tonnes.\n", encoding="utf-8")


def test_symlink_loops_and_broken_links_are_skipped_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    folder = tmp_path / "src"
    _good(folder)
    (folder / "a.txt").symlink_to(folder / "b.txt")
    (folder / "b.txt").symlink_to(folder / "a.txt")
    (folder / "gone.md").symlink_to(tmp_path / "missing.md")
    (folder / "sub").mkdir()
    (folder / "sub" / "up").symlink_to(folder)  # a directory loop: not followed
    with caplog.at_level(logging.WARNING, logger="verifier.store.sources"):
        sources = read_sources([folder])
    assert [s.id for s in sources] == ["good.txt"]
    warnings = [r.getMessage() for r in caplog.records]
    assert f"skipping {folder / 'a.txt'}: a symlink loop" in warnings
    assert f"skipping {folder / 'b.txt'}: a symlink loop" in warnings
    assert f"skipping {folder / 'gone.md'}: a broken symlink" in warnings


def test_oversized_files_are_skipped_in_a_folder_and_refused_directly(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    folder = tmp_path / "src"
    _good(folder)
    big = folder / "big.txt"
    big.write_text("Word " * 1000, encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        assert [s.id for s, _ in iter_documents([folder], 1000)] == ["good.txt"]
    assert any(
        "over the maximum file size of 0.0 MB (VERIFIER_MAX_FILE_MB)" in r.getMessage()
        for r in caplog.records
    )
    with pytest.raises(SourceReadError, match=r"big.txt: 0.0 MB is over the maximum file size"):
        read_text(big, max_bytes=1000)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their permissions")
def test_unreadable_files_are_skipped_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    folder = tmp_path / "src"
    _good(folder)
    locked = folder / "locked.txt"
    locked.write_text("secret", encoding="utf-8")
    locked.chmod(0)
    with caplog.at_level(logging.WARNING):
        assert [s.id for s in read_sources([folder])] == ["good.txt"]
    assert any(f"skipping {locked}: unreadable" in r.getMessage() for r in caplog.records)


def test_fifo_named_like_a_source_is_skipped_not_read(tmp_path: Path) -> None:
    folder = tmp_path / "src"
    _good(folder)
    os.mkfifo(folder / "pipe.txt")  # opening it would block forever
    assert [s.id for s in read_sources([folder])] == ["good.txt"]


def test_long_source_passages_are_read_as_slices(tmp_path: Path, store: EvidenceStore) -> None:
    """`passages()` reads each passage's slice from sqlite (not its whole source text each time)."""
    text = "".join(f"Station {i} counted {i % 97} herons. " for i in range(3000))
    source = Source(id="big", title=None, url=None, text=text)
    (tmp_path / "big.jsonl").write_text(json.dumps({"id": "big", "text": text}) + "\n", encoding="utf-8")
    store.ingest([tmp_path / "big.jsonl"], progress="never")
    got = store.passages()
    assert len(got) == len(chunk_source(source)) > 100
    assert all(p.text == text[p.start : p.end] for p in got)
