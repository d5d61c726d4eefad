"""Grouping new items into stories against what is stored: the LSH bands table, the candidates
it finds, and the choice of story. (`stories.py` holds the arithmetic; this module the SQL.)

The band statements are the store's only engine-specific SQL: PostgreSQL plans an IN list of a
thousand values slowly and runs executemany a row at a time, so there arrays make each of them
one statement (three to four times faster)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from typing import Any, TypeVar

from sqlalchemy import BigInteger, Connection, any_, bindparam, delete, select
from sqlalchemy.dialects.postgresql import ARRAY

from index.store.models import items, story_bands
from index.store.rows import age_key
from index.store.stories import Sketch, StoryCandidate, oldest_near_duplicate

# Bound parameters per IN (...) list: well under SQLite's 32,766 and PostgreSQL's 65,535.
CHUNK = 1000
_T = TypeVar("_T")

_DELETE_ONE = delete(story_bands).where(
    story_bands.c.band == bindparam("old_band"), story_bands.c.item_id == bindparam("old_item_id")
)
_PG_FIND = select(story_bands.c.band, story_bands.c.item_id).where(
    story_bands.c.band == any_(bindparam("bands", type_=ARRAY(BigInteger)))
)
_PG_INSERT = "INSERT INTO story_bands (band, item_id) SELECT * FROM unnest(%(bands)s::bigint[], %(ids)s::text[])"
_PG_DELETE = (
    "DELETE FROM story_bands WHERE (band, item_id) IN (SELECT * FROM unnest(%(bands)s::bigint[], %(ids)s::text[]))"
)


def assign_stories(conn: Connection, new: list[dict[str, Any]], sketches: dict[str, Sketch | None]) -> dict[str, bool]:
    """Set each new row's `story_id`: the story of its oldest near-duplicate, stored or earlier in
    the batch, else a story of its own (with the item's id). Returns, per id, whether it joined."""
    wanted = sorted({band for row in new if (found := sketches[row["id"]]) for band in found.bands})
    stored_ids_by_band = _items_sharing(conn, wanted)
    stored = _candidates(conn, sorted({i for ids in stored_ids_by_band.values() for i in ids}))

    batch_by_band: dict[int, list[StoryCandidate]] = defaultdict(list)
    joined = {}
    for row in new:
        found = sketches[row["id"]]
        match = None
        if found is not None:
            candidates: dict[str, StoryCandidate] = {}
            for band in found.bands:
                if band in stored_ids_by_band:
                    candidates.update((i, stored[i]) for i in stored_ids_by_band[band] if i in stored)
                if band in batch_by_band:
                    candidates.update((c.item_id, c) for c in batch_by_band[band])
            match = oldest_near_duplicate(found, candidates.values())
        row["story_id"] = match.story_id if match else row["id"]
        joined[row["id"]] = match is not None
        if found is not None:
            age = age_key(row["published_at"], row["fetched_at"], row["id"])
            me = StoryCandidate(row["id"], row["story_id"], age, found)
            for band in found.bands:
                batch_by_band[band].append(me)
    return joined


def add_bands(conn: Connection, sketches: dict[str, Sketch | None]) -> None:
    """Store the bands of these items' sketches."""
    # In key order, the batch's inserts walk the band index once instead of jumping about it.
    pairs = sorted((band, item_id) for item_id, found in sketches.items() if found for band in set(found.bands))
    if not pairs:
        return
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(_PG_INSERT, {"bands": [band for band, _ in pairs], "ids": [i for _, i in pairs]})
    else:
        # Plain tuples to the driver: through the Core insert, the per-row parameter handling of
        # sixteen rows an item cost more than all the other writes of an upsert.
        conn.exec_driver_sql("INSERT INTO story_bands (band, item_id) VALUES (?, ?)", pairs)


def remove_bands(conn: Connection, sketches: dict[str, Sketch]) -> None:
    """Delete the bands of these (former) sketches."""
    pairs = [(band, item_id) for item_id, found in sketches.items() for band in set(found.bands)]
    if not pairs:
        return
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(_PG_DELETE, {"bands": [band for band, _ in pairs], "ids": [i for _, i in pairs]})
    else:
        conn.execute(_DELETE_ONE, [{"old_band": band, "old_item_id": item_id} for band, item_id in pairs])


def chunks(values: Sequence[_T], size: int = CHUNK) -> Iterator[Sequence[_T]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _items_sharing(conn: Connection, bands: Sequence[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = defaultdict(list)
    postgresql = conn.dialect.name == "postgresql"
    for chunk in chunks(bands, 20 * CHUNK if postgresql else CHUNK):
        if postgresql:
            rows = conn.execute(_PG_FIND, {"bands": list(chunk)})
        else:
            rows = conn.execute(select(story_bands.c.band, story_bands.c.item_id).where(story_bands.c.band.in_(chunk)))
        for band, item_id in rows:
            found[band].append(item_id)
    return found


def _candidates(conn: Connection, ids: list[str]) -> dict[str, StoryCandidate]:
    found = {}
    columns = (items.c.id, items.c.story_id, items.c.published_at, items.c.first_fetched_at, items.c.minhash)
    for chunk in chunks(ids):
        for row in conn.execute(select(*columns).where(items.c.id.in_(chunk), items.c.minhash.is_not(None))):
            age = age_key(row.published_at, row.first_fetched_at, row.id)
            found[row.id] = StoryCandidate(row.id, row.story_id, age, Sketch.from_bytes(row.minhash))
    return found
