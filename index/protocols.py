"""The two interfaces every engine implements: the store of record and the search index.

The index is derived from the store: everything in it can be rebuilt from `Store.iter_items`.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping
from typing import Protocol

from index.records import ItemVersion, SearchQuery, SearchResult, StoredItem, UpsertOutcome


class SearchEngine(Protocol):
    def add(self, items: Iterable[StoredItem]) -> None:
        """Index items, replacing any with the same id; durable once `commit` returns."""

    def delete(self, ids: Iterable[str]) -> None: ...

    def commit(self) -> None: ...

    def search(self, query: SearchQuery) -> SearchResult:
        """Run a query; a bad one raises QueryError with a readable message."""

    def fingerprints(self) -> Iterator[tuple[str, str]]:
        """(id, content_hash) of every indexed item, for `radar check`."""

    def rebuild(self, items: Iterable[StoredItem]) -> int:
        """Index everything afresh beside the live index, then swap; returns the count."""

    def close(self) -> None: ...


class Store(Protocol):
    def upsert(self, items: Iterable[StoredItem]) -> list[UpsertOutcome]:
        """Store items in one transaction. An item whose id exists with the same content hash
        is unchanged; with another hash, it becomes a new version beside the old ones. Each
        item is grouped into a story (its own, or the one of a near-duplicate already stored),
        and every new or updated item is marked as waiting for the index, in the same
        transaction, so a crash between store and index is repaired by `pending_index`."""

    def get(self, item_id: str) -> StoredItem | None: ...

    def versions(self, item_id: str) -> list[ItemVersion]:
        """Every version of an item, oldest first, each with the diff from the one before."""

    def story(self, story_id: str) -> list[StoredItem]: ...

    def story_sizes(self, story_ids: Collection[str]) -> dict[str, int]:
        """How many items each of these stories has (a story not stored is left out)."""
        ...

    def iter_items(self, batch_size: int = 1000) -> Iterator[StoredItem]:
        """Every item's latest version, in id order, reading `batch_size` rows at a time."""

    def pending_index(self, limit: int = 1000, skip: Collection[str] = ()) -> list[StoredItem]:
        """Items stored but not yet confirmed in the index (the outbox), but for those in `skip`."""

    def pending_index_count(self) -> int:
        """How many items wait for the index."""
        ...

    def mark_indexed(self, versions: Mapping[str, int]) -> None:
        """Take these items out of the outbox (id -> the version the index now holds), each only
        while that version is still the stored one: a newer version stored meanwhile, by another
        process, stays waiting for the index."""

    def mark_pending(self, ids: Iterable[str]) -> None:
        """Put these items back in the outbox: the index lacks their latest version."""

    def fingerprints(self) -> Iterator[tuple[str, str]]:
        """(id, content_hash) of every stored item, in id order."""

    def count(self) -> int: ...

    def close(self) -> None: ...
