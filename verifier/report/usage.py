"""What the language model cost (`--llm`), as JSON and as one line. Reports carry it only when a model
ran, so the default outputs are unchanged."""

from __future__ import annotations

from typing import Any

from verifier.models import LLMUsage


def usage_dict(u: LLMUsage) -> dict[str, Any]:
    return {
        "model": u.model,
        "roles": list(u.roles),
        "calls": u.calls,
        "cached": u.cached,
        "input_tokens": u.input_tokens,
        "output_tokens": u.output_tokens,
        "tokens_estimated": u.tokens_estimated,
        "max_calls": u.max_calls,
        "budget_spent": u.budget_spent,
        "claims_dropped": u.claims_dropped,
    }


def usage_line(u: LLMUsage) -> str:
    """`ollama:llama3.1 (judge): 12 calls, 3 cached, 8,410 tokens in, 512 out`"""
    about = "about " if u.tokens_estimated else ""
    parts = [
        f"{u.calls} call{'' if u.calls == 1 else 's'}"
        + (f" of at most {u.max_calls}" if u.max_calls is not None else ""),
        f"{u.cached} cached",
        f"{about}{u.input_tokens:,} tokens in, {about}{u.output_tokens:,} out",
    ]
    if u.claims_dropped:
        parts.append(f"{u.claims_dropped} extracted claim(s) dropped: they map to no sentence")
    if u.budget_spent:
        parts.append("the call budget ran out")
    return f"{u.model} ({', '.join(u.roles)}): " + ", ".join(parts)
