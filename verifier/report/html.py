"""A self-contained HTML report: the article with every claim highlighted at its span, and the verdict,
reasons and cited passages of a claim shown when it is clicked or focused.

One file, no external requests: inline CSS and one small inline script, allowed by its hash in the page's
Content-Security-Policy (`default-src 'none'`), so nothing else can run or load even if escaping failed.
Every string that comes from the article or the sources goes through `html.escape`; links are made only
for http(s) or relative URLs (`reporting.safe_url`). Pure functions, no I/O.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from html import escape

from verifier.models import Citation, Label, Report, Verdict
from verifier.report.common import LABEL_NAMES, STANCE_WORDS, Article, Stamp, safe_url, summary_line

ICONS = {Label.SUPPORTED: "✓", Label.CONTRADICTED: "✗", Label.UNVERIFIED: "?"}
MEANING = {
    Label.SUPPORTED: "the sources say the same",
    Label.CONTRADICTED: "the sources say otherwise",
    Label.UNVERIFIED: "nothing in the sources decides it",
}
CONTEXT_CHARS = 220  # passage text shown either side of a quote


def _e(text: str) -> str:
    return escape(text, quote=True)


@dataclass(frozen=True, slots=True)
class _Mark:
    start: int
    end: int
    claims: tuple[int, ...]  # 1-based claim numbers sharing this span
    primary: tuple[int, ...]  # those for which it is their own span (the rest: `Claim.also_at` repeats)

    @property
    def ident(self) -> str | None:
        return f"m-{self.primary[0]}" if self.primary else None


def _group(raw: list[tuple[int, int, int, bool]]) -> list[_Mark]:
    """One mark per distinct span; claims with the very same span share it."""
    by_span: dict[tuple[int, int], list[tuple[int, bool]]] = {}
    for s, e, n, primary in raw:
        by_span.setdefault((s, e), []).append((n, primary))
    return [
        _Mark(s, e, tuple(sorted({n for n, _ in items})), tuple(sorted({n for n, p in items if p})))
        for (s, e), items in by_span.items()
    ]


def _document(report: Report, article: Article | None) -> tuple[str, int, list[_Mark]]:
    """The text to show, the offset of its first character in the article, and the spans to mark."""
    raw: list[tuple[int, int, int, bool]] = []
    if article is None or not article.text:  # `check`: no article, each claim is its own paragraph
        text = ""
        for n, v in enumerate(report.verdicts, 1):
            if text:
                text += "\n\n"
            raw.append((len(text), len(text) + len(v.claim.shown), n, True))
            text += v.claim.shown
        return text, 0, _group(raw)
    body = article.text[article.body_start :]
    offset = article.body_start + len(body) - len(body.lstrip())
    for n, v in enumerate(report.verdicts, 1):
        spans = [(v.claim.span, True)] if v.claim.span else []
        spans += [(s, False) for s in v.claim.also_at]
        for span, primary in spans:
            if span is not None and 0 <= span[0] < span[1] <= len(article.text):
                raw.append((span[0], span[1], n, primary))
    if any(s < offset for s, *_ in raw):
        offset = 0
    return article.text[offset:].rstrip(), offset, _group(raw)


def _mark_open(m: _Mark, verdicts: tuple[Verdict, ...]) -> str:
    lead = verdicts[(m.primary or m.claims)[0] - 1]
    badge = " ".join(f"{ICONS[verdicts[n - 1].label]}{n}" for n in m.claims)
    names = ", ".join(f"claim {n} {LABEL_NAMES[verdicts[n - 1].label]}" for n in m.claims)
    attrs = (
        f'class="claim v-{lead.label.value}" data-claims="{" ".join(map(str, m.claims))}" '
        f'data-badge="{badge}" title="{names[0].upper()}{names[1:]}. Click for the evidence."'
    )
    if not m.primary:
        return f"<mark {attrs}>"
    controls = " ".join(f"claim-{n}" for n in m.claims)
    return (
        f'<mark {attrs} id="{m.ident}" tabindex="0" role="button" aria-expanded="false" '
        f'aria-controls="{controls}" aria-label="{names[0].upper()}{names[1:]}: {_e(lead.claim.shown)}">'
    )


def _highlight(
    text: str, offset: int, marks: list[_Mark], verdicts: tuple[Verdict, ...]
) -> tuple[str, dict[int, str]]:
    """Escaped `text` with `<mark>`s at the spans; nested spans nest, crossing ones are left out (their
    claims are still listed). Returns the HTML and, per claim whose own span was placed, its mark id."""
    end_of_text = offset + len(text)
    out: list[str] = []
    pos = offset
    stack: list[_Mark] = []
    placed: dict[int, str] = {}
    for m in sorted(marks, key=lambda m: (m.start, -m.end, not m.primary, m.claims)):
        if m.end > end_of_text:
            continue
        while stack and stack[-1].end <= m.start:
            top = stack.pop()
            out += [_e(text[pos - offset : top.end - offset]), "</mark>"]
            pos = top.end
        if stack and m.end > stack[-1].end:
            continue  # crosses an open mark
        out += [_e(text[pos - offset : m.start - offset]), _mark_open(m, verdicts)]
        pos = m.start
        stack.append(m)
        for n in m.primary:
            placed[n] = m.ident or ""
    while stack:
        top = stack.pop()
        out += [_e(text[pos - offset : top.end - offset]), "</mark>"]
        pos = top.end
    out.append(_e(text[pos - offset :]))
    return "".join(out), placed


def _passage_html(v: Verdict, c: Citation) -> str:
    """The cited passage with the quote marked, from the verdict's evidence; the bare quote otherwise."""
    for ev in v.evidence:
        p = ev.passage
        s, e = c.start - p.start, c.end - p.start
        if p.id == c.passage_id and 0 <= s <= e <= len(p.text) and p.text[s:e] == c.quote:
            before, after = p.text[:s], p.text[e:]
            if len(before) > CONTEXT_CHARS:
                cut = before[-CONTEXT_CHARS:]
                before = "…" + cut[cut.find(" ") + 1 :] if " " in cut else "…" + cut
            if len(after) > CONTEXT_CHARS:
                cut = after[:CONTEXT_CHARS]
                after = (cut[: cut.rfind(" ")] if " " in cut else cut) + "…"
            return f'{_e(before)}<mark class="quote">{_e(c.quote)}</mark>{_e(after)}'
    return f'<mark class="quote">{_e(c.quote)}</mark>'


def _citation_html(v: Verdict, c: Citation) -> str:
    name = _e(c.title or c.source_id)
    link = safe_url(c.url)
    title = f'<a href="{_e(link)}" rel="noreferrer noopener">{name}</a>' if link else f"<span>{name}</span>"
    url_line = "" if link or not c.url else f'<div class="path">{_e(c.url)}</div>'
    return (
        f'<li class="cite s-{c.stance.value}"><div class="src">{title}'
        f'<span class="meta">{_e(c.source_id)} · chars {c.start}–{c.end} · '
        f"{ICONS[c.stance]} {STANCE_WORDS[c.stance]} · score {c.score:.2f}</span></div>{url_line}"
        f'<blockquote class="passage">{_passage_html(v, c)}</blockquote></li>'
    )


def _card(n: int, v: Verdict, mark_id: str | None, has_article: bool) -> str:
    label = v.label
    flag = ' <span class="flag">⚠ conflicting evidence</span>' if v.conflicting else ""
    if has_article and v.claim.span and mark_id:
        s, e = v.claim.span
        goto = f'<a href="#{mark_id}" data-goto="{mark_id}">show in text</a>'
        where = f'<p class="where">Chars {s}–{e} of the article · {goto}</p>'
    elif has_article:
        where = '<p class="where">Not highlighted in the text (its span overlaps another claim).</p>'
    else:
        where = ""
    reasons = "".join(f"<li>{_e(r)}</li>" for r in v.reasons)
    reasons_html = f'<h4>Why</h4><ul class="reasons">{reasons}</ul>' if reasons else ""
    if v.citations:
        cites = "".join(_citation_html(v, c) for c in v.citations)
        evidence = f'<h4>Evidence ({len(v.citations)})</h4><ol class="cites">{cites}</ol>'
    else:
        evidence = '<h4>Evidence</h4><p class="none">No passage in the sources decides this claim.</p>'
    return (
        f'<li class="card v-{label.value}" id="claim-{n}" tabindex="-1">'
        f'<h3><span class="badge v-{label.value}">{ICONS[label]} {LABEL_NAMES[label]}</span>'
        f' <span class="num">claim {n}</span>'
        f' <span class="conf">confidence {v.confidence:.2f}</span>{flag}</h3>'
        f'<p class="claim-text">{_e(v.claim.shown)}</p>{where}{reasons_html}{evidence}</li>'
    )


def _summary(report: Report) -> str:
    counts = report.counts
    total = len(report.verdicts)
    segs = "".join(
        f'<span class="seg v-{label.value}" style="flex-grow:{counts[label]}"></span>'
        for label in Label
        if counts.get(label)
    )
    bar = f'<div class="bar" role="img" aria-label="{_e(summary_line(report))}">{segs}</div>' if total else ""
    legend = "".join(
        f'<li><span class="badge v-{label.value}">{ICONS[label]} {LABEL_NAMES[label]}</span> '
        f'<b class="count">{counts.get(label, 0)}</b> <span class="meaning">{MEANING[label]}</span></li>'
        for label in Label
    )
    conflicting = sum(v.conflicting for v in report.verdicts)
    flag = f'<li><span class="flag">⚠ conflicting</span> <b class="count">{conflicting}</b> ' \
        '<span class="meaning">evidence points both ways</span></li>' if conflicting else ""  # fmt: skip
    return (
        f'<section class="summary" aria-label="Summary"><p class="total"><b>{total}</b> '
        f"claim{'' if total == 1 else 's'} checked</p>{bar}"
        f'<ul class="legend">{legend}{flag}</ul></section>'
    )


def _index(report: Report) -> str:
    rows = "".join(
        f'<li><button type="button" class="pick v-{v.label.value}" data-claims="{n}">'
        f'<span class="badge v-{v.label.value}">{ICONS[v.label]} {LABEL_NAMES[v.label]}</span> '
        f"<span>{_e(v.claim.shown)}</span></button></li>"
        for n, v in enumerate(report.verdicts, 1)
    )
    return f'<section class="index"><h2>All claims</h2><ol>{rows}</ol></section>' if rows else ""


def render_html(report: Report, *, article: Article | None = None, stamp: Stamp | None = None) -> str:
    """The whole page. `article` is the audited text (None for `check`: the claim itself is shown)."""
    text, offset, marks = _document(report, article)
    body, placed = _highlight(text, offset, marks, report.verdicts)
    title = (article.title if article else None) or report.input
    head_lines = [f'<span class="k">Input</span> {_e(report.input)}']
    if article and article.url:
        link = safe_url(article.url)
        shown = _e(article.url)
        head_lines.append(
            f'<span class="k">URL</span> <a href="{_e(link)}" rel="noreferrer noopener">{shown}</a>'
            if link
            else f'<span class="k">URL</span> {shown}'
        )
    if article and article.published:
        head_lines.append(f'<span class="k">Published</span> {_e(article.published)}')
    head_lines.append(f'<span class="k">Judge</span> {_e(report.judge)}')
    has_text = article is not None and bool(article.text)
    cards = "".join(_card(n, v, placed.get(n), has_text) for n, v in enumerate(report.verdicts, 1))
    empty = "" if report.verdicts else '<p class="none">No check-worthy claims were found.</p>'
    footer = f"<footer>{_e(stamp.line())}</footer>" if stamp else ""
    heading = "Article" if has_text else ("Claim" if len(report.verdicts) == 1 else "Claims")
    script_hash = base64.b64encode(hashlib.sha256(_SCRIPT.encode("utf-8")).digest()).decode("ascii")
    csp = (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
        f"script-src 'sha256-{script_hash}'; base-uri 'none'; form-action 'none'"
    )
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="data:,">
<title>Fact-check: {_e(title)}</title>
<style>{_CSS}</style>
</head>
<body>
<header>
<h1>Fact-check: {_e(title)}</h1>
<p class="info">{" · ".join(head_lines)}</p>
{_summary(report)}
</header>
<main>
<div class="reading">
<section class="doc" aria-label="{heading}"><h2>{heading}</h2>
<p class="hint">Select a highlighted passage (click, tap, or Tab then Enter) to see its verdict
and evidence.</p>
<div class="text">{body}</div></section>
{_index(report)}
</div>
<aside id="panel" aria-label="Verdicts and evidence" aria-live="polite">
<div class="panel-head"><h2>Details</h2>
<button type="button" class="close" data-close aria-label="Close details">×</button></div>
<p class="placeholder">Select a highlighted claim to see its verdict, reasons and cited passages.</p>
{empty}<ol class="cards">{cards}</ol>
</aside>
</main>
{footer}
<script>{_SCRIPT}</script>
</body>
</html>
"""


_CSS = """
:root{--fg:#1f2328;--muted:#59636e;--bg:#fff;--panel:#f6f8fa;--line:#d1d9e0;
--sup:#1a7f37;--sup-bg:#d2f4da;--con:#c21f2b;--con-bg:#ffdcd8;--unv:#7a5200;--unv-bg:#fff0b3;--focus:#0969da}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;color:var(--fg);background:var(--bg);
font:16px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
header{padding:1rem 1.25rem .75rem;border-bottom:1px solid var(--line);background:var(--panel)}
h1{font-size:1.35rem;line-height:1.3;margin:0 0 .35rem;overflow-wrap:anywhere}
h2{font-size:1rem;margin:0 0 .5rem;text-transform:uppercase;letter-spacing:.04em;color:var(--muted)}
h3{font-size:1rem;margin:0 0 .4rem;display:flex;flex-wrap:wrap;gap:.4rem;align-items:center}
h4{font-size:.85rem;margin:.8rem 0 .3rem;text-transform:uppercase;letter-spacing:.04em;color:var(--muted)}
a{color:var(--focus)}
.info{margin:0 0 .75rem;color:var(--muted);font-size:.9rem;overflow-wrap:anywhere}
.info .k{font-weight:600;color:var(--fg)}
.summary .total{margin:0 0 .35rem}
.bar{display:flex;height:.7rem;border-radius:.35rem;overflow:hidden;margin:0 0 .6rem;background:var(--line)}
.seg{flex-basis:0}
.seg.v-supported{background:var(--sup)}.seg.v-contradicted{background:var(--con)}
.seg.v-unverified{background:var(--unv)}
.legend{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.35rem 1.1rem;font-size:.9rem}
.legend .meaning{color:var(--muted)}
.badge{display:inline-block;padding:.05rem .5rem;border-radius:1rem;color:#fff;font-weight:600;
font-size:.85rem;white-space:nowrap}
.badge.v-supported{background:var(--sup)}.badge.v-contradicted{background:var(--con)}
.badge.v-unverified{background:var(--unv)}
.flag{display:inline-block;padding:.05rem .45rem;border-radius:1rem;border:1px solid #8250df;color:#8250df;
font-size:.85rem;font-weight:600}
main{display:grid;grid-template-columns:minmax(0,3fr) minmax(0,2fr);gap:1.5rem;padding:1.25rem;
max-width:80rem;margin:0 auto}
.doc .text{white-space:pre-wrap;overflow-wrap:anywhere;font-size:1.05rem;line-height:1.75}
.hint{color:var(--muted);font-size:.88rem;margin:0 0 .75rem}
mark.claim{color:inherit;border-radius:.2rem;padding:.05rem .1rem;cursor:pointer;
text-decoration-thickness:2px;text-underline-offset:.22em;text-decoration-skip-ink:none}
mark.claim::before{content:attr(data-badge);display:inline-block;font-size:.7rem;font-weight:700;
vertical-align:super;
line-height:1;margin-right:.15rem;padding:0 .25rem;border-radius:.6rem;color:#fff}
mark.claim mark.claim{padding:0}
mark.v-supported{background:var(--sup-bg);text-decoration-line:underline;text-decoration-color:var(--sup)}
mark.v-supported::before{background:var(--sup)}
mark.v-contradicted{background:var(--con-bg);text-decoration-line:underline;text-decoration-style:wavy;
text-decoration-color:var(--con)}
mark.v-contradicted::before{background:var(--con)}
mark.v-unverified{background:var(--unv-bg);text-decoration-line:underline;text-decoration-style:dotted;
text-decoration-color:var(--unv)}
mark.v-unverified::before{background:var(--unv)}
mark.claim:hover{filter:brightness(.95)}
mark.claim.active{outline:3px solid var(--fg);outline-offset:1px}
:focus-visible{outline:3px solid var(--focus)!important;outline-offset:2px}
.index ol{list-style:none;margin:0;padding:0}
.index{margin-top:1.5rem}
.pick{display:flex;gap:.5rem;align-items:flex-start;width:100%;text-align:left;background:none;border:0;
border-top:1px solid var(--line);padding:.5rem .25rem;font:inherit;color:inherit;cursor:pointer}
.pick:hover{background:var(--panel)}
.pick .badge{flex:none;min-width:7.5rem}
#panel{background:var(--panel);border:1px solid var(--line);border-radius:.5rem;padding:1rem;
align-self:start;position:sticky;top:1rem;max-height:calc(100vh - 2rem);overflow:auto}
.panel-head{display:flex;justify-content:space-between;align-items:center}
.close{display:none;font-size:1.5rem;line-height:1;background:none;border:0;cursor:pointer;color:var(--fg);
padding:.25rem .5rem}
.placeholder{display:none;color:var(--muted)}
.cards{list-style:none;margin:0;padding:0}
.card{background:var(--bg);border:1px solid var(--line);border-left:.4rem solid var(--line);
border-radius:.4rem;padding:.75rem .9rem;margin:0 0 .9rem}
.card.v-supported{border-left-color:var(--sup)}.card.v-contradicted{border-left-color:var(--con)}
.card.v-unverified{border-left-color:var(--unv)}
.card .num,.card .conf{color:var(--muted);font-size:.88rem;font-weight:400}
.claim-text{margin:.25rem 0;font-weight:600}
.where{margin:.25rem 0;font-size:.85rem;color:var(--muted)}
.reasons{margin:0;padding-left:1.2rem;font-size:.9rem}
.cites{margin:0;padding-left:1.2rem}
.cite{margin:0 0 .75rem}
.src{font-weight:600;overflow-wrap:anywhere}
.src .meta{display:block;font-weight:400;font-size:.82rem;color:var(--muted)}
.path{font-size:.78rem;color:var(--muted);overflow-wrap:anywhere;font-family:ui-monospace,monospace}
.passage{margin:.35rem 0 0;padding:.5rem .7rem;border-left:3px solid var(--line);background:var(--panel);
font-size:.92rem;white-space:pre-wrap;overflow-wrap:anywhere}
mark.quote{background:#fff8a6;color:#1f2328;font-weight:600;padding:0 .1rem;border-radius:.15rem;
box-shadow:0 0 0 1px #d4a72c}
.none{color:var(--muted)}
footer{padding:1rem 1.25rem 2rem;color:var(--muted);font-size:.85rem;text-align:center}
.js .card{display:none}
.js .card.open{display:block}
.js #panel:not(.has-open) .placeholder{display:block}
@media (max-width:50rem){
main{grid-template-columns:1fr;padding:1rem}
#panel{position:static;max-height:none}
.js #panel{display:none}
.js #panel.has-open{display:block;position:fixed;left:0;right:0;bottom:0;top:auto;max-height:65vh;
border-radius:.8rem .8rem 0 0;box-shadow:0 -4px 18px rgba(0,0,0,.25);z-index:10;margin:0}
.js .close{display:block}
.js.sheet-open main{padding-bottom:70vh}
mark.claim{scroll-margin-top:.75rem}
.pick .badge{min-width:0}
}
@media (prefers-color-scheme:dark){
:root{--fg:#e6edf3;--muted:#9198a1;--bg:#0d1117;--panel:#151b23;--line:#3d444d;
--sup:#238636;--sup-bg:#12361f;--con:#da3633;--con-bg:#4a1518;--unv:#9e6a03;--unv-bg:#3d2e00;--focus:#4493f8}
}
"""

_SCRIPT = """
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var panel = document.getElementById("panel");
  var current = [];
  var returning = false;  // focus handed back to a highlight on close must not reopen it
  function claimsOf(el) { return el.getAttribute("data-claims").split(" "); }
  function setActive(n, on) {
    document.querySelectorAll('mark[data-claims~="' + n + '"]').forEach(function (m) {
      m.classList.toggle("active", on);
      if (m.hasAttribute("aria-expanded")) { m.setAttribute("aria-expanded", on ? "true" : "false"); }
    });
    var card = document.getElementById("claim-" + n);
    if (card) { card.classList.toggle("open", on); }
  }
  function open(ns, focusCard) {
    current.forEach(function (n) { setActive(n, false); });
    current = ns;
    ns.forEach(function (n) { setActive(n, true); });
    panel.classList.add("has-open");
    document.documentElement.classList.add("sheet-open");
    panel.scrollTop = 0;
    var mark = document.querySelector('mark[data-claims~="' + ns[0] + '"]');
    if (mark && getComputedStyle(panel).position === "fixed") {
      mark.scrollIntoView({ block: "start" });  // a phone: keep the claim above the sheet
    }
    var first = document.getElementById("claim-" + ns[0]);
    if (focusCard && first) { first.focus(); }
  }
  function close() {
    if (!current.length) { return; }
    var m = document.getElementById("m-" + current[0]);
    current.forEach(function (n) { setActive(n, false); });
    current = [];
    panel.classList.remove("has-open");
    document.documentElement.classList.remove("sheet-open");
    if (m && panel.contains(document.activeElement)) {
      returning = true;
      m.focus({ preventScroll: true });
      returning = false;
    }
  }
  function find(target, selector) {
    return target && target.closest ? target.closest(selector) : null;
  }
  document.addEventListener("click", function (e) {
    var go = find(e.target, "[data-goto]");
    if (go) {
      e.preventDefault();
      var m = document.getElementById(go.getAttribute("data-goto"));
      if (m) { m.scrollIntoView({ block: "center" }); m.focus({ preventScroll: true }); }
      return;
    }
    var t = find(e.target, "[data-claims]");
    if (t) { open(claimsOf(t), t.tagName === "BUTTON"); return; }
    if (find(e.target, "[data-close]")) { close(); }
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape") { close(); return; }
    var t = find(e.target, "mark[data-claims]");
    if (t && (e.key === "Enter" || e.key === " ")) {
      e.preventDefault();
      open(claimsOf(t), true);
    }
  });
  document.addEventListener("focusin", function (e) {
    var t = find(e.target, "mark[data-claims]");
    if (t && !returning) { open(claimsOf(t), false); }
  });
})();
"""
