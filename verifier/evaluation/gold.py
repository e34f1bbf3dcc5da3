"""Gold claims: the JSONL claim files of the eval sets, their labels and evidence ids, validated."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from verifier.errors import EvalDataError
from verifier.models import Label
from verifier.store.sources import read_text

# FEVER (SUPPORTS / REFUTES / NOT ENOUGH INFO) and AVeriTeC label names, mapped to ours.
LABEL_ALIASES: dict[str, Label] = {
    "supports": Label.SUPPORTED,
    "support": Label.SUPPORTED,
    "refutes": Label.CONTRADICTED,
    "refuted": Label.CONTRADICTED,
    "contradict": Label.CONTRADICTED,
    "not enough info": Label.UNVERIFIED,
    "not_enough_info": Label.UNVERIFIED,
    "nei": Label.UNVERIFIED,
    "not enough evidence": Label.UNVERIFIED,
}


class GoldClaim(BaseModel):
    """One gold row: our format (`id`, `claim`, `label`, `evidence` ids) or FEVER-style jsonl."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    id: str = Field(min_length=1)
    claim: str = Field(min_length=1)
    label: Label
    evidence: list[str] = Field(default_factory=list)
    meta: dict[str, Any] = Field(default_factory=dict)  # gold-side: never passed to the checker

    @field_validator("id", mode="before")
    @classmethod
    def _int_ids(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value

    @field_validator("label", mode="before")
    @classmethod
    def _label_aliases(cls, value: Any) -> Any:
        if isinstance(value, str):
            return LABEL_ALIASES.get(value.strip().lower(), value)
        return value

    @model_validator(mode="before")
    @classmethod
    def _fever_evidence(cls, data: Any) -> Any:
        """FEVER evidence is sets of [annotation_id, evidence_id, page, sentence]: keep the pages."""
        if isinstance(data, dict) and isinstance(data.get("evidence"), list):
            data = {**data, "evidence": fever_evidence_ids(data["evidence"])}
        return data


def fever_evidence_ids(evidence: list[Any]) -> Any:
    """Flatten FEVER evidence sets to page ids; a plain list of ids is returned unchanged."""
    if all(isinstance(e, str) for e in evidence):
        return evidence
    ids: list[str] = []
    leaves = 0

    def walk(item: Any) -> None:
        nonlocal leaves
        if isinstance(item, list) and len(item) == 4 and not any(isinstance(x, list) for x in item):
            leaves += 1
            if isinstance(item[2], str):  # NOT ENOUGH INFO rows have [id, null, null, null]
                ids.append(item[2])
        elif isinstance(item, list):
            for sub in item:
                walk(sub)

    walk(evidence)
    return list(dict.fromkeys(ids)) if leaves else evidence  # other shapes fail validation


def load_claims(path: Path, limit: int | None = None) -> list[GoldClaim]:
    """Parse gold claims; a malformed row or a repeated id raises EvalDataError naming `file:line`."""
    text = read_text(path)
    rows: list[GoldClaim] = []
    seen: dict[str, int] = {}
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = GoldClaim.model_validate_json(line)
        except ValidationError as ex:
            err = ex.errors()[0]
            where = ".".join(str(p) for p in err["loc"]) or "row"
            raise EvalDataError(f"{path}:{lineno}: {where}: {err['msg']}") from None
        if row.id in seen:
            raise EvalDataError(f"{path}:{lineno}: id {row.id!r} repeats line {seen[row.id]}")
        seen[row.id] = lineno
        rows.append(row)
    if not rows:
        raise EvalDataError(f"{path}: no claims in this file")
    return rows[:limit] if limit is not None else rows
