from __future__ import annotations

import pytest

from verifier.store.lexical import Bm25Index
from verifier.text.words import normalise_number, tokenize


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("41,286", "41286"), ("3.50", "3.5"), ("2025", "2025"), ("1,2", "1,2"), ("7", "7")],
)
def test_number_normalisation(raw: str, expected: str) -> None:
    assert normalise_number(raw) == expected


def test_tokenize_keeps_names_numbers_and_drops_stopwords() -> None:
    assert tokenize("The attendance was 41,286 at Millbrook Stadium in 2026.") == [
        "attendance", "41286", "millbrook", "stadium", "2026",
    ]  # fmt: skip
    assert tokenize("3 herons") == ["3", "heron"]


def test_bm25_index_roundtrip(tmp_path) -> None:  # type: ignore[no-untyped-def]
    index = Bm25Index.build(
        ["a", "b", "c"], ["grey herons at the marsh", "tram passengers", "bakery award 2011"]
    )
    index.save(tmp_path / "bm25")
    loaded = Bm25Index.load(tmp_path / "bm25")
    assert loaded is not None
    assert loaded.search("award in 2011", 2)[0][0] == "c"
    assert loaded.search("unknownword", 2) == []
