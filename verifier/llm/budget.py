"""Counting what the language model costs in one run: calls, tokens, cache hits, the call budget."""

from __future__ import annotations

from dataclasses import dataclass

from verifier.models import LLMUsage

CHARS_PER_TOKEN = 4  # the estimate when a model reports no token counts


@dataclass
class LLMMeter:
    """A run's running totals (mutable; `snapshot` gives the frozen `LLMUsage` a report carries)."""

    model: str
    roles: tuple[str, ...]
    max_calls: int | None = None
    calls: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cached: int = 0
    tokens_estimated: bool = False
    budget_spent: bool = False
    claims_dropped: int = 0

    def take_call(self) -> bool:
        """Count one call if the budget allows it; False (and `budget_spent`) when it does not."""
        if self.max_calls is not None and self.calls >= self.max_calls:
            self.budget_spent = True
            return False
        self.calls += 1
        return True

    def add_tokens(self, reported: dict[str, int] | None, prompt_chars: int, answer_chars: int) -> None:
        """The model's own counts when it reports them, else an estimate from the characters."""
        if reported and ("input_tokens" in reported or "output_tokens" in reported):
            self.input_tokens += int(reported.get("input_tokens", 0))
            self.output_tokens += int(reported.get("output_tokens", 0))
            return
        self.tokens_estimated = True
        self.input_tokens += -(-prompt_chars // CHARS_PER_TOKEN)
        self.output_tokens += -(-answer_chars // CHARS_PER_TOKEN)

    def snapshot(self) -> LLMUsage:
        return LLMUsage(
            model=self.model,
            roles=self.roles,
            calls=self.calls,
            input_tokens=self.input_tokens,
            output_tokens=self.output_tokens,
            cached=self.cached,
            tokens_estimated=self.tokens_estimated,
            max_calls=self.max_calls,
            budget_spent=self.budget_spent,
            claims_dropped=self.claims_dropped,
        )
