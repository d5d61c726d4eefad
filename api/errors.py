"""Errors as a person can act on them: JSON `{"error": ...}` from the API and the feeds, an error
page from the web page. A bad query is a 400, never a 500; no valid login is a 401 from the API
and the login form from a page."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from starlette.exceptions import HTTPException
from starlette.responses import Response

from api.access import Forbidden, LoginRequired
from api.pages.rendering import render
from api.protection import CsrfError
from index.records import IndexOutdatedError, QueryError

HEADINGS = {400: "That request cannot be answered", 403: "Not allowed", 404: "Not found", 503: "Not available yet"}


def is_api(request: Request) -> bool:
    """Whether a request is for the API or a feed (JSON errors) rather than a page."""
    path = request.url.path
    api_paths = ("/api/", "/feeds/", "/calendar.ics", "/health", "/metrics", "/docs", "/openapi")
    return path.startswith(api_paths) or path == "/api"


def problem(request: Request, status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    if is_api(request):
        return JSONResponse({"error": message}, status_code=status, headers=headers)
    heading = HEADINGS.get(status, "Something went wrong")
    return render(request, "error.html", {"page": "error", "heading": heading, "message": message}, status)


def install(app: FastAPI) -> None:
    @app.exception_handler(QueryError)
    async def bad_query(request: Request, error: QueryError) -> Response:
        return problem(request, 400, str(error))

    @app.exception_handler(RequestValidationError)
    async def bad_parameter(request: Request, error: RequestValidationError) -> Response:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in each['loc'][1:]) or 'request'}: {each['msg']}" for each in error.errors()
        )
        return problem(request, 400, f"bad parameter(s): {problems}")

    @app.exception_handler(HTTPException)
    async def http_problem(request: Request, error: HTTPException) -> Response:
        return problem(request, error.status_code, str(error.detail), getattr(error, "headers", None))

    @app.exception_handler(IndexOutdatedError)
    async def outdated(request: Request, error: IndexOutdatedError) -> Response:
        return problem(request, 503, str(error))

    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, error: LoginRequired) -> Response:
        if is_api(request):
            return problem(request, 401, str(error), {"WWW-Authenticate": "Bearer"})
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)

    @app.exception_handler(Forbidden)
    async def forbidden(request: Request, error: Forbidden) -> Response:
        return problem(request, 403, str(error))

    @app.exception_handler(CsrfError)
    async def csrf_failed(request: Request, error: CsrfError) -> Response:
        return problem(request, 403, str(error))
