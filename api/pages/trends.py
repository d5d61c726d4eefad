"""The trends page (GET /trends): for leadership, stories per week on each harm area (small
multiples) and per country, the topics surging today with their items, and the sources' coverage
and health; filters by country, harm area and window; the figures as CSV and JSON
(api/routes/figures.py)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup
from starlette.exceptions import HTTPException
from starlette.responses import Response

from api.access import Viewer
from api.pages.rendering import render
from api.routes.figures import Filters, coverage_data
from briefings.charts import bar_chart, harm_multiples
from briefings.figures import emerging, iso_week, weekly_figures

router = APIRouter(include_in_schema=False)
WINDOWS = (8, 13, 26, 52)
PLACES_SHOWN = 20  # bars in the chart of countries; the CSV has them all


@router.get("/trends", response_class=HTMLResponse)
def trends_page(request: Request, _user: Viewer, filters: Filters) -> Response:
    state = request.app.state
    vocabulary, engine = state.vocabulary(), state.store().engine
    figures = weekly_figures(engine, filters.now, filters.weeks, filters.harm_areas, filters.countries)
    harm_names = vocabulary.labels["harm_areas"]
    # The charts escape what they are given; Markup only lets the finished SVG into the page.
    multiples = [(harm, Markup(svg)) for harm, svg in harm_multiples(figures.weeks, figures.by_harm, labels=harm_names)]
    places = [
        (vocabulary.label("jurisdictions", code), count)
        for code, count in list(figures.by_jurisdiction.items())[:PLACES_SHOWN]
    ]
    asked = request.query_params
    as_of = asked.get("as_of") or ""
    query = urlencode(
        [("country", code) for code in filters.countries]
        + [("harm", harm) for harm in filters.harm_areas]
        + [("weeks", str(filters.weeks))]
        + ([("as_of", as_of)] if as_of else [])
    )
    context: dict[str, Any] = {
        "page": "trends",
        "windows": sorted({*WINDOWS, filters.weeks}),
        "weeks": filters.weeks,
        "country": ", ".join(filters.countries),
        "chosen_harms": set(filters.harm_areas),
        "as_of": as_of,
        "now": filters.now,
        "figures": figures,
        "first_week": iso_week(figures.weeks[0]),
        "last_week": iso_week(figures.weeks[-1]),
        "multiples": multiples,
        "places_chart": Markup(bar_chart("places", "Stories per country or region", places)),
        "places_left_out": max(len(figures.by_jurisdiction) - PLACES_SHOWN, 0),
        "emerging": emerging(engine, filters.now, filters.harm_areas, filters.countries),
        "query": query,
        "country_query": urlencode([("country", code) for code in filters.countries]),
    }
    try:
        context["coverage"] = coverage_data(request, filters.countries)
    except HTTPException as error:  # the registry cannot be read: the rest of the page still can
        context["coverage_problem"] = str(error.detail)
    return render(request, "trends.html", context)
