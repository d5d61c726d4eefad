"""The briefing form (GET /briefings): for countries, harm areas and a window of days, the
stories of that window by harm area, newest first, each once with its source and link. The full
briefing pack (consultations, deadlines, stakeholders, neighbours, DOCX and PDF) builds on this."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from starlette.responses import Response

from api.access import Viewer
from api.pages.rendering import render
from api.schemas.search import search_response
from index.records import MAX_LIMIT, SearchQuery

router = APIRouter(include_in_schema=False)
WINDOWS = (7, 14, 30, 90)


@router.get("/briefings", response_class=HTMLResponse)
def briefing_page(
    request: Request,
    _user: Viewer,
    country: Annotated[list[str], Query()] = [],  # noqa: B006
    harm: Annotated[list[str], Query()] = [],  # noqa: B006
    days: Annotated[int, Query(ge=1, le=366)] = 30,
) -> Response:
    context: dict[str, Any] = {"page": "briefings", "windows": WINDOWS, "days": days, "country": ", ".join(country)}
    context["chosen_harms"] = set(harm)
    countries = tuple(code.strip().upper() for each in country for code in each.split(",") if code.strip())
    if countries or harm:
        since = dt.datetime.now(dt.UTC).date() - dt.timedelta(days=days)
        query = SearchQuery(
            jurisdictions=countries, harm_areas=tuple(harm), since=since, sort="newest", limit=MAX_LIMIT
        )
        result = search_response(request.app.state.engine().search(query))
        context.update(since=since, total=result["total"], by_harm=_by_harm(result["items"], harm))
    return render(request, "briefings.html", context)


def _by_harm(items: list[dict[str, Any]], chosen: list[str]) -> dict[str, list[dict[str, Any]]]:
    """Each story once, under each harm area it carries (only the chosen ones, when chosen)."""
    grouped: dict[str, list[dict[str, Any]]] = {}
    seen: set[str] = set()
    for item in items:
        if item["story_id"] in seen:
            continue
        seen.add(item["story_id"])
        for harm in item["harm_areas"] or ["(no harm area)"]:
            if not chosen or harm in chosen:
                grouped.setdefault(harm, []).append(item)
    return dict(sorted(grouped.items(), key=lambda pair: -len(pair[1])))
