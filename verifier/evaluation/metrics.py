"""Metrics on gold labels: accuracy, macro-F1, per-class scores, evidence recall@k, the strict (FEVER)
score, calibration bins and expected calibration error. Pure functions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from verifier.models import Label

LabelLike = Label | str
LABELS: tuple[Label, ...] = (Label.SUPPORTED, Label.CONTRADICTED, Label.UNVERIFIED)


RECALL_DEPTH = 20  # recall@k is reported for k = 1..RECALL_DEPTH


CALIBRATION_BINS = 10


@dataclass(frozen=True, slots=True)
class ClassScores:
    precision: float
    recall: float
    f1: float
    support: int


def _labels(values: Sequence[LabelLike]) -> list[Label]:
    return [Label(v) for v in values]


def confusion(gold: Sequence[LabelLike], pred: Sequence[LabelLike]) -> dict[Label, dict[Label, int]]:
    """confusion[gold][pred] counts."""
    table = {g: dict.fromkeys(LABELS, 0) for g in LABELS}
    for g, p in zip(_labels(gold), _labels(pred), strict=True):
        table[g][p] += 1
    return table


def per_class(gold: Sequence[LabelLike], pred: Sequence[LabelLike]) -> dict[Label, ClassScores]:
    """Precision, recall, F1 and support per label (labels as `Label`s or their string values)."""
    gold, pred = _labels(gold), _labels(pred)
    out: dict[Label, ClassScores] = {}
    for label in LABELS:
        tp = sum(1 for g, p in zip(gold, pred, strict=True) if g is label and p is label)
        n_pred = sum(1 for p in pred if p is label)
        n_gold = sum(1 for g in gold if g is label)
        precision = tp / n_pred if n_pred else 0.0
        recall = tp / n_gold if n_gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        out[label] = ClassScores(precision, recall, f1, n_gold)
    return out


def accuracy(gold: Sequence[LabelLike], pred: Sequence[LabelLike]) -> float:
    pairs = list(zip(_labels(gold), _labels(pred), strict=True))
    return sum(1 for g, p in pairs if g is p) / len(pairs) if pairs else 0.0


def macro_f1(gold: Sequence[LabelLike], pred: Sequence[LabelLike]) -> float:
    """Mean F1 over the labels present in the gold data."""
    scores = per_class(gold, pred)
    present = [label for label in LABELS if scores[label].support > 0]
    return sum(scores[label].f1 for label in present) / len(present) if present else 0.0


def recall_at_k(gold_ids: Sequence[Sequence[str]], retrieved: Sequence[Sequence[str]]) -> float | None:
    """Share of claims with gold evidence for which a gold id is among the retrieved source ids."""
    pairs = [(set(g), set(r)) for g, r in zip(gold_ids, retrieved, strict=True) if g]
    if not pairs:
        return None
    return sum(1 for g, r in pairs if g & r) / len(pairs)


def recall_curve(
    gold_ids: Sequence[Sequence[str]], ranked: Sequence[Sequence[str]], depth: int = RECALL_DEPTH
) -> dict[int, float | None]:
    """recall@k for k = 1..depth: a gold id among the first k entries of each ranked list.

    `ranked` holds one source id per retrieved passage (or per citation), best first, so k counts
    passages; claims without gold evidence are left out (None when no claim has any).
    """
    return {k: recall_at_k(gold_ids, [r[:k] for r in ranked]) for k in range(1, depth + 1)}


def strict_score(
    gold: Sequence[LabelLike],
    pred: Sequence[LabelLike],
    gold_ids: Sequence[Sequence[str]],
    cited: Sequence[Sequence[str]],
) -> float:
    """FEVER-style: the label is right AND a gold evidence id is cited.

    An unverified claim needs only the label; so does a decided claim whose gold row lists no evidence
    (there is nothing to check the citations against).
    """
    rows = list(zip(_labels(gold), _labels(pred), gold_ids, cited, strict=True))
    if not rows:
        return 0.0
    ok = 0
    for g, p, ev, c in rows:
        if g is p and (g is Label.UNVERIFIED or not ev or set(ev) & set(c)):
            ok += 1
    return ok / len(rows)


@dataclass(frozen=True, slots=True)
class CalibrationBin:
    lower: float
    upper: float
    count: int
    confidence: float  # mean confidence in the bin (0 when empty)
    accuracy: float  # share of correct verdicts in the bin (0 when empty)


def calibration_bins(
    confidences: Sequence[float], correct: Sequence[bool], bins: int = CALIBRATION_BINS
) -> list[CalibrationBin]:
    """Equal-width confidence bins [0, 0.1), ..., [0.9, 1.0]; a confidence of 1.0 falls in the last."""
    members: list[list[tuple[float, bool]]] = [[] for _ in range(bins)]
    for c, ok in zip(confidences, correct, strict=True):
        members[min(max(int(c * bins), 0), bins - 1)].append((c, ok))
    out = []
    for i, rows in enumerate(members):
        n = len(rows)
        out.append(
            CalibrationBin(
                lower=i / bins,
                upper=(i + 1) / bins,
                count=n,
                confidence=sum(c for c, _ in rows) / n if n else 0.0,
                accuracy=sum(1 for _, ok in rows if ok) / n if n else 0.0,
            )
        )
    return out


def expected_calibration_error(
    confidences: Sequence[float], correct: Sequence[bool], bins: int = CALIBRATION_BINS
) -> float | None:
    """ECE = sum over bins of (bin size / n) * |accuracy - mean confidence|; None without verdicts."""
    n = len(confidences)
    if n == 0:
        return None
    return sum(
        b.count / n * abs(b.accuracy - b.confidence) for b in calibration_bins(confidences, correct, bins)
    )


DECIDED: tuple[Label, ...] = (Label.SUPPORTED, Label.CONTRADICTED)


def coverage(pred: Sequence[LabelLike]) -> dict[Label, float]:
    """Share of all claims given each label (a label's coverage: how often it is said at all)."""
    labels = _labels(pred)
    n = len(labels)
    return {label: (sum(1 for p in labels if p is label) / n if n else 0.0) for label in LABELS}


def false_rate(gold: Sequence[LabelLike], pred: Sequence[LabelLike], label: Label) -> float | None:
    """Share of the claims whose gold label is NOT `label` that were given `label` (e.g. false
    "contradicted" on gold supported or unverified claims); None when every gold label is `label`."""
    others = [p for g, p in zip(_labels(gold), _labels(pred), strict=True) if g is not label]
    return sum(1 for p in others if p is label) / len(others) if others else None


@dataclass(frozen=True, slots=True)
class CurvePoint:
    threshold: float
    coverage: float  # share of all claims that get a decided verdict at this threshold
    precision: float | None  # share of those verdicts that are right (None when none is given)
    decided: int


def risk_coverage(correct: Sequence[bool], confidences: Sequence[float]) -> list[CurvePoint]:
    """Selective-prediction curve of decided verdicts: at each distinct confidence t (highest first),
    keep the verdicts with confidence >= t; coverage = kept / all verdicts given, precision = share of
    the kept ones that are right. Pass the decided verdicts only (supported / contradicted)."""
    n = len(correct)
    order = sorted(zip(confidences, correct, strict=True), key=lambda x: -x[0])
    points: list[CurvePoint] = []
    right = 0
    for i, (c, ok) in enumerate(order):
        right += bool(ok)
        if i + 1 < n and order[i + 1][0] == c:  # ties enter together
            continue
        points.append(CurvePoint(round(c, 4), (i + 1) / n, right / (i + 1), i + 1))
    return points


def label_curve(
    gold: Sequence[LabelLike],
    own: Sequence[float],
    other: Sequence[float],
    label: Label,
    thresholds: Sequence[float],
) -> list[CurvePoint]:
    """Precision and coverage of one label as its decision threshold moves: a claim gets `label` at
    threshold t when its strongest score for that label (`own`) is >= t and beats the opposite stance's
    (`other`); coverage is over all claims. The curve a per-label operating point is chosen on."""
    golds = _labels(gold)
    n = len(golds)
    points = []
    for t in thresholds:
        given = [g for g, a, b in zip(golds, own, other, strict=True) if a >= t and a > b]
        right = sum(1 for g in given if g is label)
        share = len(given) / n if n else 0.0
        points.append(CurvePoint(float(t), share, right / len(given) if given else None, len(given)))
    return points


def auroc(scores: Sequence[float], positive: Sequence[bool]) -> float | None:
    """Area under the ROC curve of `scores` for `positive` (Mann-Whitney U, ties count one half): the
    chance that a random right verdict has a higher confidence than a random wrong one. None when only
    one class is present."""
    pos = [s for s, p in zip(scores, positive, strict=True) if p]
    neg = [s for s, p in zip(scores, positive, strict=True) if not p]
    if not pos or not neg:
        return None
    ranked = sorted(scores)
    # average rank of each distinct score (1-based)
    first: dict[float, int] = {}
    last: dict[float, int] = {}
    for i, s in enumerate(ranked, 1):
        first.setdefault(s, i)
        last[s] = i
    rank_sum = sum((first[s] + last[s]) / 2 for s in pos)
    return (rank_sum - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg))


def balanced_accuracy_supported(gold: Sequence[LabelLike], pred: Sequence[LabelLike]) -> float | None:
    """Balanced accuracy of "supported" vs everything else (the grounded checkers' benchmark metric,
    LLM-AggreFact): the mean of the recall of supported and of not-supported claims; None when one
    side has no gold claim."""
    g = [x is Label.SUPPORTED for x in _labels(gold)]
    p = [x is Label.SUPPORTED for x in _labels(pred)]
    pos = [pi for gi, pi in zip(g, p, strict=True) if gi]
    neg = [not pi for gi, pi in zip(g, p, strict=True) if not gi]
    if not pos or not neg:
        return None
    return (sum(pos) / len(pos) + sum(neg) / len(neg)) / 2
