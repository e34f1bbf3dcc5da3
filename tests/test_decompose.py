"""Decomposition: atomic claims, attribution, quotes, appositions, duplicates."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tests.articles import ARTICLE, texts
from verifier.claims.decontext import Memory, name_subs, remember, render
from verifier.claims.extract import ArticleClaimExtractor, dedupe
from verifier.models import Claim


def test_an_age_between_commas_is_a_dated_claim(nlp: Any) -> None:
    dated = ArticleClaimExtractor("2026-07-10")
    got = texts(dated.extract("Gerald Penhallow, 58, was sentenced to four years on Friday."))
    assert got == [
        "Gerald Penhallow was sentenced to four years on Friday 3 July 2026.",
        "Gerald Penhallow was 58 years old in July 2026.",
    ]
    got = texts(dated.extract("The driver, Maria Lopez, 34, was taken to hospital."))
    assert "Maria Lopez was 34 years old in July 2026." in got and "Maria Lopez is the driver." in got, got
    undated = texts(ArticleClaimExtractor().extract("Gerald Penhallow, 58, was sentenced to four years."))
    assert "Gerald Penhallow is 58 years old." in undated, undated
    # a number that is not an age stays where it is
    kept = "The Fenwick plant, built in 1964, employs 620 people."
    assert not any("years old" in t for t in texts(dated.extract(kept)))


def test_first_names_give_pronouns_their_gender(extractor: ArticleClaimExtractor) -> None:
    from verifier.claims.gender import name_gender

    assert name_gender("Liam Fitzsimmons") == "m" and name_gender("Dr. Sarah Okafor") == "f"
    assert name_gender("Ms Jo Reyes") == "f" and name_gender("Alex Moreno") is None
    article = (
        "Kenna Holloway won the race on Sunday 19 April 2026. Samuel Oduya won the men's race.\n\n"
        "Her coach, Liam Fitzsimmons, said she would now target the national championships. "
        '"She is still learning the distance," he said.'
    )
    claims = extractor.extract(article)
    got = texts(claims)
    assert "Liam Fitzsimmons said Kenna Holloway would now target the national championships." in got, got
    assert "Liam Fitzsimmons is Kenna Holloway's coach." in got, got
    assert [c.attributed_to for c in claims if c.kind == "quote"] == ["Liam Fitzsimmons"]


def test_the_bridge_is_the_first_named_footbridge_not_the_latest_bridge(nlp: Any) -> None:
    mem = Memory(date(2026, 6, 8))
    sentences = [
        "Ashby Green footbridge reopens after fourteen months",  # a headline: no determiner
        "During the closure residents faced a detour via the Mill Road bridge.",
        "The council has fitted the bridge with lighting.",
    ]
    out = ""
    for s in sentences:
        doc = nlp(s)
        subs = name_subs(doc, mem)
        out = render(doc, [t.i for t in doc], subs)
        remember(doc, mem, subs)
    assert out == "The council has fitted the Ashby Green footbridge with lighting."


@pytest.mark.parametrize(
    ("lemma", "past"),
    [("abstain", "abstained"), ("cite", "cited"), ("carry", "carried"), ("stop", "stopped"),
     ("win", "won"), ("hold", "held"), ("visit", "visited"), ("play", "played")],
)  # fmt: skip
def test_past_tense(lemma: str, past: str) -> None:
    from verifier.claims.decompose import past_tense

    assert past_tense(lemma) == past


def test_participle_clauses_become_their_own_claims(nlp: Any) -> None:
    dated = ArticleClaimExtractor("2026-07-10")
    assert texts(dated.extract("The company cut 300 jobs, citing falling sales.")) == [
        "The company cut 300 jobs.",
        "The company cited falling sales.",
    ]
    got = texts(dated.extract("The Dunmore council passed the bill, with three members abstaining."))
    assert got == ["The Dunmore council passed the bill.", "Three members abstained."], got
    got = texts(
        dated.extract("Samuel Oduya won, holding off his training partner Peter Kiprop by four seconds.")
    )
    assert "Samuel Oduya held off his training partner Peter Kiprop by four seconds." in got, got
    # a present main verb keeps the present; "including" introduces a phrase, not an event
    got = texts(dated.extract("The Dunmore council says the bridge is safe, adding that checks continue."))
    assert "The Dunmore council adds that checks continue." in got, got
    whole = "Prices in Dunmore rose 3% in 2025, including a 5% rise in food."
    assert texts(dated.extract(whole)) == [whole]


def test_pronouns_take_the_name_of_a_named_description(nlp: Any) -> None:
    mem = Memory(date(2026, 1, 22))
    out = []
    for s in [
        "The planet, known as Tessaly-4b, is roughly 2.3 times the diameter of Earth.",
        "It was discovered in 2023, but until now nothing was known about its atmosphere.",
        "The firm said every affected customer would receive a credit on their next bill.",
    ]:
        doc = nlp(s)
        subs = name_subs(doc, mem)
        out.append(render(doc, [t.i for t in doc], subs))
        remember(doc, mem, subs)
    assert (
        out[1] == "Tessaly-4b was discovered in 2023, but until now nothing was known about its atmosphere."
    )
    # singular "they" after "every customer" stays with the customer, not the previous subject
    assert out[2] == "The firm said every affected customer would receive a credit on their next bill."


def test_coordinated_prepositional_objects_are_split_but_measurements_are_not(
    extractor: ArticleClaimExtractor,
) -> None:
    got = texts(
        extractor.extract("The Dunmore council fitted the Kells bridge with lighting and two CCTV cameras.")
    )
    assert any(t.endswith("with lighting.") for t in got), got
    assert any(t.endswith("with two CCTV cameras.") for t in got), got
    whole = "Kenna Holloway won the Coastal Marathon in 2 hours 19 minutes and 44 seconds."
    assert texts(extractor.extract(whole)) == [whole]
    between = "The Dunmore council fixed the road between Kells and Harlow."
    assert texts(extractor.extract(between)) == [between]


def test_titled_name_is_a_person_for_later_pronouns(extractor: ArticleClaimExtractor) -> None:
    article = (
        "Councillor Yasmin Drury, the council's cabinet member for transport, cut the ribbon on 3 June 2026. "
        '"I am sorry it took so long," she said.'
    )
    quotes = [c for c in extractor.extract(article) if c.kind == "quote"]
    assert [c.attributed_to for c in quotes] == ["Councillor Yasmin Drury"]


def test_coordinated_verb_phrases_become_atomic_claims(extractor: ArticleClaimExtractor) -> None:
    claims = texts(extractor.extract(ARTICLE))
    assert any("4.2 million pounds" in t and "June" not in t for t in claims)
    assert any(t.startswith("The route will open in June 2026") for t in claims)


def test_attribution_claim_and_attributed_fact(extractor: ArticleClaimExtractor) -> None:
    claims = extractor.extract(ARTICLE)
    said = [c for c in claims if c.attributed_to == "Anselm Gray" and "40 minutes" in c.text]
    assert any(c.text.startswith("Council leader Anselm Gray said") for c in said)
    assert any(not c.text.startswith("Council leader") and c.kind == "attributed" for c in said)


def test_opinion_in_quote_is_a_quote_claim_not_a_fact(extractor: ArticleClaimExtractor) -> None:
    claims = extractor.extract(ARTICLE)
    overdue = [c for c in claims if "long overdue" in c.text]
    assert overdue and all(c.kind == "quote" for c in overdue)
    quotes = [c.shown for c in claims if c.kind == "quote" and c.text.startswith("Anselm Gray said:")]
    assert quotes == [
        'Anselm Gray said: "We listened to islanders." [Dunmore Harbour Council]',
        'Anselm Gray said: "This route is for them." [Dunmore Harbour Council]',
    ]


def test_appositive_and_relative_clause_become_claims(extractor: ArticleClaimExtractor) -> None:
    claims = texts(
        extractor.extract(
            "Marlow Mills, the country's largest cereal maker, said it would close its Fenwick plant. "
            "The Renters' Union, which had campaigned for a 2% cap, welcomed the law."
        )
    )
    assert "Marlow Mills is the country's largest cereal maker." in claims
    assert "The Renters' Union had campaigned for a 2% cap." in claims


def test_duplicates_are_kept_once_with_both_spans(extractor: ArticleClaimExtractor) -> None:
    fact = "The bridge reopened on 9 January 2026 after repairs."
    text = f"{fact} Locals cheered. {fact}"
    claims = [c for c in extractor.extract(text) if "reopened" in c.text]
    assert len(claims) == 1 and len(claims[0].also_at) == 1
    s, e = claims[0].also_at[0]
    assert s > claims[0].span[1]  # type: ignore[index]


def test_dedupe_merges_spans() -> None:
    a = Claim("a", "The bridge reopened in 2026.", (0, 10))
    b = Claim("b", "The bridge reopened in 2026.", (20, 30))
    [merged] = dedupe([a, b])
    assert merged.span == (0, 10) and merged.also_at == ((20, 30),)


def test_fallback_without_spacy_keeps_sentences() -> None:
    claims = ArticleClaimExtractor(use_spacy=False).extract(ARTICLE)
    assert claims and all(c.context == c.text or c.context for c in claims)
    assert not any(c.text.endswith("?") for c in claims)
