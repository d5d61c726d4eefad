"""GET /api/figures/weekly, /emerging and /coverage (JSON) and the same as CSV downloads
(`.csv`): the figures of the trends page (briefings/figures.py), for a report or a spreadsheet."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from starlette.responses import Response

from api.deps import OptionalDate
from api.routes.exports import csv_cell
from api.routes.sources import read_registry
from api.schemas.common import Problem
from api.schemas.figures import (
    CoverageOut,
    EmergingOut,
    WeeklyFiguresOut,
    coverage_response,
    emerging_response,
    weekly_response,
)
from api.vocabulary import VocabularyError
from briefings.figures import DEFAULT_WEEKS, emerging, read_coverage, weekly_figures
from crawlers.registry import DEFAULT_REGISTRY, RegistryError, Source

router = APIRouter(prefix="/api/figures", tags=["figures"])

MAX_WEEKS = 104
EARLIEST = dt.date(2000, 1, 1)  # nothing the tracker holds is older; and a window must not run before year 1
WEEKLY_COLUMNS = ("week", "week_start", "harm_area", "jurisdiction", "stories")
EMERGING_COLUMNS = ("day", "harm_area", "jurisdiction", "count", "baseline_mean", "baseline_std", "z", "item_ids")
COVERAGE_COLUMNS = ("id", "name", "jurisdiction", "kind", "enabled", "items_30_days", "last_success_at", "flag")


@dataclass(frozen=True)
class FigureFilters:
    """What the figures are asked for: countries and harm areas (none: all), the weeks of the
    window and the moment they are counted up to."""

    countries: tuple[str, ...]
    harm_areas: tuple[str, ...]
    weeks: int
    now: dt.datetime


def figure_filters(
    request: Request,
    country: Annotated[list[str], Query(description="Jurisdiction code; repeatable, or comma-separated.")] = [],  # noqa: B006
    harm: Annotated[list[str], Query(description="Harm area id; repeatable.")] = [],  # noqa: B006
    weeks: Annotated[
        int, Query(ge=1, le=MAX_WEEKS, description="ISO weeks in the window, ending with this one.")
    ] = DEFAULT_WEEKS,
    as_of: Annotated[
        OptionalDate, Query(description="Count as at the end of this UTC day (YYYY-MM-DD) instead of now.")
    ] = None,
) -> FigureFilters:
    """The filters of the figures; an unknown harm area or a date before 2000 is a 400."""
    try:
        request.app.state.vocabulary().check("harm_areas", harm)
    except VocabularyError as error:
        raise HTTPException(400, str(error)) from None
    now = dt.datetime.now(dt.UTC)
    if as_of is not None:
        if as_of < EARLIEST:
            raise HTTPException(400, f"as_of must be on or after {EARLIEST.isoformat()}.")
        now = min(now, dt.datetime.combine(as_of, dt.time.max, tzinfo=dt.UTC))
    codes = tuple(dict.fromkeys(code.strip().upper() for each in country for code in each.split(",") if code.strip()))
    return FigureFilters(codes, tuple(dict.fromkeys(harm)), weeks, now)


Filters = Annotated[FigureFilters, Depends(figure_filters)]


def weekly_data(request: Request, filters: FigureFilters) -> dict[str, Any]:
    figures = weekly_figures(
        request.app.state.store().engine, filters.now, filters.weeks, filters.harm_areas, filters.countries
    )
    return weekly_response(figures)


def emerging_data(request: Request, filters: FigureFilters) -> dict[str, Any]:
    topics = emerging(request.app.state.store().engine, filters.now, filters.harm_areas, filters.countries)
    return emerging_response(filters.now.date(), topics)


def coverage_data(request: Request, countries: Sequence[str] = ()) -> dict[str, Any]:
    """The coverage of the registry's sources (of those in `countries`, when given) now."""
    codes = {code.upper() for code in countries}
    chosen = [source for source in _registry(request) if not codes or source.jurisdiction in codes]
    return coverage_response(read_coverage(request.app.state.store().engine, chosen, dt.datetime.now(dt.UTC)))


def _registry(request: Request) -> list[Source]:
    settings = request.app.state.settings
    try:
        return read_registry(settings)
    except FileNotFoundError:
        raise HTTPException(
            503, f"The source registry {settings.sources_file or DEFAULT_REGISTRY} is missing."
        ) from None
    except RegistryError as error:
        raise HTTPException(503, f"{error}\n`radar sources check` lists the same problems.") from None


def _csv(name: str, columns: Sequence[str], rows: Iterable[dict[str, Any]]) -> Response:
    """A CSV download: a byte-order mark (or Excel reads UTF-8 as its local code page), a header
    row, and every cell made safe from spreadsheet formulas (api/routes/exports.py)."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow(columns)
    writer.writerows([csv_cell(row[column]) for column in columns] for row in rows)
    filename = f"policy-radar-{name}-{dt.datetime.now(dt.UTC):%Y%m%d-%H%M%S}.csv"
    return Response(
        buffer.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _csv_responses(columns: Sequence[str]) -> dict[int | str, dict[str, Any]]:
    return {
        200: {"description": f"Columns: {', '.join(columns)}", "content": {"text/csv": {}}},
        400: {"model": Problem},
        503: {"model": Problem},
    }


@router.get("/weekly", response_model=WeeklyFiguresOut, responses={400: {"model": Problem}})
def weekly(request: Request, filters: Filters) -> dict[str, Any]:
    """Stories per ISO week, harm area and jurisdiction over the last `weeks` weeks (26 by
    default), each story once per cell however many sources carried it; an item's day is its
    published date, else the day it was first fetched."""
    return weekly_data(request, filters)


@router.get("/weekly.csv", response_class=Response, responses=_csv_responses(WEEKLY_COLUMNS))
def weekly_csv(request: Request, filters: Filters) -> Response:
    """/api/figures/weekly's cells, one row each (cells without stories are left out)."""
    return _csv("weekly", WEEKLY_COLUMNS, weekly_data(request, filters)["cells"])


@router.get("/emerging", response_model=EmergingOut, responses={400: {"model": Problem}})
def emerging_topics(request: Request, filters: Filters) -> dict[str, Any]:
    """The harm areas surging in a jurisdiction today (or on `as_of`): at least 3 items and 3
    standard deviations over their daily mean of the 28 days before, as trend alerts find them.
    `weeks` does not apply."""
    return emerging_data(request, filters)


@router.get("/emerging.csv", response_class=Response, responses=_csv_responses(EMERGING_COLUMNS))
def emerging_csv(request: Request, filters: Filters) -> Response:
    """/api/figures/emerging's topics, one row each (item_ids joined with ";")."""
    return _csv("emerging", EMERGING_COLUMNS, emerging_data(request, filters)["topics"])


@router.get("/coverage", response_model=CoverageOut, responses={503: {"model": Problem}})
def coverage(
    request: Request,
    country: Annotated[list[str], Query(description="Jurisdiction code or region; repeatable.")] = [],  # noqa: B006
) -> dict[str, Any]:
    """The registry's sources now: how many are enabled, by jurisdiction and kind, how many are
    healthy (not flagged as blocked, failing or silent), and items per source in the last 30 days."""
    return coverage_data(request, country)


@router.get("/coverage.csv", response_class=Response, responses=_csv_responses(COVERAGE_COLUMNS))
def coverage_csv(
    request: Request,
    country: Annotated[list[str], Query(description="Jurisdiction code or region; repeatable.")] = [],  # noqa: B006
) -> Response:
    """/api/figures/coverage's sources, one row each."""
    return _csv("coverage", COVERAGE_COLUMNS, coverage_data(request, country)["sources"])
