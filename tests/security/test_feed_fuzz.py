"""Feeds from the open web: any bytes, and real feeds (tests/crawlers/feed_fixtures.py) cut,
spliced and corrupted, read as entries or refused with a FeedError, never another exception, and
within a bounded time."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crawlers.feeds import LIKELY_ENCODINGS, MAX_ENTRIES, FeedError, ParsedFeed, parse_feed
from tests.crawlers import feed_fixtures as fixtures
from tests.security.fuzzing import damage, fuzzed, texts

TODAY = dt.date(2025, 6, 1)
REAL_FEEDS = [
    fixtures.RSS2,
    fixtures.RSS091,
    fixtures.RSS1,
    fixtures.ATOM,
    fixtures.JSON_FEED,
    fixtures.SHIFT_JIS,
    fixtures.WRONG_ENCODING,
    fixtures.ENTITY_BOMB,
]
# Bytes that mean something to a feed reader.
SPLICES = [
    b"<", b">", b"</item>", b"<item>", b"<entry>", b"]]>", b"<![CDATA[", b"&", b"&amp;", b"&#0;", b"&#x110000;",
    b"&lol9;", b'"', b"{", b"}", b"[", b"]", b"\x00", b"\xff\xfe", b"\xef\xbb\xbf", b"\x1b$B", b"\x81",
    b'<?xml version="1.0" encoding="bogus"?>', b'<!DOCTYPE x [<!ENTITY a "aaaa">]>', b"<link>javascript:x</link>",
    b"<pubDate>Mon, 99 Foo 99999 99:99:99 +9999</pubDate>", b"<published>2025-02-30T25:61:61Z</published>",
    "<pubDate>2025年13月45日</pubDate>".encode(), "<pubDate>9999년 12월 31일</pubDate>".encode(),
    b'"date_published": "9999-12-31T23:59:59+14:00"', b'"items": [1, "x", null, {}]', b'"url": 5',
    b'"authors": [{"name": null}, 7]', b'"author": {"name": {}}', b'"authors": 1.0', b'"url": "http://[oops/"',
    b"<link>http://[::1/x</link>", b'encoding="\x00TF-8"',
]  # fmt: skip
JSON_FEED_KEYS = [
    "url", "external_url", "title", "content_html", "content_text", "summary", "date_published", "date_modified",
    "authors", "author", "id",
]  # fmt: skip
OPTIONS = st.fixed_dictionaries(
    {
        "content_type": st.sampled_from(["", "application/rss+xml", "application/feed+json", "text/html"]),
        "language": st.sampled_from(["en", *LIKELY_ENCODINGS]),
        "encoding": st.sampled_from([None, None, "shift_jis", "cp949", "utf-8", "latin-1", "gb18030"]),
    }
)


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    """A real feed with a few cuts, splices and byte changes."""
    return damage(draw, draw(st.sampled_from(REAL_FEEDS)), SPLICES, repeat_bytes=200, max_repeats=20)


# Any JSON value, nested a little.
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | texts(12),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(texts(6), children, max_size=3),
    max_leaves=6,
)


@st.composite
def json_feeds(draw: st.DrawFn) -> bytes:
    """A JSON Feed whose items have JSON Feed's keys with any values."""
    keys = st.sampled_from(JSON_FEED_KEYS)
    items = draw(st.lists(st.dictionaries(keys, JSON_VALUES, max_size=5) | JSON_VALUES, max_size=4))
    document: dict[str, Any] = {"version": "https://jsonfeed.org/version/1.1", "items": items}
    if draw(st.booleans()):
        document["home_page_url"] = draw(JSON_VALUES)
    return json.dumps(document).encode()


def read_or_refuse(body: bytes, options: dict[str, Any]) -> ParsedFeed | None:
    try:
        feed = parse_feed(body, "https://regulator.example/feed.xml", today=TODAY, **options)
    except FeedError as error:
        assert str(error).startswith("not a feed")
        return None
    assert len(feed.entries) <= MAX_ENTRIES
    for entry in feed.entries:
        assert isinstance(entry.title, str) and isinstance(entry.text, str)
        assert entry.url is None or isinstance(entry.url, str)
        assert entry.published is None or entry.published <= TODAY + dt.timedelta(days=2)
    return feed


@fuzzed(deadline_ms=1000)
@given(body=st.binary(max_size=2000), options=OPTIONS)
def test_any_bytes_are_a_feed_or_a_feed_error(body: bytes, options: dict[str, Any]) -> None:
    read_or_refuse(body, options)


@fuzzed(deadline_ms=1000)
@given(body=mutated(), options=OPTIONS)
def test_damaged_real_feeds_are_read_or_refused(body: bytes, options: dict[str, Any]) -> None:
    read_or_refuse(body, options)


@fuzzed(deadline_ms=1000)
@given(body=json_feeds())
def test_json_feeds_with_any_values_are_read_or_refused(body: bytes) -> None:
    read_or_refuse(body, {"content_type": "application/feed+json"})


# Found by fuzzing: each raised out of parse_feed (ValueError, TypeError), so the source's pass
# ended in a Scrapy callback error instead of a named problem.
@pytest.mark.parametrize(
    "body",
    [
        fixtures.RSS2.replace(b'encoding="UTF-8"', b'encoding="\x00TF-8"'),  # feedparser: embedded null character
        b'{"items": [{"title": "t", "authors": 1.0}]}',  # authors that are not a list
        b'{"items": [{"title": "t", "url": "http://[oops/x"}]}',  # urljoin: Invalid IPv6 URL
        b'{"items": [{"title": "t", "date_published": "0001-01-01T00:00:00Z"}]}',  # a date no index holds
    ],
    ids=["nul-in-encoding", "authors-number", "bad-url", "year-1"],
)
def test_what_crashed_is_read_or_refused(body: bytes) -> None:
    feed = read_or_refuse(body, {})
    assert feed is None or all(entry.url is None and entry.published is None for entry in feed.entries)


# Found by atheris (make fuzz): feedparser hands on a <links> element of text as a string, and
# reading it as a list of link dictionaries raised AttributeError.
@pytest.mark.parametrize(
    "body",
    [
        b'<feed xmlns="http://www.w3.org/2005/Atom"><title>NGO</title><entry><title>Code</title>'
        b"<links>oops</links></entry></feed>",
        b'<rss version="2.0"><channel><title>R</title><item><title>Code</title><links>oops</links></item>'
        b"</channel></rss>",
    ],
    ids=["atom", "rss"],
)
def test_a_links_element_of_text_is_no_link(body: bytes) -> None:
    (entry,) = parse_feed(body, "https://regulator.example/feed.xml", today=TODAY).entries
    assert (entry.title, entry.url) == ("Code", None)
