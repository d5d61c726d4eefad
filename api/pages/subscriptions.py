"""The subscriptions page: your subscriptions with the deliveries that failed, a form to add a
search or a trend, and a button to remove each (editors and admins; an admin also sees the
tracker's own source-health subscription). Delivery comes with the alerts; this keeps what they
will deliver."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.datastructures import FormData
from starlette.responses import Response

from api.access import Editor
from api.pages.rendering import render
from api.protection import check_csrf
from api.routes.subscriptions import listed, owned, save, subscriptions, with_problems
from api.schemas.subscriptions import DeliveryProblemOut, SubscriptionId, shown_channel
from index.store.subscriptions import CADENCES, KINDS, NewSubscription

router = APIRouter(include_in_schema=False)


def _page(request: Request, user: Editor, error: str | None = None, status_code: int = 200) -> Response:
    rows = [
        {
            "subscription": each,
            "channels": [shown_channel(channel) for channel in each.channels],
            "problems": [_problem_text(problem, each.time_zone) for problem in each.delivery_problems],
        }
        for each in with_problems(request, listed(request, user))
    ]
    context = {"page": "subscriptions", "rows": rows, "cadences": CADENCES, "kinds": KINDS, "error": error}
    return render(request, "subscriptions.html", context, status_code=status_code)


def _problem_text(problem: DeliveryProblemOut, time_zone: str) -> str:
    """One line a person can act on: which channel, how often it failed, when it is tried again
    (in the subscription's own time zone) and the last error."""
    alerts = f" ({problem.alerts} alerts)" if problem.alerts > 1 else ""
    if problem.status == "abandoned":
        attempts = "attempt" if problem.attempts == 1 else "attempts"
        return f"{problem.channel}{alerts} — abandoned after {problem.attempts} {attempts}: {problem.last_error}"
    times = "time" if problem.attempts == 1 else "times"
    when = ""
    if problem.next_attempt_at:
        zone = _zone(time_zone)
        next_try = dt.datetime.fromisoformat(problem.next_attempt_at).astimezone(zone)
        when = f", next try {next_try:%d %b %H:%M} {zone}"
    return f"{problem.channel}{alerts} — failed {problem.attempts} {times}{when}: {problem.last_error}"


def _zone(name: str) -> dt.tzinfo:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return dt.UTC  # the store only keeps zones that were known; a system that lost one shows UTC


@router.get("/subscriptions", response_class=HTMLResponse)
def subscriptions_page(request: Request, user: Editor) -> Response:
    return _page(request, user)


@router.post("/subscriptions", response_class=HTMLResponse, dependencies=[Depends(check_csrf)])
async def add_subscription(request: Request, user: Editor) -> Response:
    form = await request.form()
    try:
        save(request, _from_form(form), user)
    except HTTPException as error:
        return _page(request, user, error=str(error.detail), status_code=400)
    return RedirectResponse("/subscriptions", status_code=303)


@router.post("/subscriptions/{subscription_id}/delete", dependencies=[Depends(check_csrf)])
def remove_subscription(request: Request, subscription_id: SubscriptionId, user: Editor) -> Response:
    subscriptions(request).remove(owned(request, subscription_id, user).id)
    return RedirectResponse("/subscriptions", status_code=303)


def _from_form(form: FormData) -> NewSubscription:
    def text(name: str, default: str = "") -> str:
        value = form.get(name)
        return value.strip() if isinstance(value, str) else default

    def many(name: str) -> tuple[str, ...]:
        return tuple(value for value in form.getlist(name) if isinstance(value, str) and value)

    countries = tuple(code for code in text("country").replace(";", ",").split(",") if code.strip())
    return NewSubscription(
        name=text("name"),
        kind=text("kind", "search"),
        query=text("q"),
        jurisdictions=countries,
        harm_areas=many("harm"),
        doc_types=many("doc_type"),
        channels=(f"email:{text('email')}",) if text("email") else (),
        cadence=text("cadence", "instant"),
        digest_time=text("digest_time", "08:00"),
        time_zone=text("time_zone", "UTC"),
    )
