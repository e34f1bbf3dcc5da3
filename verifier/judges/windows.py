"""The windows of a passage a judge reads: one or two sentences, those sharing most words with the claim;
and (document-level judging, off by default) chunks of several sentences.

Shared by the trained judge (`nli.NLIJudge`) and the language-model judge (`llm.judge.LLMJudge`), so
both read the same text of each retrieved passage."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from verifier.review import quantities as numbers
from verifier.text.sentences import sentence_spans, sentence_windows
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


def sentence_chunks(text: str, size: int) -> list[tuple[int, int]]:
    """Chunks of `size` consecutive sentences of `text` (offsets), overlapping by one sentence; none when
    `text` has no more sentences than the judge's two-sentence windows already cover."""
    sents = sentence_spans(text)
    if len(sents) <= 2:
        return []
    step = max(1, size - 1)
    chunks: list[tuple[int, int]] = []
    for i in range(0, len(sents), step):
        last = min(i + size, len(sents)) - 1
        if last - i >= 2:  # 3 or more sentences: shorter pieces are windows already
            chunks.append((sents[i][0], sents[last][1]))
        if last == len(sents) - 1:
            break
    return chunks


def token_pieces(
    text: str, budget: int, count: Callable[[Sequence[str]], list[int]]
) -> list[tuple[int, int]]:
    """Pieces of `text` of whole sentences, each up to `budget` tokens (`count` gives each sentence's
    tokens), overlapping by one sentence (MiniCheck's document chunks, sized to what our judge reads);
    only pieces of 3 or more sentences (shorter ones are windows already)."""
    sents = sentence_spans(text)
    if len(sents) <= 2 or budget <= 0:
        return []
    lengths = count([text[s:e] for s, e in sents])
    pieces: list[tuple[int, int]] = []
    i = 0
    while i < len(sents):
        j, total = i, lengths[i]
        while j + 1 < len(sents) and total + lengths[j + 1] <= budget:
            j += 1
            total += lengths[j]
        if j - i >= 2:
            pieces.append((sents[i][0], sents[j][1]))
        if j == len(sents) - 1:
            break
        i = j if j > i else i + 1
    return pieces
