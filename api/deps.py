"""What routes take from FastAPI's dependency injection, as `Annotated` aliases: the parameters
of a search (shared by /api/search, the exports, the Atom feed and the search page)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import Depends, Query
from pydantic import BeforeValidator

from index.records import MAX_LIMIT, SearchQuery

# A form's empty date field sends "since=": no date, rather than a bad one.
OptionalDate = Annotated[dt.date | None, BeforeValidator(lambda value: value or None)]


def search_query(
    q: Annotated[str, Query(description='Words, "phrases", AND/OR/NOT, field:value, prefix*.')] = "",
    country: Annotated[list[str], Query(description="Jurisdiction code; repeatable.")] = [],  # noqa: B006
    harm: Annotated[list[str], Query(description="Harm area id; repeatable.")] = [],  # noqa: B006
    doc_type: Annotated[list[str], Query(description="Document type; repeatable.")] = [],  # noqa: B006
    source_kind: Annotated[list[str], Query(description="Kind of source; repeatable.")] = [],  # noqa: B006
    lang: Annotated[list[str], Query(description="Language code; repeatable.")] = [],  # noqa: B006
    since: Annotated[OptionalDate, Query(description="Published on or after (YYYY-MM-DD).")] = None,
    until: Annotated[OptionalDate, Query(description="Published on or before (YYYY-MM-DD).")] = None,
    sort: Annotated[str, Query(pattern="^(relevance|newest)$")] = "relevance",
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 20,
    cursor: Annotated[str | None, Query(description="The next_cursor of a previous page.")] = None,
) -> SearchQuery:
    """The parameters of `radar search` as query parameters; an empty `q` lists newest first."""
    return SearchQuery(
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


SearchParams = Annotated[SearchQuery, Depends(search_query)]
