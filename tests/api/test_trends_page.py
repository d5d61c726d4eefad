"""The trends page (GET /trends): charts inlined as SVG, the day's emerging topics with links to
their items, the sources' coverage, filters with a label each, downloads that keep the filters;
nothing crawled runs, and the page needs no script."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from crawlers.state import CrawlState
from radar.engines import open_store
from radar.settings import Settings
from tests.briefings.figures_data import (
    HOSTILE_SOURCE_NAME,
    build_data_dir,
    stakeholder_items,
    surge_items,
    weekly_items,
    write_registry,
)

SVG = "{http://www.w3.org/2000/svg}"
AT_NOW = {"weeks": "4", "as_of": "2025-06-30"}  # the day of tests/briefings/figures_data.py's NOW


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    directory = tmp_path_factory.mktemp("trends")
    settings = build_data_dir(
        directory / "data",
        [*weekly_items(), *surge_items(), *stakeholder_items()],
        sources_file=write_registry(directory / "sources.yaml"),
    )
    store = open_store(settings)
    try:
        CrawlState(store.engine).record("kr-hostile", dt.datetime.now(dt.UTC), "blocked", "HTTP 403")  # type: ignore[attr-defined]
    finally:
        store.close()
    return settings


@pytest.fixture(scope="module")
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as client:
        yield client


def charts(page: str) -> list[ElementTree.Element]:
    """The page's inline SVG charts, parsed (each must be well-formed XML)."""
    return [ElementTree.fromstring(svg) for svg in re.findall(r"<svg\b.*?</svg>", page, re.DOTALL)]


def chart_title(chart: ElementTree.Element) -> str:
    return chart.find(f"{SVG}title").text or ""  # type: ignore[union-attr]


class Controls(HTMLParser):
    """The ids of the form controls, the `for` of the labels, and what could run or restyle."""

    def __init__(self) -> None:
        super().__init__()
        self.controls: list[str] = []
        self.labelled: set[str] = set()
        self.inline_scripts = 0
        self.style_attributes = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag in ("input", "select", "textarea") and found.get("type") != "hidden":
            self.controls.append(found.get("id") or "(no id)")
        if tag == "label" and found.get("for"):
            self.labelled.add(found["for"] or "")
        if tag == "script" and not found.get("src"):
            self.inline_scripts += 1
        self.style_attributes += "style" in found


def test_the_page_shows_the_weekly_charts_the_countries_and_the_figures(client: TestClient) -> None:
    answer = client.get("/trends", params=AT_NOW)
    assert answer.status_code == 200
    page = answer.text
    assert '<a href="/trends" aria-current="page">Trends</a>' in page
    assert "14 stories (17 items) from 2025-W24 to 2025-W27" in page
    found = charts(page)
    # One chart per harm area with stories, most first, named as the page names harm areas; then countries.
    vocabulary = client.app.state.vocabulary()  # type: ignore[attr-defined]
    assert [chart_title(chart) for chart in found] == [
        vocabulary.label("harm_areas", "ai_synthetic_media"),
        vocabulary.label("harm_areas", "child_safety"),
        vocabulary.label("harm_areas", "scams_fraud"),
        "Stories per country or region",
    ]
    assert all(chart.get("role") == "img" and chart.find(f"{SVG}desc") is not None for chart in found)
    assert found[0].find(f"{SVG}desc").text.endswith("By week: 0, 0, 1, 5.")  # type: ignore[union-attr]
    places = [text.text for text in found[-1].iter(f"{SVG}text")]
    assert places[:4] == [vocabulary.label("jurisdictions", "AU"), "6", vocabulary.label("jurisdictions", "KR"), "5"]
    # The downloads keep the filters.
    assert 'href="/api/figures/weekly.csv?weeks=4&amp;as_of=2025-06-30"' in page
    assert 'href="/api/figures/emerging?weeks=4&amp;as_of=2025-06-30"' in page


def test_emerging_topics_link_to_their_items_and_show_titles_as_text(client: TestClient) -> None:
    page = client.get("/trends", params=AT_NOW).text
    emerging = page[page.index('id="emerging"') : page.index('id="coverage"')]
    assert "Emerging on 2025-06-30" in emerging
    assert re.search(r"<strong>[^<]+</strong> in <strong>[^<]+</strong>:\s+4 items", emerging)
    assert [f"/items/kr-deepfake-{n}" for n in (3, 2, 1, 0)] == re.findall(r'href="(/items/[^"]+)"', emerging)
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; Scam &amp; fraud" in emerging
    assert "<script>alert" not in page
    quiet = client.get("/trends", params={**AT_NOW, "as_of": "2025-06-29"}).text
    assert "Nothing is surging." in quiet and "/items/kr-deepfake" not in quiet


def test_coverage_shows_the_healthy_share_and_items_per_source(client: TestClient) -> None:
    page = client.get("/trends", params=AT_NOW).text
    coverage = page[page.index('id="coverage"') :]
    assert "2 of 3 sources are crawled, across 2 countries and regions." in coverage
    assert "50% are healthy (1 of 2 not flagged as blocked, failing or silent; 1 not crawled yet)." in coverage
    assert "blocked (HTTP 403)" in coverage
    assert HOSTILE_SOURCE_NAME.replace('"', "&#34;") in coverage  # escaped, as text
    assert "A paused source" not in coverage  # only the crawled sources' items are listed
    assert 'href="/api/figures/coverage.csv"' in coverage


def test_filters_narrow_the_page_and_every_control_has_a_label(client: TestClient) -> None:
    page = client.get("/trends", params={**AT_NOW, "country": "au", "harm": "child_safety"}).text
    assert [chart_title(chart) for chart in charts(page)][1:] == ["Stories per country or region"]
    assert 'value="AU"' in page and re.search(r'id="trends-harm-child_safety"[^>]*checked', page)
    assert '<option value="4" selected>last 4 weeks</option>' in page  # a window from a link is kept
    assert "5 stories (8 items)" in page and "Nothing is surging." in page
    assert 'href="/api/figures/coverage.csv?country=AU"' in page
    assert 'href="/api/figures/weekly.csv?country=AU&amp;harm=child_safety&amp;weeks=4&amp;as_of=2025-06-30"' in page

    controls = Controls()
    controls.feed(page)
    assert len(controls.controls) > 10 and all(control in controls.labelled for control in controls.controls)
    assert controls.inline_scripts == 0 and controls.style_attributes == 0  # the CSP allows neither


def test_a_bad_filter_is_an_error_page_saying_what_is_wrong(client: TestClient) -> None:
    answer = client.get("/trends", params={"harm": "nonsense"})
    assert answer.status_code == 400
    assert answer.headers["content-type"].startswith("text/html") and "Unknown harm nonsense" in answer.text


def test_the_page_still_shows_the_figures_when_the_registry_is_missing(settings: Settings, tmp_path: Path) -> None:
    missing = Settings(
        data_dir=settings.data_dir,
        database_url=None,
        elasticsearch_url=None,
        sources_file=tmp_path / "no-such-registry.yaml",
    )
    with TestClient(create_app(missing)) as client:
        answer = client.get("/trends", params=AT_NOW)
    assert answer.status_code == 200 and "14 stories (17 items)" in answer.text
    assert "no-such-registry.yaml is missing" in answer.text


def test_the_page_needs_a_login_once_accounts_exist(
    client_for: Callable[..., TestClient], add_user: Callable[[str, str], str]
) -> None:
    add_user("reader", "viewer")
    answer = client_for().get("/trends", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"].startswith("/login?next=%2Ftrends")
