"""GET /api/sources and /api/sources/{id}: the source registry with each source's health and why
it needs a look, as `radar sources` shows them."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request

from api.access import Editor
from api.schemas.common import Problem
from api.schemas.sources import SourceDetail, SourceList, SourceSwitch, source_detail, source_list
from crawlers.health import SourceStatus, statuses
from crawlers.registry import DEFAULT_REGISTRY, RegistryError, Source, load_registry
from crawlers.state import CrawlState
from radar.settings import Settings

router = APIRouter(prefix="/api", tags=["sources"])


def read_registry(settings: Settings) -> list[Source]:
    """The registry file the settings name (the shipped one by default), read again only when
    it changes. Raises FileNotFoundError or RegistryError."""
    path = settings.sources_file or DEFAULT_REGISTRY
    return _read(path, path.stat().st_mtime_ns)


@functools.lru_cache(maxsize=4)
def _read(path: Path, _modified_ns: int) -> list[Source]:
    """A registry file as it was at that modification time (reading one takes ~50 ms)."""
    return load_registry(path)


def _registry(request: Request) -> list[Source]:
    """The registry the settings name (the shipped one by default), read again when the file
    changes, so an edit shows at once, with the sources editors paused or resumed; a registry
    with problems is a 503 naming them."""
    settings = request.app.state.settings
    try:
        return CrawlState(request.app.state.store().engine).with_switches(read_registry(settings))
    except FileNotFoundError:
        path = settings.sources_file or DEFAULT_REGISTRY
        raise HTTPException(503, f"The source registry {path} is missing.") from None
    except RegistryError as error:
        raise HTTPException(503, f"{error}\n`radar sources check` lists the same problems.") from None


def _statuses(request: Request, sources: list[Source]) -> list[SourceStatus]:
    now = dt.datetime.now(dt.UTC)
    store = request.app.state.store()
    return statuses(sources, CrawlState(store.engine).health(now), now)


@router.get("/sources", response_model=SourceList, responses={400: {"model": Problem}, 503: {"model": Problem}})
def sources(
    request: Request,
    country: Annotated[list[str], Query(description="Jurisdiction code or region (APAC); repeatable.")] = [],  # noqa: B006
    flagged: Annotated[bool, Query(description="Only the sources that need a look.")] = False,
    include_disabled: Annotated[bool, Query(alias="all", description="Disabled sources too.")] = False,
) -> dict[str, Any]:
    """The sources radar crawls with their health, those that need a look (blocked, failing,
    silent far beyond their rhythm) first."""
    codes = {code.upper() for code in country}
    listed = [
        source
        for source in _registry(request)
        if (include_disabled or source.enabled) and (not codes or source.jurisdiction in codes)
    ]
    found = _statuses(request, listed)
    return source_list([status for status in found if status.flag or not flagged])


@router.get(
    "/sources/{source_id}", response_model=SourceDetail, responses={404: {"model": Problem}, 503: {"model": Problem}}
)
def source(request: Request, source_id: str) -> dict[str, Any]:
    """One source, enabled or not: its registry entry, health and flag."""
    (status,) = _statuses(request, [_entry(request, source_id)])
    return source_detail(status)


def _entry(request: Request, source_id: str) -> Source:
    """A source of the registry, or a 404 naming where the ids are."""
    for entry in _registry(request):
        if entry.id == source_id:
            return entry
    raise HTTPException(404, f"No source {source_id!r} in the registry: /api/sources?all=true lists them.")


@router.patch(
    "/sources/{source_id}",
    response_model=SourceDetail,
    responses={401: {"model": Problem}, 403: {"model": Problem}, 404: {"model": Problem}},
)
def switch_source(request: Request, source_id: str, change: SourceSwitch, user: Editor) -> dict[str, Any]:
    """Pause or resume a source (editors): this wins over the registry's `enabled` from the
    next crawl pass on, and `radar sources` shows it too."""
    entry = _entry(request, source_id)
    CrawlState(request.app.state.store().engine).switch(source_id, change.enabled, user.name, dt.datetime.now(dt.UTC))
    (status,) = _statuses(request, [dataclasses.replace(entry, enabled=change.enabled)])
    return source_detail(status)
