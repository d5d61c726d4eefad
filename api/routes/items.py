"""GET /api/items/{id}: an item with the evidence behind each tag, its versions with what
changed, and the other sources of its story."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request

from api.schemas.common import Problem
from api.schemas.items import ItemDetail, item_detail

router = APIRouter(prefix="/api", tags=["items"])


@router.get("/items/{item_id}", response_model=ItemDetail, responses={404: {"model": Problem}})
def item(request: Request, item_id: str) -> dict[str, Any]:
    store = request.app.state.store()
    found = store.get(item_id)
    if found is None:
        raise HTTPException(404, f"No item {item_id!r}: ids come from /api/search results.")
    return item_detail(found, store.versions(item_id), store.story(found.story_id))
