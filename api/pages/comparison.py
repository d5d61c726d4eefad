"""The comparison page (GET /compare?harm=ID): where each Asia-Pacific jurisdiction stands on one
harm area, the latest item at each stage (briefings/comparison.py), as in section 6 of a
briefing, which links here."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from starlette.responses import Response

from api.access import Viewer
from api.pages.rendering import render
from api.routes.briefings import references
from briefings.comparison import comparison_table
from briefings.html import render_comparison
from briefings.request import BriefingRequest, BriefingRequestError, check_request, split_values

router = APIRouter(include_in_schema=False)


@router.get("/compare", response_class=HTMLResponse)
def comparison_page(
    request: Request,
    _user: Viewer,
    harm: Annotated[str, Query()] = "",
    country: Annotated[list[str], Query()] = [],  # noqa: B006
) -> Response:
    context: dict[str, Any] = {"page": "briefings", "harm": harm, "country": ", ".join(split_values(country))}
    if not harm.strip():
        return render(request, "comparison.html", context)
    known = references(request)
    try:
        wanted = check_request(BriefingRequest(countries=split_values(country), harm_areas=(harm,)), known)
    except BriefingRequestError as error:
        return render(request, "comparison.html", {**context, "problem": str(error)}, status_code=400)
    (harm_area,) = wanted.harm_areas
    comparison, sources = comparison_table(
        request.app.state.engine(),
        harm_area,
        label=known.harm_label(harm_area),
        until=dt.datetime.now(dt.UTC).date(),
        public_url="",
        source_names=known.source_names(),
        focus=wanted.countries,
    )
    context.update(harm=harm_area, comparison=comparison, table=render_comparison(comparison, sources))
    return render(request, "comparison.html", context)
