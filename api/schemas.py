"""What the API sends and takes: wire schemas, separate from the store's rows and the engines'
records (`index/records.py`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, Field

from index.records import ItemVersion, SearchResult, StoredItem


def _day(moment: dt.datetime | None) -> str | None:
    """YYYY-MM-DD, as published dates go on the wire."""
    return moment.date().isoformat() if moment else None


class SearchItem(BaseModel):
    id: str
    title: str
    url: str
    published: str | None = Field(description="YYYY-MM-DD")
    language: str
    jurisdictions: list[str]
    harm_areas: list[str]
    doc_type: str
    source: str | None
    story_id: str
    snippet: str = Field(description="HTML: escaped text with <b> around what matched")
    score: float


class MonthCount(BaseModel):
    month: str = Field(description="YYYY-MM")
    count: int


class SearchResponse(BaseModel):
    """The same as `radar search --json`."""

    total: int
    items: list[SearchItem]
    facets: dict[str, dict[str, int]]
    histogram: list[MonthCount]
    next_cursor: str | None
    expanded_terms: dict[str, list[str]] = Field(description="query term -> the equivalents also searched")


class Problem(BaseModel):
    """Every error: a message a person can act on."""

    error: str


class Health(BaseModel):
    status: str


def search_response(result: SearchResult) -> dict[str, Any]:
    """The wire form of a search result (`radar search --json` prints the same)."""
    return SearchResponse(
        total=result.total,
        items=[
            SearchItem(
                id=hit.id,
                title=hit.title,
                url=hit.url,
                published=_day(hit.published_at),
                language=hit.language,
                jurisdictions=list(hit.jurisdictions),
                harm_areas=list(hit.harm_areas),
                doc_type=hit.doc_type,
                source=hit.source,
                story_id=hit.story_id,
                snippet=hit.snippet,
                score=round(hit.score, 4),
            )
            for hit in result.hits
        ],
        facets=result.facets,
        histogram=[MonthCount(month=month, count=count) for month, count in result.histogram],
        next_cursor=result.next_cursor,
        expanded_terms={term: list(added) for term, added in result.expanded_terms.items()},
    ).model_dump()


class Version(BaseModel):
    version: int
    fetched_at: str
    title: str
    diff: str = Field(description="unified diff of the title and text from the previous version ('' for the first)")


class StoryMember(BaseModel):
    id: str
    title: str
    url: str
    source: str | None
    published: str | None


class ItemDetail(BaseModel):
    """An item with its tags and the evidence behind each, its versions and its story."""

    id: str
    url: str
    title: str
    text: str
    language: str
    source: str | None
    source_kind: str | None
    published: str | None
    fetched_at: str
    jurisdictions: list[str]
    mentioned_jurisdictions: list[str]
    harm_areas: list[str]
    doc_type: str
    stakeholders: list[str]
    dates: list[dict[str, str]]
    evidence: dict[str, Any] = Field(description="tag -> the words in the item that gave it")
    version: int
    versions: list[Version]
    story_id: str
    story: list[StoryMember] = Field(description="the other items of the same story (near-duplicates)")


def item_detail(item: StoredItem, versions: list[ItemVersion], story: list[StoredItem]) -> dict[str, Any]:
    return ItemDetail(
        id=item.id,
        url=item.url,
        title=item.title,
        text=item.text,
        language=item.language,
        source=item.source,
        source_kind=item.source_kind,
        published=_day(item.published_at),
        fetched_at=item.fetched_at.isoformat(),
        jurisdictions=list(item.jurisdictions),
        mentioned_jurisdictions=list(item.mentioned_jurisdictions),
        harm_areas=list(item.harm_areas),
        doc_type=item.doc_type,
        stakeholders=list(item.stakeholders),
        dates=list(item.dates),
        evidence=item.evidence,
        version=item.version,
        versions=[
            Version(version=v.version, fetched_at=v.fetched_at.isoformat(), title=v.title, diff=v.diff)
            for v in versions
        ],
        story_id=item.story_id,
        story=[
            StoryMember(
                id=other.id,
                title=other.title,
                url=other.url,
                source=other.source,
                published=_day(other.published_at),
            )
            for other in story
            if other.id != item.id
        ],
    ).model_dump()
