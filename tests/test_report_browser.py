"""The HTML report in a real headless Chromium (Debian `chromium`, driven by playwright's python package
through `executable_path`; no browser download). Loads from a file:// URL and checks: no console errors,
no network requests, highlights at the exact claim spans, clicking/keyboard reveals citations, and
markup inside a source passage stays inert. Screenshots go to tests/artifacts/ (gitignored)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.report_fixture import ARTICLE, EVIL, STAMP, build_article, build_check_report, build_report
from verifier.report.html import render_html

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

sync_api = pytest.importorskip(
    "playwright.sync_api", reason="the playwright python package is not installed (pip install -e '.[dev]')"
)
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        CHROMIUM is None, reason="chromium is not installed (apt-get install chromium chromium-driver)"
    ),
]


class PageLog:
    def __init__(self) -> None:
        self.console: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def _open(
    browser: Any, html: str, path: Path, *, width: int = 1280, height: int = 900
) -> tuple[Any, PageLog]:
    path.write_text(html, encoding="utf-8")
    page = browser.new_page(viewport={"width": width, "height": height})
    log = PageLog()
    page.on("console", lambda m: log.console.append(f"{m.type}: {m.text}"))
    page.on("pageerror", lambda e: log.console.append(f"pageerror: {e}"))
    page.on("request", lambda r: log.requests.append(r.url))

    def dialog(d: Any) -> None:
        log.dialogs.append(d.message)
        d.dismiss()

    page.on("dialog", dialog)
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return page, log


def _click_start(page: Any, selector: str) -> None:
    """A real mouse click on the first characters of an inline element (one that may wrap lines and
    hold nested highlights, so its box centre can belong to another element)."""
    page.locator(selector).scroll_into_view_if_needed()
    r = page.evaluate(
        "s => { const r = document.querySelector(s).getClientRects()[0]; return [r.left, r.top, r.height]; }",
        selector,
    )
    page.mouse.click(r[0] + 8, r[1] + r[2] / 2)


def _assert_quiet(log: PageLog, url: str) -> None:
    assert log.console == [], log.console  # no errors, not even a CSP report
    assert log.requests == [url], log.requests  # the file itself, nothing else
    assert log.dialogs == []


def test_report_page_in_chromium(browser: Any, tmp_path: Path) -> None:
    report = build_report()
    page, log = _open(browser, render_html(report, article=build_article(), stamp=STAMP), tmp_path / "r.html")
    url = (tmp_path / "r.html").as_uri()

    # highlights sit at the spans: each claim's own mark holds exactly article[start:end]
    for n, v in enumerate(report.verdicts, 1):
        assert v.claim.span is not None
        mark = page.locator(f"mark#m-{n}")
        assert mark.count() == 1
        assert mark.text_content() == ARTICLE[v.claim.span[0] : v.claim.span[1]]
    assert "v-supported" in (page.locator("mark#m-1").get_attribute("class") or "")
    assert page.locator('mark[data-claims="1"]:not([id])').text_content() == "footbridge reopened in January"

    # nothing is shown until a claim is picked; a click reveals its verdict, reasons and citations
    card = page.locator("#claim-2")
    assert not card.is_visible()
    _click_start(page, "mark#m-2")  # the outer claim, not the nested one
    assert card.is_visible() and page.locator("#claim-1").is_hidden()
    assert "Contradicted" in card.inner_text() and "⚠ conflicting evidence" in card.inner_text()
    assert "numbers differ: 48,000 vs 41,200 <visitors>" in card.inner_text()
    assert card.locator("li.cite").count() == 2
    assert card.locator("mark.quote").first.text_content() == "The museum welcomed 41,200 visitors last year"
    assert page.locator("mark#m-2").get_attribute("aria-expanded") == "true"

    # the hostile passage and title are shown as text, and nothing ran or was created
    passage = card.locator("blockquote.passage").first.text_content() or ""
    assert EVIL in passage
    assert 'report"><img src=x onerror=alert(2)>' in (card.locator(".src").first.text_content() or "")
    assert page.locator("img").count() == 0 and page.locator("script").count() == 1
    assert card.locator(".src a").count() == 1  # the blog's path is linked, javascript: is not

    # the keyboard reaches every claim: Tab focuses a highlight and opens it; Escape closes
    page.locator("mark#m-4").focus()
    assert page.locator("#claim-4").is_visible() and page.locator("#claim-2").is_hidden()
    page.keyboard.press("Escape")
    assert page.locator("#claim-4").is_hidden()
    page.locator("mark#m-3").focus()
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "claim-3"

    # the list of claims opens cards too
    page.locator('.index button[data-claims="1"]').click()
    assert page.locator("#claim-1").is_visible()
    assert page.locator("#claim-1 a", has_text="Ash Creek footbridge").first.get_attribute("href") == (
        "https://example.test/ash-creek"
    )

    # summary bar and legend
    legend = page.locator(".legend").inner_text()
    assert "Supported 1" in legend.replace("\n", " ") or "✓ Supported 1" in legend
    assert page.locator(".bar .seg").count() == 3

    ARTIFACTS.mkdir(exist_ok=True)
    _click_start(page, "mark#m-2")
    page.screenshot(path=str(ARTIFACTS / "report.png"), full_page=True)
    _assert_quiet(log, url)
    page.close()


def test_report_page_at_phone_width(browser: Any, tmp_path: Path) -> None:
    html = render_html(build_report(), article=build_article(), stamp=STAMP)
    page, log = _open(browser, html, tmp_path / "p.html", width=390, height=844)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390  # no sideways scrolling
    _click_start(page, "mark#m-2")
    panel = page.locator("#panel")
    assert panel.is_visible() and page.locator("#claim-2").is_visible()
    box = panel.bounding_box()
    assert box is not None and box["y"] + box["height"] <= 844 + 1  # a sheet at the bottom of the screen
    claim = page.locator("mark#m-2").bounding_box()
    assert claim is not None and 0 <= claim["y"] < box["y"]  # the claim stays in view above the sheet
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "report-phone.png"))
    page.locator("button.close").click()
    assert not panel.is_visible()
    _assert_quiet(log, (tmp_path / "p.html").as_uri())
    page.close()


def test_check_page_in_chromium(browser: Any, tmp_path: Path) -> None:
    report = build_check_report()
    page, log = _open(browser, render_html(report, stamp=STAMP), tmp_path / "c.html")
    assert page.locator("mark#m-1").text_content() == report.verdicts[0].claim.text
    page.locator("mark#m-1").click()
    assert page.locator("#claim-1 li.cite").count() == 2
    _assert_quiet(log, (tmp_path / "c.html").as_uri())
    page.close()


def test_the_harness_sees_a_dialog_when_markup_is_live(browser: Any, tmp_path: Path) -> None:
    """Canary: the same payload, unescaped and without our CSP, does open a dialog and make an <img>."""
    page, log = _open(browser, f"<!DOCTYPE html><p>{EVIL}</p>", tmp_path / "live.html")
    page.wait_for_timeout(300)
    assert log.dialogs and page.locator("img").count() == 1
    page.close()
