"""The story's topic and event: which claims need it, and where a round-up moves on."""

from __future__ import annotations

from typing import Any

from tests.articles import ARTICLE, DIGEST, texts
from verifier.claims.extract import ArticleClaimExtractor


def test_a_round_up_moves_the_topic_on_with_its_stories(extractor: ArticleClaimExtractor) -> None:
    """The topic of a digest's first story must not follow claims about the next ones."""
    texts = [c.shown for c in extractor.extract(DIGEST)]
    assert any("[Harlow Bay City Council]" in t and "$52 million" in t for t in texts), texts
    later = [t for t in texts if "2005" in t or "Weather records" in t or "19 March" in t]
    assert later and not any("Harlow Bay" in t for t in later), later


def test_claims_that_lean_on_the_article_get_its_topic(nlp: Any, extractor: ArticleClaimExtractor) -> None:
    from verifier.claims.topic import anchor, article_topic, names_something, needs_context

    lede = nlp(
        "Kestrel Mobile has apologised to customers after a fault left two million people without calls."
    )
    assert article_topic("Kestrel Mobile apologises after outage", lede) == "Kestrel Mobile"
    assert article_topic("Outage hits customers", nlp("The network failed on Monday for nine hours.")) is None
    # a one-word place the tagger may not call a proper noun, named mid-title in a sentence-case title
    brennock = nlp("Brennock has recorded 37 confirmed cases of measles since the start of December.")
    assert article_topic("Measles cases climb in Brennock as clinics extend hours", brennock) == "Brennock"
    assert article_topic("Measles Cases Climb In Brennock", nlp("Cases rose on Monday in the city.")) is None
    topic = "Coastal Marathon"
    assert anchor("Entries are limited to 20,000 runners.", topic, frozenset()) == (
        "Entries are limited to 20,000 runners [Coastal Marathon]."
    )
    # names its own place and nothing definite: self-contained
    tour = "Ada Wren will tour in 18 cities."
    assert anchor(tour, topic, frozenset({"Ada"})) == tour
    # a definite description leans on the story even when the claim names something
    assert anchor("Kestrel said the update failed.", "Kestrel Mobile", frozenset({"Kestrel"})) == (
        "Kestrel said the update failed."  # the topic is already there
    )
    assert anchor("The instrument was built in Corran.", "Halden Observatory", frozenset({"Corran"})) == (
        "The instrument was built in Corran [Halden Observatory]."
    )
    # people alone are introduced by the story; quotes get the topic after the closing mark
    people = frozenset({"Omar", "Feld"})
    assert anchor("Omar Feld said his drivers lost bookings.", "Kestrel Mobile", frozenset(), people) == (
        "Omar Feld said his drivers lost bookings [Kestrel Mobile]."
    )
    assert anchor('Omar Feld said: "We lost 2,000 pounds."', "Kestrel Mobile", frozenset(), people) == (
        'Omar Feld said: "We lost 2,000 pounds." [Kestrel Mobile]'
    )
    assert names_something("Kestrel said the update failed.", frozenset({"Kestrel"}))
    assert not names_something('Customers said "Kestrel failed".', frozenset())
    assert not needs_context("Marlow Mills opened a plant in Ashcombe in 1964.", frozenset({"Marlow"}))
    claims = extractor.extract(ARTICLE)
    anchored = [c.shown for c in claims if "[Dunmore Harbour Council]" in c.shown]
    assert "The route will cost 4.2 million pounds [Dunmore Harbour Council]." in anchored, texts(claims)
    assert 'Anselm Gray said: "We listened to islanders." [Dunmore Harbour Council]' in anchored
    assert not any(t.startswith("The Dunmore Harbour Council approved") for t in anchored)


def test_the_story_event_is_named_with_its_topic(nlp: Any, extractor: ArticleClaimExtractor) -> None:
    from verifier.claims.topic import article_event

    body = [
        nlp("Kestrel Mobile has apologised after a fault left two million people without calls."),
        nlp("The outage began at around 5:40 am."),
        nlp("The company said the investigation of the nine-hour outage would take a month."),
    ]
    title = nlp("Kestrel Mobile apologises after outage")
    assert article_event(title, body, "Kestrel Mobile") == "the Kestrel Mobile outage"
    assert article_event(title, body, "Coastal Marathon") is None  # the topic is itself an event
    assert article_event(title, body[:1], "Kestrel Mobile") is None  # no bare "the outage"
    article = (
        "---\ntitle: Kestrel Mobile apologises after outage hits customers\ndate: 2026-09-16\n---\n\n"
        "Kestrel Mobile has apologised after a fault in its network left two million people without calls "
        "on Monday.\n\nThe outage began at around 5:40 am. Omar Feld said his drivers lost bookings.\n"
    )
    got = texts(extractor.extract(article))
    assert "The Kestrel Mobile outage began at around 5:40 am." in got, got
    assert "Omar Feld said his drivers lost bookings [Kestrel Mobile outage]." in got, got
