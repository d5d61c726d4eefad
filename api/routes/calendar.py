"""GET /calendar.ics: the deadlines calendar (briefings/calendar.py) for a calendar client to
subscribe to. Like the feeds, a client cannot send headers, so it may carry `?token=`."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request, Response

from api.deps import OptionalDate
from api.schemas.common import Problem
from api.vocabulary import VocabularyError
from briefings.calendar import build_calendar, default_window

router = APIRouter(tags=["calendar"])

ICALENDAR = "text/calendar; charset=utf-8"


@router.get(
    "/calendar.ics",
    response_class=Response,
    responses={200: {"content": {"text/calendar": {}}}, 400: {"model": Problem}},
)
def calendar_ics(
    request: Request,
    country: Annotated[list[str], Query(description="Jurisdiction code; repeatable.")] = [],  # noqa: B006
    harm: Annotated[list[str], Query(description="Harm area id; repeatable.")] = [],  # noqa: B006
    first_day: Annotated[
        OptionalDate, Query(alias="from", description="Events on or after (YYYY-MM-DD); default 30 days ago.")
    ] = None,
    last_day: Annotated[
        OptionalDate, Query(alias="to", description="Events on or before (YYYY-MM-DD); default a year ahead.")
    ] = None,
) -> Response:
    """Consultation deadlines, commencements and hearings of the items in these countries and
    harm areas (any, when none is given), as iCalendar all-day events, each linking to its item
    on the tracker; one event per story, date and kind, with a UID that stays the same from one
    fetch to the next."""
    try:
        request.app.state.vocabulary().check("harm_areas", harm)
    except VocabularyError as error:
        raise HTTPException(400, str(error)) from None
    default_first, default_last = default_window(dt.datetime.now(dt.UTC).date())
    first_day, last_day = first_day or default_first, last_day or default_last
    if first_day > last_day:
        raise HTTPException(400, f"The window ends ({last_day}) before it starts ({first_day}): swap from and to.")
    body = build_calendar(
        request.app.state.store().engine,
        request.app.state.settings.public_url,
        first_day,
        last_day,
        jurisdictions=tuple(code.upper() for code in country),
        harm_areas=tuple(harm),
    )
    return Response(body, media_type=ICALENDAR)
