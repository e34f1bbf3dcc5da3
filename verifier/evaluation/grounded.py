"""Grounded evaluation (`verifier eval --grounded`): each gold claim checked against its own documents
only, the way grounded checkers are compared (LLM-AggreFact), scored as balanced accuracy of
"supported" vs not.

A claim's documents (`documents_of`) are named by the gold file: the abstracts a SciFact claim was
written from (`meta.cited_doc_ids`, also for unverified claims), the five candidate sentences of a
Climate-FEVER claim (`meta.annotated_evidence`), else its `evidence` (a FRANK summary sentence: its
article). Only the choice of documents comes from the gold side; the checker still reads the claim text
alone."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from verifier.errors import EvalDataError
from verifier.evaluation.gold import GoldClaim
from verifier.evaluation.metrics import balanced_accuracy_supported
from verifier.models import Label, Source
from verifier.store.grounded import GroundedRetriever
from verifier.store.sources import iter_documents

GROUP_KEY = "summarization_dataset"  # FRANK: label and source are confounded, so report each source


def documents_of(gold: GoldClaim) -> list[str]:
    """The ids of the documents `gold` is checked against (see the module docstring)."""
    cited = gold.meta.get("cited_doc_ids")
    if isinstance(cited, list) and cited:
        return [str(c) for c in cited]
    annotated = gold.meta.get("annotated_evidence")
    if isinstance(annotated, list) and annotated:
        return [str(a["id"]) for a in annotated if isinstance(a, dict) and "id" in a]
    return list(gold.evidence)


class GroundedCorpus:
    """The corpus read once; one in-memory `GroundedRetriever` per claim over its own documents."""

    def __init__(self, corpus: Path) -> None:
        self.documents: dict[str, tuple[Source, list[str] | None]] = {
            src.id: (src, sentences) for src, sentences in iter_documents([corpus])
        }

    def usable(self, gold: GoldClaim) -> bool:
        ids = documents_of(gold)
        return bool(ids) and all(i in self.documents for i in ids)

    def retriever(self, gold: GoldClaim) -> GroundedRetriever:
        ids = documents_of(gold)
        missing = [i for i in ids if i not in self.documents]
        if not ids or missing:
            raise EvalDataError(
                f"claim {gold.id}: documents not in the corpus: {', '.join(missing) or 'none'}"
            )
        return GroundedRetriever.from_documents(self.documents[i] for i in ids)


def grounded_metrics(rows: Sequence[Mapping[str, Any]], gold: Sequence[GoldClaim]) -> dict[str, Any]:
    """Balanced accuracy (supported vs not) overall and, where the gold claims say it, per source."""
    golds = [Label(r["gold"]) for r in rows]
    preds = [Label(r["pred"]) for r in rows]
    out: dict[str, Any] = {"balanced_accuracy": _round(balanced_accuracy_supported(golds, preds))}
    groups = {g.id: str(g.meta[GROUP_KEY]) for g in gold if GROUP_KEY in g.meta}
    if groups:
        by: dict[str, Any] = {}
        for name in sorted(set(groups.values())):
            idx = [i for i, r in enumerate(rows) if groups.get(r["id"]) == name]
            g = [golds[i] for i in idx]
            p = [preds[i] for i in idx]
            by[name] = {
                "n": len(idx),
                "balanced_accuracy": _round(balanced_accuracy_supported(g, p)),
                "accuracy_supported_vs_not": _round(
                    sum((a is Label.SUPPORTED) == (b is Label.SUPPORTED) for a, b in zip(g, p, strict=True))
                    / len(idx)
                    if idx
                    else None
                ),
            }
        out["by_" + GROUP_KEY] = by
    return out


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 4)
