"""Decontextualisation: dates anchored, pronouns and descriptions resolved to names."""

from __future__ import annotations

from datetime import date
from typing import Any

from verifier.claims.decontext import Memory, date_subs, name_subs, remember, render
from verifier.claims.extract import ArticleClaimExtractor


def test_relative_dates_are_anchored(nlp: Any) -> None:
    anchor = date(2026, 4, 9)  # a Thursday
    cases = {
        "The bill passed late on Tuesday.": "late on Tuesday 7 April 2026",
        "The agency opened two clinics last Thursday.": "on Thursday 2 April 2026",
        "The firm said yesterday that it would close.": "on 8 April 2026",
        "Rents rose 11% last year.": "in 2025",
        "The bill was introduced in January.": "January 2026",
        "Assent is expected within two weeks.": "by 23 April 2026",
        "The plant will close by the end of the year.": "the end of 2026",
    }
    for sentence, expected in cases.items():
        doc = nlp(sentence)
        out = render(doc, [t.i for t in doc], date_subs(doc, anchor))
        assert expected in out, (sentence, out)


def test_pronouns_and_surnames_resolve_to_the_person(nlp: Any) -> None:
    mem = Memory(date(2026, 4, 9))
    first = nlp("The bill was introduced by housing minister Corinne Adebayo.")
    remember(first, mem, name_subs(first, mem))
    second = nlp("She said it would protect 310,000 households.")
    subs = name_subs(second, mem)
    assert render(second, [t.i for t in second], subs).startswith("Corinne Adebayo said")
    third = nlp("Adebayo said the government would publish guidance.")
    assert render(third, [t.i for t in third], name_subs(third, mem)).startswith("Corinne Adebayo said")


def test_definite_description_resolves_to_the_named_entity(nlp: Any) -> None:
    mem = Memory(None)
    first = nlp("The planet, known as Tessaly-4b, is 2.3 times the diameter of Earth.")
    remember(first, mem, name_subs(first, mem))
    second = nlp("The planet was discovered in 2023.")
    assert (
        render(second, [t.i for t in second], name_subs(second, mem)) == "Tessaly-4b was discovered in 2023."
    )


def test_pronouns_inside_quotes_are_left_as_spoken(extractor: ArticleClaimExtractor) -> None:
    claims = extractor.extract('Anselm Gray leads the council. "We listened to them," he said.')
    quote = next(c for c in claims if c.kind == "quote")
    assert quote.text == 'Anselm Gray said: "We listened to them."'
