"""Crawled content is untrusted: a hostile item's markup shows as text on every page and in the
feed, its javascript: link never becomes a link, and no page runs script it did not ship."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

from fastapi.testclient import TestClient

from tests.api.conftest import ingest

HOSTILE = {
    "id": "hostile",
    "url": "javascript:alert(document.cookie)",
    "source": 'x"><script>alert(1)</script>',
    "source_kind": "news",
    "published": "2025-10-20",
    "title": "Scam warning <script>alert('title')</script><img src=x onerror=alert('img')>",
    "text": (
        "Police warn of a scam wave. </p><svg onload=alert('svg')></svg> <iframe src=//evil.example></iframe> "
        "{{ 7*7 }} {% raw %} <a href=\"javascript:alert('a')\">click</a> scam scam."
    ),
}


class ActiveMarkup(HTMLParser):
    """What a browser would act on: script, img, svg, iframe and object elements (but the page's
    own script), event-handler attributes and javascript: URLs."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script" and values.get("src") == "/static/radar.js":
            return
        if tag in ("script", "img", "svg", "iframe", "object", "embed"):
            self.found.append(tag)
        for name, value in attrs:
            if name.startswith("on") or (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"{tag} {name}={value}")


def shipped_markup(html: str) -> list[str]:
    parser = ActiveMarkup()
    parser.feed(html)
    return parser.found


def test_a_hostile_item_shows_as_text_everywhere(client_for: Callable[..., TestClient], data_dir: Path) -> None:
    ingest(data_dir, (json.dumps(HOSTILE) + "\n").encode())
    client = client_for()
    (hit,) = client.get("/api/search", params={"q": "scam wave"}).json()["items"]
    pages = {
        "search": client.get("/", params={"q": "scam wave"}).text,
        "item": client.get(f"/items/{hit['id']}").text,
        "briefing": client.get("/briefings", params={"harm": "scams_fraud", "days": 366}).text,
    }
    for name, html in pages.items():
        assert shipped_markup(html) == [], name
        assert "&lt;script&gt;" in html or name == "briefing", name  # shown, as text
    item = pages["item"]
    assert "&lt;img src=x onerror=alert(&#39;img&#39;)&gt;" in item
    assert "{{ 7*7 }}" in item  # crawled text is never a template
    assert "Read at the source (no web link)" in item
    feed = client.get("/feeds/search.atom", params={"q": "scam wave"}).text
    assert "<script>" not in feed and "<img" not in feed


def test_snippets_keep_only_their_highlights(client_for: Callable[..., TestClient], data_dir: Path) -> None:
    ingest(data_dir, (json.dumps(HOSTILE) + "\n").encode())
    page = client_for().get("/", params={"q": "scam"}).text
    snippets = re.findall(r'<p class="snippet">(.*?)</p>', page, re.DOTALL)
    assert snippets
    for snippet in snippets:
        assert set(re.findall(r"</?([a-z]+)", snippet)) <= {"b"}, snippet
