"""Check-worthiness: does a sentence state something a fact-checker could verify?

A score in [0, 1] with the reasons behind it. Boilerplate (bylines, credits, links, post signatures),
questions, exclamations, fragments, the writer's opinions, calls to action and vague framing score low;
named people, organisations, places, numbers, dates and attributions raise the score.
Works on the spaCy parse when there is one, on surface cues otherwise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from verifier.claims.segment import Unit

THRESHOLD = 0.5

_BYLINE = re.compile(r"^(?:by|written by|reporting by|additional reporting by)\s+[A-Z]", re.I)
_CREDIT = re.compile(
    r"\((?:photo|image|picture|illustration|credit|video)s?\s*:|^(?:photo|image|credit|source)s?\s*:", re.I
)
_BOILER = re.compile(
    r"^(?:share|follow us|read more|related|subscribe|advertisement|sign up|copyright|©"
    r"|all rights reserved)\b",
    re.I,
)
_LINK = re.compile(r"(?:https?://|www\.|pic\.twitter\.com/)\S+", re.I)
_TAGS = re.compile(r"[#@]\w+")
_META_LINE = re.compile(r"^(?:date|published|updated|title|url)\s*:", re.I)
_EXCLAIM = re.compile(r"^(?:what an?|how|wow|oh|congratulations|well done|thank you|thanks)\b", re.I)

# The writer's evaluation (outside quotes): words that grade rather than report.
_EVALUATIVE = frozenset(
    """
    scandal scandalous disgrace disgraceful shameful outrageous appalling shocking gross wrong deserves
    deserve deserved overdue exciting thrilling wonderful amazing terrible awful brilliant great superb
    magnificent remarkable incredible unacceptable ridiculous absurd sad tragic best worst better worse
    beautiful ugly fantastic inspiring heartbreaking stunning disappointing pathetic
    frankly surely sadly thankfully hopefully arguably honestly unfortunately fortunately mercifully
    """.split()
)
# Subjects that name nobody in particular ("Not everyone was ...", "Some felt ...").
_INDEFINITE = frozenset(
    "everyone everybody someone somebody nobody no-one anyone anybody some many few".split()
)
# The article's readers, addressed as a kind ("Residents can report ...", "Customers should ...").
_READERS = frozenset(
    """residents customers readers parents people users fans viewers listeners drivers passengers
    patients visitors shoppers voters travellers commuters motorists tenants renters""".split()
)
_EMOTION = frozenset(
    """
    unhappy happy frustrated angry furious delighted pleased worried upset disappointed excited anxious
    thrilled dismayed outraged relieved concerned nervous proud
    """.split()
)
_SPEECH = frozenset(
    """
    say said says tell told add added announce announced report reported state stated claim claimed warn
    warned confirm confirmed write wrote post posted according deny denied insist insisted explain
    explained argue argued estimate estimated
    """.split()
)
_STRONG_ENTS = frozenset(
    {"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "EVENT", "WORK_OF_ART", "PRODUCT", "LAW"}
)
_NUMERIC_ENTS = frozenset({"CARDINAL", "MONEY", "PERCENT", "QUANTITY", "DATE", "TIME", "ORDINAL"})


@dataclass(frozen=True, slots=True)
class Worthiness:
    score: float
    reasons: tuple[str, ...]

    @property
    def keep(self) -> bool:
        return self.score >= THRESHOLD


def _outside_quotes(text: str) -> str:
    return re.sub(r"[\"“][^\"”]*[\"”]", " ", text)


def _drop(reason: str) -> Worthiness:
    return Worthiness(0.05, (reason,))


def _surface(unit: Unit) -> Worthiness | None:
    """Rules that need no parse; a verdict when one applies."""
    s = " ".join(unit.text.split())
    if unit.role == "headline":
        return _drop("headline")
    if unit.role == "caption":
        return _drop("photo caption or credit")
    if unit.role == "signature":
        return _drop("embedded post signature (author, handle, date)")
    if _META_LINE.match(s):
        return _drop("metadata line")
    if _BYLINE.match(s) and len(s.split()) <= 14:
        return _drop("byline")
    if _CREDIT.search(s):
        return _drop("photo or image credit")
    if _BOILER.match(s):
        return _drop("page boilerplate")
    words = _LINK.sub(" ", _TAGS.sub(" ", s)).split()
    if len([w for w in words if any(ch.isalnum() for ch in w)]) == 0:
        return _drop("link or hashtags only")
    if s.rstrip("\"'”’) ").endswith("?"):
        return _drop("question")
    if s.endswith(":"):
        return _drop("introduces an embedded post or quote")
    if s.rstrip("\"'”’) ").endswith("!") or (_EXCLAIM.match(s) and len(s.split()) <= 8):
        return _drop("exclamation")
    if len(words) < 4:
        return _drop("fragment (fewer than four words)")
    if not re.search(r"""[.!…]["'”’)\]]*$""", s):
        return _drop("no sentence ending (heading or fragment)")
    return None


def score(unit: Unit, doc: Any | None) -> Worthiness:
    """Check-worthiness of one unit; `doc` is its spaCy parse (None without spaCy)."""
    verdict = _surface(unit)
    if verdict is not None:
        return verdict
    text = unit.text
    bare = _outside_quotes(text)
    bare_words = {w.lower() for w in re.findall(r"[A-Za-z'-]+", bare)}  # "best-known" is not "best"
    quoted_only = not re.search(r"[A-Za-z]", re.sub(r"[,.;:!?\s—–-]", "", bare))
    reasons: list[str] = []
    value = 0.5
    if doc is None:
        has_number = bool(re.search(r"\d", text))
        has_name = bool(re.search(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]+", text))
        if has_number:
            value += 0.2
            reasons.append("number or date")
        if has_name:
            value += 0.15
            reasons.append("named entity")
        if bare_words & _EVALUATIVE and not bare_words & _SPEECH:
            value -= 0.4
            reasons.append("writer's evaluation")
        return Worthiness(round(max(0.0, min(1.0, value)), 3), tuple(reasons))

    ents = {e.label_ for e in doc.ents}
    strong = ents & _STRONG_ENTS
    numeric = ents & _NUMERIC_ENTS
    has_propn = any(t.pos_ == "PROPN" for t in doc)
    speech = any(t.lemma_.lower() in _SPEECH for t in doc if not _in_quote(t, text))
    roots = [t for t in doc if t.dep_ == "ROOT"]
    has_verb = any(t.pos_ in ("VERB", "AUX") for t in doc)
    quantifier = any(t.lower_ in ("no", "none", "every", "all") and t.dep_ == "det" for t in doc)

    if strong or has_propn:
        value += 0.2
        reasons.append("names a person, organisation or place")
    if numeric - {"ORDINAL"}:
        value += 0.2
        reasons.append("number or date")
    if speech:
        value += 0.1
        reasons.append("attributed statement")
    if quantifier:
        value += 0.1
        reasons.append("quantified statement")
    if quoted_only and unit.role != "post":
        value += 0.15
        reasons.append("direct quotation")

    if not has_verb:
        value -= 0.5
        reasons.append("no verb (caption or fragment)")
    evaluative = (bare_words & _EVALUATIVE) or re.search(
        r"\b(?:long overdue|most significant|few \w+ (?:in \w+ )?(?:are|is) as|can be few)\b", bare, re.I
    )
    if evaluative and not speech:
        value -= 0.6
        reasons.append("writer's opinion or evaluation")
    if _call_to_action(doc, text):
        specific = bool(strong & {"GPE", "FAC", "LOC", "ORG"}) or bool(numeric - {"ORDINAL"})
        if not specific or any(t.lower_ in ("should", "must") for t in doc):
            value -= 0.6
            reasons.append("call to action")
        else:
            reasons.append("call to action with a checkable fact")
    if (
        not numeric
        and not quantifier
        and not quoted_only
        and (_vague_subject(doc) or not (strong or has_propn))
    ):
        indefinite = any(
            t.dep_.startswith("nsubj") and t.lower_ in _INDEFINITE and not _in_quote(t, text) for t in doc
        )
        if bare_words & _EMOTION or len(doc) <= 7 or indefinite:
            value -= 0.6
            reasons.append("vague framing: no identifiable source or specific fact")
    if unit.role == "post":
        if not (numeric - {"ORDINAL", "TIME"}) or bare_words & _EVALUATIVE:
            value -= 0.5
            reasons.append("rhetorical post text")
        else:
            reasons.append(f"fact in a post by {unit.post_author}")
    if roots and roots[0].tag_ == "VB" and not any(c.dep_.startswith("nsubj") for c in roots[0].children):
        value -= 0.5
        reasons.append("imperative")
    return Worthiness(round(max(0.0, min(1.0, value)), 3), tuple(reasons))


def _in_quote(token: Any, text: str) -> bool:
    before = text[: token.idx]
    return _quote_balance(before) > 0


def _quote_balance(s: str) -> int:
    return (s.count('"') % 2) + s.count("“") - s.count("”")


def _vague_subject(doc: Any) -> bool:
    """A bare plural subject ("Landlord groups", "Parents at the school gates"): a kind, not a source."""
    for t in doc:
        if t.dep_ in ("nsubj", "nsubjpass") and t.head.dep_ == "ROOT" and t.tag_ in ("NNS", "NNPS"):
            if any(c.dep_ in ("det", "poss", "nummod") for c in t.children):
                return False
            if t.ent_type_ in ("ORG", "PERSON", "GPE", "NORP", "FAC"):
                return False
            return all(c.text[:1].islower() or c.i == 0 for c in t.subtree if c.dep_ == "compound") and (
                t.text[:1].islower() or t.i == 0
            )
    return False


def _call_to_action(doc: Any, text: str) -> bool:
    """A reader is told what to do: "X who ... should/can ...", "Anyone who wants ...", imperatives."""
    for t in doc:
        if t.dep_ == "relcl" and t.head.dep_.startswith("nsubj") and t.head.head.dep_ == "ROOT":
            subject = t.head
            root = subject.head
            modal = {c.lower_ for c in root.children if c.dep_ == "aux"}
            generic = subject.tag_ in ("NNS",) or subject.lower_ in ("anyone", "everyone", "those", "people")
            if generic and modal & {"should", "must", "can", "may"}:
                return True
        if t.dep_ == "nsubj" and t.head.dep_ == "ROOT" and t.lower_ in _READERS and _vague_subject(doc):
            if {c.lower_ for c in t.head.children if c.dep_ == "aux"} & {"should", "must", "can", "may"}:
                return True
    return False
