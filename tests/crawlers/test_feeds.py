"""Reading feeds: every format, and the quirks of real ones."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from crawlers.feeds import MAX_ENTRIES, FeedError, parse_feed, plain
from tests.crawlers import feed_fixtures as fixtures

TODAY = dt.date(2025, 6, 1)


def read(body: bytes, url: str = "https://regulator.example/feed.xml", **options) -> object:
    return parse_feed(body, url, today=TODAY, **options)


def test_rss2_links_are_resolved_html_is_stripped_and_bad_dates_dropped() -> None:
    feed = read(fixtures.RSS2)
    first, no_link, future = feed.entries
    assert first.url == "https://regulator.example/news/scam-ads-consultation"
    assert first.title == "Regulator opens consultation on scam ads"
    assert first.text == "Submissions close on 30 June 2025."
    assert first.published == dt.date(2025, 3, 4)
    assert (no_link.url, no_link.title, no_link.published) == (None, "Entry without a link", None)
    assert future.published is None  # 2100 is a mistake, not a date to sort by
    assert feed.problems == []


def test_rss_091_and_10_and_atom_and_json_feed() -> None:
    (old,) = read(fixtures.RSS091).entries
    assert old.title == "Café owners warned of phishing"
    (rdf,) = read(fixtures.RSS1).entries
    assert (rdf.url, rdf.published) == ("https://ministry.example/r/1", dt.date(2025, 2, 10))
    report, by_id = read(fixtures.ATOM, url="https://ngo.example/feed").entries
    assert report.url == "https://ngo.example/reports/deepfakes"
    assert (report.title, report.author) == ("Report on deepfake abuse", "Jane Researcher")
    assert report.text == "Full text of the report summary."
    assert by_id.url == "https://ngo.example/posts/2"  # an Atom id that is the article's URL
    raided, no_url = read(fixtures.JSON_FEED, url="https://news.example/feed.json").entries
    assert raided.url == "https://news.example/2025/01/scam-centres"
    assert (raided.title, raided.text, raided.author) == (
        "Scam centres raided",
        "Police raided scam centres.",
        "A Reporter",
    )
    assert raided.published == dt.date(2025, 1, 9)
    assert no_url.url is None


def test_a_shift_jis_feed_with_a_local_date_format() -> None:
    (entry,) = read(fixtures.SHIFT_JIS, url="https://ministry.example.jp/news.rdf", language="ja").entries
    assert entry.title == "誹謗中傷対策の検討会を開催"
    assert entry.url == "https://ministry.example.jp/menu_news/01.html"
    assert entry.published == dt.date(2025, 3, 1)  # feedparser alone reads November


def test_a_wrong_declared_encoding_is_corrected() -> None:
    feed = read(fixtures.WRONG_ENCODING, language="ja")
    assert feed.entries[0].title == "誹謗中傷対策の検討会を開催"
    assert feed.problems == ["declared encoding is wrong; read as shift_jis"]
    # The registry's `encoding` says it outright.
    assert read(fixtures.WRONG_ENCODING, encoding="shift_jis").entries[0].title == "誹謗中傷対策の検討会を開催"


def test_an_entity_bomb_is_defused_and_the_rest_read() -> None:
    began = time.perf_counter()
    feed = read(fixtures.ENTITY_BOMB)
    assert time.perf_counter() - began < 30  # bounded, not a speed target
    assert [entry.title for entry in feed.entries] == ["After the bomb"]
    assert feed.problems and "amplification" in feed.problems[0]


def test_a_huge_feed_is_cut_and_says_so() -> None:
    feed = read(fixtures.many_entries(MAX_ENTRIES + 100))
    assert len(feed.entries) == MAX_ENTRIES
    assert feed.problems == [f"{MAX_ENTRIES + 100:,} entries; read the first {MAX_ENTRIES}"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"<html><body><p>Not a feed</p></body></html>", "not a feed"),
        (b"", "not a feed"),
        (b"\x00\x01\x02 binary", "not a feed"),
        (b'{"items": 3}', "JSON without an `items` list"),
        (b"{not json", "invalid JSON"),
    ],
)
def test_what_is_no_feed_says_so(body: bytes, message: str) -> None:
    with pytest.raises(FeedError, match=message):
        read(body)


def test_plain_text() -> None:
    assert plain("<b>Bold</b>&amp; <script>x</script>\n  spaced") == "Bold & x spaced"
