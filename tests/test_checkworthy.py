"""Check-worthiness: which sentences are claims, and why the others are dropped."""

from __future__ import annotations

from typing import Any

import pytest

from tests.articles import ARTICLE
from verifier.claims.checkworthy import score as worthiness
from verifier.claims.extract import ArticleClaimExtractor
from verifier.claims.segment import Unit, segment


@pytest.mark.parametrize(
    ("sentence", "keep", "reason"),
    [
        ("The council approved the plan by 9 votes to 2 on 3 March 2026.", True, None),
        ("Is the price too high?", False, "question"),
        ("By Mira Holt, transport reporter", False, "byline"),
        ("This is a wonderful day for the island.", False, "writer's opinion or evaluation"),
        ("Landlord groups were unhappy.", False, "vague framing: no identifiable source or specific fact"),
        ("Residents who want to know more should visit the council's website.", False, "call to action"),
        ("A crowd on the quay. (Photo: J. Smith / Example Press)", False, "photo or image credit"),
        ("What a day!", False, "exclamation"),
        ("Not everyone was in a forgiving mood.", False, None),
        ("It is a relief, frankly, to see the barriers finally come down.", False, None),
        ("Residents can report problems through the council's website.", False, "call to action"),
        ('"Nobody from the council ever came to ask," Frank Pollard said.', True, None),
    ],
)
def test_check_worthiness_with_reasons(nlp: Any, sentence: str, keep: bool, reason: str | None) -> None:
    w = worthiness(Unit(0, len(sentence), sentence), nlp(sentence))
    assert w.keep is keep, w
    assert 0.0 <= w.score <= 1.0
    if reason is not None:
        assert reason in w.reasons


def test_dropped_sentences_are_reported_with_reasons(extractor: ArticleClaimExtractor) -> None:
    result = extractor.analyse(ARTICLE)
    dropped = {d.text: d.reasons for d in result.dropped}
    assert "question" in dropped["Is the price too high?"]
    assert "byline" in dropped["By Mira Holt, transport reporter"]
    for d in result.dropped:
        assert ARTICLE[d.span[0] : d.span[1]] == d.text


def test_caption_line_is_dropped_and_its_credit_is_not_a_speaker(extractor: ArticleClaimExtractor) -> None:
    article = (
        "Ferry plan approved\n\nThe Dunmore Harbour Council approved a ferry route to Kells Island on 3 "
        "March 2026.\n\nThe quay on Monday morning. (Photo: Noreen Whitlock)\n\n"
        '"It is a good day for the island," she said.\n'
    )
    units = segment(article)
    assert [u.role for u in units if "quay" in u.text] == ["caption"]
    result = extractor.analyse(article)
    assert any("photo caption" in " ".join(d.reasons) for d in result.dropped if "quay" in d.text)
    assert not any("Whitlock" in c.text for c in result.claims)
