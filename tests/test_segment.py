"""Segmentation: headline, byline, posts, quotes as units; the article's date."""

from __future__ import annotations

from datetime import date

from tests.articles import ARTICLE
from verifier.claims.extract import ArticleClaimExtractor
from verifier.claims.segment import article_date, segment


def test_article_date_from_front_matter_date_line_and_override(extractor: ArticleClaimExtractor) -> None:
    assert article_date(ARTICLE) == date(2026, 4, 9)
    assert article_date("Date: 2026-01-05\n\nThe council met.") == date(2026, 1, 5)
    assert article_date("No date here.") is None
    assert ArticleClaimExtractor(article_date="2026-05-01").analyse(ARTICLE).article_date == date(2026, 5, 1)


def test_segment_marks_headline_and_embedded_post() -> None:
    post = (
        "Gray posted:\n\nTwelve ferries a day from June. pic.twitter.com/abc123\n"
        "— Anselm Gray (@AnselmGray) April 8, 2026\n"
    )
    units = segment("A headline\n\n" + post)
    assert units[0].role == "headline"
    roles = {u.role for u in units}
    assert "signature" in roles and "post" in roles
    sig = next(u for u in units if u.role == "signature")
    assert sig.post_author == "Anselm Gray" and sig.post_date == date(2026, 4, 8)


def test_multi_sentence_quote_is_one_unit() -> None:
    text = '"We listened. This route is for them," Gray said. The end came.'
    units = segment(text)
    assert units[0].text == '"We listened. This route is for them," Gray said.'
