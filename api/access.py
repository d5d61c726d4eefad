"""Who is asking, and may they: API tokens (`Authorization: Bearer ...`), the web page's login
session cookie, and the roles viewer < editor < admin.

With no accounts, and only when the app is not public (served on loopback), every request is the
one local person, with every role. Once any account exists, or when the app is public, a request
without a valid token or session is refused: the API answers 401, a page sends to /login."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import Depends, Request

from index.store.accounts import Accounts, User

SESSION_COOKIE = "radar_session"
# Paths read by clients that cannot send headers (feed readers, calendar clients): they may send ?token=.
QUERY_TOKEN_PATHS = ("/feeds/", "/calendar.ics")
# The local person of a tracker without accounts: every role, owns the subscriptions made then.
LOCAL_USER = User(id=0, name="local", role="admin", created_at=dt.datetime(1970, 1, 1, tzinfo=dt.UTC))


class LoginRequired(Exception):
    """No valid token or session: the API answers 401, a page sends to the login form."""


class Forbidden(Exception):
    """A valid user without the role a route needs."""


def accounts(request: Request) -> Accounts:
    return Accounts(request.app.state.store().engine)


def current_user(request: Request) -> User:
    """The user a request comes from (kept on request.state for the pages and the logs)."""
    if hasattr(request.state, "user"):
        return request.state.user
    user = _identify(request)
    request.state.user = user
    return user


def _identify(request: Request) -> User:
    known = accounts(request)
    token = _bearer(request)
    if token is None and request.url.path.startswith(QUERY_TOKEN_PATHS):
        token = request.query_params.get("token")
    if token is not None:
        user = known.by_token(token)
        if user is None:
            raise LoginRequired("That API token is not valid (it may have been replaced): ask an admin for a new one.")
        return user
    session_id = request.cookies.get(SESSION_COOKIE)
    if session_id:
        user = known.by_session(session_id, dt.datetime.now(dt.UTC))
        if user is not None:
            _refuse_other_sites(request)
            return user
    if not request.app.state.public and known.count() == 0:
        return LOCAL_USER
    raise LoginRequired(
        "Log in first: send 'Authorization: Bearer <token>' (radar users add NAME --role ROLE prints one), "
        "or log in on the web page."
    )


SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def _refuse_other_sites(request: Request) -> None:
    """A change sent with the session cookie must come from this site's own pages: the cookie is
    SameSite=Lax already, and a browser's Origin or Sec-Fetch-Site header says where it came from
    (forms carry a CSRF token besides)."""
    if request.method in SAFE_METHODS:
        return
    origin = urlsplit(request.headers.get("origin") or "").netloc
    fetched_from = request.headers.get("sec-fetch-site")
    if fetched_from in ("cross-site", "same-site") or (origin and origin != request.headers.get("host")):
        raise Forbidden("This change came from another site, so it was refused. Make it from radar's own pages.")


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def require(role: str) -> Callable[[User], User]:
    """A dependency: the current user, if they have `role` (or a higher one)."""

    def dependency(user: Annotated[User, Depends(current_user)]) -> User:
        if not user.may(role):
            raise Forbidden(f"This needs the {role} role; {user.name} is a {user.role}. Ask an admin.")
        return user

    return dependency


Viewer = Annotated[User, Depends(require("viewer"))]
Editor = Annotated[User, Depends(require("editor"))]
Admin = Annotated[User, Depends(require("admin"))]
