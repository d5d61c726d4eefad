"""GET /feeds/search.atom: a search as an Atom feed, its newest items first, for a feed reader."""

from __future__ import annotations

import dataclasses
import html
import re
from urllib.parse import quote, urlencode

import nh3
from fastapi import APIRouter, Request, Response
from feedgen.ext.base import BaseEntryExtension
from feedgen.feed import FeedGenerator
from feedgen.util import xml_elem
from lxml.etree import _Element

from api.deps import SearchParams
from api.schemas.common import Problem
from index.records import SearchHit, SearchQuery

router = APIRouter(prefix="/feeds", tags=["feeds"])

FEED_ITEMS = 50
ATOM = "application/atom+xml"
# Characters XML 1.0 cannot hold (lxml refuses them); crawled text sometimes carries them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_IGNORED = ("limit", "cursor", "sort")  # a feed is always its newest FEED_ITEMS


def xml_text(text: str) -> str:
    return _NOT_XML.sub("", text)


def plain_text(snippet: str) -> str:
    """A snippet (escaped text with <b> around what matched) as plain text."""
    return html.unescape(nh3.clean(snippet, tags=set()))


def describe(query: SearchQuery) -> str:
    """What a search asks for, in a line: the feed's title."""
    parts = [f"“{query.text.strip()}”"] if query.text.strip() else []
    for label, values in (
        ("in", query.jurisdictions),
        ("harm", query.harm_areas),
        ("type", query.doc_types),
        ("source kind", query.source_kinds),
        ("language", query.languages),
    ):
        if values:
            parts.append(f"{label} {', '.join(values)}")
    if query.since:
        parts.append(f"since {query.since}")
    if query.until:
        parts.append(f"until {query.until}")
    return "policy-radar: " + ("; ".join(parts) if parts else "every item")


class TrackerLink(BaseEntryExtension):
    """An entry's `related` link to the item on the tracker. feedgen 1.0 writes an entry's links
    without their rel (lkiesow/python-feedgen#135), which would make this one a second
    `alternate`; an entry extension writes it whole."""

    def __init__(self) -> None:
        self.href: str | None = None

    def extend_atom(self, entry: _Element) -> _Element:
        if self.href:
            xml_elem("link", entry, href=self.href, rel="related", title="on policy-radar")
        return entry


def _entry_id(hit: SearchHit) -> str:
    # Independent of the host the feed was fetched from, so a reader sees one entry per item.
    return f"urn:policy-radar:item:{hit.id}"


@router.get(
    "/search.atom",
    response_class=Response,
    responses={200: {"content": {ATOM: {}}}, 400: {"model": Problem}, 503: {"model": Problem}},
)
def search_atom(request: Request, query: SearchParams) -> Response:
    """The newest 50 items a search matches (the parameters of /api/search; `sort`, `limit` and
    `cursor` do not apply), as Atom: each entry links to the item's source and, as `related`,
    to the item on the tracker, with the snippet as plain text and the harm areas and
    jurisdictions as categories. Items with no published date are left out: a feed reader
    orders entries by date, and a made-up one would misplace them."""
    newest = dataclasses.replace(query, sort="newest", limit=FEED_ITEMS, cursor=None)
    result = request.app.state.engine().search(newest)
    base = str(request.base_url)
    canonical = sorted((key, value) for key, value in request.query_params.multi_items() if key not in _IGNORED)

    feed = FeedGenerator()
    feed.id(f"{base}feeds/search.atom" + (f"?{urlencode(canonical)}" if canonical else ""))
    feed.title(xml_text(describe(query)))
    feed.author(name="policy-radar")
    feed.link(href=str(request.url), rel="self", type=ATOM)
    feed.link(
        href=f"{base}api/search" + (f"?{urlencode(canonical)}" if canonical else ""),
        rel="alternate",
        type="application/json",
    )
    dated = [hit for hit in result.hits if hit.published_at is not None]
    if dated:
        feed.updated(max(hit.published_at for hit in dated if hit.published_at))
    for hit in dated:
        entry = feed.add_entry(order="append")  # newest first, as searched
        entry.id(_entry_id(hit))
        entry.title(xml_text(hit.title) or hit.url)
        entry.link(href=hit.url, rel="alternate")  # written without rel: alternate is the default
        entry.register_extension("tracker", TrackerLink, rss=False)
        entry.tracker.href = f"{base}items/{quote(hit.id, safe='')}"
        entry.published(hit.published_at)
        entry.updated(hit.published_at)
        if hit.source:
            entry.author(name=xml_text(hit.source))
        if summary := xml_text(plain_text(hit.snippet)).strip():
            entry.summary(summary)
        for harm_area in hit.harm_areas:
            entry.category(term=harm_area, scheme="urn:policy-radar:harm_areas")
        for code in hit.jurisdictions:
            entry.category(term=code, scheme="urn:policy-radar:jurisdictions")
    return Response(feed.atom_str(pretty=True), media_type=ATOM)
