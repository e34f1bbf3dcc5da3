"""The article's topic: the name a claim with no name of its own is about.

A news article is about one named thing (a company, a council, an event, a place), named in its title
and again in its first sentence. A claim that names nothing ("Entries are limited to 20,000 runners.",
"No deaths have been reported."), only people ("Omar Feld said his drivers could not take bookings"),
or leans on a definite description ("The outage began at 5:40 am.") cannot be checked on its own;
`anchor` adds the topic to it as an editorial insertion in square brackets, so the claim says which
story it belongs to without changing what it asserts. A claim that names its own organisation or place
and has no definite description is left alone.

The topic is the proper-noun phrase of the lede (the first body sentence) that shares a word with the
title, preferring organisations, events and places over people; without such a phrase, a word the lede
shares with the names of a sentence-case title (the tagger can miss a one-word place name); then the
lede's first non-person name; without one, none.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from verifier.models import with_topic

_WORD = re.compile(r"[A-Za-z][A-Za-z0-9'’.-]*")
_NOT_NAMES = frozenset(
    "I The A An This That These Those It He She They His Her Its Their In On At By For And But Or As "
    "After Before When While If Under Over According Monday Tuesday Wednesday Thursday Friday Saturday "
    "Sunday January February March April May June July August September October November December".split()
)
_LEDE_MIN_WORDS = 8
_NAMED = frozenset({"ORG", "GPE", "FAC", "LOC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW"})
# Nouns for something that happens, which news stories are about ("the outage", "the closure").
EVENT_NOUNS = frozenset(
    """outbreak epidemic outage blackout closure shutdown strike walkout crash collision derailment fire
    blaze flood flooding storm earthquake eruption explosion attack shooting election vote referendum
    tour race marathon match final tournament championship festival trial hearing inquiry investigation
    merger takeover acquisition recall protest reopening""".split()
)


def _runs(doc: Any) -> list[tuple[str, bool]]:
    """Maximal runs of proper nouns in `doc`: (text, is a person)."""
    persons = {i for e in doc.ents if e.label_ == "PERSON" for i in range(e.start, e.end)}
    skip = {i for e in doc.ents if e.label_ in ("DATE", "TIME") for i in range(e.start, e.end)}
    named = {i for e in doc.ents if e.label_ in _NAMED for i in range(e.start, e.end)}

    def proper(i: int) -> bool:
        t = doc[i]
        return (
            i not in skip and t.pos_ != "DET" and (t.pos_ == "PROPN" or (i in named and t.text[:1].isupper()))
        )

    out: list[tuple[str, bool]] = []
    i = 0
    while i < len(doc):
        if proper(i):
            j = i
            while j + 1 < len(doc) and proper(j + 1):
                j += 1
            while j > i and doc[j].text in ("'s", "’s"):
                j -= 1
            out.append((doc[i : j + 1].text, i in persons))
            i = j + 1
        else:
            i += 1
    return out


def article_topic(title: str, lede: Any | None) -> str | None:
    """The topic name from the title and the spaCy parse of the lede (None when nothing qualifies)."""
    if lede is None:
        return None
    title_words = {w.lower() for w in _WORD.findall(title)} - {w.lower() for w in _NOT_NAMES}
    runs = [(text, person) for text, person in _runs(lede) if text not in _NOT_NAMES]
    in_title = [(t, p) for t, p in runs if any(w.lower() in title_words for w in _WORD.findall(t))]
    named_in_title = [t.text for t in lede if t.text in _title_names(title) and not t.ent_type_ == "PERSON"]
    for pool in (
        [t for t, p in in_title if not p],
        [t for t, p in in_title],
        named_in_title,
        [t for t, p in runs if not p],
    ):
        if pool:
            return max(pool, key=lambda t: len(t.split()))  # the fullest name; the first on a tie
    return None


def article_event(title: Any | None, body: Sequence[Any], topic: str | None) -> str | None:
    """The story's event named with its topic ("the Kestrel Mobile outage"), from the parses of the
    title and the body sentences: the event noun (`EVENT_NOUNS`) used most often as a bare definite
    description ("the outage") in the body, a title mention counting as one use; None without a topic,
    without such a noun, or when the topic is itself an event ("Coastal Marathon")."""
    if not topic or topic.split()[-1].lower() in EVENT_NOUNS:
        return None
    uses: dict[str, int] = {}
    for doc in body:
        for t in doc:
            if t.pos_ == "NOUN" and t.lemma_.lower() in EVENT_NOUNS and bare_definite(t):
                uses[t.lemma_.lower()] = uses.get(t.lemma_.lower(), 0) + 1
    for t in title if title is not None else ():
        if t.pos_ == "NOUN" and t.lemma_.lower() in uses:
            uses[t.lemma_.lower()] += 1
    if not uses:
        return None
    noun = max(uses, key=lambda n: uses[n])  # the first on a tie
    return f"the {topic.removeprefix('the ')} {noun}"


def bare_definite(tok: Any) -> bool:
    """`tok` is the head of "the NOUN" with nothing else in the phrase ("the outage", not "the nine-hour
    outage" or "the outage of 2025")."""
    kids = list(tok.children)
    return (
        tok.tag_ == "NN"
        and any(c.dep_ == "det" and c.lower_ == "the" and c.i == tok.i - 1 for c in kids)
        and not any(
            c.dep_ in ("amod", "compound", "poss", "nummod", "prep", "acl", "relcl", "appos") for c in kids
        )
    )


def _title_names(title: str) -> frozenset[str]:
    """Capitalised words after the first of a sentence-case title ("Measles cases climb in Brennock");
    none in a title-case title, where every word is capitalised."""
    words = _WORD.findall(title)
    caps = [w for w in words[1:] if w[:1].isupper() and w not in _NOT_NAMES]
    if len(caps) * 2 > len(words) - 1:
        return frozenset()
    return frozenset(caps)


def pick_lede(units: Sequence[tuple[str, Any]]) -> Any | None:
    """The first body sentence long enough to be a lede, from (role, doc) pairs."""
    for role, doc in units:
        if role == "body" and sum(1 for t in doc if t.is_alpha) >= _LEDE_MIN_WORDS:
            return doc
    return None


_DEFINITE = re.compile(r"\b[Tt]he (?:[a-z][\w-]*\s+)*[a-z][\w-]*\b")  # "the outage", "the final text"


def names_something(text: str, proper: frozenset[str], people: frozenset[str] = frozenset()) -> bool:
    """Whether a claim names a person, organisation or place outside quotes (a capitalised word that is
    not only the sentence's first word, or a first word known to be a proper noun); words of `people`
    do not count."""
    bare = re.sub(r"[\"“][^\"”]*[\"”]", " ", text)
    for k, w in enumerate(_WORD.findall(bare)):
        w = re.sub(r"['’]s?$", "", w)
        if not w[:1].isupper() or w in _NOT_NAMES or w in people:
            continue
        if k > 0 or w in proper:
            return True
    return False


def needs_context(text: str, proper: frozenset[str], people: frozenset[str] = frozenset()) -> bool:
    """Whether a claim leans on the article: it has a definite description outside quotes ("the outage",
    "the final") or names no organisation, place or thing (people alone, like "Omar Feld said his
    drivers ...", are introduced by the story they appear in)."""
    bare = re.sub(r"[\"“][^\"”]*[\"”]", " ", text)
    return bool(_DEFINITE.search(bare)) or not names_something(text, proper, people)


def anchor_label(
    text: str,
    topic: str | None,
    proper: frozenset[str],
    people: frozenset[str] = frozenset(),
    event: str | None = None,
) -> str | None:
    """The story label a claim needs for context (the topic, or the event when the story has one:
    "Kestrel Mobile outage"), or None when it needs none (`needs_context`) or mentions the topic already."""
    if not topic or not needs_context(text, proper, people):
        return None
    if any(w.lower() in text.lower() for w in _WORD.findall(topic) if w not in _NOT_NAMES):
        return None
    return event.removeprefix("the ") if event else topic


def anchor(
    text: str,
    topic: str | None,
    proper: frozenset[str],
    people: frozenset[str] = frozenset(),
    event: str | None = None,
) -> str:
    """`text` as shown with its label (`anchor_label`): "[topic]" before its final punctuation."""
    return with_topic(text, anchor_label(text, topic, proper, people, event))


_PLACES_AND_BODIES = frozenset({"GPE", "LOC", "FAC", "ORG", "EVENT"})


class StoryScope:
    """Whether the article's topic still applies: digests and round-ups ("The week in brief") move on to
    other stories, and "[Harlow Bay City Council]" must not follow a claim about a library in another
    town. A paragraph that opens on a place or organisation the article has not named before ("In
    Greyford, ...", "Finally, some good news from Lindenfield County."), without naming the topic,
    starts another story (no topic); a sentence naming the topic brings it back."""

    def __init__(self, topic: str | None) -> None:
        self.main = topic
        self.topic = topic
        words = [w for w in _WORD.findall(topic or "") if w not in _NOT_NAMES]
        self._key = " ".join(words[:2]).lower()  # "harlow bay": "the council" alone is not the topic
        self._seen: set[str] = {w.lower() for w in words}

    def see(self, doc: Any, new_paragraph: bool) -> None:
        """Update the scope with the next body sentence (`doc`, spaCy)."""
        names = [doc[e.start : e.end] for e in doc.ents if e.label_ in _PLACES_AND_BODIES]
        opener = None  # "In Greyford, ...": a place set before the sentence, whatever the tagger says
        if len(doc) > 2 and doc[0].lower_ in _PLACE_PREPOSITIONS and doc[1].pos_ == "PROPN":
            end = 1
            while end < len(doc) and doc[end].pos_ == "PROPN":
                end += 1
            if end < len(doc) and doc[end].text == ",":
                opener = doc[1:end]
        if self._key and self._key in " ".join(doc.text.lower().split()):
            self.topic = self.main
        elif new_paragraph:
            # only a round-up's own signals: a place opener, or a transition ("meanwhile", "finally")
            # before a new name; a regulator or a union reacting in the same story is not a new story
            transition = any(t.lower_ in _TRANSITIONS for t in doc[:8])
            first = opener if opener is not None else (names[0] if names and transition else None)
            words = {w.lower() for w in _WORD.findall(first.text) if w not in _NOT_NAMES} if first else set()
            if words and not words & self._seen:
                self.topic = None
        if opener is not None:
            names.append(opener)
        for span in names:
            self._seen.update(w.lower() for w in _WORD.findall(span.text) if w not in _NOT_NAMES)


_PLACE_PREPOSITIONS = frozenset({"in", "at", "across", "outside", "near"})
_TRANSITIONS = frozenset({"meanwhile", "elsewhere", "finally", "separately"})
