"""Trend alerts' detection: a surge of items on one harm area in one jurisdiction, far above its
trailing baseline.

The choices, in the order they apply:

- An item's day is the UTC date of its `published_at`, or of its `first_fetched_at` when it has no
  published date (never `fetched_at`: a re-fetched item does not move). A dated item counts on its
  published day only, so a backfill of an old archive (published long ago, first fetched today)
  lands in the past and cannot make today surge. An undated item can only be placed by its first
  fetch, so an undated backfill does count today.
- An item counts once in every (harm area, jurisdiction) pair it is tagged with; a tag repeated on
  one item counts once.
- Today is the UTC day of `now`, up to `now`: an item dated later than `now` is not counted yet.
- The baseline is the `window_days` days before today, a day with no item counting 0. Its standard
  deviation is the population's (the window is all we compare against, not a sample of it), and
  z = (count - mean) / max(std, 1.0): the floor keeps a quiet series (std 0) from firing on a single
  item; on it, a surge needs `threshold` items above the mean.
- Only pairs with items today are looked at: a surge must have items to show.
- The database reads only the ids, dates and tags of items in the date range; the JSON lists are
  filtered here, as SQLite's and PostgreSQL's JSON functions differ.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter, defaultdict
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, and_, func, or_, select

from alerts.records import Surge
from index.store.models import UtcDateTime, items

MAX_ITEM_IDS = 50
# Rows fetched at a time: a month of a busy tracker is ~100k rows, which need not sit in memory at once.
_PAGE = 2000

Pair = tuple[str, str]  # (harm area, jurisdiction)


@dataclass(frozen=True)
class _DatedItem:
    id: str
    when: dt.datetime  # aware UTC: published, else first fetched
    pairs: tuple[Pair, ...]  # the wanted (harm area, jurisdiction) pairs it is tagged with


def daily_counts(
    engine: Engine,
    harm_areas: Collection[str],
    jurisdictions: Collection[str],
    first_day: dt.date,
    last_day: dt.date,
) -> Counter[tuple[str, str, dt.date]]:
    """Items per (harm area, jurisdiction, day) from `first_day` to `last_day` (UTC days, both
    included), on the given harm areas and jurisdictions (empty: every value present). A day with
    no item reads 0."""
    counts: Counter[tuple[str, str, dt.date]] = Counter()
    for item in _dated_items(engine, harm_areas, jurisdictions, first_day, last_day):
        day = item.when.date()
        counts.update((harm, jurisdiction, day) for harm, jurisdiction in item.pairs)
    return counts


def find_surges(
    engine: Engine,
    harm_areas: Collection[str],
    jurisdictions: Collection[str],
    now: dt.datetime,
    window_days: int = 28,
    threshold: float = 3.0,
    minimum: int = 3,
) -> list[Surge]:
    """The (harm area, jurisdiction) pairs whose count today (the UTC day of `now`, up to `now`) is
    at least `minimum` and at least `threshold` baseline deviations above the mean of the previous
    `window_days` days (see the module's docstring), highest z first. A naive `now` is taken as UTC."""
    if window_days < 1:
        raise ValueError("window_days must be at least 1")
    now = now.replace(tzinfo=dt.UTC) if now.tzinfo is None else now.astimezone(dt.UTC)
    today = now.date()
    first_day = today - dt.timedelta(days=window_days)

    baseline: defaultdict[Pair, Counter[dt.date]] = defaultdict(Counter)
    found_today: defaultdict[Pair, list[tuple[dt.datetime, str]]] = defaultdict(list)
    for item in _dated_items(engine, harm_areas, jurisdictions, first_day, today):
        day = item.when.date()
        for pair in item.pairs:
            if day < today:
                baseline[pair][day] += 1
            elif item.when <= now:
                found_today[pair].append((item.when, item.id))

    surges = []
    for (harm, jurisdiction), found in found_today.items():
        days = [baseline[(harm, jurisdiction)][first_day + dt.timedelta(days=n)] for n in range(window_days)]
        mean = statistics.fmean(days)
        std = statistics.pstdev(days, mean)
        z = (len(found) - mean) / max(std, 1.0)
        if z >= threshold and len(found) >= minimum:
            newest = sorted(found, reverse=True)[:MAX_ITEM_IDS]
            surges.append(
                Surge(harm, jurisdiction, today, len(found), mean, std, z, tuple(item_id for _, item_id in newest))
            )
    return sorted(surges, key=lambda surge: (-surge.z, -surge.count, surge.harm_area, surge.jurisdiction))


def _dated_items(
    engine: Engine,
    harm_areas: Collection[str],
    jurisdictions: Collection[str],
    first_day: dt.date,
    last_day: dt.date,
) -> Iterator[_DatedItem]:
    """The items whose day falls from `first_day` to `last_day`, with their wanted pairs (items
    with none are skipped)."""
    wanted_harms, wanted_jurisdictions = wanted(harm_areas, "harm_areas"), wanted(jurisdictions, "jurisdictions")
    start = dt.datetime.combine(first_day, dt.time(), tzinfo=dt.UTC)
    end = dt.datetime.combine(last_day + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)
    for row in dated_rows(engine, start, end):
        harms, places = chosen(row.harm_areas, wanted_harms), chosen(row.jurisdictions, wanted_jurisdictions)
        if harms and places:
            yield _DatedItem(row.id, row.day_at, tuple((harm, place) for harm in harms for place in places))


def dated_rows(engine: Engine, start: dt.datetime, end: dt.datetime) -> Iterator[Any]:
    """Rows (id, story_id, day_at, harm_areas, jurisdictions) of the items whose day (published,
    else first fetched) falls from `start` up to, not including, `end`; read a page at a time."""
    # Two ranges rather than one on COALESCE, so an index on either column could serve them.
    query = select(
        items.c.id,
        items.c.story_id,
        func.coalesce(items.c.published_at, items.c.first_fetched_at, type_=UtcDateTime()).label("day_at"),
        items.c.harm_areas,
        items.c.jurisdictions,
    ).where(
        or_(
            and_(items.c.published_at >= start, items.c.published_at < end),
            and_(items.c.published_at.is_(None), items.c.first_fetched_at >= start, items.c.first_fetched_at < end),
        )
    )
    with engine.connect() as conn:
        yield from conn.execution_options(yield_per=_PAGE).execute(query)


def chosen(tags: list[str], wanted: frozenset[str]) -> list[str]:
    """The item's tags that are wanted (all when none are named), each once, in order."""
    return [tag for tag in dict.fromkeys(tags) if not wanted or tag in wanted]


def wanted(values: Collection[str], name: str) -> frozenset[str]:
    if isinstance(values, str):  # a lone string would be taken letter by letter
        raise TypeError(f"{name} must be a collection of strings, not a string")
    return frozenset(values)
