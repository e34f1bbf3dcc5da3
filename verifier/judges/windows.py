"""The windows of a passage a judge reads: one or two sentences, those sharing most words with the claim.

Shared by the trained judge (`nli.NLIJudge`) and the language-model judge (`llm.judge.LLMJudge`), so
both read the same text of each retrieved passage."""

from __future__ import annotations

from verifier.review import quantities as numbers
from verifier.text.sentences import sentence_windows
from verifier.text.words import content_words


def dateline_only(window: str) -> bool:
    """A dateline ("Published 2 June 2025.") dates the story; alone it is no evidence of anything."""
    _, end = numbers.reference_date(window)
    return end > 0 and not window[end:].strip()


def judged_windows(claim_words: set[str], text: str, limit: int) -> list[tuple[int, int]]:
    """Up to `limit` windows of `text` (offsets), the ones sharing most content words with the claim."""
    windows = [w for w in sentence_windows(text, size=2) if not dateline_only(text[w[0] : w[1]])]
    if len(windows) <= limit:
        return windows or [(0, len(text))]

    def overlap(w: tuple[int, int]) -> float:
        words = content_words(text[w[0] : w[1]])
        return len(words & claim_words) / (1 + 0.02 * len(words))

    return sorted(windows, key=overlap, reverse=True)[:limit]
