"""The extractors' span invariants: every claim points into the article."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.articles import ARTICLE, check_spans
from verifier.claims.extract import ArticleClaimExtractor


def test_spans_on_the_example_article(extractor: ArticleClaimExtractor) -> None:
    check_spans(ARTICLE, extractor.extract(ARTICLE))


_WORDS = st.sampled_from(
    ["The council", "She", "Marlow Mills", "said", "it", "would", "close", "on Tuesday", "4.2 million pounds",
     "and", ",", "\"We agree.\"", "last year", "the company", "in January", "Is it?", "\n\n", "\n", "."]
)  # fmt: skip


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(_WORDS, min_size=1, max_size=12).map(" ".join), min_size=1, max_size=6))
def test_span_invariants_property(extractor: ArticleClaimExtractor, sentences: list[str]) -> None:
    article = "---\ndate: 2026-04-09\n---\n" + ". ".join(sentences) + "."
    check_spans(article, extractor.extract(article))
    for c in ArticleClaimExtractor(use_spacy=False).extract(article):
        assert c.span is not None and article[c.span[0] : c.span[1]] == c.context
