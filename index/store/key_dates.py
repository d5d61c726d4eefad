"""The items' key dates of some kinds in a window of days, read straight from the store: for the
deadlines calendar (briefings/calendar.py) and the deadline reminders (alerts/reminders.py).

The search index holds no key dates, so the store is read: only the few columns needed, and only
the rows whose `dates` JSON names one of the wanted kinds (a text match that can only let too
many through, never too few; the JSON is then read here, as SQLite's and PostgreSQL's JSON
functions differ). On 5,000 items (1,600 such dates a year around today) this takes 75 ms on
SQLite, 45 ms for one country; paging through the search engine (which can filter by country and
harm area but not by date kind) and fetching each item it finds took 1.4 s and 0.34 s."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterator
from dataclasses import dataclass

from sqlalchemy import Engine, Text, cast, or_, select

from index.store.models import items

# Rows fetched at a time, so a large store need not sit in memory at once.
_PAGE = 2000


@dataclass(frozen=True)
class KeyDate:
    """One key date of one item, with what a calendar or a reminder shows of the item."""

    date: dt.date
    kind: str  # the tagger's kind (nlp/dates): deadline, commencement, hearing, ...
    text: str  # the date as the item writes it, e.g. "by 5pm on 30 January 2026"
    item_id: str
    item_version: int
    story_id: str
    title: str
    url: str  # where it was published
    jurisdictions: tuple[str, ...]
    harm_areas: tuple[str, ...]
    revised_at: dt.datetime  # when the item's latest version was fetched


def key_dates(
    engine: Engine,
    kinds: Collection[str],
    first_day: dt.date,
    last_day: dt.date,
    *,
    jurisdictions: Collection[str] = (),
    harm_areas: Collection[str] = (),
) -> Iterator[KeyDate]:
    """Every key date of one of `kinds` from `first_day` to `last_day` (both included) of the
    items tagged with one of `jurisdictions` and one of `harm_areas` (empty: any, or none), in
    item id order. A date the store holds malformed is skipped."""
    for name, values in (("kinds", kinds), ("jurisdictions", jurisdictions), ("harm_areas", harm_areas)):
        if isinstance(values, str):  # a lone string would be taken letter by letter
            raise TypeError(f"{name} must be a collection of strings, not a string")
    if not kinds or first_day > last_day:
        return
    wanted_places, wanted_harms = frozenset(jurisdictions), frozenset(harm_areas)
    # Kinds are stored as JSON strings, "deadline" with its quotes, whatever the serializer's spacing.
    names_a_kind = or_(*(cast(items.c.dates, Text).like(f'%"{kind}"%') for kind in sorted(kinds)))
    query = (
        select(
            items.c.id,
            items.c.version,
            items.c.story_id,
            items.c.title,
            items.c.url,
            items.c.jurisdictions,
            items.c.harm_areas,
            items.c.dates,
            items.c.fetched_at,
        )
        .where(names_a_kind)
        .order_by(items.c.id)
    )
    with engine.connect() as conn:
        for row in conn.execution_options(yield_per=_PAGE).execute(query):
            if wanted_places and not wanted_places.intersection(row.jurisdictions):
                continue
            if wanted_harms and not wanted_harms.intersection(row.harm_areas):
                continue
            for found in row.dates:
                day = _day(found.get("date"))
                if found.get("kind") not in kinds or day is None or not first_day <= day <= last_day:
                    continue
                yield KeyDate(
                    date=day,
                    kind=found["kind"],
                    text=str(found.get("text") or ""),
                    item_id=row.id,
                    item_version=row.version,
                    story_id=row.story_id,
                    title=row.title,
                    url=row.url,
                    jurisdictions=tuple(row.jurisdictions),
                    harm_areas=tuple(row.harm_areas),
                    revised_at=row.fetched_at,
                )


def _day(value: object) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None
