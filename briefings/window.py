"""The items a briefing reads, as stories: the search engine finds them fast (filters, newest
first, page by page), the store gives them whole (key dates, stakeholders, text) and adds the
copies of each story that other outlets ran in the same window."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from index.protocols import SearchEngine, Store
from index.records import MAX_LIMIT, SearchHit, SearchQuery, StoredItem


@dataclass(frozen=True)
class Story:
    """One story's items in the window, oldest first: the first is its lead."""

    story_id: str
    items: tuple[StoredItem, ...]

    @property
    def lead(self) -> StoredItem:
        return self.items[0]

    @property
    def date(self) -> dt.date | None:
        return published_on(self.lead)

    @property
    def harm_areas(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(harm for item in self.items for harm in item.harm_areas))

    @property
    def jurisdictions(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(code for item in self.items for code in item.jurisdictions))

    @property
    def doc_type(self) -> str:
        """The lead's document type, unless it is news and another item of the story is the
        document itself (the regulator's consultation rather than the paper's report of it)."""
        primary = [item.doc_type for item in self.items if item.doc_type != "news"]
        return self.lead.doc_type if self.lead.doc_type != "news" or not primary else primary[0]


@dataclass(frozen=True)
class Found:
    """The stories a search found, newest first; `total` items matched, `read` were read (the
    newest, up to the cap)."""

    stories: tuple[Story, ...]
    total: int
    read: int

    @property
    def items(self) -> tuple[StoredItem, ...]:
        return tuple(item for story in self.stories for item in story.items)

    @property
    def truncated(self) -> bool:
        return self.read < self.total


def published_on(item: StoredItem | SearchHit) -> dt.date | None:
    """The day an item was published, in UTC (the day the search's date filters use)."""
    return item.published_at.astimezone(dt.UTC).date() if item.published_at else None


class ItemReader:
    """Whole items from the store, each read once for the whole briefing."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._items: dict[str, StoredItem | None] = {}

    def get(self, item_id: str) -> StoredItem | None:
        if item_id not in self._items:
            self._items[item_id] = self.store.get(item_id)
        return self._items[item_id]

    def story(self, story_id: str) -> list[StoredItem]:
        items = self.store.story(story_id)
        self._items.update((item.id, item) for item in items)
        return items


def find_stories(engine: SearchEngine, reader: ItemReader, query: SearchQuery, *, cap: int) -> Found:
    """The stories of the items `query` finds (its since/until is the window), reading at most
    `cap` items, newest first, each story with its copies from the same window even where the
    query's filters leave them out (a wire copy tagged a little differently is still a source)."""
    hits: list[SearchHit] = []
    page = dataclasses.replace(query, sort="newest", limit=min(cap, MAX_LIMIT), cursor=None)
    while True:
        result = engine.search(page)
        hits += result.hits[: cap - len(hits)]
        if len(hits) >= cap or not result.next_cursor or not result.hits:
            break
        page = dataclasses.replace(page, cursor=result.next_cursor)
    by_story: dict[str, list[StoredItem]] = {}
    for hit in hits:
        item = reader.get(hit.id)
        if item is not None:  # the index may still hold an item the store has since replaced
            by_story.setdefault(item.story_id, []).append(item)
    sizes = reader.store.story_sizes(list(by_story))
    for story_id, items in by_story.items():
        if sizes.get(story_id, 0) > len(items):
            held = {item.id for item in items}
            items += [
                copy
                for copy in reader.story(story_id)
                if copy.id not in held and _within(copy, query.since, query.until)
            ]
    stories = [
        Story(story_id, tuple(sorted(items, key=lambda item: (item.published_at or _EARLIEST, item.id))))
        for story_id, items in by_story.items()
    ]
    stories.sort(key=lambda story: (-(story.date or dt.date.min).toordinal(), story.lead.title, story.story_id))
    return Found(tuple(stories), total=result.total, read=len(hits))


_EARLIEST = dt.datetime.min.replace(tzinfo=dt.UTC)


def _within(item: StoredItem, since: dt.date | None, until: dt.date | None) -> bool:
    day = published_on(item)
    return day is not None and (since is None or day >= since) and (until is None or day <= until)
