"""The web page in a real browser: Playwright drives Debian's Chromium (headless, never a
downloaded one) against `radar serve` on loopback, as a person would use it: search, filter by
country, open an item, on a phone, with the keyboard, and with a crawled item that tries to run
script. Screenshots of each step go to test-artifacts/browser/.

RADAR_CHROMIUM names the browser (CI sets it, so a broken browser fails the test rather than
skipping it); without it /usr/bin/chromium is used, and the test is skipped only when neither is
there."""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from playwright.sync_api import Browser, Dialog, Page, expect, sync_playwright

from tests.api.conftest import ingest, radar_serve
from tests.api.test_xss import recent_hostile_items
from tests.radar.test_cli import ROOT

DEBIAN_CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = ROOT / "test-artifacts" / "browser"
NAMED = re.compile(r'- [\w-]+ "[^"]+')  # an aria snapshot's first line: - role "name"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

SCRIPT = "<script>window.__xss=1</script>"
IMAGE = '<img src=x onerror="window.__xss=1">'
# A crawled page that tries to run script through its title, its text and its link.
HOSTILE = {
    "source": "xx-crawled",
    "source_kind": "news",
    "published": "2025-09-01",
    "url": "javascript:window.__xss=1",
    "title": f"Quarterly transparency notice {SCRIPT} {IMAGE}",
    "text": f"The quarterly transparency notice lists takedown requests. {SCRIPT} {IMAGE}",
}


def chromium_path() -> Path:
    named = os.environ.get("RADAR_CHROMIUM")
    if named:
        return Path(named)  # used as given: if it does not work, the test fails
    if not DEBIAN_CHROMIUM.exists():
        pytest.skip("no browser: install Debian's chromium or set RADAR_CHROMIUM (scripts/ci-chromium.sh)")
    return DEBIAN_CHROMIUM


@pytest.fixture(scope="module")
def browser_data(example_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example items and the hostile ones (this one, and test_xss.py's published this week for
    the briefing and the comparison), in a copy of their own."""
    directory = Path(shutil.copytree(example_data, tmp_path_factory.mktemp("browser") / "data"))
    ingest(directory, b"".join(json.dumps(item).encode() + b"\n" for item in [HOSTILE, *recent_hostile_items()]))
    return directory


@pytest.fixture(scope="module")
def server(browser_data: Path) -> Iterator[str]:
    """`radar serve` on a free loopback port: the base URL, once it answers."""
    with radar_serve(browser_data, log_path=browser_data.parent / "serve.log") as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    executable = chromium_path()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(executable), headless=True)
        try:
            yield launched
        finally:
            launched.close()


class Watched:
    """A page with everything that would show script ran or was blocked: dialogs, uncaught
    errors, console errors and Content-Security-Policy violations."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.dialogs: list[str] = []
        self.page_errors: list[str] = []
        self.console_errors: list[str] = []
        page.on("dialog", self._dialog)
        page.on("pageerror", lambda error: self.page_errors.append(str(error)))
        page.on("console", lambda message: message.type == "error" and self.console_errors.append(message.text))
        # Playwright's init scripts are not the page's, so the page's CSP does not stop this one.
        page.add_init_script(
            "window.__cspViolations = [];"
            "document.addEventListener('securitypolicyviolation', (event) =>"
            " window.__cspViolations.push(event.violatedDirective + ' ' + event.blockedURI));"
        )

    def _dialog(self, dialog: Dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def csp_violations(self) -> list[str]:
        return self.page.evaluate("window.__cspViolations")

    def screenshot(self, name: str) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


@pytest.fixture
def desktop(browser: Browser) -> Iterator[Watched]:
    context = browser.new_context(viewport=DESKTOP)
    try:
        yield Watched(context.new_page())
    finally:
        context.close()


@pytest.fixture
def phone(browser: Browser) -> Iterator[Watched]:
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    try:
        yield Watched(context.new_page())
    finally:
        context.close()


def search(page: Page, words: str) -> None:
    box = page.get_by_label("Search regulatory updates")
    box.fill(words)
    with page.expect_navigation():
        box.press("Enter")


def hit_titles(page: Page) -> list[str]:
    return page.locator("li.hit h3").all_inner_texts()


def test_search_filter_by_country_and_open_an_item(desktop: Watched, server: str) -> None:
    page = desktop.page
    page.goto(server + "/")
    search(page, "platforms")
    assert parse_qs(urlsplit(page.url).query)["q"] == ["platforms"]
    everywhere = hit_titles(page)
    assert len(everywhere) >= 3, everywhere
    desktop.screenshot("01-search")

    countries = page.get_by_role("group", name="Country or region")
    with page.expect_navigation():  # the page's script submits the form when a filter changes
        countries.get_by_label("Australia").check()
    query = parse_qs(urlsplit(page.url).query)
    assert query["q"] == ["platforms"] and query["country"] == ["AU"]
    expect(countries.get_by_label("Australia")).to_be_checked()
    narrowed = hit_titles(page)
    assert 1 <= len(narrowed) < len(everywhere) and set(narrowed) <= set(everywhere)
    for tags in page.locator("li.hit ul.tags").all():
        expect(tags.get_by_role("listitem").filter(has_text="Australia")).to_have_count(1)
    expect(page.get_by_role("heading", level=2, name=f"{len(narrowed)} item")).to_be_visible()
    desktop.screenshot("02-filtered-to-australia")

    title = narrowed[0]
    with page.expect_navigation():
        page.get_by_role("link", name=title, exact=True).click()
    assert urlsplit(page.url).path.startswith("/items/")
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.get_by_role("heading", level=2, name="Why these tags")).to_be_visible()
    expect(page.locator("dl.evidence dt").filter(has_text="Country or region: Australia")).to_have_count(1)
    source = page.get_by_role("link", name="Read at the source")
    expect(source).to_have_attribute("href", "https://www.esafety.gov.au/newsroom/media-releases/example")
    expect(source).to_have_attribute("rel", "noopener noreferrer nofollow")
    desktop.screenshot("03-item")
    assert desktop.page_errors == [] and desktop.console_errors == [] and desktop.csp_violations() == []


def overflow(page: Page) -> int:
    """How many CSS pixels the page is wider than the viewport (0 when it fits)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def test_on_a_phone_nothing_overflows_sideways(phone: Watched, server: str) -> None:
    page = phone.page
    page.goto(server + "/?q=platforms&country=AU&country=SG")
    assert page.evaluate("window.innerWidth") == PHONE["width"]
    expect(page.locator("li.hit").first).to_be_visible()
    phone.screenshot("04-phone-search")
    assert overflow(page) <= 0, f"the search page is {overflow(page)}px wider than a {PHONE['width']}px phone"

    with page.expect_navigation():
        page.locator("li.hit h3 a").first.click()
    expect(page.get_by_role("heading", level=2, name="Why these tags")).to_be_visible()
    phone.screenshot("05-phone-item")
    assert overflow(page) <= 0, f"the item page is {overflow(page)}px wider than a {PHONE['width']}px phone"


def test_the_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(desktop: Watched, server: str) -> None:
    page = desktop.page
    page.goto(server + "/?q=platforms")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()  # it shows when focused
    desktop.screenshot("06-skip-link-focused")
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
    assert urlsplit(page.url).fragment == "main"


def test_every_form_control_on_the_search_page_has_a_label(desktop: Watched, server: str) -> None:
    page = desktop.page
    page.goto(server + "/?q=platforms")
    controls = page.locator("form.search").locator("input:not([type=hidden]), select, textarea, button").all()
    assert len(controls) >= 8  # the query, search, sort, two dates, the facets' boxes, apply
    unnamed = []
    for control in controls:
        # The accessibility tree's role and name, as a screen reader would announce them.
        if not NAMED.match(control.aria_snapshot()):
            unnamed.append(control.evaluate("c => c.outerHTML"))
    assert unnamed == [], "form controls without an accessible name: " + "; ".join(unnamed)
    # The labels are tied to their controls (found by label, not by position).
    expect(page.get_by_label("Search regulatory updates")).to_have_value("platforms")
    expect(page.get_by_label("Sort")).to_have_value("relevance")
    expect(page.get_by_label("Published since")).to_have_attribute("type", "date")


def test_a_hostile_crawled_item_shows_as_text_and_runs_nothing(desktop: Watched, server: str) -> None:
    page = desktop.page
    page.goto(server + "/")
    search(page, "quarterly transparency notice")
    assert hit_titles(page) == [HOSTILE["title"]]  # as literal text
    desktop.screenshot("07-hostile-search")

    with page.expect_navigation():
        page.get_by_role("link", name=HOSTILE["title"], exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(HOSTILE["title"])
    expect(page.locator("div.text")).to_have_text(HOSTILE["text"])
    expect(page.get_by_text("Read at the source (no web link)")).to_be_visible()
    desktop.screenshot("08-hostile-item")

    assert page.evaluate("typeof window.__xss") == "undefined"
    assert desktop.dialogs == []
    assert page.locator("main img, main script").count() == 0
    assert page.locator("a[href^='javascript:' i]").count() == 0
    assert page.locator("script").evaluate_all("scripts => scripts.map(s => new URL(s.src).pathname)") == [
        "/static/radar.js"
    ]
    assert desktop.csp_violations() == [], "something tried to run and the CSP stopped it"
    assert desktop.page_errors == [] and desktop.console_errors == []


# What a crafted link could carry into the newer pages' parameters.
CARRIED = quote(f'"><script>window.__xss=1</script>{IMAGE}')


@pytest.mark.parametrize(
    ("path", "shown"),
    [
        ("/briefings?harm=scams_fraud&days=30", "Police warn of scam wave"),  # crawled titles, as text
        ("/compare?harm=scams_fraud", "Scam rules"),
        ("/trends?harm=scams_fraud", None),
        (f"/trends?country={CARRIED}&as_of={CARRIED}", None),
        (f"/compare?harm=scams_fraud&country={CARRIED}", None),
        (f"/briefings?stakeholder={CARRIED}&country={CARRIED}&prepare=1", None),
        (f"/unsubscribe/1?key={CARRIED}", None),
    ],
    ids=["briefing", "comparison", "trends", "trends-link", "comparison-link", "briefing-link", "unsubscribe-link"],
)
def test_the_newer_pages_run_nothing_crawled_or_carried_by_a_link(
    desktop: Watched, server: str, path: str, shown: str | None
) -> None:
    page = desktop.page
    answer = page.goto(server + path)
    assert answer is not None and answer.status < 500
    if shown:
        expect(page.get_by_text(f"{shown} \"'><script>", exact=False).first).to_be_visible()
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert desktop.dialogs == []
    assert page.locator("main script, main img").count() == 0
    assert page.locator("a[href^='javascript:' i]").count() == 0
    assert desktop.csp_violations() == [], "something tried to run and the CSP stopped it"
    assert desktop.page_errors == []
