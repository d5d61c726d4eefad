"""How much work is waiting, read from the store: the two outboxes on `items` (waiting for the
index, waiting for the alerts) and the deliveries not yet sent. /metrics reads them when scraped,
so the figures are the store's, whichever process did the work."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, func, select

from index.store.alert_log import ABANDONED, FAILED, PENDING, SENDING
from index.store.models import deliveries, items

WAITING_DELIVERIES = (PENDING, SENDING, FAILED, ABANDONED)  # every status but sent


@dataclass(frozen=True)
class QueueLengths:
    index_pending: int  # item versions stored but not yet in the search index
    alert_pending: int  # item versions not yet matched against the subscriptions
    deliveries: dict[str, int]  # deliveries by status (every one of WAITING_DELIVERIES, 0 when none)


def queue_lengths(engine: Engine) -> QueueLengths:
    """The queues' lengths now. Each count reads a partial or status index, never every item or
    every delivery ever sent."""
    # Spelled as the outboxes' own queries spell them (`WHERE index_pending`), so SQLite uses
    # the partial indexes made for them.
    index_pending = select(func.count()).select_from(items).where(items.c.index_pending).scalar_subquery()
    alert_pending = select(func.count()).select_from(items).where(items.c.alert_pending).scalar_subquery()
    by_status = (
        select(deliveries.c.status, func.count())
        .where(deliveries.c.status.in_(WAITING_DELIVERIES))
        .group_by(deliveries.c.status)
    )
    with engine.connect() as conn:
        outboxes = conn.execute(select(index_pending, alert_pending)).one()
        counted = {status: count for status, count in conn.execute(by_status)}
    return QueueLengths(
        index_pending=outboxes[0],
        alert_pending=outboxes[1],
        deliveries={status: counted.get(status, 0) for status in WAITING_DELIVERIES},
    )
