"""GET /api/stakeholders and /api/stakeholders/{name}: the bodies and people the tagger knows
(its gazetteer), and a profile of one: how many items name it, the latest, and the harm areas
and jurisdictions they are about."""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request

from api.schemas.common import Problem
from api.schemas.search import search_response
from api.schemas.stakeholders import Stakeholder, StakeholderList, StakeholderProfile
from index.records import SearchQuery
from nlp.resources import ACTOR_KINDS, Entity, load_gazetteer

router = APIRouter(prefix="/api", tags=["stakeholders"])


class StakeholderDirectory:
    """The gazetteer's stakeholders, one entry per body: lines that repeat a name for the same
    body (to add aliases) are merged; bodies of different jurisdictions that share a name are
    not, though items carry only the name."""

    def __init__(self, entities: Iterable[Entity]) -> None:
        merged: dict[tuple[str, str, str | None, tuple[str, ...]], Entity] = {}
        for entity in entities:
            if not entity.is_stakeholder:
                continue
            key = (entity.name, entity.kind, entity.jurisdiction, entity.candidates)
            known = merged.get(key)
            aliases = (*known.aliases, *entity.aliases) if known else entity.aliases
            merged[key] = dataclasses.replace(known or entity, aliases=tuple(dict.fromkeys(aliases)))
        self.entries = sorted(merged.values(), key=lambda entity: (entity.name.casefold(), entity.jurisdiction or ""))
        self._by_name: dict[str, list[Entity]] = defaultdict(list)
        self._names_by_alias: dict[str, set[str]] = defaultdict(set)
        for entity in self.entries:
            self._by_name[entity.name.casefold()].append(entity)
            for alias in entity.aliases:
                self._names_by_alias[alias.casefold()].add(entity.name.casefold())

    def find(self, text: str = "", countries: Iterable[str] = (), kinds: Iterable[str] = ()) -> list[Entity]:
        """Entries whose name or an alias holds `text` (any case), in any of `countries` (their
        jurisdiction or a candidate) and of any of `kinds`; an empty filter keeps all."""
        needle, codes, wanted = text.strip().casefold(), {code.upper() for code in countries}, set(kinds)
        return [
            entity
            for entity in self.entries
            if (not needle or any(needle in form.casefold() for form in entity.surface_forms))
            and (not codes or bool(codes & {entity.jurisdiction, *entity.candidates}))
            and (not wanted or entity.kind in wanted)
        ]

    def named(self, name: str) -> list[Entity]:
        """The entries under a canonical name (any case), or under the one name an alias stands
        for; [] when unknown or when the alias belongs to several names."""
        key = name.strip().casefold()
        if key in self._by_name:
            return self._by_name[key]
        names = self._names_by_alias.get(key, set())
        return self._by_name[next(iter(names))] if len(names) == 1 else []


def directory(request: Request) -> StakeholderDirectory:
    """The app's directory, read from the gazetteer on first use and kept for the app's life."""
    state = request.app.state
    if getattr(state, "stakeholders", None) is None:
        state.stakeholders = StakeholderDirectory(load_gazetteer())
    return state.stakeholders


def _wire(entity: Entity) -> Stakeholder:
    return Stakeholder(
        name=entity.name,
        kind=entity.kind,
        jurisdiction=entity.jurisdiction,
        candidates=list(entity.candidates),
        aliases=list(entity.aliases),
    )


@router.get("/stakeholders", response_model=StakeholderList, responses={400: {"model": Problem}})
def stakeholders(
    request: Request,
    q: Annotated[str, Query(description="Part of a name or alias, any case.")] = "",
    country: Annotated[list[str], Query(description="Jurisdiction code; repeatable.")] = [],  # noqa: B006
    kind: Annotated[list[str], Query(description="Kind of body (regulator, court...); repeatable.")] = [],  # noqa: B006
) -> dict[str, Any]:
    """The stakeholders the tagger recognises under canonical names, by name."""
    unknown = sorted(set(kind) - ACTOR_KINDS)
    if unknown:
        known = ", ".join(sorted(ACTOR_KINDS))
        raise HTTPException(400, f"kind {', '.join(unknown)} is not a stakeholder kind; use one of {known}.")
    found = directory(request).find(q, country, kind)
    return StakeholderList(count=len(found), stakeholders=[_wire(entity) for entity in found]).model_dump()


@router.get(
    "/stakeholders/{name:path}",
    response_model=StakeholderProfile,
    responses={404: {"model": Problem}, 503: {"model": Problem}},
)
def stakeholder(
    request: Request,
    name: str,
    limit: Annotated[int, Query(ge=1, le=100, description="How many recent items.")] = 10,
) -> dict[str, Any]:
    """A stakeholder by canonical name or alias (names may hold a /): the items naming it, the
    latest first, and counts of the harm areas and jurisdictions they are about."""
    entries = directory(request).named(name)
    if not entries:
        raise HTTPException(404, f"No stakeholder named {name!r}: /api/stakeholders?q=... finds names and aliases.")
    first, *namesakes = entries
    result = request.app.state.engine().search(SearchQuery(stakeholders=(first.name,), sort="newest", limit=limit))
    return StakeholderProfile(
        **_wire(first).model_dump(),
        namesakes=[_wire(entity) for entity in namesakes],
        total=result.total,
        recent=search_response(result)["items"],
        harm_areas=result.facets.get("harm_areas", {}),
        jurisdictions=result.facets.get("jurisdictions", {}),
    ).model_dump()
