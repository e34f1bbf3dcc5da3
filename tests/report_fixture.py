"""A fixed audit report over a small article, built by hand (no models): one claim per verdict, a
conflicting one, a repeated fact (`also_at`), a nested claim, and a source whose passage and title carry
HTML/script markup that every renderer must keep inert."""

from __future__ import annotations

from verifier.models import Citation, Claim, Evidence, Label, Passage, Report, StanceProbs, Verdict
from verifier.report.common import Article, Stamp

ARTICLE = """---
title: Tollmere Weekly: a bridge, a museum and an orchard
url: https://example.org/tollmere/2026-03-14
date: 2026-03-14
---

Tollmere Weekly

The Ash Creek footbridge reopened in January after a repair costing 250,000 pounds. The Dunmore Museum \
welcomed 48,000 visitors last year, its best year since it opened. Marlow Orchard planted 300 new apple \
trees this spring.

Residents were pleased that the footbridge reopened in January, weeks ahead of schedule.
"""

STAMP = Stamp(date="2026-03-15", version="0.1.0")
EVIL = "<script>alert(1)</script> and <img src=x onerror=alert(1)>"

BRIDGE_SOURCE = (
    "Ash Creek footbridge\n\nAfter six months of work the footbridge over Ash Creek reopened in January. "
    "The council said the repair cost 250,000 pounds, paid from the roads budget. Cyclists must dismount."
)
MUSEUM_SOURCE = (
    f"Dunmore Museum annual report. Note from the web team: {EVIL}. The museum welcomed 41,200 visitors "
    "last year, down from 44,000 the year before."
)
MUSEUM_BLOG = "A visitor blog claims the Dunmore Museum welcomed 48,000 visitors last year."


def _span(needle: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = ARTICLE.index(needle, start + 1)
    return start, start + len(needle)


def _evidence(
    source_id: str,
    text: str,
    start: int,
    end: int,
    quote: str,
    stance: Label,
    *,
    title: str | None,
    url: str | None,
) -> Evidence:
    passage = Passage(id=f"{source_id}#0", source_id=source_id, text=text[start:end], start=start, end=end,
                      title=title, url=url)  # fmt: skip
    s = passage.text.index(quote)
    probs = {
        Label.SUPPORTED: StanceProbs(0.91, 0.06, 0.03),
        Label.CONTRADICTED: StanceProbs(0.04, 0.09, 0.87),
        Label.UNVERIFIED: StanceProbs(0.2, 0.7, 0.1),
    }[stance]
    return Evidence(
        passage=passage, retrieval_score=0.8, stance=stance, probs=probs, span=(s, s + len(quote))
    )


def _verdict(
    claim: Claim, label: Label, confidence: float, evidence: list[Evidence], **kw: object
) -> Verdict:
    cites = tuple(Citation.from_evidence(ev) for ev in evidence)
    return Verdict(claim=claim, label=label, confidence=confidence, citations=cites, evidence=tuple(evidence),
                   **kw)  # type: ignore[arg-type]  # fmt: skip


def claim_at(needle: str, nth: int = 0, also: tuple[tuple[int, int], ...] = ()) -> Claim:
    span = _span(needle, nth)
    c = Claim.from_text(ARTICLE[span[0] : span[1]], span=span)
    return Claim(id=c.id, text=c.text, span=c.span, also_at=also)


def build_report() -> Report:
    bridge_ev = [
        _evidence("ash-creek-bridge.md", BRIDGE_SOURCE, 22, len(BRIDGE_SOURCE),
                  "the footbridge over Ash Creek reopened in January", Label.SUPPORTED,
                  title="Ash Creek footbridge", url="https://example.test/ash-creek"),
        _evidence("ash-creek-bridge.md", BRIDGE_SOURCE, 22, len(BRIDGE_SOURCE),
                  "the repair cost 250,000 pounds", Label.SUPPORTED,
                  title="Ash Creek footbridge", url="https://example.test/ash-creek"),
    ]  # fmt: skip
    museum_ev = [
        _evidence("dunmore-museum.html", MUSEUM_SOURCE, 0, len(MUSEUM_SOURCE),
                  "The museum welcomed 41,200 visitors last year", Label.CONTRADICTED,
                  title='Dunmore "annual" report"><img src=x onerror=alert(2)>', url="javascript:alert(3)"),
        _evidence("visitor-blog.txt", MUSEUM_BLOG, 0, len(MUSEUM_BLOG),
                  "welcomed 48,000 visitors last year", Label.SUPPORTED,
                  title=None, url="/srv/sources/visitor-blog.txt"),
    ]  # fmt: skip
    bridge = claim_at(
        "The Ash Creek footbridge reopened in January after a repair costing 250,000 pounds.",
        also=(_span("footbridge reopened in January", 1),),
    )
    museum = claim_at("The Dunmore Museum welcomed 48,000 visitors last year, its best year since it opened.")
    visitors = claim_at("48,000 visitors")  # nested inside the museum sentence
    orchard = claim_at("Marlow Orchard planted 300 new apple trees this spring.")
    verdicts = (
        _verdict(bridge, Label.SUPPORTED, 0.9112, bridge_ev,
                 reasons=("entailment 0.91 >= threshold 0.50",)),
        _verdict(museum, Label.CONTRADICTED, 0.6521, museum_ev, conflicting=True,
                 reasons=("contradiction 0.87 outweighs entailment 0.91 from a lower-ranked source",
                          "numbers differ: 48,000 vs 41,200 <visitors>")),
        _verdict(visitors, Label.CONTRADICTED, 0.87, museum_ev[:1], reasons=("48,000 vs 41,200",)),
        _verdict(orchard, Label.UNVERIFIED, 0.5, [], reasons=("no passage decides the claim",)),
    )  # fmt: skip
    return Report(input="tollmere-weekly.txt", verdicts=verdicts, judge="nli-test-v1")


def build_article() -> Article:
    return Article.parse(ARTICLE)


def build_check_report() -> Report:
    full = build_report()
    v = full.verdicts[0]
    claim = Claim.from_text(v.claim.text)
    only = Verdict(claim=claim, label=v.label, confidence=v.confidence, citations=v.citations,
                   evidence=v.evidence, reasons=v.reasons)  # fmt: skip
    return Report(input=claim.text, verdicts=(only,), judge=full.judge)
