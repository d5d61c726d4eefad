"""Crawled content is untrusted: a hostile item's markup shows as text on every page (search, item,
briefing, comparison, trends, unsubscribe), in the feed, the briefing downloads and the calendar,
its javascript: link never becomes a link, no page runs script it did not ship, and neither does
what a link's parameters carry."""

from __future__ import annotations

import datetime as dt
import html as htmllib
import json
import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import icalendar
import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import ingest
from tests.api.test_subscriptions_api import SCAMS, unsubscribe_key

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


# --- the pages and downloads that came later: trends, comparison, briefings, unsubscribe, calendar ---------------

PAYLOAD = "\"'><script>alert(1)</script><img src=x onerror=alert(2)>{{ 7*7 }}](javascript:alert(3))"


def recent_hostile_items() -> list[dict[str, str]]:
    """Two hostile items published this week, so the windows that end today (the briefing, the
    comparison, the calendar) hold them: a consultation with a deadline ahead, and a news story.
    Their titles, sources and texts try HTML, Markdown, template and iCalendar injection."""
    today = dt.datetime.now(dt.UTC).date()
    deadline = today + dt.timedelta(days=20)
    return [
        {
            "id": "hostile-consultation",
            "url": "javascript:alert('consultation')",  # an item's id follows its URL: one each
            "source": PAYLOAD,
            "source_kind": "regulator",
            "published": (today - dt.timedelta(days=2)).isoformat(),
            "title": f"Scam rules {PAYLOAD}\r\nBEGIN:VEVENT\r\nSUMMARY:injected",
            "text": f"The regulator in Singapore opened a public consultation on scam rules. Submissions close on "
            f"{deadline.day} {deadline:%B %Y}. </p><svg onload=alert('svg')></svg> {PAYLOAD}",
        },
        {
            "id": "hostile-news",
            "url": "javascript:alert('news')",
            "source": PAYLOAD,
            "source_kind": "news",
            "published": (today - dt.timedelta(days=1)).isoformat(),
            "title": f"Police warn of scam wave {PAYLOAD}",
            "text": f"Police in Malaysia warned of a wave of investment scams on social media. {PAYLOAD}",
        },
    ]


def hostile_text_shown(html: str, title: str) -> bool:
    """Whether `title` is on the page as text: escaped in the markup, itself once unescaped."""
    return title in htmllib.unescape(html) and title not in html


def scripted(html: str) -> list[str]:
    """What a browser would act on, but the page's own charts (server-side SVG, no script)."""
    return [found for found in shipped_markup(html) if found != "svg"]


def test_recent_hostile_items_show_as_text_on_the_briefing_and_comparison_pages(
    client_for: Callable[..., TestClient], data_dir: Path
) -> None:
    ingest(data_dir, "".join(json.dumps(item) + "\n" for item in recent_hostile_items()).encode())
    client = client_for()
    pages = {
        "briefing": client.get("/briefings", params={"harm": "scams_fraud", "days": 30}),
        "comparison": client.get("/compare", params={"harm": "scams_fraud"}),
        "trends": client.get("/trends", params={"harm": "scams_fraud", "weeks": 8}),
    }
    for name, page in pages.items():
        assert page.status_code == 200, name
        assert scripted(page.text) == [], name
    assert hostile_text_shown(pages["briefing"].text, f"Police warn of scam wave {PAYLOAD}")
    assert hostile_text_shown(pages["comparison"].text, f"Scam rules {PAYLOAD}")


def test_briefing_downloads_carry_hostile_text_as_text(client_for: Callable[..., TestClient], data_dir: Path) -> None:
    ingest(data_dir, "".join(json.dumps(item) + "\n" for item in recent_hostile_items()).encode())
    client = client_for()
    wanted = {"harm": "scams_fraud", "days": 30}
    document = client.get("/api/briefing", params={**wanted, "format": "html"})
    assert document.headers["content-disposition"].startswith("attachment;")
    assert "script-src 'self'" in document.headers["content-security-policy"]  # opened in place, it runs nothing either
    assert shipped_markup(document.text) == []
    assert hostile_text_shown(document.text, f"Scam rules {PAYLOAD}")
    markdown = client.get("/api/briefing", params={**wanted, "format": "md"}).text
    assert "Scam rules" in markdown
    # Every < is escaped but an autolink's, and no crawled text makes a link: a Markdown viewer shows it as text.
    assert re.findall(r"(?<!\\)<(?!https?://)", markdown) == []
    assert re.findall(r"(?<!\\)\]\(javascript:", markdown) == [] and "\\](javascript:" in markdown


def test_the_calendar_keeps_each_hostile_title_inside_its_event(
    client_for: Callable[..., TestClient], data_dir: Path
) -> None:
    ingest(data_dir, "".join(json.dumps(item) + "\n" for item in recent_hostile_items()).encode())
    today = dt.datetime.now(dt.UTC).date()
    body = client_for().get("/calendar.ics", params={"from": today, "to": today + dt.timedelta(days=60)}).text
    events = list(icalendar.Calendar.from_ical(body).walk("VEVENT"))
    hostile = [event for event in events if "Scam rules" in str(event["SUMMARY"])]
    assert len(hostile) == 1  # one deadline, one event: the title's "BEGIN:VEVENT" started none
    assert [line for line in body.splitlines() if line.startswith("BEGIN:VEVENT")] == ["BEGIN:VEVENT"] * len(events)
    assert all(str(event["SUMMARY"]) != "injected" for event in events)
    assert "\n" not in str(hostile[0]["SUMMARY"]) and "\r" not in str(hostile[0]["SUMMARY"])
    assert all(str(event.get("URL", "http")).startswith("http") for event in events)


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/", {"q": PAYLOAD}),
        ("/trends", {"country": PAYLOAD, "as_of": PAYLOAD}),
        ("/compare", {"harm": PAYLOAD, "country": PAYLOAD}),
        ("/compare", {"harm": "scams_fraud", "country": PAYLOAD}),
        ("/briefings", {"stakeholder": PAYLOAD, "country": PAYLOAD}),
        ("/briefings", {"harm": PAYLOAD, "prepare": "1"}),
        ("/unsubscribe/1", {"key": PAYLOAD}),
        ("/login", {"next": PAYLOAD}),
        ("/subscriptions", {"q": PAYLOAD}),
    ],
)
def test_what_a_link_carries_shows_as_text(
    client_for: Callable[..., TestClient], path: str, params: dict[str, str]
) -> None:
    page = client_for().get(path, params=params)
    assert page.status_code < 500
    assert scripted(page.text) == [], page.text[:500]
    assert "<script>alert(1)" not in page.text


def test_a_hostile_subscription_name_shows_as_text_when_unsubscribing(
    client_for: Callable[..., TestClient], data_dir: Path
) -> None:
    client = client_for()
    made = client.post("/api/subscriptions", json={**SCAMS, "name": PAYLOAD[:200]})
    assert made.status_code == 201
    key = unsubscribe_key(data_dir, made.json()["id"])
    page = client.get(f"/unsubscribe/{made.json()['id']}", params={"key": key})
    assert page.status_code == 200
    assert shipped_markup(page.text) == [] and hostile_text_shown(page.text, PAYLOAD)
    done = client.post(f"/unsubscribe/{made.json()['id']}", params={"key": key})
    assert shipped_markup(done.text) == [] and hostile_text_shown(done.text, PAYLOAD)
