"""The domain: claims, passages, evidence, verdicts. Frozen values, no behaviour beyond derivations."""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass
from enum import StrEnum


class Label(StrEnum):
    SUPPORTED = "supported"
    CONTRADICTED = "contradicted"
    UNVERIFIED = "unverified"


def stable_id(*parts: str, length: int = 16) -> str:
    """A short content hash, stable across runs and machines."""
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()
    return digest[:length]


def with_topic(text: str, topic: str | None) -> str:
    """`text` with "[topic]" inserted before its final punctuation, or after a closing quotation mark."""
    if not topic:
        return text
    if text.endswith(('"', "”")):
        return f"{text} [{topic}]"
    end = len(text.rstrip(".!?…"))
    return f"{text[:end]} [{topic}]{text[end:]}"


@dataclass(frozen=True, slots=True)
class Claim:
    id: str
    text: str
    span: tuple[int, int] | None = None  # character offsets in the audited article
    context: str | None = None  # the original sentence when `text` was rewritten
    context_span: tuple[int, int] | None = None  # offsets of `context` in the article
    kind: str = "fact"  # "fact", "attributed" (someone said it) or "quote" (verbatim words)
    attributed_to: str | None = None  # the speaker or source for attributed claims
    checkworthiness: float | None = None  # 0..1, from the extractor's check-worthiness score
    also_at: tuple[tuple[int, int], ...] = ()  # spans of the same fact stated again in the article
    # the story the claim belongs to ("Harlow Bay City Council"), when the claim needs it for context:
    # retrieval searches with it and reports show it in brackets; the judge reads `text` alone
    topic: str | None = None

    @property
    def shown(self) -> str:
        """The claim as searched for and reported: `text` with "[topic]" before its final punctuation
        (after a closing quotation mark), or `text` itself when it has no topic."""
        return with_topic(self.text, self.topic)

    @classmethod
    def from_text(cls, text: str, span: tuple[int, int] | None = None) -> Claim:
        normalised = " ".join(text.split())
        key = normalised if span is None else f"{normalised}@{span[0]}:{span[1]}"
        return cls(id=stable_id(key), text=normalised, span=span)


@dataclass(frozen=True, slots=True)
class Source:
    """One ingested document."""

    id: str
    title: str | None
    url: str | None  # a URL, or the file path it was read from
    text: str
    published: str | None = None  # ISO date when known
    content_hash: str = ""


@dataclass(frozen=True, slots=True)
class Passage:
    """One stored chunk of a source; `text == source.text[start:end]`."""

    id: str  # f"{source_id}#{chunk_no}"
    source_id: str
    text: str
    start: int
    end: int
    title: str | None = None
    url: str | None = None
    published: str | None = None


@dataclass(frozen=True, slots=True)
class Hit:
    """A passage returned by retrieval, with its fused score (and the reranker's P(relevant) when it
    read the passage)."""

    passage: Passage
    score: float
    relevance: float | None = None


@dataclass(frozen=True, slots=True)
class StanceProbs:
    entailment: float
    neutral: float
    contradiction: float


class FigureRelation(StrEnum):
    AGREE = "agree"  # the source's figure lies within the claim's
    OVERLAP = "overlap"  # neither implied nor excluded
    CONFLICT = "conflict"  # disjoint


@dataclass(frozen=True, slots=True)
class FigureCheck:
    """A figure of the claim compared with the one the window gives for the same thing (numeric review)."""

    claim: str  # "162,000 visitors"
    source: str  # "126,000"
    relation: FigureRelation


@dataclass(frozen=True, slots=True)
class Evidence:
    """A passage judged against one claim. `span` is the deciding window inside `passage.text`."""

    passage: Passage
    retrieval_score: float
    stance: Label
    probs: StanceProbs
    span: tuple[int, int]
    reasons: tuple[str, ...] = ()
    relevance: float | None = None  # the reranker's P(the passage decides the claim), when it ran
    figures: tuple[FigureCheck, ...] = ()  # the claim's figures against the window's, when compared

    @property
    def quote(self) -> str:
        return self.passage.text[self.span[0] : self.span[1]]


@dataclass(frozen=True, slots=True)
class Citation:
    """What a report shows; `quote == source text[start:end]` (offsets in the source document)."""

    source_id: str
    passage_id: str
    title: str | None
    url: str | None
    quote: str
    start: int
    end: int
    score: float
    stance: Label

    @classmethod
    def from_evidence(cls, ev: Evidence) -> Citation:
        p = ev.passage
        score = ev.probs.contradiction if ev.stance is Label.CONTRADICTED else ev.probs.entailment
        return cls(
            source_id=p.source_id,
            passage_id=p.id,
            title=p.title,
            url=p.url,
            quote=ev.quote,
            start=p.start + ev.span[0],
            end=p.start + ev.span[1],
            score=round(score, 4),
            stance=ev.stance,
        )


@dataclass(frozen=True, slots=True)
class Verdict:
    claim: Claim
    label: Label
    confidence: float
    citations: tuple[Citation, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    conflicting: bool = False
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class LLMUsage:
    """What the optional language-model path (`--llm`) cost in one run."""

    model: str  # the `provider:model` spec
    roles: tuple[str, ...]  # "extract", "judge"
    calls: int  # requests sent to the model (retries included)
    input_tokens: int
    output_tokens: int
    cached: int = 0  # answers read from the on-disk cache instead of a call
    tokens_estimated: bool = False  # the model reported no token counts: about 4 characters a token
    max_calls: int | None = None  # the `--max-llm-calls` budget
    budget_spent: bool = False  # some work was left undone because the budget ran out
    claims_dropped: int = 0  # extracted claims that mapped to no sentence of the article


@dataclass(frozen=True, slots=True)
class Report:
    input: str  # the claim, or the article path
    verdicts: tuple[Verdict, ...]
    judge: str
    usage: LLMUsage | None = None  # set only when a language model ran (`--llm`)

    @property
    def counts(self) -> Counter[Label]:
        return Counter(v.label for v in self.verdicts)


def indexed_text(p: Passage) -> str:
    """What the dense and lexical indexes see: "Title: text" (the title unless the text already has it)."""
    title = " ".join((p.title or "").split())
    if not title or title.lower() in p.text.lower():
        return p.text
    return f"{title}: {p.text}"
