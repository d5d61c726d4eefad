"""GET /api/figures/weekly, /api/figures/emerging and /api/figures/coverage on the wire (the CSV
downloads have the same fields, one row per cell, topic or source)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, Field

from api.schemas.common import day
from briefings.figures import Coverage, EmergingTopic, WeeklyFigures, iso_week


class WeeklyCell(BaseModel):
    week: str = Field(description="ISO week, as 2025-W07")
    week_start: dt.date = Field(description="its Monday")
    harm_area: str
    jurisdiction: str
    stories: int = Field(description="stories, each once however many sources carried it")


class WeeklyFiguresOut(BaseModel):
    """Stories per ISO week, harm area and jurisdiction. An item's day is its published date, else
    the day it was first fetched (UTC); each story counts once per cell (copies share a story)."""

    weeks: list[str] = Field(description="the ISO weeks of the window, oldest first; the last counts up to `until`")
    until: dt.datetime = Field(description="nothing dated later is counted")
    stories: int = Field(description="stories in the window with a harm area and a jurisdiction asked for")
    items: int = Field(description="their items, copies included")
    harm_areas: dict[str, list[int]] = Field(
        description="harm area -> stories per week (as `weeks`), each story once whatever its jurisdictions"
    )
    jurisdictions: dict[str, int] = Field(description="jurisdiction -> stories over the window, most first")
    cells: list[WeeklyCell] = Field(description="every (week, harm area, jurisdiction) with stories")


class EmergingItemOut(BaseModel):
    id: str
    title: str
    published: str | None = Field(description="YYYY-MM-DD")
    source: str | None


class EmergingTopicOut(BaseModel):
    """A harm area surging in a jurisdiction: today's items far above its trailing 28 days."""

    harm_area: str
    jurisdiction: str
    day: dt.date
    count: int = Field(description="items that day")
    baseline_mean: float = Field(description="items a day over the 28 days before")
    baseline_std: float
    z: float
    item_ids: list[str] = Field(description="the items of the surge, newest first")
    items: list[EmergingItemOut] = Field(description="the newest few of them")


class EmergingOut(BaseModel):
    day: dt.date = Field(description="the UTC day looked at")
    topics: list[EmergingTopicOut] = Field(description="highest z first")


class SourceCoverageOut(BaseModel):
    id: str
    name: str
    jurisdiction: str
    kind: str
    enabled: bool
    items_30_days: int = Field(description="items first fetched from it in the 30 days before now")
    last_success_at: dt.datetime | None
    flag: str | None = Field(description="why it needs a look (blocked, failing, silent), or null")


class CoverageOut(BaseModel):
    """The source registry's coverage and health now."""

    sources_total: int = Field(description="sources in the registry, enabled or not")
    enabled: int
    by_jurisdiction: dict[str, int] = Field(description="enabled sources per jurisdiction or region, most first")
    by_kind: dict[str, int] = Field(description="enabled sources per kind, most first")
    healthy: int = Field(description="enabled sources not flagged (one never crawled is not flagged)")
    healthy_share: float | None = Field(description="healthy / enabled; null when none is enabled")
    never_crawled: int = Field(description="enabled sources with no health recorded yet")
    items_30_days: int
    sources: list[SourceCoverageOut] = Field(description="every source, in the registry's order")


def weekly_response(figures: WeeklyFigures) -> dict[str, Any]:
    return WeeklyFiguresOut(
        weeks=[iso_week(monday) for monday in figures.weeks],
        until=figures.until,
        stories=figures.stories,
        items=figures.items,
        harm_areas={harm: list(counts) for harm, counts in figures.by_harm.items()},
        jurisdictions=figures.by_jurisdiction,
        cells=[
            WeeklyCell(week=iso_week(monday), week_start=monday, harm_area=harm, jurisdiction=place, stories=count)
            for (monday, harm, place), count in figures.cells.items()
        ],
    ).model_dump(mode="json")


def emerging_response(today: dt.date, topics: list[EmergingTopic]) -> dict[str, Any]:
    return EmergingOut(
        day=today,
        topics=[
            EmergingTopicOut(
                harm_area=topic.surge.harm_area,
                jurisdiction=topic.surge.jurisdiction,
                day=topic.surge.day,
                count=topic.surge.count,
                baseline_mean=round(topic.surge.baseline_mean, 4),
                baseline_std=round(topic.surge.baseline_std, 4),
                z=round(topic.surge.z, 4),
                item_ids=list(topic.surge.item_ids),
                items=[
                    EmergingItemOut(
                        id=item.id,
                        title=item.title,
                        published=day(item.published_at),
                        source=item.source,
                    )
                    for item in topic.items
                ],
            )
            for topic in topics
        ],
    ).model_dump(mode="json")


def coverage_response(coverage: Coverage) -> dict[str, Any]:
    return CoverageOut(
        sources_total=len(coverage.sources),
        enabled=coverage.enabled,
        by_jurisdiction=coverage.by_jurisdiction,
        by_kind=coverage.by_kind,
        healthy=coverage.healthy,
        healthy_share=round(coverage.healthy_share, 4) if coverage.healthy_share is not None else None,
        never_crawled=coverage.never_crawled,
        items_30_days=coverage.items_30_days,
        sources=[
            SourceCoverageOut(
                id=each.source.id,
                name=each.source.name,
                jurisdiction=each.source.jurisdiction,
                kind=each.source.kind,
                enabled=each.source.enabled,
                items_30_days=each.items_30_days,
                last_success_at=each.health.last_success_at if each.health else None,
                flag=each.flag,
            )
            for each in coverage.sources
        ],
    ).model_dump(mode="json")
