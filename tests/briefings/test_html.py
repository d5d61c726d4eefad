"""The HTML briefing: a well-formed standalone document, every section there, crawled text shown
as text (a hostile item's markup never becomes markup, its javascript: address never a link),
nothing fetched from elsewhere, and the same sections for the tracker's page."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest

from briefings.html import render_html, render_sections
from briefings.markdown import render_markdown
from briefings.pack import build_briefing
from briefings.records import Briefing
from briefings.request import BriefingRequest, References
from radar.engines import open_search_engine, open_store
from tests.briefings.conftest import NOW, TODAY, TRACKER
from tests.briefings.items import HOSTILE_TITLE, Items, build_data_dir, settings_for

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Structure(HTMLParser):
    """Checks that every element is closed in order, and collects what a browser would act on:
    scripts, handlers, javascript: addresses, anything loaded from elsewhere."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.problems: list[str] = []
        self.active: list[str] = []
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in VOID:
            self.open.append(tag)
        for name, value in attrs:
            if name == "id":
                self.ids.add(value or "")
            if name.startswith("on") or (value or "").strip().lower().startswith(("javascript:", "data:")):
                self.active.append(f"{tag} {name}={value}")
            if name in ("src", "srcset") or (tag == "link" and name == "href"):
                self.active.append(f"{tag} loads {value}")
            if tag == "a" and name == "href":
                self.links.append(value or "")
        if tag in ("script", "iframe", "object", "embed", "img", "svg"):
            self.active.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.open[-1] if self.open else 'nothing'}")
        else:
            self.open.pop()


def structure(html: str) -> Structure:
    parser = Structure()
    parser.feed(html)
    parser.close()
    return parser


def test_the_document_is_well_formed_and_complete(imda_briefing: Briefing) -> None:
    html = render_html(imda_briefing)
    assert html.startswith("<!doctype html>")
    found = structure(html)
    assert found.problems == [] and found.open == []
    assert found.active == []  # no script, nothing loaded: it opens the same offline and printed
    assert {"summary", "developments", "timeline", "upcoming", "stakeholder", "neighbours", "sources"} <= found.ids
    assert {f"source-{citation.number}" for citation in imda_briefing.sources} <= found.ids
    # Each citation [n] leads to its source, and each source to its page and the tracker.
    assert {link for link in found.links if link.startswith("#")} == {
        f"#source-{citation.number}" for citation in imda_briefing.sources
    }
    for citation in imda_briefing.sources:
        assert citation.link in found.links and citation.url in found.links
    assert "<title>Briefing: Child safety and Scams and fraud in Australia and Singapore" in html


def test_the_pages_sections_link_each_comparison_to_its_page(imda_briefing: Briefing) -> None:
    sections = str(render_sections(imda_briefing, compare_path="/compare"))
    found = structure(sections)
    assert found.problems == [] and found.open == []
    assert "/compare?harm=child_safety&amp;country=AU%2CSG" in sections
    assert "/compare?" not in str(render_sections(imda_briefing))


@pytest.fixture(scope="module")
def hostile_briefing(tmp_path_factory: pytest.TempPathFactory, references: References) -> Briefing:
    """A briefing over the fixed items and one hostile item: markup in its title, text and
    source, a javascript: address, control characters."""
    hostile = Items(TODAY).item(
        "Z",
        3,
        title=HOSTILE_TITLE + "\x00\x1b[31m",
        text="Police warn of a scam wave. </p><svg onload=alert('svg')></svg> {{ 7*7 }} <a href=\"javascript:x\">x</a>",
        url="javascript:alert(document.cookie)",
        source='x"><script>alert(1)</script>',
        source_kind="news",
        jurisdictions=("SG",),
        harm_areas=("scams_fraud",),
        dates=({"date": (TODAY + dt.timedelta(days=3)).isoformat(), "kind": "deadline", "text": "<b>soon</b>"},),
    )
    data_dir = build_data_dir(tmp_path_factory.mktemp("hostile") / "data", TODAY, extra=[hostile])
    settings = settings_for(data_dir)
    store, engine = open_store(settings), open_search_engine(settings)
    try:
        request = BriefingRequest(countries=("SG",), harm_areas=("scams_fraud",), days=30)
        return build_briefing(store, engine, request, references=references, public_url=TRACKER, now=NOW)
    finally:
        engine.close()
        store.close()


def test_a_hostile_item_is_text_in_the_html(hostile_briefing: Briefing) -> None:
    (cited,) = [citation for citation in hostile_briefing.sources if citation.item_id == "item-z"]
    assert cited.url == ""  # a javascript: address is no link, in any format
    assert "\x00" not in cited.title and "\x1b" not in cited.title
    html = render_html(hostile_briefing)
    found = structure(html)
    assert found.problems == [] and found.open == [] and found.active == []
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; Scam **warning**" in html
    assert "&lt;b&gt;soon&lt;/b&gt;" in html and "{{ 7*7 }}" in html
    assert "&lt;svg onload=alert(&#39;svg&#39;)&gt;&lt;/svg&gt;" in html  # the text's markup, as text


def test_a_hostile_item_is_text_in_the_markdown(hostile_briefing: Briefing) -> None:
    markdown = render_markdown(hostile_briefing)
    title_line = next(line for line in markdown.splitlines() if "Scam" in line and "warning" in line)
    # Escaped: no HTML, no emphasis, no link can start from the title.
    assert "\\<script\\>" in title_line and "\\*\\*warning\\*\\*" in title_line
    assert "\\[click\\](javascript:alert(1))" in title_line
    assert not re.search(r"(?<!\\)\]\(javascript:", markdown) and "<script>" not in markdown
    assert "\x00" not in markdown and "\x1b" not in markdown


def test_every_format_renders_the_same_briefing(imda_briefing: Briefing, tmp_path: Path) -> None:
    from briefings.formats import FORMATS, FormatUnavailable, filename, render

    assert filename(imda_briefing, "md") == "briefing-AU-SG-child_safety-scams_fraud-2026-11-26.md"
    for name in FORMATS:
        try:
            body = render(imda_briefing, name)
        except FormatUnavailable:
            continue  # Word or PDF not installed here: the API answers 501 for them
        assert body[:4] in (b"# Br", b"<!do", b"PK\x03\x04", b"%PDF"), name


def test_the_page_sections_show_an_empty_window(brief: Callable[..., Briefing]) -> None:
    html = str(render_sections(brief(harm_areas=("gambling",), days=7)))
    assert "Nothing was published in this window." in html and "No items cited." in html
