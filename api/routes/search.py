"""GET /api/search: the parameters of `radar search`, the response of `radar search --json`."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from api.deps import SearchParams
from api.schemas.common import Problem
from api.schemas.search import SearchResponse, search_response

router = APIRouter(prefix="/api", tags=["search"])


@router.get("/search", response_model=SearchResponse, responses={400: {"model": Problem}, 503: {"model": Problem}})
def search(request: Request, query: SearchParams) -> dict[str, Any]:
    """Search items by words and filters, with facet counts; an empty `q` lists the matching
    items newest first."""
    return search_response(request.app.state.engine().search(query))
