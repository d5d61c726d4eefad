"""GET /api/search on the wire (and `radar search --json`)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from api.schemas.common import day
from index.records import SearchResult


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


def search_response(result: SearchResult) -> dict[str, Any]:
    """The wire form of a search result (`radar search --json` prints the same)."""
    return SearchResponse(
        total=result.total,
        items=[
            SearchItem(
                id=hit.id,
                title=hit.title,
                url=hit.url,
                published=day(hit.published_at),
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
