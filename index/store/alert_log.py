"""What the alerts keep in the store: the items waiting to be matched (the alerts' outbox on
`items`), what each subscription was alerted about (`alerts`) and each alert's sending on each
channel (`deliveries`).

Guarantees, which hold across restarts because they are rows, not memory:
- an item version leaves the outbox in the same transaction that records its alerts, and only
  if no newer version arrived meanwhile, so a crash or a race loses no alert;
- (subscription, story, revision) is unique: a story alerts a subscription once, and again only
  as a new revision when it changed materially (the alerts decide what is material);
- a delivery is leased to one sender at a time (status `sending` until `lease_until`); one that
  fails is retried at `next_attempt_at`, and abandoned after the sender's last attempt.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, and_, bindparam, func, insert, or_, select, text, update

from index.records import StoredItem
from index.store.engine import write_transaction
from index.store.models import alerts, deliveries, item_versions, items, subscriptions
from index.store.rows import stored_item
from index.store.story_index import chunks

PENDING, SENDING, SENT, FAILED, ABANDONED = "pending", "sending", "sent", "failed", "abandoned"


@dataclass(frozen=True)
class LastAlert:
    """The latest alert of a subscription about a story."""

    subscription_id: int
    story_id: str
    revision: int
    item_id: str | None
    item_version: int | None
    snapshot: dict[str, Any]


@dataclass(frozen=True)
class NewAlert:
    subscription_id: int
    story_id: str
    revision: int
    kind: str  # new, changed, trend, health, reminder
    item_id: str | None
    item_version: int | None
    reasons: dict[str, Any]
    changes: tuple[str, ...]
    snapshot: dict[str, Any]
    channels: tuple[str, ...]
    due_at: dt.datetime  # when its deliveries are due: now, or the subscription's next digest


@dataclass(frozen=True)
class DueDelivery:
    """A delivery leased to a sender, with what it needs to build the message."""

    id: int
    alert_id: int
    subscription_id: int
    channel: str
    attempts: int
    due_at: dt.datetime
    kind: str
    story_id: str
    item_id: str | None
    reasons: dict[str, Any]
    changes: tuple[str, ...]
    alerted_at: dt.datetime


@dataclass(frozen=True)
class DeliveryProblem:
    """A delivery that failed at least once and is not sent: for the subscriptions page."""

    subscription_id: int
    channel: str
    status: str  # failed (will be retried) or abandoned
    attempts: int
    last_error: str
    next_attempt_at: dt.datetime | None
    alerts: int = field(default=1)


class AlertLog:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    # -- matching -----------------------------------------------------------------------

    def pending_items(self, limit: int = 1000, after: str | None = None) -> list[StoredItem]:
        """Item versions waiting to be matched, in id order, after the id `after`."""
        query = select(items).where(items.c.alert_pending).order_by(items.c.id).limit(limit)
        if after is not None:
            query = query.where(items.c.id > after)
        with self.engine.connect() as conn:
            return [stored_item(row) for row in conn.execute(query).mappings()]

    def last_alerts(self, pairs: Collection[tuple[int, str]]) -> dict[tuple[int, str], LastAlert]:
        """The latest alert for each (subscription id, story id) that has one."""
        wanted = set(pairs)
        found: dict[tuple[int, str], LastAlert] = {}
        with self.engine.connect() as conn:
            # By story: a batch has a few hundred stories, however many subscriptions they matched.
            for chunk in chunks(sorted({story for _subscription, story in wanted})):
                for row in conn.execute(select(alerts).where(alerts.c.story_id.in_(chunk))):
                    key = (row.subscription_id, row.story_id)
                    if key in wanted and (key not in found or found[key].revision < row.revision):
                        found[key] = LastAlert(
                            row.subscription_id, row.story_id, row.revision, row.item_id, row.item_version, row.snapshot
                        )
        return found

    def alerted_text(self, item_id: str, version: int) -> str | None:
        """The title and text of an item's stored version (what an alert was made on)."""
        with self.engine.connect() as conn:
            row = conn.execute(
                select(item_versions.c.title, item_versions.c.text).where(
                    item_versions.c.item_id == item_id, item_versions.c.version == version
                )
            ).first()
        return f"{row.title}\n{row.text}" if row else None

    def record(self, new_alerts: Iterable[NewAlert], matched: Iterable[StoredItem], now: dt.datetime) -> int:
        """In one transaction: store the alerts not stored yet (another run may have stored the
        same revision) with a pending delivery per channel, and take the matched item versions
        out of the outbox. Returns how many alerts were stored."""
        new_alerts = list(new_alerts)
        with write_transaction(self.engine) as conn:
            existing: set[tuple[int, str, int]] = set()
            for chunk in chunks(sorted({alert.story_id for alert in new_alerts})):
                query = select(alerts.c.subscription_id, alerts.c.story_id, alerts.c.revision)
                existing.update(
                    (row[0], row[1], row[2]) for row in conn.execute(query.where(alerts.c.story_id.in_(chunk)))
                )
            live = {row[0] for row in conn.execute(select(subscriptions.c.id))}  # none removed meanwhile
            fresh = [
                alert
                for alert in new_alerts
                if (alert.subscription_id, alert.story_id, alert.revision) not in existing
                and alert.subscription_id in live
            ]
            if fresh:
                # Ids given here, not returned row by row (SQLite runs an INSERT ... RETURNING per
                # row): safe, as this transaction holds the store's write lock.
                first = (conn.execute(select(func.max(alerts.c.id))).scalar() or 0) + 1
                made = range(first, first + len(fresh))
                conn.execute(
                    insert(alerts),
                    [
                        {
                            "id": alert_id,
                            "subscription_id": alert.subscription_id,
                            "story_id": alert.story_id,
                            "revision": alert.revision,
                            "kind": alert.kind,
                            "item_id": alert.item_id,
                            "item_version": alert.item_version,
                            "reasons": alert.reasons,
                            "changes": list(alert.changes),
                            "snapshot": alert.snapshot,
                            "created_at": now,
                        }
                        for alert_id, alert in zip(made, fresh, strict=True)
                    ],
                )
                if conn.dialect.name == "postgresql":  # keep the id sequence past the ids given
                    conn.execute(
                        text("SELECT setval(pg_get_serial_sequence('alerts', 'id'), :last)"), {"last": made[-1]}
                    )
                sending = [
                    {
                        "alert_id": alert_id,
                        "subscription_id": alert.subscription_id,
                        "channel": channel,
                        "status": PENDING,
                        "due_at": alert.due_at,
                        "attempts": 0,
                        "next_attempt_at": alert.due_at,
                    }
                    for alert_id, alert in zip(made, fresh, strict=True)
                    for channel in dict.fromkeys(alert.channels)
                ]
                if sending:
                    conn.execute(insert(deliveries), sending)
            done = [{"done_id": item.id, "done_version": item.version} for item in matched]
            if done:
                # Only the version matched: a newer one stored meanwhile stays in the outbox.
                conn.execute(
                    update(items)
                    .where(items.c.id == bindparam("done_id"), items.c.version == bindparam("done_version"))
                    .values(alert_pending=False),
                    done,
                )
        return len(fresh)

    # -- delivering ---------------------------------------------------------------------

    def claim_due(self, now: dt.datetime, lease: dt.timedelta, limit: int = 1000) -> list[DueDelivery]:
        """Lease to the caller the deliveries due by `now`: pending or failed ones whose time has
        come, and ones another sender leased but did not finish (its lease ran out)."""
        due = or_(
            and_(deliveries.c.status.in_((PENDING, FAILED)), deliveries.c.next_attempt_at <= now),
            and_(deliveries.c.status == SENDING, deliveries.c.lease_until < now),
        )
        query = (
            select(deliveries, alerts.c.kind, alerts.c.story_id, alerts.c.item_id, alerts.c.reasons)
            .add_columns(alerts.c.changes, alerts.c.created_at.label("alerted_at"))
            .join(alerts, alerts.c.id == deliveries.c.alert_id)
            .where(due)
            .order_by(deliveries.c.subscription_id, deliveries.c.channel, deliveries.c.id)
            .limit(limit)
        )
        with write_transaction(self.engine) as conn:
            rows = conn.execute(query).all()
            for chunk in chunks([row.id for row in rows]):
                conn.execute(
                    update(deliveries).where(deliveries.c.id.in_(chunk)).values(status=SENDING, lease_until=now + lease)
                )
        return [
            DueDelivery(
                id=row.id,
                alert_id=row.alert_id,
                subscription_id=row.subscription_id,
                channel=row.channel,
                attempts=row.attempts,
                due_at=row.due_at,
                kind=row.kind,
                story_id=row.story_id,
                item_id=row.item_id,
                reasons=row.reasons,
                changes=tuple(row.changes),
                alerted_at=row.alerted_at,
            )
            for row in rows
        ]

    def mark_sent(self, delivery_ids: Collection[int], now: dt.datetime) -> None:
        self._set(delivery_ids, status=SENT, sent_at=now, lease_until=None, last_error=None)

    def mark_failed(
        self, delivery_ids: Collection[int], error: str, now: dt.datetime, retry_at: dt.datetime | None
    ) -> None:
        """Record a failed attempt: retried at `retry_at`, or abandoned when it is None."""
        status = FAILED if retry_at is not None else ABANDONED
        self._set(
            delivery_ids,
            status=status,
            attempts=deliveries.c.attempts + 1,
            next_attempt_at=retry_at or now,
            lease_until=None,
            last_error=error[:2000],
        )

    def _set(self, delivery_ids: Collection[int], **values: Any) -> None:
        with write_transaction(self.engine) as conn:
            for chunk in chunks(sorted(delivery_ids)):
                conn.execute(update(deliveries).where(deliveries.c.id.in_(chunk)).values(**values))

    # -- reading ------------------------------------------------------------------------

    def problems(self, subscription_ids: Collection[int]) -> list[DeliveryProblem]:
        """Failing and abandoned deliveries of these subscriptions, one row per subscription,
        channel and status (with the most attempts, one of their errors and the soonest retry),
        by subscription and channel."""
        if not subscription_ids:
            return []
        query = (
            select(
                deliveries.c.subscription_id,
                deliveries.c.channel,
                deliveries.c.status,
                func.max(deliveries.c.attempts),
                func.max(deliveries.c.last_error),
                func.min(deliveries.c.next_attempt_at),
                func.count(),
            )
            .where(deliveries.c.status.in_((FAILED, ABANDONED)), deliveries.c.subscription_id.in_(subscription_ids))
            .group_by(deliveries.c.subscription_id, deliveries.c.channel, deliveries.c.status)
            .order_by(deliveries.c.subscription_id, deliveries.c.channel)
        )
        with self.engine.connect() as conn:
            return [
                DeliveryProblem(
                    subscription_id=row[0],
                    channel=row[1],
                    status=row[2],
                    attempts=row[3],
                    last_error=row[4] or "",
                    next_attempt_at=row[5] if row[2] == FAILED else None,
                    alerts=row[6],
                )
                for row in conn.execute(query)
            ]

    def counts(self) -> dict[str, int]:
        """Deliveries by status, for figures and tests."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(deliveries.c.status, func.count()).group_by(deliveries.c.status))
            return {status: count for status, count in rows}
