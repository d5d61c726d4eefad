"""GET /api/stakeholders and /api/stakeholders/{name} on the wire."""

from __future__ import annotations

from pydantic import BaseModel, Field

from api.schemas.search import SearchItem


class Stakeholder(BaseModel):
    """A body or person from the tagger's gazetteer, under the canonical name items carry."""

    name: str
    kind: str = Field(description="regulator, ministry, legislature, court, police, ngo, platform, person...")
    jurisdiction: str | None = Field(description="null for a name several jurisdictions use: see candidates")
    candidates: list[str] = Field(description="the jurisdictions a shared name may belong to (Punjab Police: IN, PK)")
    aliases: list[str] = Field(description="every other name it goes by, in every script")


class StakeholderList(BaseModel):
    count: int
    stakeholders: list[Stakeholder]


class StakeholderProfile(Stakeholder):
    """A stakeholder and what the items naming it are about."""

    namesakes: list[Stakeholder] = Field(
        description="other bodies with the same name (National Police Agency: JP, KR, TW); items carry only the "
        "name, so the counts below include theirs"
    )
    total: int = Field(description="items that name this stakeholder")
    recent: list[SearchItem] = Field(description="the most recent of those items, newest first")
    harm_areas: dict[str, int] = Field(description="harm area -> items, most first")
    jurisdictions: dict[str, int] = Field(description="jurisdiction -> items, most first")
