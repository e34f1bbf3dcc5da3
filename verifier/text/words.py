"""Words: the one function-word list (and the variants each stage derives from it), the tokenizer of the
lexical index, and the two tiny normalisers (a stemmer for the index, a singulariser for figures).
"""

from __future__ import annotations

import re

# The function words every stage ignores when it compares what two texts are about.
FUNCTION_WORDS = frozenset(
    "a an the of to in on at for by with from and or but is are was were be been being it its this that "
    "these those as not no has have had do does did will would can could should may might than then so "
    "such into about over after before their there they them he she his her we our you your i".split()
)
QUESTION_WORDS = frozenset("what when where which while who whom whose why".split())
_FIRST_SECOND_PERSON = frozenset("i we our you your".split())

# The lexical index's stop words. Persisted indexes were built with exactly this set: changing it needs
# a store FORMAT_VERSION bump. Negations, modals and "about/after/before/over" stay searchable.
INDEX_STOPWORDS = (
    (
        FUNCTION_WORDS
        - frozenset("about after before can could did do does may might no not over should such".split())
    )
    | (QUESTION_WORDS - {"whose"})
    | {"if"}
)

# Around a figure: "over" is a bound ("over 500"), so it is not skipped; quantifiers are.
FIGURE_STOPWORDS = (
    (FUNCTION_WORDS - {"over"})
    | (QUESTION_WORDS - {"why"})
    | frozenset("also only just some all each per".split())
)

# Around an actor's name: "for" and "against" tell sides apart; pronouns of the reader are kept.
ACTOR_STOPWORDS = (FUNCTION_WORDS - {"for", "no", "over"} - _FIRST_SECOND_PERSON) | frozenset(
    "which who whom whose also agreed".split()
)

# Matching extracted claims to gold claims: reporting verbs and particles carry no content.
MATCHING_STOPWORDS = (
    (FUNCTION_WORDS - _FIRST_SECOND_PERSON)
    | (QUESTION_WORDS - {"why"})
    | frozenset("also him out under up said says say according".split())
)

_CONTENT_WORD = re.compile(r"[a-z0-9]+(?:[.,][0-9]+)*")


def content_words(text: str) -> set[str]:
    """Lower-cased words and numbers of `text` without function words."""
    return {w for w in _CONTENT_WORD.findall(text.lower()) if w not in FUNCTION_WORDS}


# Numbers keep their inner separators ("41,286" -> "41286", "3.5" -> "3.5"); words keep digits ("covid19").
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[^\W_]+", re.UNICODE)


def stem(token: str) -> str:
    """The index's deliberately tiny stemmer: plural and possessive endings only."""
    if token.isdigit() or len(token) <= 3:
        return token
    if token.endswith("ies") and len(token) > 4:
        return token[:-3] + "y"
    if token.endswith("s") and not token.endswith(("ss", "us", "is")):
        return token[:-1]
    return token


def normalise_number(token: str) -> str:
    """'41,286' -> '41286'; '3.50' -> '3.5'; '2,5' (decimal comma) stays distinct from 25."""
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", token):
        token = token.replace(",", "")
    if re.fullmatch(r"\d+\.\d+", token):
        token = token.rstrip("0").rstrip(".")
    return token


def tokenize(text: str, *, keep_stopwords: bool = False) -> list[str]:
    """Lower-cased content tokens; numbers normalised, light stemming, English stop words dropped."""
    out: list[str] = []
    for m in _TOKEN.finditer(text.lower()):
        tok = m.group(0)
        if tok[0].isdigit():
            out.append(normalise_number(tok))
        elif keep_stopwords or tok not in INDEX_STOPWORDS:
            out.append(stem(tok))
    return out


IRREGULAR_PLURALS = {"people": "person", "children": "child", "men": "man", "women": "woman", "feet": "foot",
              "teeth": "tooth", "mice": "mouse", "staff": "staff", "news": "news"}  # fmt: skip


def lemma(word: str) -> str:
    """A tiny, deterministic singulariser: 'signatures' -> 'signature', 'people' -> 'person'."""
    w = word.lower().strip("'’")
    if w.endswith(("'s", "’s")):
        w = w[:-2]
    if w in IRREGULAR_PLURALS:
        return IRREGULAR_PLURALS[w]
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 4 and w.endswith(("ches", "shes", "xes", "sses")):
        return w[:-2]
    if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    return w


def plural(noun: str) -> str:
    special = {"person": "people", "child": "children", "man": "men", "woman": "women", "staff": "staff"}
    if noun in special:
        return special[noun]
    if noun.endswith("y") and len(noun) > 2 and noun[-2] not in "aeiou":
        return noun[:-1] + "ies"
    return noun + ("es" if noun.endswith(("s", "x", "ch", "sh")) else "s")


_SURFACE_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[^\W_]+", re.UNICODE)


def names(text: str) -> set[str]:
    """The names a text uses, as `tokenize` writes them: capitalised words that are not function words
    ("Brightwell", "Ostbridge", "ALDH1"; a capitalised first word counts too)."""
    out: set[str] = set()
    for m in _SURFACE_TOKEN.finditer(text):
        tok = m.group(0)
        if tok[0].isupper() and tok.lower() not in FUNCTION_WORDS:
            out.update(tokenize(tok, keep_stopwords=True))
    return out


def has_figure(text: str) -> bool:
    return any(ch.isdigit() for ch in text)


def addresses(claim: str, window: str) -> bool:
    """Whether `window` is about what `claim` is about: it shares one of the claim's names; for a claim
    without names, it shares a content word, and, when the claim gives a figure, has a figure to compare
    it with (not necessarily the same one)."""
    words = set(tokenize(window, keep_stopwords=True))
    subject = names(claim)
    if subject:
        return bool(subject & words)
    if has_figure(claim) and not has_figure(window):
        return False
    return bool(set(tokenize(claim)) & words)
