"""`LLMJudge`: the Judge protocol over a chat model.

The model reads the claim and the windows the default judge reads (`judges.windows`), each quoted
between delimiters as data, and answers a label plus the id of the one window that decides it. Our code
turns that into evidence: the deciding window becomes the cited span (so a quote is always the exact
text at its offsets), the other passages stay neutral. The reviewers (figures, dates, actors) then read
the evidence as they do the default judge's, and `decide` applies the shared decision rules.

What the model writes outside the answer's fields is never read. An answer that cannot be used (no
JSON, an unknown label, a window it was not given, a deciding window that reads as instructions) leaves
the claim unverified with the reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

from pydantic import BaseModel, Field, field_validator

import verifier.aggregate as aggregate
from verifier.aggregate import DecisionPolicy
from verifier.judges.windows import judged_windows
from verifier.llm.client import BudgetSpent, LLMClient
from verifier.llm.fence import neutralise, reads_as_instructions
from verifier.llm.prompts import Prompt
from verifier.models import Claim, Evidence, Hit, Label, StanceProbs, Verdict
from verifier.text.words import content_words

NOTE = "llm: "  # the prefix of the reasons this judge adds (shown first in the verdict)
# the model states no probability: its stance is scored at this fixed, uncalibrated strength, over the
# decision threshold, so a verdict the model reaches is the verdict unless a reviewer overturns it
STANCE_STRENGTH = 0.8
_NEUTRAL = StanceProbs(0.0, 1.0, 0.0)
_MAX_REASON = 300


class JudgeAnswer(BaseModel):
    """The answer the judge prompt asks for (prompts/judge.txt)."""

    label: Literal["supported", "contradicted", "unverified"]
    window: str | None = Field(default=None, description="the id of the deciding window, e.g. W2")
    reason: str = Field(default="", description="one short sentence")

    @field_validator("label", mode="before")
    @classmethod
    def _lower(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("window", mode="before")
    @classmethod
    def _window_id(cls, value: object) -> object:
        if isinstance(value, int):
            return f"W{value}"
        if isinstance(value, str):
            text = value.strip().upper()
            if text in ("", "NULL", "NONE"):
                return None
            return text if text.startswith("W") else f"W{text}"
        return value


@dataclass(frozen=True, slots=True)
class _Window:
    id: str
    hit: int  # index into the hits
    span: tuple[int, int]  # offsets in the passage text
    withheld: bool  # reads as instructions: not shown to the model


class LLMJudge:
    """Judge protocol implementation over a LangChain chat model (`--llm`)."""

    def __init__(
        self,
        client: LLMClient,
        prompt: Prompt,
        window_prompt: Prompt,
        windows_per_passage: int = 3,
        policy: DecisionPolicy | None = None,
    ) -> None:
        self.client = client
        self.prompt = prompt
        self.window_prompt = window_prompt
        self.windows_per_passage = windows_per_passage
        self.policy = policy or DecisionPolicy()
        self.name = f"llm:{client.spec}"
        self.relevance_weighted = False  # decides on its own reading, not on tuned thresholds

    def judge(self, claim: Claim, hits: Sequence[Hit]) -> list[Evidence]:
        if not hits:
            return []
        windows = self._windows(claim, hits)
        shown = [w for w in windows if not w.withheld]
        notes: list[str] = []
        if len(shown) < len(windows):
            notes.append(
                f"{len(windows) - len(shown)} window(s) withheld from the model: they read as "
                "instructions to a language model"
            )
        chosen: _Window | None = None
        label = Label.UNVERIFIED
        if shown:
            chosen, label, note = self._ask(claim, hits, shown)
            notes.insert(0, note)
        evidence: list[Evidence] = []
        for h_idx, hit in enumerate(hits):
            own = [w for w in windows if w.hit == h_idx]
            deciding = chosen is not None and chosen.hit == h_idx
            span = (
                chosen.span if deciding and chosen else (own[0].span if own else (0, len(hit.passage.text)))
            )
            probs, stance = (_probs(label), label) if deciding else (_NEUTRAL, Label.UNVERIFIED)
            reasons = tuple(NOTE + n for n in notes) if (deciding or (chosen is None and h_idx == 0)) else ()
            evidence.append(
                Evidence(
                    passage=hit.passage,
                    retrieval_score=hit.score,
                    relevance=hit.relevance,
                    stance=stance,
                    probs=probs,
                    span=span,
                    reasons=reasons,
                )
            )
        return evidence

    def _windows(self, claim: Claim, hits: Sequence[Hit]) -> list[_Window]:
        words = content_words(claim.text)
        out: list[_Window] = []
        for h_idx, hit in enumerate(hits):
            text = hit.passage.text
            for span in judged_windows(words, text, self.windows_per_passage):
                out.append(
                    _Window(f"W{len(out) + 1}", h_idx, span, reads_as_instructions(text[span[0] : span[1]]))
                )
        return out

    def _ask(
        self, claim: Claim, hits: Sequence[Hit], shown: Sequence[_Window]
    ) -> tuple[_Window | None, Label, str]:
        """The deciding window (None: none decides), its label, and the note for the reasons."""
        blocks = []
        for w in shown:
            passage = hits[w.hit].passage
            source = neutralise(passage.title or passage.source_id)
            text = neutralise(passage.text[w.span[0] : w.span[1]])
            blocks.append(self.window_prompt.render_text({"id": w.id, "source": source, "text": text}))
        fields = {"claim": neutralise(claim.text), "windows": "\n\n".join(blocks)}
        try:
            answer = self.client.ask(self.prompt, fields, JudgeAnswer)
        except BudgetSpent:
            budget = self.client.meter.max_calls
            return None, Label.UNVERIFIED, f"not judged: the budget of {budget} model calls is spent"
        if answer.value is None:
            return None, Label.UNVERIFIED, f"the model's answer could not be used ({answer.problem})"
        value = answer.value
        reason = _short(value.reason)
        said = f"the model answered {value.label}" + (f": {reason}" if reason else "")
        if value.label == "unverified":
            return None, Label.UNVERIFIED, said
        by_id = {w.id: w for w in shown}
        if value.window is None:
            return None, Label.UNVERIFIED, f"{said}, but named no deciding window"
        if value.window not in by_id:
            return (
                None,
                Label.UNVERIFIED,
                f"{said}, but named window {value.window!r}, which it was not given",
            )
        return by_id[value.window], Label(value.label), f"{said} (window {value.window})"

    def decide(self, claim: Claim, evidence: Sequence[Evidence]) -> Verdict:
        verdict = aggregate.decide(claim, evidence, self.policy)
        notes = [r for e in evidence for r in e.reasons if r.startswith(NOTE)]
        first = list(dict.fromkeys(notes))
        rest = [r for r in verdict.reasons if r not in first]
        return replace(verdict, reasons=(*first, *rest))


def _probs(label: Label) -> StanceProbs:
    rest = round(1.0 - STANCE_STRENGTH, 4)
    if label is Label.SUPPORTED:
        return StanceProbs(STANCE_STRENGTH, rest, 0.0)
    if label is Label.CONTRADICTED:
        return StanceProbs(0.0, rest, STANCE_STRENGTH)
    return _NEUTRAL


def _short(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= _MAX_REASON else flat[: _MAX_REASON - 3] + "..."
