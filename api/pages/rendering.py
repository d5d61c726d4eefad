"""Rendering a page: Jinja2 templates with autoescaping, the context every page needs (the user,
the CSRF token, the vocabulary's names), and crawled HTML made safe with nh3."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import nh3
from fastapi import Request
from fastapi.templating import Jinja2Templates
from markupsafe import Markup
from starlette.responses import Response

from api.protection import CSRF_FIELD, csrf_token, set_csrf_cookie
from api.routes.sources import read_registry
from crawlers.registry import RegistryError

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"
STATIC_DIR = Path(__file__).resolve().parent.parent / "static"


def safe_snippet(snippet: str) -> Markup:
    """A search snippet (escaped text with <b> around matches) with everything but <b> removed:
    the engines escape it, and this makes sure of it."""
    return Markup(nh3.clean(snippet, tags={"b"}, attributes={}, url_schemes=set()))


def web_url(url: str | None) -> str | None:
    """A crawled link, if it is http(s): a javascript: or data: URL never becomes a link."""
    return url if url and url.lower().startswith(("https://", "http://")) else None


def templates() -> Jinja2Templates:
    found = Jinja2Templates(directory=TEMPLATES_DIR)
    found.env.filters["snippet"] = safe_snippet
    found.env.filters["web_url"] = web_url
    return found


def render(request: Request, name: str, context: dict[str, Any], status_code: int = 200) -> Response:
    """Render a template with the user, the CSRF token and the vocabulary beside `context`."""
    app = request.app
    response = app.state.templates.TemplateResponse(
        request,
        name,
        {
            "user": getattr(request.state, "user", None),
            "csrf_field": CSRF_FIELD,
            "csrf_token": csrf_token(request),
            "vocabulary": app.state.vocabulary(),
            "source_names": _source_names(request),
            "accounts_on": app.state.public or _has_accounts(request),
            **context,
        },
        status_code=status_code,
    )
    set_csrf_cookie(request, response)
    return response


def _source_names(request: Request) -> dict[str, str]:
    """Source id -> name, from the registry the API's sources read."""
    try:
        return {source.id: source.name for source in read_registry(request.app.state.settings)}
    except (FileNotFoundError, RegistryError):
        return {}  # the pages show source ids; /api/sources says what is wrong with the file


def _has_accounts(request: Request) -> bool:
    user = getattr(request.state, "user", None)
    return user is not None and user.id != 0
