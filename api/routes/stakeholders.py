"""GET /api/stakeholders and /api/stakeholders/{name}: the stakeholder directory (the tagger's
gazetteer and the names it found in items beyond it: briefings/stakeholders.py), and a profile of
one (briefings/stakeholder_profile.py): the items naming it, its own publications, the harm areas
it is active on, who is named with it, and its items per month."""

from __future__ import annotations

import time
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request

from api.routes.sources import read_registry
from api.schemas.common import Problem
from api.schemas.search import MonthCount, search_response
from api.schemas.stakeholders import NamedWith, OwnSource, Stakeholder, StakeholderList, StakeholderProfile
from briefings.stakeholder_profile import build_profile
from briefings.stakeholders import KINDS, DirectoryEntry, StakeholderDirectory, read_named_in_items
from crawlers.registry import RegistryError, Source
from nlp.resources import load_gazetteer

router = APIRouter(prefix="/api", tags=["stakeholders"])
# The names found in items are read from every stored item: at most once a minute, not per request.
REFRESH_SECONDS = 60.0


def directory(request: Request) -> StakeholderDirectory:
    """The app's directory, built on first use and again once it is a minute old (so names the
    tagger finds in new items show within a minute)."""
    state = request.app.state
    if getattr(state, "stakeholders", None) is None or time.monotonic() - state.stakeholders_at > REFRESH_SECONDS:
        named = read_named_in_items(state.store().engine)
        state.stakeholders, state.stakeholders_at = StakeholderDirectory(load_gazetteer(), named), time.monotonic()
    return state.stakeholders


def _wire(entry: DirectoryEntry) -> Stakeholder:
    return Stakeholder(
        name=entry.name,
        kind=entry.kind,
        jurisdiction=entry.jurisdiction,
        candidates=list(entry.candidates),
        aliases=list(entry.aliases),
    )


def _registry(request: Request) -> list[Source]:
    """The registry, or none when it cannot be read (the profile then has no own sources;
    /api/sources says what is wrong with the file)."""
    try:
        return read_registry(request.app.state.settings)
    except (FileNotFoundError, RegistryError):
        return []


@router.get("/stakeholders", response_model=StakeholderList, responses={400: {"model": Problem}})
def stakeholders(
    request: Request,
    q: Annotated[str, Query(description="Part of a name or alias, any case.")] = "",
    country: Annotated[list[str], Query(description="Jurisdiction code; repeatable.")] = [],  # noqa: B006
    kind: Annotated[list[str], Query(description="Kind of body (regulator, court..., unknown); repeatable.")] = [],  # noqa: B006
) -> dict[str, Any]:
    """The stakeholders under canonical names, by name: the tagger's gazetteer, and the names it
    found in items that the gazetteer does not hold (kind "unknown")."""
    unknown = sorted(set(kind) - KINDS)
    if unknown:
        known = ", ".join(sorted(KINDS))
        raise HTTPException(400, f"kind {', '.join(unknown)} is not a stakeholder kind; use one of {known}.")
    found = directory(request).find(q, country, kind)
    return StakeholderList(count=len(found), stakeholders=[_wire(entry) for entry in found]).model_dump()


@router.get(
    "/stakeholders/{name:path}",
    response_model=StakeholderProfile,
    responses={404: {"model": Problem}, 503: {"model": Problem}},
)
def stakeholder(
    request: Request,
    name: str,
    limit: Annotated[int, Query(ge=1, le=100, description="How many recent items of each kind.")] = 10,
) -> dict[str, Any]:
    """A stakeholder by canonical name or alias (names may hold a /): the items naming it, the
    latest first, and counts of the harm areas and jurisdictions they are about; its own sources
    and publications; the harm areas it is active on, who is named with it, its items per month."""
    entries = directory(request).named(name)
    if not entries:
        raise HTTPException(404, f"No stakeholder named {name!r}: /api/stakeholders?q=... finds names and aliases.")
    state = request.app.state
    profile = build_profile(entries, state.engine(), state.store().engine, _registry(request), recent=limit)
    mentions = profile.mentions
    return StakeholderProfile(
        **_wire(profile.entry).model_dump(),
        namesakes=[_wire(entry) for entry in profile.namesakes],
        total=mentions.total,
        recent=search_response(mentions)["items"],
        harm_areas=mentions.facets.get("harm_areas", {}),
        jurisdictions=mentions.facets.get("jurisdictions", {}),
        own_sources=[
            OwnSource(id=source.id, name=source.name, jurisdiction=source.jurisdiction, kind=source.kind)
            for source in profile.own_sources
        ],
        own_total=profile.own.total if profile.own else 0,
        own_recent=search_response(profile.own)["items"] if profile.own else [],
        active_on=profile.active_on,
        named_with=[NamedWith(name=other, items=count) for other, count in profile.named_with],
        timeline=[MonthCount(month=month, count=count) for month, count in profile.timeline],
        capped=profile.capped,
    ).model_dump()
