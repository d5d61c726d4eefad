"""Unsubscribe links, `/unsubscribe/{id}?key=KEY`, in every alert: whoever holds the link may
stop that one subscription, with no login (the key is the credential).

GET shows what the link would stop and a button, and changes nothing: mail scanners fetch the
links in a message. POST removes it: the page's button, and RFC 8058 one-click unsubscribe (a
mail client posts `List-Unsubscribe=One-Click`, with no cookie, so there is no CSRF check; a
page on another site cannot know the key). A wrong key and an unknown id are the same 404, and
the key is echoed nowhere but in the form's action."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse
from starlette.responses import Response

from api.pages.rendering import render
from api.routes.subscriptions import subscriptions
from api.schemas.subscriptions import SubscriptionId
from index.store.subscriptions import Subscription

router = APIRouter(include_in_schema=False)

NOT_VALID = (
    "This unsubscribe link does not work: it may have been used already, or cut short by a mail program. "
    "If alerts still arrive, use the link in the latest one, or manage your subscriptions at /subscriptions."
)
# Keys are token_urlsafe(24), 32 characters; anything much longer is not one.
UnsubscribeKey = Annotated[str, Query(max_length=100, description="The key in the alert's link.")]
# The page's URL holds the key: keep it out of caches and search engines.
PRIVATE = {"Cache-Control": "no-store", "X-Robots-Tag": "noindex, nofollow"}


def _matching(request: Request, subscription_id: int, key: str) -> Subscription:
    """The subscription, if `key` is its unsubscribe key; else the one 404 for both cases."""
    found = subscriptions(request).with_key(subscription_id, key)
    if found is None:
        raise HTTPException(404, NOT_VALID)
    return found


@router.get("/unsubscribe/{subscription_id}", response_class=HTMLResponse)
def confirm_unsubscribe(request: Request, subscription_id: SubscriptionId, key: UnsubscribeKey = "") -> Response:
    """The subscription's name and a button to stop it; nothing is changed."""
    found = _matching(request, subscription_id, key)
    action = f"/unsubscribe/{found.id}?{urlencode({'key': found.unsubscribe_key})}"
    context = {"page": "unsubscribe", "name": found.name, "kind": found.kind, "action": action, "done": False}
    response = render(request, "unsubscribe.html", context)
    response.headers.update(PRIVATE)
    return response


@router.post("/unsubscribe/{subscription_id}", response_class=HTMLResponse)
def unsubscribe(request: Request, subscription_id: SubscriptionId, key: UnsubscribeKey = "") -> Response:
    """Remove the subscription (on every channel it sends to) and say so; the body, if any, is
    ignored: the key in the URL is what counts."""
    found = _matching(request, subscription_id, key)
    if not subscriptions(request).unsubscribe(found.id, key):  # removed meanwhile, by another click
        raise HTTPException(404, NOT_VALID)
    response = render(request, "unsubscribe.html", {"page": "unsubscribe", "name": found.name, "done": True})
    response.headers.update(PRIVATE)
    return response
