"""The eval-claims arithmetic: token matching and hand-computed article scores."""

from __future__ import annotations

import pytest

from verifier.claims.extract import ArticleClaimExtractor
from verifier.evaluation.extraction import (
    GoldArticle,
    containment,
    content_tokens,
    score_article,
    summarise,
    token_f1,
    unresolved_pronoun,
)
from verifier.models import Claim


def test_token_arithmetic() -> None:
    assert content_tokens("The firm's 1,140 doses were given.") == ["firm", "1140", "dose", "given"]
    assert (
        containment("Marlow Mills employs 3,800 people.", "Marlow Mills employs about 3,800 people.") == 1.0
    )
    # {rent, rose, 11.2} vs {rent, rose, 2025}: 2 shared; P = R = 2/3
    assert token_f1("Rents rose 11.2%.", "Rents rose in 2025.") == pytest.approx(2 / 3)
    assert unresolved_pronoun("She said the bill passed.")
    assert not unresolved_pronoun("Corinne Adebayo said she would resign.")
    assert not unresolved_pronoun('Gray said: "It is for them."')


def test_score_article_hand_computed() -> None:
    article = "Intro line.\n\nMarlow Mills employs 3,800 people. It made 47 million pounds. Great stuff?"
    gold = GoldArticle(
        id="t",
        path="-",
        claims=[
            {
                "text": "Marlow Mills employs about 3,800 people.",
                "sentence": "Marlow Mills employs 3,800 people.",
                "kind": "fact",
            },
            {
                "text": "Marlow Mills made 47 million pounds.",
                "sentence": "It made 47 million pounds.",
                "kind": "fact",
            },
        ],  # type: ignore[list-item]
        not_checkworthy=["Great stuff?", "Intro line."],
    )
    s1 = article.index("Marlow")
    s2 = article.index("It made")
    s3 = article.index("Great")
    claims = [
        Claim("1", "Marlow Mills employs 3,800 people.", (s1, s1 + 34)),  # covers gold 1, matches
        Claim(
            "2", "It made 47 million pounds.", (s2, s2 + 26)
        ),  # 4 of gold 2's 6 tokens: covered (>= 0.6); F1 0.8; pronoun
        Claim("3", "Great stuff?", (s3, s3 + 12)),  # a non-check-worthy sentence: wrong, CW false positive
    ]
    sc = score_article(article, gold, claims)
    assert (sc.gold_claims, sc.covered, sc.predicted) == (2, 2, 3)
    assert (sc.matched, sc.faithful, sc.decontextualised) == (2, 2, 2)
    assert (sc.cw_tp, sc.cw_fp, sc.cw_fn, sc.cw_tn) == (2, 1, 0, 1)
    m = summarise([sc])
    assert m["coverage"] == 1.0
    assert m["precision"] == pytest.approx(0.6667, abs=1e-4)
    assert m["decontextualisation_rate"] == pytest.approx(0.6667, abs=1e-4)
    assert m["checkworthy_f1"] == pytest.approx(0.8)  # P 2/3, R 1


def test_a_place_opener_is_not_an_appositive(extractor: ArticleClaimExtractor) -> None:
    """spaCy reads "In Greyford, a petition ... had gathered" as "Greyford = a petition"; it is the
    petition that gathered the signatures, in Greyford."""
    article = (
        "In Greyford, a petition against the closure of the branch library had gathered more than "
        "15,000 signatures by 27 February 2026. The petition was started by Maya Olsen.\n"
    )
    texts = [c.text for c in extractor.extract(article)]
    assert any(t.startswith("In Greyford, a petition against the closure") for t in texts), texts
    assert not any(t.startswith("Greyford is") or t.startswith("Greyford was") for t in texts), texts
