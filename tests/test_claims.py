from __future__ import annotations

import pytest

from tests.conftest import DATA
from verifier.claims.extract import SentenceClaimExtractor, is_check_worthy


def test_article_claims_keep_exact_spans() -> None:
    article = (DATA / "articles" / "tollmere-weekly.txt").read_text(encoding="utf-8")
    claims = SentenceClaimExtractor().extract(article)
    assert [c.text for c in claims] == [
        "The Ash Creek footbridge reopened on 9 January 2026 after eleven weeks of repairs.",
        "The repairs cost 250,000 pounds, according to the parish council.",
        "The Marlow Orchard cooperative picked 212 tonnes of apples in 2025.",
        "The Dunmore Museum's new textile gallery shows 420 pieces of woven cloth.",
    ]
    for c in claims:
        assert c.span is not None and article[c.span[0] : c.span[1]] == c.context
    assert len({c.id for c in claims}) == len(claims)


def test_wrapped_sentence_is_normalised_but_context_is_raw() -> None:
    article = "The council approved the\nnew budget on Tuesday."
    [claim] = SentenceClaimExtractor().extract(article)
    assert claim.text == "The council approved the new budget on Tuesday."
    assert claim.context == article and claim.span == (0, len(article))


@pytest.mark.parametrize(
    ("sentence", "worthy"),
    [
        ("The bridge reopened on 9 January 2026.", True),
        ("Was it worth it?", False),
        ("Great.", False),
        ("https://example.test/a/b", False),
        ("#Tollmere #bridges", False),
        ("By Nadia Fenwick, staff reporter.", False),
        ("# A markdown heading that is long enough", False),
        ("A headline without a final stop", False),
        ('He said the vote was "a farce."', True),
    ],
)
def test_check_worthiness_filter(sentence: str, worthy: bool) -> None:
    assert is_check_worthy(sentence) is worthy
