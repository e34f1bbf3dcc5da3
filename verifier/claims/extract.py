"""Claim extraction.

- `ArticleClaimExtractor` (the default): spaCy-based check-worthiness, decontextualisation, decomposition
  into atomic claims, attribution and de-duplication; pysbd sentences when spaCy is unavailable.
- `SentenceClaimExtractor`: one claim per check-worthy sentence, verbatim (the simple baseline).

Both keep `article[claim.span[0]:claim.span[1]]` inside the article and the original sentence in
`claim.context` (`article[context_span] == context`).
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from verifier.claims.checkworthy import Worthiness
from verifier.claims.checkworthy import score as worthiness
from verifier.claims.segment import Unit, article_date, parse_date, segment
from verifier.models import Claim, stable_id, with_topic
from verifier.text.frontmatter import body_offset, parse_markdown
from verifier.text.sentences import sentence_spans

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


# --------------------------------------------------------------------------- the article extractor


@dataclass(frozen=True, slots=True)
class Dropped:
    """A sentence left out as not check-worthy, with the reasons."""

    span: tuple[int, int]
    text: str
    score: float
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Extraction:
    claims: list[Claim]
    dropped: list[Dropped]
    article_date: date | None
    engine: str  # "spacy" or "pysbd"
    seconds: float = 0.0
    units: int = 0
    kept_units: list[tuple[int, int]] = field(default_factory=list)


_WORD = re.compile(r"[a-z0-9]+(?:[.,][0-9]+)*")


def _dedupe_key(text: str) -> frozenset[str]:
    return frozenset(w.replace(",", "") for w in _WORD.findall(text.lower()) if len(w) > 2 or w.isdigit())


def dedupe(claims: list[Claim]) -> list[Claim]:
    """The same fact stated twice is kept once, with the other statements' spans in `also_at`."""
    out: list[Claim] = []
    keys: list[frozenset[str]] = []
    for c in claims:
        key = _dedupe_key(c.shown)
        for n, k in enumerate(keys):
            inter = len(key & k)
            if key and k and inter / len(key | k) >= 0.85 and out[n].span != c.span:
                first = out[n]
                extra = tuple(x for x in (c.span, *c.also_at) if x is not None and x != first.span)
                out[n] = replace(first, also_at=tuple(dict.fromkeys((*first.also_at, *extra))))
                break
        else:
            out.append(c)
            keys.append(key)
    return out


class ArticleClaimExtractor:
    """ClaimExtractor: check-worthy, decontextualised, atomic claims with spans into the article.

    `article_date` (a date or ISO string) overrides the date found in the article (front matter or a
    `Date:` line); relative dates are anchored to it.
    """

    name = "article-v1"

    def __init__(
        self,
        article_date: date | str | None = None,
        *,
        use_spacy: bool = True,
        attributed_content: bool = True,
    ) -> None:
        self.article_date = parse_date(article_date) if isinstance(article_date, str) else article_date
        self.use_spacy = use_spacy
        self.attributed_content = attributed_content

    def extract(self, text: str) -> list[Claim]:
        return self.analyse(text).claims

    def analyse(self, text: str) -> Extraction:
        """Claims and dropped sentences (with reasons) of one article."""
        from verifier.claims.nlp import load_pipeline

        t0 = time.perf_counter()
        units = segment(text)
        anchor = self.article_date or article_date(text)
        nlp = load_pipeline() if self.use_spacy else None
        if nlp is None:
            claims, dropped, kept = self._fallback(text, units)
            engine = "pysbd"
        else:
            title = parse_markdown(text)[1].get("title", "")
            claims, dropped, kept = self._spacy(nlp, units, anchor, title, text)
            engine = "spacy"
        return Extraction(dedupe(claims), dropped, anchor, engine, time.perf_counter() - t0, len(units), kept)

    # ----------------------------------------------------------------- without spaCy

    def _fallback(
        self, text: str, units: list[Unit]
    ) -> tuple[list[Claim], list[Dropped], list[tuple[int, int]]]:
        claims: list[Claim] = []
        dropped: list[Dropped] = []
        kept: list[tuple[int, int]] = []
        for u in units:
            w = worthiness(u, None)
            span = (u.start, u.end)
            if not w.keep:
                dropped.append(Dropped(span, u.text, w.score, w.reasons))
                continue
            kept.append(span)
            claims.append(_claim(" ".join(u.text.split()), span, u, w, "fact", None))
        return claims, dropped, kept

    # ----------------------------------------------------------------- with spaCy

    def _spacy(
        self, nlp: Any, units: list[Unit], anchor: date | None, title: str, article: str = ""
    ) -> tuple[list[Claim], list[Dropped], list[tuple[int, int]]]:
        from verifier.claims.decompose import decompose
        from verifier.claims.decontext import Memory, date_subs, fmt_date, name_subs, remember
        from verifier.claims.topic import StoryScope, anchor_label, article_event, article_topic, pick_lede

        mem = Memory(anchor)
        claims: list[Claim] = []
        dropped: list[Dropped] = []
        kept: list[tuple[int, int]] = []
        speaker: str | None = None
        docs = list(nlp.pipe([u.text for u in units], batch_size=64))
        title = title or next((u.text for u in units if u.role == "headline"), "")
        topic = article_topic(title, pick_lede([(u.role, d) for u, d in zip(units, docs, strict=True)]))
        body_docs = [d for u, d in zip(units, docs, strict=True) if u.role == "body"]
        mem.event = article_event(nlp(title) if title else None, body_docs, topic)
        scope = StoryScope(topic)
        previous_end = 0
        for u, doc in zip(units, docs, strict=True):
            if u.role == "body":
                scope.see(doc, new_paragraph="\n" in article[previous_end : u.start] or not article)
            previous_end = u.end
            unit_anchor = u.post_date or anchor
            subs = name_subs(doc, mem)
            subs.update(date_subs(doc, unit_anchor))  # dates win over a name guess on the same token
            w = worthiness(u, doc)
            if not w.keep:
                dropped.append(Dropped((u.start, u.end), u.text, w.score, w.reasons))
                if u.role != "caption" and "byline" not in w.reasons:
                    remember(doc, mem, subs)  # a byline or credit names the writer, not someone in the story
                speaker = None
                continue
            kept.append((u.start, u.end))
            atoms, speaker = decompose(doc, subs, speaker, self.attributed_content, unit_anchor)
            proper = frozenset(t.text for t in doc if t.pos_ == "PROPN")
            people = frozenset(w for n in mem.persons for w in n.split()) | frozenset(
                t.text for t in doc if t.ent_type_ == "PERSON"
            )
            for a in atoms:
                text, kind, who, label = a.text, a.kind, a.attributed_to, None
                if u.role == "post" and u.post_author:
                    when = f" on {fmt_date(u.post_date)}" if u.post_date else ""
                    body = text[0].lower() + text[1:] if text[1:2].islower() else text
                    text, kind, who = f"{u.post_author} posted{when} that {body}", "attributed", u.post_author
                if scope.topic:
                    label = anchor_label(" ".join(text.split()), scope.topic, proper, people, mem.event)
                span = (u.start + a.start, u.start + a.end)
                claims.append(_claim(text, span, u, w, kind, who, label))
            remember(doc, mem, subs)
        return claims, dropped, kept


def _claim(
    text: str,
    span: tuple[int, int],
    u: Unit,
    w: Worthiness,
    kind: str,
    who: str | None,
    topic: str | None = None,
) -> Claim:
    normalised = " ".join(text.split())
    return Claim(
        id=stable_id(f"{with_topic(normalised, topic)}@{span[0]}:{span[1]}"),
        text=normalised,
        span=span,
        context=u.text,
        context_span=(u.start, u.end),
        kind=kind,
        attributed_to=who,
        checkworthiness=w.score,
        topic=topic,
    )


def dropped_dicts(dropped: list[Dropped]) -> list[dict[str, Any]]:
    """JSON-ready rows for the sentences left out (`audit --all`)."""
    return [
        {
            "span": list(d.span),
            "sentence": " ".join(d.text.split()),
            "score": d.score,
            "reasons": list(d.reasons),
        }
        for d in dropped
    ]


def dropped_renderable(dropped: list[Dropped]) -> Any:
    """A table of the sentences left out as not check-worthy, with the reasons (`audit --all`)."""
    from rich.table import Table

    table = Table(
        title=f"{len(dropped)} sentences not checked (not check-worthy)", show_lines=False, expand=True
    )
    table.add_column("Span", no_wrap=True, style="dim")
    table.add_column("Sentence", ratio=3)
    table.add_column("Score", justify="right", no_wrap=True)
    table.add_column("Why", ratio=2)
    for d in dropped:
        table.add_row(
            f"{d.span[0]}:{d.span[1]}", " ".join(d.text.split()), f"{d.score:.2f}", "; ".join(d.reasons)
        )
    return table


def extractor_for_audit(article_date: str | None) -> ArticleClaimExtractor:
    """The default extractor with an explicit article date (`--date YYYY-MM-DD`), validated."""
    from verifier.errors import InputError

    if article_date is not None and parse_date(article_date) is None:
        raise InputError(f"--date {article_date!r}: expected a date like 2026-04-09")
    return ArticleClaimExtractor(article_date=article_date)
