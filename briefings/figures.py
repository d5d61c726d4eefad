"""Figures for leadership: stories by ISO week, harm area and jurisdiction; the topics surging
today; how much of the region the sources cover and how many of them are healthy.

The weekly counts place items as trend alerts do (alerts/trends.py), but count stories:

- An item's day is the UTC date of its `published_at`, else of its `first_fetched_at`; an item
  dated after `now` is not counted yet.
- A week is an ISO week (Monday to Sunday, UTC); the window is the `weeks` weeks ending with the
  week that holds `now`, so its last week is counted only up to `now`.
- Each *story* is counted once per cell, not each item: copies of one story from several sources
  share its `story_id` and count as one. A story whose copies fall in two weeks counts in both.
- An item counts in every (harm area, jurisdiction) pair it is tagged with; an item without a
  harm area or a jurisdiction is in no cell. The totals per harm area and per jurisdiction count
  each story once too, so they are not the sums of their cells (a story about AU and NZ is one
  story on its harm area, and one in each of AU and NZ).

The emerging topics are `alerts.trends.find_surges` over every harm area and jurisdiction (or the
ones asked for), with the thresholds trend subscriptions use; surges count items, as alerts do.
The coverage is the source registry's, with editors' pauses, and the health crawlers/health.py
flags (a source never crawled is not flagged, and is counted apart).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import Engine, select

from alerts.records import Surge
from alerts.trends import chosen, dated_rows, find_surges, wanted
from crawlers.health import statuses
from crawlers.registry import Source
from crawlers.state import CrawlState, Health
from index.store.models import items

DEFAULT_WEEKS = 26
EMERGING_ITEMS_SHOWN = 5  # of each surge's items, the newest few, to read what it is about
_ID_CHUNK = 500  # ids in one IN (...): well under SQLite's and PostgreSQL's parameter limits

Cell = tuple[dt.date, str, str]  # (week's Monday, harm area, jurisdiction)


def as_utc(now: dt.datetime) -> dt.datetime:
    """`now` as an aware UTC datetime; a naive one is taken as UTC."""
    return now.replace(tzinfo=dt.UTC) if now.tzinfo is None else now.astimezone(dt.UTC)


def week_start(day: dt.date) -> dt.date:
    """The Monday of the ISO week holding `day`."""
    return day - dt.timedelta(days=day.weekday())


def iso_week(day: dt.date) -> str:
    """The ISO week holding `day`, as 2025-W07."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


@dataclass(frozen=True)
class WeeklyFigures:
    """Stories per ISO week, harm area and jurisdiction (see the module's docstring)."""

    weeks: tuple[dt.date, ...]  # each week's Monday, oldest first; the last holds `until`
    until: dt.datetime  # `now`: nothing dated later is counted
    cells: dict[Cell, int]  # stories per cell; only cells with stories
    by_harm: dict[str, tuple[int, ...]]  # stories per week (as `weeks`) on each harm area, most stories first
    by_jurisdiction: dict[str, int]  # stories over the window in each jurisdiction, most first
    stories: int  # stories in the window with a wanted harm area and jurisdiction
    items: int  # their items (copies included)


def weekly_figures(
    engine: Engine,
    now: dt.datetime,
    weeks: int = DEFAULT_WEEKS,
    harm_areas: Collection[str] = (),
    jurisdictions: Collection[str] = (),
) -> WeeklyFigures:
    """Stories per (ISO week, harm area, jurisdiction) over the `weeks` weeks ending with the one
    holding `now`, on the given harm areas and jurisdictions (empty: every value present), each
    story once per cell; with the totals per harm area and week and per jurisdiction."""
    if weeks < 1:
        raise ValueError("weeks must be at least 1")
    now = as_utc(now)
    first = week_start(now.date()) - dt.timedelta(weeks=weeks - 1)
    wanted_harms, wanted_places = wanted(harm_areas, "harm_areas"), wanted(jurisdictions, "jurisdictions")

    in_cell: defaultdict[Cell, set[str]] = defaultdict(set)
    on_harm: defaultdict[tuple[dt.date, str], set[str]] = defaultdict(set)
    in_place: defaultdict[str, set[str]] = defaultdict(set)
    stories: set[str] = set()
    counted = 0
    start = dt.datetime.combine(first, dt.time(), tzinfo=dt.UTC)
    # Up to `now` included: the rows end before the next microsecond, the stores' resolution.
    for row in dated_rows(engine, start, now + dt.timedelta(microseconds=1)):
        story_id, when = row.story_id, row.day_at
        harms, places = chosen(row.harm_areas, wanted_harms), chosen(row.jurisdictions, wanted_places)
        if not (harms and places):
            continue
        week = week_start(when.date())
        counted += 1
        stories.add(story_id)
        for harm in harms:
            on_harm[(week, harm)].add(story_id)
            for place in places:
                in_cell[(week, harm, place)].add(story_id)
        for place in places:
            in_place[place].add(story_id)

    mondays = tuple(first + dt.timedelta(weeks=n) for n in range(weeks))
    series = {
        harm: tuple(len(on_harm.get((monday, harm), ())) for monday in mondays)
        for harm in sorted({harm for _, harm in on_harm})
    }
    return WeeklyFigures(
        weeks=mondays,
        until=now,
        cells={cell: len(found) for cell, found in sorted(in_cell.items())},
        by_harm=dict(sorted(series.items(), key=lambda pair: (-sum(pair[1]), pair[0]))),
        by_jurisdiction=_most_first({place: len(found) for place, found in in_place.items()}),
        stories=len(stories),
        items=counted,
    )


@dataclass(frozen=True)
class EmergingItem:
    id: str
    title: str
    published_at: dt.datetime | None
    source: str | None


@dataclass(frozen=True)
class EmergingTopic:
    """A surge, with the newest of its items to show what it is about."""

    surge: Surge
    items: tuple[EmergingItem, ...]  # newest first, at most EMERGING_ITEMS_SHOWN


def emerging(
    engine: Engine,
    now: dt.datetime,
    harm_areas: Collection[str] = (),
    jurisdictions: Collection[str] = (),
    shown: int = EMERGING_ITEMS_SHOWN,
) -> list[EmergingTopic]:
    """The (harm area, jurisdiction) pairs surging on the UTC day of `now` against their trailing
    28 days (`alerts.trends.find_surges` with its defaults), highest z first, each with its
    newest `shown` items."""
    surges = find_surges(engine, harm_areas, jurisdictions, now)
    wanted = {item_id for surge in surges for item_id in surge.item_ids[:shown]}
    found = _emerging_items(engine, sorted(wanted))
    return [
        EmergingTopic(surge, tuple(found[item_id] for item_id in surge.item_ids[:shown] if item_id in found))
        for surge in surges
    ]


@dataclass(frozen=True)
class SourceCoverage:
    source: Source  # enabled as editors last switched it
    health: Health | None  # None: never crawled
    flag: str | None  # why it needs a look (crawlers/health.py), or None

    @property
    def items_30_days(self) -> int:
        return self.health.items_30_days if self.health else 0


@dataclass(frozen=True)
class Coverage:
    """The registry's sources and their health as of `now`."""

    sources: tuple[SourceCoverage, ...]  # every source, in the registry's order
    by_jurisdiction: dict[str, int]  # enabled sources per jurisdiction or region, most first
    by_kind: dict[str, int]  # enabled sources per kind, most first
    enabled: int
    healthy: int  # enabled sources not flagged (a source never crawled is not flagged)
    never_crawled: int  # enabled sources with no health recorded yet

    @property
    def healthy_share(self) -> float | None:
        """The share of enabled sources not flagged; None when no source is enabled."""
        return self.healthy / self.enabled if self.enabled else None

    @property
    def items_30_days(self) -> int:
        return sum(each.items_30_days for each in self.sources)


def coverage(sources: Iterable[Source], health: Mapping[str, Health], now: dt.datetime) -> Coverage:
    """The coverage of `sources` given their health (`CrawlState.health(now)`): counts of the
    enabled ones by jurisdiction and kind, and how many of those are not flagged."""
    found = tuple(
        SourceCoverage(status.source, status.health, status.flag) for status in statuses(sources, health, as_utc(now))
    )
    enabled = [each for each in found if each.source.enabled]
    return Coverage(
        sources=found,
        by_jurisdiction=_most_first(Counter(each.source.jurisdiction for each in enabled)),
        by_kind=_most_first(Counter(each.source.kind for each in enabled)),
        enabled=len(enabled),
        healthy=sum(1 for each in enabled if each.flag is None),
        never_crawled=sum(1 for each in enabled if each.health is None),
    )


def read_coverage(engine: Engine, sources: Sequence[Source], now: dt.datetime) -> Coverage:
    """`coverage` of the registry's `sources` with editors' pauses and resumptions applied and
    the health the store records (items in the last 30 days are counted by first fetch)."""
    state = CrawlState(engine)
    now = as_utc(now)
    return coverage(state.with_switches(list(sources)), state.health(now), now)


def _emerging_items(engine: Engine, ids: list[str]) -> dict[str, EmergingItem]:
    found: dict[str, EmergingItem] = {}
    query = select(items.c.id, items.c.title, items.c.published_at, items.c.source)
    with engine.connect() as conn:
        for start in range(0, len(ids), _ID_CHUNK):
            for row in conn.execute(query.where(items.c.id.in_(ids[start : start + _ID_CHUNK]))):
                found[row.id] = EmergingItem(row.id, row.title, row.published_at, row.source)
    return found


def _most_first(counts: Mapping[str, int]) -> dict[str, int]:
    return dict(sorted(counts.items(), key=lambda pair: (-pair[1], pair[0])))
