"""The subscriptions page: your subscriptions, a form to add one and a button to remove each
(editors and admins). Delivery comes with the alerts; this keeps what they will deliver."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.datastructures import FormData
from starlette.responses import Response

from api.access import Editor
from api.pages.rendering import render
from api.protection import check_csrf
from api.routes.subscriptions import owned, owner_id, save, subscriptions
from api.schemas.subscriptions import SubscriptionId, subscription_out
from index.store.subscriptions import CADENCES, NewSubscription

router = APIRouter(include_in_schema=False)


def _page(request: Request, user: Editor, error: str | None = None, status_code: int = 200) -> Response:
    mine = [subscription_out(each) for each in subscriptions(request).owned_by(owner_id(user))]
    context = {"page": "subscriptions", "subscriptions": mine, "cadences": CADENCES, "error": error}
    return render(request, "subscriptions.html", context, status_code=status_code)


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
        query=text("q"),
        jurisdictions=countries,
        harm_areas=many("harm"),
        doc_types=many("doc_type"),
        channels=(f"email:{text('email')}",) if text("email") else (),
        cadence=text("cadence", "instant"),
        digest_time=text("digest_time", "08:00"),
        time_zone=text("time_zone", "UTC"),
    )
