"""Read a fetched feed (RSS 0.9x/1.0/2.0, Atom, JSON Feed) into entries, with the quirks of
real feeds: feeds whose declared encoding is wrong, relative links, dates in local formats or
missing, HTML in titles, entries without links.

feedparser reads the XML feeds (it resolves relative links against the feed's URL and decodes
the declared encoding); JSON Feed, which feedparser does not read, is read here. When the
declared encoding is wrong, the bytes are decoded with the source's own (the registry's
`encoding`) or the first of its language's usual encodings that decodes them cleanly, and read
again. Dates: feedparser's own parsers misread some local formats (it takes 2025年3月1日 for
November), so a date written with 年月日 or 년월일 is read here, and a date more than two days in
the future, or before 1900, is dropped as wrong.
"""

from __future__ import annotations

import calendar
import datetime as dt
import html
import json
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

import feedparser

MAX_ENTRIES = 500  # a feed of 100,000 entries is cut here, and says so
EARLIEST = dt.date(1900, 1, 1)  # an earlier date is wrong (feedparser reads "0001-01-01"), and no index holds it
# The encodings a feed in each language is likely to be in when its declaration is wrong.
LIKELY_ENCODINGS = {
    "ja": ("shift_jis", "euc-jp", "iso-2022-jp"),
    "ko": ("cp949",),
    "zh": ("gb18030", "big5"),
    "th": ("cp874",),
    "vi": ("cp1258",),
}
_TAGS = re.compile(r"<[^>]*>")
_SPACES = re.compile(r"\s+")
_ASIAN_DATE = re.compile(r"(\d{4})\s*[年년.\-/]\s*(\d{1,2})\s*[月월.\-/]\s*(\d{1,2})")
_DECLARATION = re.compile(rb"^(\s*<\?xml[^>]*?encoding\s*=\s*[\"'])([^\"']+)([\"'])")


@dataclass(frozen=True)
class Entry:
    url: str | None
    title: str
    text: str  # the entry's content or summary, as plain text
    published: dt.date | None
    author: str | None = None


@dataclass
class ParsedFeed:
    entries: list[Entry] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # what was odd, for the source's health
    link: str | None = None  # the site the feed is about


class FeedError(ValueError):
    """The body is not a feed at all."""


def parse_feed(
    body: bytes,
    url: str,
    content_type: str = "",
    language: str = "en",
    encoding: str | None = None,
    today: dt.date | None = None,
) -> ParsedFeed:
    """The entries of a feed fetched from `url`; FeedError when it is no feed."""
    today = today or dt.datetime.now(dt.UTC).date()
    if "json" in content_type or body.lstrip()[:1] == b"{":
        return _json_feed(body, url, today)
    if encoding:
        body = _declared(body, encoding)
    # Servers often send feeds as text/html or text/plain: the body decides, not the header.
    headers = {"content-location": url, "content-type": "application/xml"}
    parsed = _feedparser(body, headers)
    feed = ParsedFeed(link=parsed.feed.get("link"))
    if parsed.bozo and isinstance(parsed.get("bozo_exception"), feedparser.CharacterEncodingOverride) and not encoding:
        for candidate in LIKELY_ENCODINGS.get(language, ()):
            try:
                body.decode(candidate)
            except UnicodeDecodeError:
                continue
            parsed = _feedparser(_declared(body, candidate), headers)
            feed.problems.append(f"declared encoding is wrong; read as {candidate}")
            break
        else:
            feed.problems.append(f"declared encoding is wrong; read as {parsed.get('encoding')}")
    if not parsed.entries and not parsed.get("version"):
        reason = parsed.get("bozo_exception")
        raise FeedError(f"not a feed ({reason or 'no RSS, Atom or JSON Feed found'})")
    if parsed.bozo and not feed.problems:
        feed.problems.append(f"malformed feed, read leniently: {parsed.get('bozo_exception')}")
    for raw in parsed.entries[:MAX_ENTRIES]:
        feed.entries.append(
            Entry(
                url=_link(raw, url),
                title=plain(raw.get("title", "")),
                text=plain(_content(raw)),
                published=_published(raw, today),
                author=plain(raw.get("author", "")) or None,
            )
        )
    if len(parsed.entries) > MAX_ENTRIES:
        feed.problems.append(f"{len(parsed.entries):,} entries; read the first {MAX_ENTRIES}")
    return feed


def _feedparser(body: bytes, headers: dict[str, str]) -> Any:
    try:
        return feedparser.parse(body, response_headers=headers)
    except ValueError as error:  # feedparser decodes with the declared encoding as written: "\x00TF-8" raises
        raise FeedError(f"not a feed (its encoding declaration cannot be read: {error})") from None


def plain(text: str) -> str:
    """Text without HTML tags and entities, its spaces collapsed."""
    return _SPACES.sub(" ", html.unescape(_TAGS.sub(" ", text))).strip()


def _declared(body: bytes, encoding: str) -> bytes:
    """The feed re-encoded as UTF-8 from `encoding`, its declaration saying so."""
    text = body.decode(encoding, errors="replace").encode("utf-8")
    if _DECLARATION.match(text):
        return _DECLARATION.sub(rb"\1utf-8\3", text, count=1)
    return text


def _link(raw: Any, base: str) -> str | None:
    # feedparser passes on whatever an element held: a <links> element of text is a string here.
    links = raw.get("links")
    alternates = (
        item.get("href")
        for item in (links if isinstance(links, list) else [])
        if isinstance(item, dict) and item.get("rel") in (None, "alternate")
    )
    link = raw.get("link") or next(alternates, None)
    if not link and str(raw.get("id", "")).startswith(("http://", "https://")):
        link = raw["id"]  # an Atom id that is the article's URL
    return _joined(base, link.strip()) if isinstance(link, str) and link.strip() else None


def _joined(base: str, link: str) -> str | None:
    """`link` resolved against `base`; None when it is no URL at all ("http://[oops/")."""
    try:
        return urljoin(base, link)
    except ValueError:
        return None


def _content(raw: Any) -> str:
    for part in raw.get("content", []):
        if part.get("value"):
            return str(part["value"])
    return str(raw.get("summary", "") or raw.get("description", ""))


def _published(raw: Any, today: dt.date) -> dt.date | None:
    for key in ("published", "updated", "created"):
        written = dict.get(raw, key)  # not raw.get: feedparser maps a missing `updated` to `published`, warning
        if not written:
            continue
        asian = _ASIAN_DATE.search(written)
        day: dt.date | None = None
        if asian:
            try:
                day = dt.date(*map(int, asian.groups()))
            except ValueError:
                day = None
        elif parsed := dict.get(raw, f"{key}_parsed"):
            day = dt.datetime.fromtimestamp(calendar.timegm(parsed), dt.UTC).date()
        if day and EARLIEST <= day <= today + dt.timedelta(days=2):
            return day
    return None


def _json_feed(body: bytes, url: str, today: dt.date) -> ParsedFeed:
    try:
        document = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise FeedError(f"not a feed (invalid JSON: {error})") from None
    if not isinstance(document, dict) or not isinstance(document.get("items"), list):
        raise FeedError("not a feed (JSON without an `items` list)")
    feed = ParsedFeed(link=document.get("home_page_url"))
    for raw in document["items"][:MAX_ENTRIES]:
        if not isinstance(raw, dict):
            continue
        link = raw.get("url") or raw.get("external_url")
        written = str(raw.get("date_published") or raw.get("date_modified") or "")
        try:
            published: dt.date | None = dt.datetime.fromisoformat(written.replace("Z", "+00:00")).date()
        except ValueError:
            published = None
        if published and not EARLIEST <= published <= today + dt.timedelta(days=2):
            published = None
        authors = raw.get("authors") or ([raw["author"]] if isinstance(raw.get("author"), dict) else [])
        authors = authors if isinstance(authors, list) else []
        feed.entries.append(
            Entry(
                url=_joined(url, link) if isinstance(link, str) and link else None,
                title=plain(str(raw.get("title") or "")),
                text=plain(str(raw.get("content_html") or raw.get("content_text") or raw.get("summary") or "")),
                published=published,
                author=next((str(a["name"]) for a in authors if isinstance(a, dict) and a.get("name")), None),
            )
        )
    if len(document["items"]) > MAX_ENTRIES:
        feed.problems.append(f"{len(document['items']):,} entries; read the first {MAX_ENTRIES}")
    return feed
