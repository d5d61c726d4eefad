"""GET /api/stakeholders and /api/stakeholders/{name} on the wire."""

from __future__ import annotations

from pydantic import BaseModel, Field

from api.schemas.search import MonthCount, SearchItem
from briefings.stakeholder_profile import PROFILE_ITEMS


class Stakeholder(BaseModel):
    """A body or person under the canonical name items carry: from the tagger's gazetteer, or a
    name the tagger found in items that the gazetteer does not hold (kind "unknown")."""

    name: str
    kind: str = Field(
        description="regulator, ministry, legislature, court, police, ngo, platform, person...; unknown for a name "
        "found in items that the gazetteer does not hold"
    )
    jurisdiction: str | None = Field(description="null for a name several jurisdictions use: see candidates")
    candidates: list[str] = Field(description="the jurisdictions a shared name may belong to (Punjab Police: IN, PK)")
    aliases: list[str] = Field(description="every other name it goes by, in every script")


class StakeholderList(BaseModel):
    count: int
    stakeholders: list[Stakeholder]


class OwnSource(BaseModel):
    """A source of the registry where the stakeholder publishes."""

    id: str
    name: str
    jurisdiction: str
    kind: str


class NamedWith(BaseModel):
    name: str
    items: int = Field(description="items naming both")


class StakeholderProfile(Stakeholder):
    """A stakeholder, what the items naming it are about, and what it publishes itself."""

    namesakes: list[Stakeholder] = Field(
        description="other bodies with the same name (National Police Agency: JP, KR, TW); items carry only the "
        "name, so the counts below include theirs"
    )
    total: int = Field(description="items that name this stakeholder")
    recent: list[SearchItem] = Field(description="the most recent of those items, newest first")
    harm_areas: dict[str, int] = Field(description="harm area -> items naming it, most first")
    jurisdictions: dict[str, int] = Field(description="jurisdiction -> items naming it, most first")
    own_sources: list[OwnSource] = Field(
        description="the registry's sources that are its own: a source's name (or a short name in its parentheses) "
        "is its name or an alias, in an agreeing jurisdiction"
    )
    own_total: int = Field(description="items from its own sources")
    own_recent: list[SearchItem] = Field(description="the most recent of its own publications, newest first")
    active_on: dict[str, int] = Field(
        description="harm area -> items naming it or published by it, each item once, most first"
    )
    named_with: list[NamedWith] = Field(description="the stakeholders most often named on the items naming it")
    timeline: list[MonthCount] = Field(
        description="items naming it or published by it per month (published, else first fetched), from the first "
        "month to the latest, months without items included"
    )
    capped: bool = Field(
        description=f"true when more items name it (or come from its sources) than the {PROFILE_ITEMS:,} most recent "
        "counted in active_on, named_with and timeline"
    )
