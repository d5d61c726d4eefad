"""A stakeholder's profile: the items that name it, its own publications, the harm areas it is
active on, who is named with it, and its items month by month.

- *Items naming it*: items whose `stakeholders` hold its canonical name. Items carry only the
  name, so a name several bodies share (National Police Agency: JP, KR, TW) brings all of their
  items; the profile lists those bodies as namesakes.
- *Its own publications*: items from its own sources (`briefings.stakeholders.own_sources`, for
  every body under the name).
- *Active on*: harm areas of the items naming it or published by it, each item once.
- *Named with*: the other names on the items naming it, by how many of those items name both.
- *Timeline*: items naming it or published by it per month (an item's day: `published_at`, else
  `first_fetched_at`, in UTC), from its first month to its latest, a month without items 0.

The counts cover items, not stories (three outlets carrying one story are three items), and at
most the PROFILE_ITEMS most recent items of each kind; `Profile.capped` says when there were more.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import Engine, select

from briefings.stakeholders import DirectoryEntry, own_sources
from crawlers.registry import Source
from index.protocols import SearchEngine
from index.records import MAX_LIMIT, SearchQuery, SearchResult
from index.store.models import items

PROFILE_ITEMS = 5_000  # of each kind (naming it, its own), the most recent counted
_ID_CHUNK = 500


@dataclass(frozen=True)
class Profile:
    entry: DirectoryEntry
    namesakes: tuple[DirectoryEntry, ...]  # other bodies under the same name
    mentions: SearchResult  # items naming it: total, facets over all, the newest as hits
    own_sources: tuple[Source, ...]
    own: SearchResult | None  # items from its own sources, as `mentions`; None: no own source
    active_on: dict[str, int]  # harm area -> items, most first
    named_with: tuple[tuple[str, int], ...]  # (name, items naming both), most first
    timeline: tuple[tuple[str, int], ...]  # ("YYYY-MM", items), oldest first
    capped: bool  # more items than PROFILE_ITEMS of a kind: the counts cover the most recent


def build_profile(
    entries: Sequence[DirectoryEntry],
    engine: SearchEngine,
    store: Engine,
    sources: Sequence[Source],
    recent: int = 10,
    named_with: int = 10,
) -> Profile:
    """The profile of the stakeholder `entries` name (`StakeholderDirectory.named`: the first is
    the one shown, the rest its namesakes) from the search `engine`, the store's database and
    the source registry: the `recent` newest items of each kind and the `named_with` names most
    often named with it (see the module's docstring)."""
    if not entries:
        raise ValueError("a profile needs an entry")
    first, *namesakes = entries
    mentions, mention_ids, mentions_capped = _matching(engine, SearchQuery(stakeholders=(first.name,)), recent)
    owned = tuple({source.id: source for entry in entries for source in own_sources(entry, sources)}.values())
    own: SearchResult | None = None
    own_ids: list[str] = []
    own_capped = False
    if owned:
        own, own_ids, own_capped = _matching(engine, SearchQuery(sources=tuple(s.id for s in owned)), recent)

    rows = _rows(store, [*dict.fromkeys([*mention_ids, *own_ids])])
    naming = set(mention_ids)
    harms: Counter[str] = Counter()
    others: Counter[str] = Counter()
    months: Counter[str] = Counter()
    for item_id, when, harm_areas, names in rows:
        harms.update(set(harm_areas))
        months[f"{when:%Y-%m}"] += 1
        if item_id in naming:
            others.update(set(names) - {first.name})
    return Profile(
        entry=first,
        namesakes=tuple(namesakes),
        mentions=mentions,
        own_sources=owned,
        own=own,
        active_on=dict(sorted(harms.items(), key=lambda pair: (-pair[1], pair[0]))),
        named_with=tuple(sorted(others.items(), key=lambda pair: (-pair[1], pair[0]))[:named_with]),
        timeline=_every_month(months),
        capped=mentions_capped or own_capped,
    )


def _matching(engine: SearchEngine, query: SearchQuery, recent: int) -> tuple[SearchResult, list[str], bool]:
    """The query's newest `recent` hits (with its total and facets), the ids of its most recent
    PROFILE_ITEMS items, and whether there were more."""
    query = dataclasses.replace(query, sort="newest", limit=min(MAX_LIMIT, PROFILE_ITEMS))
    page = first = engine.search(query)
    ids = [hit.id for hit in page.hits]
    while page.next_cursor is not None and page.hits and len(ids) < PROFILE_ITEMS:
        page = engine.search(dataclasses.replace(query, cursor=page.next_cursor))
        ids += [hit.id for hit in page.hits]
    shown = dataclasses.replace(first, hits=first.hits[:recent], next_cursor=None)
    return shown, ids[:PROFILE_ITEMS], first.total > PROFILE_ITEMS


def _rows(store: Engine, ids: list[str]) -> Iterable[tuple[str, dt.datetime, list[str], list[str]]]:
    """(id, day's datetime, harm areas, stakeholders) of these items, as the store has them."""
    query = select(items.c.id, items.c.published_at, items.c.first_fetched_at, items.c.harm_areas, items.c.stakeholders)
    with store.connect() as conn:
        for start in range(0, len(ids), _ID_CHUNK):
            for row in conn.execute(query.where(items.c.id.in_(ids[start : start + _ID_CHUNK]))):
                yield row.id, row.published_at or row.first_fetched_at, row.harm_areas, row.stakeholders


def _every_month(months: Counter[str]) -> tuple[tuple[str, int], ...]:
    """The counts from the first month to the last, the months between included at 0."""
    if not months:
        return ()
    year, month = map(int, min(months).split("-"))
    last = max(months)
    found = []
    while (key := f"{year:04d}-{month:02d}") <= last:
        found.append((key, months[key]))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return tuple(found)
