"""`LLMClaimExtractor`: the ClaimExtractor protocol over a chat model.

The article's sentences are numbered and quoted as data; the model answers claims, each naming the
sentence it comes from. Every claim is mapped back to that sentence's span in the article (or, when the
id is wrong, to the one sentence sharing most of its words); a claim that maps to no sentence is dropped
and counted (`LLMUsage.claims_dropped`). Long articles go in chunks of sentences, one call each.
"""

from __future__ import annotations

from pydantic import BaseModel, Field, field_validator

from verifier.llm.client import BudgetSpent, LLMClient
from verifier.llm.fence import neutralise
from verifier.llm.prompts import Prompt
from verifier.models import Claim, stable_id
from verifier.text.sentences import sentence_spans
from verifier.text.words import content_words

MIN_SHARED = 0.5  # a claim maps to a sentence holding at least this share of its content words


class ExtractedClaim(BaseModel):
    claim: str = Field(min_length=1)
    sentence: str = Field(description="the id of the sentence the claim comes from, e.g. S3")

    @field_validator("sentence", mode="before")
    @classmethod
    def _sentence_id(cls, value: object) -> object:
        if isinstance(value, int):
            return f"S{value}"
        if isinstance(value, str):
            text = value.strip().strip("[]").upper()
            return text if text.startswith("S") else f"S{text}"
        return value


class ExtractAnswer(BaseModel):
    """The answer the extraction prompt asks for (prompts/extract.txt)."""

    claims: list[ExtractedClaim]


class LLMClaimExtractor:
    def __init__(
        self, client: LLMClient, prompt: Prompt, sentence_prompt: Prompt, per_call: int = 40
    ) -> None:
        self.client = client
        self.prompt = prompt
        self.sentence_prompt = sentence_prompt
        self.per_call = per_call

    def extract(self, text: str) -> list[Claim]:
        spans = sentence_spans(text)
        claims: dict[str, Claim] = {}
        for start in range(0, len(spans), self.per_call):
            chunk = range(start, min(start + self.per_call, len(spans)))
            lines = [
                self.sentence_prompt.render_text(
                    {"id": f"S{i + 1}", "text": neutralise(text[spans[i][0] : spans[i][1]])}
                )
                for i in chunk
            ]
            try:
                answer = self.client.ask(self.prompt, {"sentences": "\n".join(lines)}, ExtractAnswer)
            except BudgetSpent:
                break  # the rest of the article is not read (`LLMUsage.budget_spent`)
            if answer.value is None:
                continue  # an unusable answer: this chunk yields no claim
            for item in answer.value.claims:
                claim = _mapped(item, text, spans, chunk)
                if claim is None:
                    self.client.meter.claims_dropped += 1
                elif claim.text not in claims:
                    claims[claim.text] = claim
        return sorted(claims.values(), key=lambda c: (c.span or (0, 0), c.text))


def _mapped(item: ExtractedClaim, text: str, spans: list[tuple[int, int]], chunk: range) -> Claim | None:
    """The claim with the span of its sentence, or None when it maps to no sentence of the chunk."""
    claim_text = " ".join(item.claim.split())
    words = content_words(claim_text)
    if not words:
        return None

    def shared(i: int) -> float:
        return len(words & content_words(text[spans[i][0] : spans[i][1]])) / len(words)

    named = int(item.sentence[1:]) - 1 if item.sentence[1:].isdigit() else -1
    if named in chunk and shared(named) >= MIN_SHARED:
        index = named
    else:
        index = max(chunk, key=shared, default=-1)
        if index < 0 or shared(index) < MIN_SHARED:
            return None
    span = spans[index]
    sentence = text[span[0] : span[1]]
    return Claim(
        id=stable_id(f"{claim_text}@{span[0]}:{span[1]}"),
        text=claim_text,
        span=span,
        context=sentence,
        context_span=span,
    )
