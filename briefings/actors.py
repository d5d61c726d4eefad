"""Section 5 of a briefing: a stakeholder's own statements and publications, the items that name
it, and who else is active on the same harm areas.

Its own: items from its own sources, as the directory matches a body to the registry's sources
(briefings.stakeholders.own_sources states the rule: the source's name, up to its dash, is the
body's name or an alias, in the body's jurisdiction), and items whose source was recorded under
its name or an alias. People have no sources of their own: what they say reaches the tracker
through their body's source or the press, and shows under the items that name them."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter

from briefings.citations import Citations
from briefings.developments import develop
from briefings.records import Actor, StakeholderSection
from briefings.request import BriefingRequest, References
from briefings.stakeholders import own_sources
from briefings.window import Found, ItemReader, find_stories
from index.protocols import SearchEngine
from index.records import SearchQuery, StoredItem

MAX_OWN_ITEMS = 500  # of each list, the newest
MAX_ACTORS = 15
ACTOR_CITATIONS = 10  # the newest items of each actor cited; the count says how many there are
PUBLISHER_KINDS = ("ngo", "news", "industry")  # publishers counted as active beside the bodies items name


def stakeholder_section(
    engine: SearchEngine,
    reader: ItemReader,
    request: BriefingRequest,
    window: Found,
    references: References,
    citations: Citations,
    *,
    since: dt.date,
    until: dt.date,
) -> StakeholderSection:
    """For `request.stakeholder` in the window: its own items (from its own sources) and the
    items that name it (but are not its own), each as stories, newest first, on the harm areas
    asked for if any, in any country (a body speaks for its own jurisdiction); and the others
    named in the window's items on the same harm areas (those asked for, else those of its own
    and naming items), with the NGOs, press and industry groups that published them."""
    name = request.stakeholder or ""
    entries = references.stakeholders.named(name)
    forms = tuple(dict.fromkeys(form for entry in entries for form in entry.surface_forms))
    source_ids = tuple(
        dict.fromkeys(source.id for entry in entries for source in own_sources(entry, references.sources))
    )
    scope = SearchQuery(harm_areas=request.harm_areas, since=since, until=until)
    own = find_stories(engine, reader, dataclasses.replace(scope, sources=(*source_ids, *forms)), cap=MAX_OWN_ITEMS)
    own_ids = {item.id for item in own.items}
    naming = find_stories(engine, reader, dataclasses.replace(scope, stakeholders=(name,)), cap=MAX_OWN_ITEMS)
    mentioned = [story for story in naming.stories if not any(item.id in own_ids for item in story.items)]
    harm_areas = set(request.harm_areas) or {harm for story in (*own.stories, *mentioned) for harm in story.harm_areas}
    others = _others(window, harm_areas, name, set(source_ids), references, citations)
    return StakeholderSection(
        name=name,
        own=tuple(develop(story, citations) for story in own.stories),
        mentioned=tuple(develop(story, citations) for story in mentioned),
        others=others,
    )


def _others(
    window: Found,
    harm_areas: set[str],
    subject: str,
    own_source_ids: set[str],
    references: References,
    citations: Citations,
) -> tuple[Actor, ...]:
    """Who else the window's items on `harm_areas` name, or who published them (NGOs, press,
    industry), by how many items, most first."""
    if not harm_areas:
        return ()
    names = references.source_names()
    items_by_actor: dict[str, list[StoredItem]] = {}
    for story in window.stories:
        if not harm_areas & set(story.harm_areas):
            continue
        for item in story.items:
            actors = {each for each in item.stakeholders if each.casefold() != subject.casefold()}
            if item.source and item.source_kind in PUBLISHER_KINDS and item.source not in own_source_ids:
                actors.add(names.get(item.source, item.source).split(" – ", 1)[0])
            for actor in actors:
                items_by_actor.setdefault(actor, []).append(item)
    counts = Counter({actor: len(items) for actor, items in items_by_actor.items()})
    ranked = sorted(counts, key=lambda actor: (-counts[actor], actor.casefold()))[:MAX_ACTORS]
    return tuple(
        Actor(
            name=actor,
            items=counts[actor],
            citations=citations.cite_all(_newest(items_by_actor[actor])[:ACTOR_CITATIONS]),
        )
        for actor in ranked
    )


def _newest(items: list[StoredItem]) -> list[StoredItem]:
    earliest = dt.datetime.min.replace(tzinfo=dt.UTC)
    return sorted(items, key=lambda item: (item.published_at or earliest, item.id), reverse=True)
