"""What the crawlers keep between passes, in the store's database: conditional-GET validators
and content hashes per URL, and each source's health (index/store/models.py has the tables)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, func, insert, select, update

from crawlers.registry import Source
from index.store.engine import write_transaction
from index.store.models import fetch_state, items, source_health, source_switches


@dataclass(frozen=True)
class Validators:
    etag: str | None
    last_modified: str | None
    content_hash: str | None


@dataclass(frozen=True)
class Health:
    source_id: str
    last_attempt_at: dt.datetime | None = None
    last_success_at: dt.datetime | None = None
    last_error_at: dt.datetime | None = None
    last_error_class: str | None = None
    last_error: str | None = None
    consecutive_failures: int = 0
    last_new_item_at: dt.datetime | None = None
    items_7_days: int = 0
    items_30_days: int = 0


@dataclass(frozen=True)
class Switch:
    """An editor's pause or resumption of a source, which wins over the registry's `enabled`."""

    source_id: str
    enabled: bool
    changed_by: str
    changed_at: dt.datetime


class CrawlState:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def validators(self, source_ids: list[str]) -> dict[str, Validators]:
        """The validators of every URL these sources' pages were fetched from (a listing's later
        pages and a sitemap's sitemaps too), by URL."""
        found: dict[str, Validators] = {}
        with self.engine.connect() as conn:
            for start in range(0, len(source_ids), 500):
                chosen = source_ids[start : start + 500]
                for row in conn.execute(select(fetch_state).where(fetch_state.c.source_id.in_(chosen))):
                    found[row.url] = Validators(row.etag, row.last_modified, row.content_hash)
        return found

    def save_validators(self, source_id: str, url: str, validators: Validators, now: dt.datetime) -> None:
        values = {
            "source_id": source_id,
            "etag": validators.etag,
            "last_modified": validators.last_modified,
            "content_hash": validators.content_hash,
            "fetched_at": now,
        }
        with write_transaction(self.engine) as conn:
            if conn.execute(update(fetch_state).where(fetch_state.c.url == url).values(**values)).rowcount == 0:
                conn.execute(insert(fetch_state).values(url=url, **values))

    def known_urls(self, source_ids: list[str]) -> set[str]:
        """The URLs of the items these sources already gave (items keep their source id)."""
        with self.engine.connect() as conn:
            return set(conn.execute(select(items.c.url).where(items.c.source.in_(source_ids))).scalars())

    def record(
        self,
        source_id: str,
        now: dt.datetime,
        error_class: str | None = None,
        error: str | None = None,
        new_items: int = 0,
    ) -> None:
        """One pass's outcome for a source: a success (error_class None) or a failure."""
        with write_transaction(self.engine) as conn:
            row = conn.execute(select(source_health).where(source_health.c.source_id == source_id)).first()
            values: dict[str, Any] = {"last_attempt_at": now}
            if error_class is None:
                values |= {"last_success_at": now, "consecutive_failures": 0}
            else:
                failures = (row.consecutive_failures if row else 0) + 1
                values |= {
                    "last_error_at": now,
                    "last_error_class": error_class,
                    "last_error": (error or "")[:1000],
                    "consecutive_failures": failures,
                }
            if new_items:
                values["last_new_item_at"] = now
            if row is None:
                conn.execute(
                    insert(source_health).values(**{"source_id": source_id, "consecutive_failures": 0, **values})
                )
            else:
                conn.execute(update(source_health).where(source_health.c.source_id == source_id).values(**values))

    def health(self, now: dt.datetime) -> dict[str, Health]:
        """Every source's health, with how many items it gave in the last 7 and 30 days."""
        counts: dict[str, list[int]] = {}
        with self.engine.connect() as conn:
            for days in (7, 30):
                since = now - dt.timedelta(days=days)
                query = (
                    select(items.c.source, func.count())
                    .where(items.c.first_fetched_at >= since, items.c.source.is_not(None))
                    .group_by(items.c.source)
                )
                for source, count in conn.execute(query):
                    counts.setdefault(source, [0, 0])[0 if days == 7 else 1] = count
            rows = list(conn.execute(select(source_health)))
        health = {row.source_id: Health(**row._asdict()) for row in rows}
        for source_id, (week, month) in counts.items():
            known = health.get(source_id, Health(source_id))
            health[source_id] = dataclasses.replace(known, items_7_days=week, items_30_days=month)
        return health

    def switches(self) -> dict[str, Switch]:
        """Every source an editor paused or resumed, by id."""
        with self.engine.connect() as conn:
            return {row.source_id: Switch(**row._asdict()) for row in conn.execute(select(source_switches))}

    def with_switches(self, sources: list[Source]) -> list[Source]:
        """The sources with `enabled` as editors switched it, where they did."""
        found = self.switches()
        return [
            dataclasses.replace(source, enabled=found[source.id].enabled) if source.id in found else source
            for source in sources
        ]

    def switch(self, source_id: str, enabled: bool, changed_by: str, now: dt.datetime) -> Switch:
        """Pause (enabled False) or resume a source from the next pass on."""
        values = {"enabled": enabled, "changed_by": changed_by, "changed_at": now}
        with write_transaction(self.engine) as conn:
            changed = conn.execute(
                update(source_switches).where(source_switches.c.source_id == source_id).values(**values)
            )
            if changed.rowcount == 0:
                conn.execute(insert(source_switches).values(source_id=source_id, **values))
        return Switch(source_id, enabled, changed_by, now)
