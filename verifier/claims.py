"""Claim extraction: one claim per declarative sentence, with its exact span in the article."""

from __future__ import annotations

import re

from verifier.models import Claim, stable_id
from verifier.sources import _FRONT_MATTER
from verifier.text import sentence_spans

MIN_WORDS = 4
MIN_CHARS = 20

_URL = re.compile(r"^(?:<)?(?:https?://|www\.)\S+(?:>)?$", re.IGNORECASE)
_BYLINE = re.compile(
    r"^(?:by|written by|reporting by|photo|image|credit|source|share|follow us|read more|related|"
    r"published|updated|posted|subscribe|advertisement|sign up|copyright|©)\b",
    re.IGNORECASE,
)
_HASHTAG_LINE = re.compile(r"^(?:[#@]\w+[\s,]*)+$")
_ENDS_LIKE_SENTENCE = re.compile(r"""[.!…]["'”’)\]]*$""")


def is_check_worthy(sentence: str) -> bool:
    """False for questions, fragments, headings, URLs, hashtag lines and bylines."""
    s = " ".join(sentence.split())
    if len(s) < MIN_CHARS or len(s.split()) < MIN_WORDS:
        return False
    if s.rstrip("\"'”’) ").endswith("?"):
        return False
    if _URL.match(s) or _HASHTAG_LINE.match(s) or s.startswith(("#", "|", "---")):
        return False
    if _BYLINE.match(s) and len(s.split()) <= 14:
        return False
    return bool(_ENDS_LIKE_SENTENCE.search(s))


def body_offset(article: str) -> int:
    """Where the article body starts: after a `---` front-matter block, if any."""
    m = _FRONT_MATTER.match(article)
    return m.end() if m else 0


class SentenceClaimExtractor:
    """ClaimExtractor: every check-worthy sentence is a claim; `article[span] == claim.context`."""

    name = "sentences-v1"

    def extract(self, text: str) -> list[Claim]:
        start = body_offset(text)
        body = text[start:]
        claims: list[Claim] = []
        for s, e in sentence_spans(body):
            raw = body[s:e]
            if not is_check_worthy(raw):
                continue
            span = (start + s, start + e)
            normalised = " ".join(raw.split())
            claims.append(
                Claim(
                    id=stable_id(f"{normalised}@{span[0]}:{span[1]}"),
                    text=normalised,
                    span=span,
                    context=raw,
                )
            )
        return claims
