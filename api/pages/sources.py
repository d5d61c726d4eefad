"""The sources page (GET /sources): every enabled source with its health, the ones that need a
look first (the same listing as GET /api/sources)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from starlette.responses import Response

from api.access import Viewer
from api.pages.rendering import render
from api.routes.sources import sources

router = APIRouter(include_in_schema=False)


@router.get("/sources", response_class=HTMLResponse)
def sources_page(request: Request, _user: Viewer) -> Response:
    listing = sources(request, country=[], flagged=False, include_disabled=False)
    return render(request, "sources.html", {"page": "sources", "listing": listing})
