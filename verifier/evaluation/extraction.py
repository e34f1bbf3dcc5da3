"""Scoring a claim extractor against the extraction gold set (`eval/extraction/gold.jsonl`).

Matching rule (documented in eval/extraction/README.md):

- Text is compared as *content tokens*: lower-cased words and numbers (thousands separators removed,
  a trailing possessive 's and a plural -s dropped), without stop words.
- A predicted claim *belongs to* a gold sentence when its span (or one of its duplicate spans) overlaps
  where that sentence is in the article.
- **coverage** (recall): a gold claim is found when a predicted claim of the same sentence contains at
  least `COVER` (0.6) of its content tokens.
- **precision**: a predicted claim is correct when it *matches* a gold claim of its sentence (token F1
  >= `MATCH`, 0.5), or is *faithful*: it belongs to a check-worthy gold sentence and at least
  `FAITHFUL` (0.8) of its content tokens occur in that sentence's gold claims (so a wrong antecedent,
  an invented word or a non-check-worthy sentence makes it wrong). `strict_precision` counts matches only.
- **decontextualisation rate**: share of predicted claims with no unresolved pronoun: a third-person
  pronoun (he, she, it, they, his, her, its, their, him, them) outside quotation marks with no
  capitalised name before it in the claim.
- **check-worthiness F1**: per annotated sentence (gold claim sentences are positive, `not_checkworthy`
  entries negative), predicted positive when any predicted claim belongs to it.
"""

from __future__ import annotations

import json
import re
import statistics
import time
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from verifier.errors import InputError
from verifier.models import Claim
from verifier.protocols import ClaimExtractor
from verifier.text.words import MATCHING_STOPWORDS

COVER = 0.6
MATCH = 0.5
FAITHFUL = 0.8

STOPWORDS = MATCHING_STOPWORDS
_TOKEN = re.compile(r"[a-z0-9]+(?:[.,'’][a-z0-9]+)*")
_PRONOUN = re.compile(r"\b(he|she|it|they|his|her|its|their|him|them)\b", re.IGNORECASE)
_NAME = re.compile(r"\b[A-Z][a-zA-Z0-9'’.-]*[a-z0-9]")
_NOT_NAMES = frozenset(
    "The A An This That These Those It He She They His Her Its Their In On At By For And But Or "
    "As After Before When While If Under Over According".split()
)


class GoldClaim(BaseModel):
    text: str
    sentence: str
    kind: str


class GoldArticle(BaseModel):
    id: str
    path: str
    date: str | None = None
    claims: list[GoldClaim]
    not_checkworthy: list[str] = []


def load_gold(path: Path) -> list[GoldArticle]:
    """The gold articles; one-line `InputError`s for a missing file or a bad row."""
    if not path.is_file():
        raise InputError(f"{path}: no such gold file")
    rows: list[GoldArticle] = []
    from verifier.store.sources import read_text  # detected encoding; binary data: a one-line error

    for n, line in enumerate(read_text(path).splitlines(), 1):
        if not line.strip():
            continue
        try:
            rows.append(GoldArticle.model_validate_json(line))
        except ValidationError as ex:
            raise InputError(f"{path}:{n}: not a gold article row ({ex.errors()[0]['msg']})") from None
    if not rows:
        raise InputError(f"{path}: no gold articles")
    return rows


# --------------------------------------------------------------------------- token arithmetic


def content_tokens(text: str) -> list[str]:
    out: list[str] = []
    for w in _TOKEN.findall(text.lower().replace("’", "'")):
        if re.fullmatch(r"[0-9][0-9,]*(?:\.[0-9]+)?", w):
            w = w.replace(",", "")
        else:
            w = re.sub(r"'s?$", "", w)
            if len(w) > 3 and w.endswith("s") and not w.endswith("ss"):
                w = w[:-1]
        if w and w not in STOPWORDS:
            out.append(w)
    return out


def containment(gold: str, pred: str) -> float:
    """Share of the gold claim's content tokens found in the prediction."""
    g, p = set(content_tokens(gold)), set(content_tokens(pred))
    return len(g & p) / len(g) if g else 0.0


def token_f1(a: str, b: str) -> float:
    ta, tb = set(content_tokens(a)), set(content_tokens(b))
    inter = len(ta & tb)
    if not inter:
        return 0.0
    p, r = inter / len(ta), inter / len(tb)
    return 2 * p * r / (p + r)


def unresolved_pronoun(text: str) -> bool:
    """A third-person pronoun outside quotes with no capitalised name before it in the claim."""
    bare = re.sub(r"[\"“][^\"”]*[\"”]", lambda m: " " * len(m.group()), text)
    for m in _PRONOUN.finditer(bare):
        before = bare[: m.start()]
        if not any(n not in _NOT_NAMES for n in _NAME.findall(before)):
            return True
    return False


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


# --------------------------------------------------------------------------- one article


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _claim_spans(c: Claim) -> list[tuple[int, int]]:
    return [s for s in (c.span, *c.also_at) if s is not None]


@dataclass(frozen=True, slots=True)
class ArticleScore:
    id: str
    gold_claims: int
    covered: int
    predicted: int
    matched: int
    faithful: int  # matched or faithful
    decontextualised: int
    cw_tp: int
    cw_fp: int
    cw_fn: int
    cw_tn: int
    seconds: float
    missed: tuple[str, ...] = ()
    wrong: tuple[str, ...] = ()


def score_article(
    article: str, gold: GoldArticle, claims: Sequence[Claim], seconds: float = 0.0
) -> ArticleScore:
    """Counts for one article (see the module docstring for the rules)."""
    where: dict[str, tuple[int, int]] = {}
    for s in [c.sentence for c in gold.claims] + list(gold.not_checkworthy):
        i = article.find(s)
        if i < 0:
            raise InputError(f"{gold.id}: gold sentence not in the article: {s[:60]!r}")
        where[s] = (i, i + len(s))
    by_sentence: dict[str, list[str]] = {}
    for g in gold.claims:
        by_sentence.setdefault(g.sentence, []).append(g.text)

    def sentences_of(c: Claim) -> list[str]:
        return [s for s, span in where.items() if any(_overlaps(span, x) for x in _claim_spans(c))]

    claim_sents = [sentences_of(c) for c in claims]
    covered = 0
    missed: list[str] = []
    for g in gold.claims:
        ok = any(
            g.sentence in ss and containment(g.text, c.shown) >= COVER
            for c, ss in zip(claims, claim_sents, strict=True)
        )
        covered += ok
        if not ok:
            missed.append(g.text)
    matched = faithful = 0
    wrong: list[str] = []
    for c, ss in zip(claims, claim_sents, strict=True):
        golds = [t for s in ss for t in by_sentence.get(s, [])]
        is_match = any(token_f1(c.shown, t) >= MATCH for t in golds)
        union = {w for t in golds for w in content_tokens(t)}
        toks = content_tokens(c.shown)
        is_faithful = bool(golds) and bool(toks) and sum(w in union for w in toks) / len(toks) >= FAITHFUL
        matched += is_match
        faithful += is_match or is_faithful
        if not (is_match or is_faithful):
            wrong.append(c.shown)
    decon = sum(not unresolved_pronoun(c.shown) for c in claims)
    predicted_sents = {s for ss in claim_sents for s in ss}
    positives = set(by_sentence)
    negatives = set(gold.not_checkworthy) - positives
    tp = len(positives & predicted_sents)
    fn = len(positives - predicted_sents)
    fp = len(negatives & predicted_sents)
    tn = len(negatives - predicted_sents)
    return ArticleScore(
        gold.id, len(gold.claims), covered, len(claims), matched, faithful, decon, tp, fp, fn, tn, seconds,
        tuple(missed), tuple(wrong),
    )  # fmt: skip


# --------------------------------------------------------------------------- the whole set


def summarise(scores: Iterable[ArticleScore]) -> dict[str, Any]:
    rows = list(scores)
    n_gold = sum(r.gold_claims for r in rows)
    n_pred = sum(r.predicted for r in rows)
    _, _, cw_f1 = prf(sum(r.cw_tp for r in rows), sum(r.cw_fp for r in rows), sum(r.cw_fn for r in rows))
    cw_p, cw_r, _ = prf(sum(r.cw_tp for r in rows), sum(r.cw_fp for r in rows), sum(r.cw_fn for r in rows))
    return {
        "articles": len(rows),
        "gold_claims": n_gold,
        "predicted_claims": n_pred,
        "coverage": round(sum(r.covered for r in rows) / n_gold, 4) if n_gold else 0.0,
        "precision": round(sum(r.faithful for r in rows) / n_pred, 4) if n_pred else 0.0,
        "strict_precision": round(sum(r.matched for r in rows) / n_pred, 4) if n_pred else 0.0,
        "decontextualisation_rate": round(sum(r.decontextualised for r in rows) / n_pred, 4)
        if n_pred
        else 0.0,
        "checkworthy_precision": round(cw_p, 4),
        "checkworthy_recall": round(cw_r, 4),
        "checkworthy_f1": round(cw_f1, 4),
        "median_seconds_per_article": round(statistics.median(r.seconds for r in rows), 4) if rows else 0.0,
        "rules": {"cover": COVER, "match_f1": MATCH, "faithful": FAITHFUL},
    }


def evaluate_extractor(
    extractor: ClaimExtractor, gold_path: Path, root: Path | None = None
) -> tuple[dict[str, Any], list[ArticleScore]]:
    """Run `extractor` on every gold article (paths relative to `root`, default: the current folder)."""
    gold = load_gold(gold_path)
    base = root if root is not None else Path.cwd()
    extractor.extract("Warm-up sentence about the Example Council on 1 May 2026.")  # model load not timed
    scores: list[ArticleScore] = []
    for g in gold:
        path = base / g.path
        if not path.is_file():
            path = gold_path.parent / "articles" / Path(g.path).name
        if not path.is_file():
            raise InputError(f"{g.id}: article {g.path} not found")
        article = path.read_text(encoding="utf-8")
        t0 = time.perf_counter()
        claims = extractor.extract(article)
        scores.append(score_article(article, g, claims, time.perf_counter() - t0))
    metrics = summarise(scores)
    metrics["extractor"] = getattr(extractor, "name", type(extractor).__name__)
    metrics["gold_file"] = str(gold_path)
    return metrics, scores


def write_results(out: Path, metrics: dict[str, Any], scores: Sequence[ArticleScore]) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    obj = {**metrics, "per_article": [asdict(s) for s in scores]}
    out.write_text(json.dumps(obj, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def metrics_renderable(metrics: dict[str, Any], scores: Sequence[ArticleScore]) -> Any:
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    table = Table(title=f"Claim extraction: {metrics['extractor']}")
    for col in ("article", "gold", "pred", "coverage", "precision", "strict P", "decontext", "CW F1", "s"):
        table.add_column(col, justify="left" if col == "article" else "right")
    for r in scores:
        _, _, f1 = prf(r.cw_tp, r.cw_fp, r.cw_fn)
        table.add_row(
            r.id, str(r.gold_claims), str(r.predicted),
            f"{r.covered / r.gold_claims:.3f}" if r.gold_claims else "-",
            f"{r.faithful / r.predicted:.3f}" if r.predicted else "-",
            f"{r.matched / r.predicted:.3f}" if r.predicted else "-",
            f"{r.decontextualised / r.predicted:.3f}" if r.predicted else "-",
            f"{f1:.3f}", f"{r.seconds:.2f}",
        )  # fmt: skip
    m = metrics
    table.add_row(
        "all", str(m["gold_claims"]), str(m["predicted_claims"]), f"{m['coverage']:.3f}",
        f"{m['precision']:.3f}",
        f"{m['strict_precision']:.3f}", f"{m['decontextualisation_rate']:.3f}", f"{m['checkworthy_f1']:.3f}",
        f"{m['median_seconds_per_article']:.2f}", style="bold",
    )  # fmt: skip
    note = Text(
        f"coverage: gold claims with >= {COVER:.0%} of their content words in a claim of the same sentence; "
        f"precision: claims matching a gold claim (token F1 >= {MATCH}) or faithful (>= {FAITHFUL:.0%} of "
        "their words in the sentence's gold claims); decontext: no unresolved pronoun; CW: sentence level.",
        style="dim",
    )
    return Group(table, note)


EXTRACTORS = ("article", "sentences")


def make_extractor(name: str) -> ClaimExtractor:
    """The extractor called `name` ('article' or 'sentences')."""
    from verifier.claims.extract import ArticleClaimExtractor, SentenceClaimExtractor

    if name == "article":
        return ArticleClaimExtractor()
    if name == "sentences":
        return SentenceClaimExtractor()
    raise InputError(f"Unknown extractor {name!r}; choose from {', '.join(EXTRACTORS)}")
