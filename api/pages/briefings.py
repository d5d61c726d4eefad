"""The briefing page (GET /briefings): a form (countries, harm areas, a stakeholder, a window of
days) and, once prepared, the whole briefing pack (briefings/pack.py) in the page, with links to
download it as Markdown, HTML, Word or PDF from /api/briefing."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse
from starlette.responses import Response

from api.access import Viewer
from api.pages.rendering import render
from api.routes.briefings import briefing_for
from briefings.formats import FORMATS, filename
from briefings.html import render_sections
from briefings.request import DEFAULT_DAYS, MAX_DAYS, MIN_DAYS, BriefingRequest, split_values

router = APIRouter(include_in_schema=False)
WINDOWS = (7, 14, 30, 90, 180, 365)


@router.get("/briefings", response_class=HTMLResponse)
def briefing_page(
    request: Request,
    _user: Viewer,
    country: Annotated[list[str], Query()] = [],  # noqa: B006
    harm: Annotated[list[str], Query()] = [],  # noqa: B006
    stakeholder: Annotated[str, Query()] = "",
    days: Annotated[int, Query(ge=MIN_DAYS, le=MAX_DAYS)] = DEFAULT_DAYS,
    prepare: Annotated[str, Query()] = "",
) -> Response:
    countries, harms = split_values(country), split_values(harm)
    context: dict[str, Any] = {
        "page": "briefings",
        "windows": sorted({*WINDOWS, days}),
        "days": days,
        "country": ", ".join(countries),
        "stakeholder": stakeholder,
        "chosen_harms": set(harms),
    }
    if not (prepare or countries or harms or stakeholder.strip()):
        return render(request, "briefings.html", context)
    wanted = BriefingRequest(countries, harms, stakeholder.strip() or None, days)
    try:
        pack = briefing_for(request, wanted, public_url="")
    except HTTPException as error:
        return render(request, "briefings.html", {**context, "problem": error.detail}, status_code=error.status_code)
    query = [("country", code) for code in pack.countries] + [("harm", harm) for harm in pack.harm_areas]
    query += [("stakeholder", pack.stakeholder)] if pack.stakeholder else []
    query.append(("days", str(days)))
    context["downloads"] = [
        (chosen.description, f"/api/briefing?{urlencode([*query, ('format', name)])}", filename(pack, name))
        for name, chosen in FORMATS.items()
    ]
    context.update(briefing=pack, sections=render_sections(pack, compare_path="/compare"))
    return render(request, "briefings.html", context)
