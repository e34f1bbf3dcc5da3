"""Bytes to text: UTF-8 (with or without a BOM), UTF-16/32 by their BOM, else the encoding
charset-normalizer detects; binary data (NUL bytes, a known binary signature, mostly control characters)
is a one-line `SourceReadError`."""

from __future__ import annotations

import codecs
import logging

from verifier.errors import SourceReadError

log = logging.getLogger(__name__)

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_SIGNATURES = (
    (b"%PDF", "a PDF file"),
    (b"PK\x03\x04", "a zip archive (or a .docx/.xlsx/.epub)"),
    (b"\x89PNG", "a PNG image"),
    (b"GIF8", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"BZh", "a bzip2 archive"),
    (b"\xfd7zXZ", "an xz archive"),
    (b"\x7fELF", "an executable"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"\xd0\xcf\x11\xe0", "an old Office document"),
)
# when several encodings read the bytes equally well (short texts), the common ones win
_PREFERRED = (
    "cp1252", "latin_1", "iso8859_15", "cp1250", "iso8859_2", "cp1251", "koi8_r", "cp1253", "cp1254",
    "cp932", "shift_jis", "euc_jp", "gb18030", "gb2312", "big5", "cp949", "euc_kr", "cp1256", "cp1255",
)  # fmt: skip
_CONTROL_SHARE = 0.05  # more control characters than this: binary data, whatever the "encoding"
_SAMPLE = 1 << 20  # bytes charset-normalizer looks at; the whole input is decoded with its answer


def binary_kind(data: bytes) -> str | None:
    """What binary format `data` looks like ("a PDF file", "binary data"), or None for text."""
    for signature, kind in _SIGNATURES:
        if data.startswith(signature):
            return kind
    if b"\x00" in data[:_SAMPLE]:
        return "binary data (it contains NUL bytes)"
    return None


def _control_share(text: str) -> float:
    sample = text[:100_000]
    if not sample:
        return 0.0
    controls = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\t\n\r\f\v") or 0x7F <= ord(ch) < 0xA0)
    return controls / len(sample)


def _detect(data: bytes) -> str | None:
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data[:_SAMPLE]))
    if not matches:
        return None
    least = min(m.chaos for m in matches)
    tied = [m.encoding for m in matches if m.chaos <= least + 0.01]
    preferred = [e for e in _PREFERRED if e in tied]
    return preferred[0] if preferred else tied[0]


def decode_bytes(data: bytes, name: str) -> str:
    """The text of `data` (a file's or stdin's bytes); `name` is used in error messages."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as ex:
                raise SourceReadError(
                    f"{name}: not valid {encoding} text (bad bytes at offset {ex.start})"
                ) from None
    kind = binary_kind(data)
    if kind is not None:
        raise SourceReadError(f"{name}: looks like {kind}, not text; extract its text first")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        detected = _detect(data)
        if detected is None:
            raise SourceReadError(
                f"{name}: not UTF-8 and no known text encoding fits (binary data?); convert it to UTF-8"
            ) from None
        encoding = detected
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as ex:
            raise SourceReadError(
                f"{name}: not UTF-8, and not {encoding} throughout (bad byte at offset {ex.start}); "
                "convert it to UTF-8"
            ) from None
        log.info("%s: not UTF-8, read as %s", name, encoding)
    if _control_share(text) > _CONTROL_SHARE:
        raise SourceReadError(f"{name}: looks like binary data (mostly control characters), not text")
    return text
