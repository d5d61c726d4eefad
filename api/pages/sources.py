"""The sources page (GET /sources): every source with its health, the ones that need a look
first (the listing of GET /api/sources?all=true); editors pause and resume sources here."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.responses import Response

from api.access import Editor, Viewer
from api.pages.rendering import render
from api.protection import check_csrf
from api.routes.sources import sources, switch_source
from api.schemas.sources import SourceSwitch

router = APIRouter(include_in_schema=False)


@router.get("/sources", response_class=HTMLResponse)
def sources_page(request: Request, _user: Viewer) -> Response:
    listing = sources(request, country=[], flagged=False, include_disabled=True)
    return render(request, "sources.html", {"page": "sources", "listing": listing})


@router.post("/sources/{source_id}/switch", dependencies=[Depends(check_csrf)])
async def switch_source_page(request: Request, source_id: str, user: Editor) -> Response:
    """The page's Pause and Resume buttons (editors)."""
    form = await request.form()
    switch_source(request, source_id, SourceSwitch(enabled=form.get("enabled") == "true"), user)
    return RedirectResponse(f"/sources#source-{source_id}", status_code=303)
