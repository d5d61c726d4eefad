"""Opaque page cursors: where the next page starts, tied to the search that made it.

A cursor carries the sort it was made for, a position (an offset for relevance; the last hit's
sort key for newest, which stays stable while items are added) and a short signature of the
search, so a cursor handed to a different search is refused instead of returning a wrong page.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import json

from index.records import QueryError, SearchQuery

_INVALID = "The cursor is not valid for this search; start again from the first page."
# Pages by relevance go this far: an engine collects every result before the page it returns, so
# a cursor (anyone can make one) at offset 2**32 made tantivy ask for 64 GB and abort the process.
MAX_RELEVANCE_WINDOW = 10_000


def search_signature(query: SearchQuery) -> str:
    """A short digest of everything that decides a search's order, except the page."""
    fields = dataclasses.asdict(query)
    fields.pop("cursor", None)
    fields.pop("limit", None)
    text = json.dumps(fields, sort_keys=True, default=str)
    return hashlib.blake2b(text.encode("utf-8"), digest_size=6).hexdigest()


def encode_cursor(query: SearchQuery, position: str | int) -> str:
    """A cursor for the page after `position` in `query`'s results."""
    payload = {"s": search_signature(query), "p": position}
    raw = json.dumps(payload, separators=(",", ":")).encode("utf-8")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_cursor(query: SearchQuery) -> str | int | None:
    """The position `query.cursor` points after (None without a cursor); QueryError if it was
    made for another search or has been tampered with."""
    if not query.cursor:
        return None
    try:
        padded = query.cursor + "=" * (-len(query.cursor) % 4)
        payload = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
        position = payload["p"]
        signature = payload["s"]
    except (ValueError, KeyError, TypeError, UnicodeError) as error:
        raise QueryError(_INVALID) from error
    if signature != search_signature(query) or not isinstance(position, str | int) or isinstance(position, bool):
        raise QueryError(_INVALID)
    if isinstance(position, int) and position < 0:
        raise QueryError(_INVALID)
    return position


def relevance_offset(query: SearchQuery, position: str | int | None) -> int:
    """Where a page by relevance starts, from the position its cursor decoded to; QueryError for a
    position that is no offset, or a page that ends past MAX_RELEVANCE_WINDOW."""
    if position is not None and not isinstance(position, int):
        raise QueryError(_INVALID)
    offset = position or 0
    if offset + query.limit > MAX_RELEVANCE_WINDOW:
        raise QueryError(
            f"Pages by relevance stop at result {MAX_RELEVANCE_WINDOW:,}: narrow the search or sort by newest."
        )
    return offset
