"""Logging in and out of the web page: a name and the token an admin gave, for a session cookie
(HttpOnly, SameSite=Lax, Secure over HTTPS). Attempts are rate limited per address."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.responses import Response

from api.access import SESSION_COOKIE, accounts
from api.pages.rendering import render
from api.protection import check_csrf
from index.store.accounts import SESSION_LIFETIME

router = APIRouter(include_in_schema=False)


def _local_path(next_path: str) -> str:
    # Only a path on this site, so a crafted link cannot send someone elsewhere after login.
    return next_path if next_path.startswith("/") and not next_path.startswith("//") else "/"


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str = "/") -> Response:
    return render(request, "login.html", {"page": "login", "next": _local_path(next)})


@router.post("/login", response_class=HTMLResponse, dependencies=[Depends(check_csrf)])
def log_in(
    request: Request,
    name: Annotated[str, Form(max_length=100)],
    token: Annotated[str, Form(max_length=200)],
    next: Annotated[str, Form()] = "/",
) -> Response:
    context = {"page": "login", "next": _local_path(next), "name": name}
    if not request.app.state.rate_limits.allow_login(request):
        error = "Too many login attempts from here. Wait a minute and try again."
        return render(request, "login.html", {**context, "error": error}, status_code=429)
    opened = accounts(request).log_in(name, token, dt.datetime.now(dt.UTC))
    if opened is None:
        error = "That name and token do not match. Check the token, or ask an admin for a new one."
        return render(request, "login.html", {**context, "error": error}, status_code=401)
    _user, session_id = opened
    response = RedirectResponse(_local_path(next), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        session_id,
        max_age=int(SESSION_LIFETIME.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )
    return response


@router.post("/logout", dependencies=[Depends(check_csrf)])
def log_out(request: Request) -> Response:
    session_id = request.cookies.get(SESSION_COOKIE)
    if session_id:
        accounts(request).log_out(session_id)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response
