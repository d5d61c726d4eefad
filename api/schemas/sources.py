"""GET /api/sources and /api/sources/{id} on the wire: registry entries with their health."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, Field

from crawlers.health import SourceStatus


class SourceHealth(BaseModel):
    last_attempt_at: dt.datetime | None
    last_success_at: dt.datetime | None
    last_error_at: dt.datetime | None
    last_error_class: str | None
    last_error: str | None
    consecutive_failures: int
    last_new_item_at: dt.datetime | None
    items_7_days: int
    items_30_days: int


class SourceSummary(BaseModel):
    id: str
    name: str
    family: str
    jurisdiction: str
    kind: str
    language: str
    enabled: bool
    health: SourceHealth | None = Field(description="null: never crawled and no items stored")
    flag: str | None = Field(description="why the source needs a look (blocked, failing, silent), or null")


class SourceDetail(SourceSummary):
    """A registry entry (crawlers/sources.yaml) with its health and flag."""

    url: str = Field(description="what the family reads: a feed, a listing page, a page, a sitemap")
    homepage: str | None
    parameters: dict[str, Any] = Field(description="the family's parameters (links, follow, max_pages...)")
    rhythm_days: int = Field(description="how often it usually publishes; silence far beyond this is flagged")
    confidence: str
    notes: str
    blocks_datacenters: bool
    needs_javascript: bool


class SourceSwitch(BaseModel):
    """An editor pausing or resuming a source."""

    enabled: bool = Field(description="false: no longer crawled (from the next pass); true: crawled again")


class SourceList(BaseModel):
    """The sources that need a look come first, then the rest in registry order."""

    count: int
    flagged: int
    sources: list[SourceSummary]


def _summary_fields(status: SourceStatus) -> dict[str, Any]:
    source, health = status.source, status.health
    return {
        "id": source.id,
        "name": source.name,
        "family": source.family,
        "jurisdiction": source.jurisdiction,
        "kind": source.kind,
        "language": source.language,
        "enabled": source.enabled,
        "health": SourceHealth(
            last_attempt_at=health.last_attempt_at,
            last_success_at=health.last_success_at,
            last_error_at=health.last_error_at,
            last_error_class=health.last_error_class,
            last_error=health.last_error,
            consecutive_failures=health.consecutive_failures,
            last_new_item_at=health.last_new_item_at,
            items_7_days=health.items_7_days,
            items_30_days=health.items_30_days,
        )
        if health
        else None,
        "flag": status.flag,
    }


def source_list(listed: list[SourceStatus]) -> dict[str, Any]:
    ordered = sorted(listed, key=lambda status: status.flag is None)  # stable: registry order otherwise
    return SourceList(
        count=len(ordered),
        flagged=sum(status.flag is not None for status in ordered),
        sources=[SourceSummary(**_summary_fields(status)) for status in ordered],
    ).model_dump()


def source_detail(status: SourceStatus) -> dict[str, Any]:
    source = status.source
    return SourceDetail(
        **_summary_fields(status),
        url=source.url,
        homepage=source.homepage,
        parameters=source.parameters,
        rhythm_days=source.rhythm_days,
        confidence=source.confidence,
        notes=source.notes,
        blocks_datacenters=source.blocks_datacenters,
        needs_javascript=source.needs_javascript,
    ).model_dump()
