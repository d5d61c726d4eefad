"""What the store keeps and the search index serves: typed records shared by every engine."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

Sort = Literal["relevance", "newest"]
MAX_LIMIT = 1000
# The filter fields a search can narrow by and count facets on, as the API names them.
FACET_FIELDS = ("jurisdictions", "harm_areas", "doc_type", "source_kind", "language")


@dataclass(frozen=True)
class StoredItem:
    """One item as the store of record keeps it (its latest version) and the index serves it."""

    id: str  # stable: derived from the canonical URL
    url: str  # canonical: tracking parameters stripped
    title: str
    text: str
    language: str
    source: str | None
    source_kind: str | None
    published_at: dt.datetime | None
    fetched_at: dt.datetime
    content_hash: str
    harm_areas: tuple[str, ...]
    jurisdictions: tuple[str, ...]
    mentioned_jurisdictions: tuple[str, ...]
    doc_type: str
    stakeholders: tuple[str, ...]  # canonical names
    dates: tuple[dict[str, str], ...]  # {"date": "YYYY-MM-DD", "kind": ..., "text": ...}
    evidence: dict[str, Any]
    story_id: str
    version: int = 1


@dataclass(frozen=True)
class UpsertOutcome:
    id: str
    status: Literal["new", "updated", "unchanged"]
    story_id: str
    joined_story: bool  # grouped with a near-duplicate already stored


@dataclass(frozen=True)
class ItemVersion:
    version: int
    fetched_at: dt.datetime
    content_hash: str
    title: str
    text: str
    diff: str  # unified diff of title and text from the previous version ("" for the first)


@dataclass(frozen=True)
class SearchQuery:
    """A search: query text in the query language, plus filters. Empty text lists by filters."""

    text: str = ""
    jurisdictions: tuple[str, ...] = ()
    harm_areas: tuple[str, ...] = ()
    doc_types: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    source_kinds: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    stakeholders: tuple[str, ...] = ()
    since: dt.date | None = None
    until: dt.date | None = None
    sort: Sort = "relevance"
    limit: int = 20
    cursor: str | None = None
    expand: bool = True  # OR policy terms with their equivalents in other languages


@dataclass(frozen=True)
class SearchHit:
    id: str
    title: str
    url: str
    published_at: dt.datetime | None
    language: str
    jurisdictions: tuple[str, ...]
    harm_areas: tuple[str, ...]
    doc_type: str
    source: str | None
    source_kind: str | None
    story_id: str
    snippet: str  # highlighted with <b>...</b>; the rest is escaped text
    score: float


@dataclass(frozen=True)
class SearchResult:
    total: int
    hits: tuple[SearchHit, ...]
    facets: dict[str, dict[str, int]]  # FACET_FIELDS -> value -> count
    histogram: tuple[tuple[str, int], ...]  # ("YYYY-MM", count), oldest first
    next_cursor: str | None
    expanded_terms: dict[str, tuple[str, ...]] = field(default_factory=dict)  # query term -> added equivalents


class IndexOutdatedError(RuntimeError):
    """The search index was built for another schema; it is rebuilt from the store."""


class IndexUnavailableError(RuntimeError):
    """The search index cannot be written now: its cluster is unreachable, another process holds
    its writer, or its directory cannot be written. The store is unaffected: what it holds and has
    not indexed stays marked for the index, which takes it when it can be written again."""


class QueryError(ValueError):
    """A query that cannot be run, with a message a person can act on (never a stack trace)."""


class InvalidItemError(ValueError):
    """An item the store refused, naming it; the batch it came in was not stored at all."""

    def __init__(self, message: str, item_id: str | None = None, position: int | None = None) -> None:
        super().__init__(message)
        self.item_id = item_id
        self.position = position
