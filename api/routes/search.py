"""GET /api/search: the parameters of `radar search`, the response of `radar search --json`."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from api.schemas import Problem, SearchResponse, search_response
from index.records import MAX_LIMIT, SearchQuery

router = APIRouter(prefix="/api", tags=["search"])


@router.get("/search", response_model=SearchResponse, responses={400: {"model": Problem}, 503: {"model": Problem}})
def search(
    request: Request,
    q: Annotated[str, Query(description='Words, "phrases", AND/OR/NOT, field:value, prefix*.')] = "",
    country: Annotated[list[str], Query(description="Jurisdiction code; repeatable.")] = [],  # noqa: B006
    harm: Annotated[list[str], Query(description="Harm area id; repeatable.")] = [],  # noqa: B006
    doc_type: Annotated[list[str], Query(description="Document type; repeatable.")] = [],  # noqa: B006
    source_kind: Annotated[list[str], Query(description="Kind of source; repeatable.")] = [],  # noqa: B006
    lang: Annotated[list[str], Query(description="Language code; repeatable.")] = [],  # noqa: B006
    since: Annotated[dt.date | None, Query(description="Published on or after (YYYY-MM-DD).")] = None,
    until: Annotated[dt.date | None, Query(description="Published on or before (YYYY-MM-DD).")] = None,
    sort: Annotated[str, Query(pattern="^(relevance|newest)$")] = "relevance",
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 20,
    cursor: Annotated[str | None, Query(description="The next_cursor of a previous page.")] = None,
) -> dict[str, Any]:
    """Search items by words and filters, with facet counts; an empty `q` lists the matching
    items newest first."""
    query = SearchQuery(
        text=q,
        jurisdictions=tuple(code.upper() for code in country),
        harm_areas=tuple(harm),
        doc_types=tuple(doc_type),
        source_kinds=tuple(source_kind),
        languages=tuple(lang),
        since=since,
        until=until,
        sort="newest" if sort == "newest" or not q.strip() else "relevance",
        limit=limit,
        cursor=cursor,
    )
    return search_response(request.app.state.engine().search(query))
