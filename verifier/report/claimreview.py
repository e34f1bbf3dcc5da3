"""schema.org ClaimReview JSON-LD for verdicts: one object per claim, an array for an audit.

Rating scale (`reviewRating.ratingValue`, `worstRating` 1, `bestRating` 3):

    1 = Contradicted   the sources say otherwise
    2 = Unverified     the sources neither support nor contradict it
    3 = Supported      the sources say the same

`alternateName` carries the textual verdict (Supported / Contradicted / Unverified), the field fact-check
aggregators read. `author` is the publishing organisation (`--org` / VERIFIER_ORG), `datePublished`
the date the review was rendered (a `Stamp` from the edge), and `itemReviewed.appearance` the article
the claim appeared in, when its URL is known (front matter `url:` or `--url`).
"""

from __future__ import annotations

from typing import Any

from verifier.models import Citation, Label, Report, Verdict
from verifier.report.common import LABEL_NAMES, Article, Stamp, safe_url

RATING_VALUE = {Label.CONTRADICTED: 1, Label.UNVERIFIED: 2, Label.SUPPORTED: 3}
WORST_RATING = 1
BEST_RATING = 3
DEFAULT_ORG = "verifier"


def _citation(c: Citation) -> dict[str, Any]:
    obj: dict[str, Any] = {"@type": "CreativeWork", "name": c.title or c.source_id, "text": c.quote}
    link = safe_url(c.url, relative=False)
    if link:
        obj["url"] = link
    return obj


def _item_reviewed(article: Article | None) -> dict[str, Any]:
    item: dict[str, Any] = {"@type": "Claim"}
    if article is None or not article.url:
        return item
    appearance: dict[str, Any] = {"@type": "CreativeWork", "url": article.url}
    if article.title:
        appearance["headline"] = article.title
    if article.published:
        appearance["datePublished"] = article.published
        item["datePublished"] = article.published
    item["appearance"] = appearance
    return item


def claim_review(
    v: Verdict, *, stamp: Stamp, org: str = DEFAULT_ORG, article: Article | None = None, judge: str = ""
) -> dict[str, Any]:
    """The ClaimReview object for one verdict."""
    rating: dict[str, Any] = {
        "@type": "Rating",
        "ratingValue": RATING_VALUE[v.label],
        "bestRating": BEST_RATING,
        "worstRating": WORST_RATING,
        "alternateName": LABEL_NAMES[v.label],
    }
    explanation = list(v.reasons)
    if v.conflicting:
        explanation.insert(0, "the sources conflict")
    if explanation:
        rating["ratingExplanation"] = "; ".join(explanation)
    obj: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "claimReviewed": v.claim.shown,
        "itemReviewed": _item_reviewed(article),
        "author": {"@type": "Organization", "name": org},
        "datePublished": stamp.date,
        "reviewRating": rating,
    }
    if judge:
        obj["reviewBody"] = f"{LABEL_NAMES[v.label]} (confidence {v.confidence:.2f}, judge {judge})."
    if v.citations:
        obj["citation"] = [_citation(c) for c in v.citations]
    return obj


def claim_reviews(
    report: Report, *, stamp: Stamp, org: str = DEFAULT_ORG, article: Article | None = None
) -> list[dict[str, Any]]:
    """One ClaimReview per verdict of `report`, in order (the `audit` output)."""
    return [
        claim_review(v, stamp=stamp, org=org, article=article, judge=report.judge) for v in report.verdicts
    ]
