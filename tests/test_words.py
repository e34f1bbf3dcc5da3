"""text/words: the one function-word list and the variants derived from it."""

from __future__ import annotations

from verifier.text import words


def test_every_variant_is_derived_from_the_one_list() -> None:
    base = words.FUNCTION_WORDS
    # the figure reader keeps "over" (a bound: "over 500"), the actor check keeps "for" (a side)
    assert "over" not in words.FIGURE_STOPWORDS and base - {"over"} <= words.FIGURE_STOPWORDS
    assert "for" not in words.ACTOR_STOPWORDS and "against" not in words.ACTOR_STOPWORDS
    # the index keeps negations searchable
    assert {"not", "no"}.isdisjoint(words.INDEX_STOPWORDS)
    assert {"said", "according"} <= words.MATCHING_STOPWORDS


def test_tokenize_keeps_numbers_and_stems_plurals() -> None:
    assert words.tokenize("The 41,286 visitors were not counted in 3.50 hours") == [
        "41286",
        "visitor",
        "not",
        "counted",
        "3.5",
        "hour",
    ]


def test_lemma_and_plural_round_trip() -> None:
    assert words.lemma("signatures") == "signature" and words.lemma("people") == "person"
    assert words.plural("city") == "cities" and words.plural("person") == "people"
    assert words.content_words("The council voted 7-2 on Thursday") == {
        "council",
        "voted",
        "7",
        "2",
        "thursday",
    }
