"""The store of record on SQLite or PostgreSQL: the `index.protocols.Store` every engine implements."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Select, bindparam, func, insert, select, update

from index.records import ItemVersion, StoredItem, UpsertOutcome
from index.store.diffs import version_diff
from index.store.engine import create_store_engine, write_transaction
from index.store.migrate import upgrade_to_head
from index.store.models import item_versions, items, stories
from index.store.rows import age_key, item_row, stored_item, version_tags
from index.store.stories import Sketch, sketch
from index.store.story_index import add_bands, assign_stories, chunks, remove_bands

FINGERPRINT_PAGE = 10_000

# What an update rewrites; the id, story and first fetch time stay.
_UPDATED_COLUMNS = [
    *("url", "title", "text", "language", "source", "source_kind", "published_at", "fetched_at", "content_hash"),
    *("harm_areas", "jurisdictions", "mentioned_jurisdictions", "doc_type", "stakeholders", "dates", "evidence"),
    *("version", "index_pending", "alert_pending", "minhash"),
]
_UPDATE_ITEM = (
    update(items).where(items.c.id == bindparam("item_id")).values({name: bindparam(name) for name in _UPDATED_COLUMNS})
)


@dataclass(frozen=True)
class _Stored:
    content_hash: str
    version: int
    story_id: str
    minhash: bytes | None


class SqlStore:
    """Items, their versions and their stories in an SQL database (see `index.protocols.Store`).

    `upsert` takes the items' ids, URLs and content hashes as given (see `index.store.urls` and
    `index.store.content`) and decides their `version` and `story_id` itself. Writers hold the
    store's write lock for their transaction (SQLite's, or an advisory lock on PostgreSQL), so
    concurrent ingests queue rather than interleave."""

    def __init__(self, engine: Engine, *, migrate: bool = True) -> None:
        self.engine = engine
        if migrate:
            upgrade_to_head(engine)

    @classmethod
    def open(cls, database_url: str | None, data_dir: Path) -> SqlStore:
        """The store at `database_url`, or in an SQLite file under `data_dir`; migrated to the latest schema."""
        return cls(create_store_engine(database_url, data_dir))

    # -- writing ------------------------------------------------------------------------------

    def upsert(self, items_in: Iterable[StoredItem]) -> list[UpsertOutcome]:
        """See `Store.upsert`. Items are checked before anything is written: an invalid one raises
        InvalidItemError naming it, and nothing of the batch is stored. When an id comes twice,
        the last one wins and it counts once. Outcomes follow the ids' first appearance;
        `joined_story` is true for a new item grouped with an item stored before it (or earlier
        in the batch)."""
        batch: dict[str, dict[str, Any]] = {}
        for position, item in enumerate(items_in):
            row = item_row(item, position)
            batch[row["id"]] = row  # a repeated id keeps its first place in the order
        if not batch:
            return []
        with write_transaction(self.engine) as conn:
            return self._upsert(conn, batch)

    def _upsert(self, conn: Connection, batch: dict[str, dict[str, Any]]) -> list[UpsertOutcome]:
        stored = self._stored(conn, list(batch))
        new = [row for item_id, row in batch.items() if item_id not in stored]
        changed = [row for i, row in batch.items() if i in stored and stored[i].content_hash != row["content_hash"]]
        sketches = {row["id"]: sketch(row["title"], row["text"]) for row in (*new, *changed)}
        joined = assign_stories(conn, new, sketches)
        for row in new:
            row.update(version=1, first_fetched_at=row["fetched_at"])
        for row in changed:
            row.update(version=stored[row["id"]].version + 1, story_id=stored[row["id"]].story_id)
        for row in (*new, *changed):
            found = sketches[row["id"]]
            # Both outboxes: the index and the alerts each take the new version, then clear their mark.
            row.update(index_pending=True, alert_pending=True, minhash=found.to_bytes() if found else None)

        self._write(conn, new, changed, stored)
        add_bands(conn, sketches)

        changed_ids = {row["id"] for row in changed}
        outcomes = []
        for item_id, row in batch.items():
            if item_id not in stored:
                outcomes.append(UpsertOutcome(item_id, "new", row["story_id"], joined[item_id]))
            elif item_id in changed_ids:
                outcomes.append(UpsertOutcome(item_id, "updated", row["story_id"], False))
            else:
                outcomes.append(UpsertOutcome(item_id, "unchanged", stored[item_id].story_id, False))
        return outcomes

    def _stored(self, conn: Connection, ids: list[str]) -> dict[str, _Stored]:
        found = {}
        query = select(items.c.id, items.c.content_hash, items.c.version, items.c.story_id, items.c.minhash)
        for chunk in chunks(ids):
            for row in conn.execute(query.where(items.c.id.in_(chunk))):
                found[row.id] = _Stored(row.content_hash, row.version, row.story_id, row.minhash)
        return found

    def _write(
        self, conn: Connection, new: list[dict[str, Any]], changed: list[dict[str, Any]], stored: dict[str, _Stored]
    ) -> None:
        """The batch's inserts and updates: a statement per table, whatever the batch's size."""
        new_stories = [
            {"id": row["id"], "first_seen_at": row["fetched_at"], "representative_item_id": row["id"]}
            for row in new
            if row["story_id"] == row["id"]
        ]
        if new_stories:
            conn.execute(insert(stories), new_stories)
        if new:
            conn.execute(insert(items), new)
        if changed:
            remove_bands(conn, {r["id"]: Sketch.from_bytes(raw) for r in changed if (raw := stored[r["id"]].minhash)})
            updates = [{"item_id": row["id"], **{name: row[name] for name in _UPDATED_COLUMNS}} for row in changed]
            conn.execute(_UPDATE_ITEM, updates)
        if new or changed:
            versions = [
                {
                    "item_id": row["id"],
                    "version": row["version"],
                    "fetched_at": row["fetched_at"],
                    "content_hash": row["content_hash"],
                    "title": row["title"],
                    "text": row["text"],
                    "tags": version_tags(row),
                }
                for row in (*new, *changed)
            ]
            conn.execute(insert(item_versions), versions)

    def mark_indexed(self, versions: Mapping[str, int]) -> None:
        """Take these items out of the outbox (id -> the version the index now holds), each only
        while that version is the stored one."""
        if not versions:
            return
        query = (
            update(items)
            .where(
                items.c.id == bindparam("indexed_id"),
                items.c.version == bindparam("indexed_version"),
                items.c.index_pending,
            )
            .values(index_pending=False)
        )
        rows = [{"indexed_id": item_id, "indexed_version": version} for item_id, version in sorted(versions.items())]
        with write_transaction(self.engine) as conn:
            for chunk in chunks(rows):
                conn.execute(query, chunk)

    def mark_pending(self, ids: Iterable[str]) -> None:
        """Put these items back in the outbox: the search index lacks their latest version."""
        ids = sorted(set(ids))
        if not ids:
            return
        with write_transaction(self.engine) as conn:
            for chunk in chunks(ids):
                query = update(items).where(items.c.id.in_(chunk), items.c.index_pending.is_(False))
                conn.execute(query.values(index_pending=True))

    # -- reading ------------------------------------------------------------------------------

    def get(self, item_id: str) -> StoredItem | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(items).where(items.c.id == item_id)).mappings().first()
        return stored_item(row) if row else None

    def versions(self, item_id: str) -> list[ItemVersion]:
        query = select(item_versions).where(item_versions.c.item_id == item_id).order_by(item_versions.c.version)
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        out = []
        for previous, row in zip([None, *rows], rows, strict=False):
            diff = (
                version_diff(previous.title, previous.text, row.title, row.text, previous.version, row.version)
                if previous is not None
                else ""
            )
            out.append(ItemVersion(row.version, row.fetched_at, row.content_hash, row.title, row.text, diff))
        return out

    def story(self, story_id: str) -> list[StoredItem]:
        """The items of a story, oldest first (by publication, else first fetch)."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(items).where(items.c.story_id == story_id)).mappings().all()
        rows = sorted(rows, key=lambda row: age_key(row["published_at"], row["first_fetched_at"], row["id"]))
        return [stored_item(row) for row in rows]

    def story_sizes(self, story_ids: Collection[str]) -> dict[str, int]:
        chosen = list(dict.fromkeys(story_ids))
        sizes: dict[str, int] = {}
        with self.engine.connect() as conn:
            for start in range(0, len(chosen), 500):
                rows = conn.execute(
                    select(items.c.story_id, func.count())
                    .where(items.c.story_id.in_(chosen[start : start + 500]))
                    .group_by(items.c.story_id)
                )
                sizes.update({story_id: count for story_id, count in rows})
        return sizes

    def iter_items(self, batch_size: int = 1000) -> Iterator[StoredItem]:
        """See `Store.iter_items`; each page is read in its own short transaction, so a long
        reindex never holds the database."""
        for page in self._pages(select(items), batch_size):
            yield from (stored_item(row) for row in page)

    def pending_index(self, limit: int = 1000, skip: Collection[str] = ()) -> list[StoredItem]:
        query = select(items).where(items.c.index_pending).order_by(items.c.id).limit(limit)
        if skip:
            query = query.where(items.c.id.not_in(sorted(skip)))
        with self.engine.connect() as conn:
            return [stored_item(row) for row in conn.execute(query).mappings()]

    def pending_index_count(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).where(items.c.index_pending)).scalar_one())

    def fingerprints(self) -> Iterator[tuple[str, str]]:
        for page in self._pages(select(items.c.id, items.c.content_hash), FINGERPRINT_PAGE):
            yield from ((row["id"], row["content_hash"]) for row in page)

    def count(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(items)).scalar_one())

    def close(self) -> None:
        self.engine.dispose()

    def _pages(self, query: Select[Any], size: int) -> Iterator[Sequence[Any]]:
        """Rows of `query` in id order, `size` at a time, by key rather than offset, so the last
        page is as quick as the first."""
        if size < 1:
            raise ValueError("batch_size must be at least 1")
        after = None
        while True:
            page_query = query.order_by(items.c.id).limit(size)
            if after is not None:
                page_query = page_query.where(items.c.id > after)
            with self.engine.connect() as conn:
                page = conn.execute(page_query).mappings().all()
            if not page:
                return
            yield page
            if len(page) < size:
                return
            after = page[-1]["id"]
