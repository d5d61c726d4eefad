"""What the alerts send: each alert as a message shows it, and one message on one channel.

Built by alerts/delivery.py from the store (alerts, deliveries, items, subscriptions) and handed
to a channel (alerts/email.py, alerts/webhooks.py), which renders and sends it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Surge:
    """Items on one harm area in one jurisdiction far above their trailing baseline."""

    harm_area: str
    jurisdiction: str
    day: dt.date  # the day of the surge (UTC)
    count: int  # items that day
    baseline_mean: float  # items a day over the trailing window
    baseline_std: float
    z: float
    item_ids: tuple[str, ...]  # the items that make the surge, newest first


@dataclass(frozen=True)
class RelatedItem:
    title: str
    link: str  # the item's page on the tracker


@dataclass(frozen=True)
class AlertItem:
    """One alert: a new or materially changed story, or a surge."""

    alert_id: int
    kind: str  # new, changed, trend
    title: str
    link: str  # the item's page on the tracker (for a surge: the search that lists its items)
    source_url: str  # where it was published ("" for a surge)
    source: str | None
    published_at: dt.datetime | None
    jurisdictions: tuple[str, ...]
    harm_areas: tuple[str, ...]
    doc_type: str
    snippet: str  # plain text, never HTML
    matched_terms: tuple[str, ...] = ()  # the query's terms found in the item
    matched_tags: dict[str, tuple[str, ...]] = field(default_factory=dict)  # filter field -> values it matched
    changes: tuple[str, ...] = ()  # for "changed": what changed since the last alert, in words
    other_sources: int = 0  # further copies of the same story
    surge: Surge | None = None
    related: tuple[RelatedItem, ...] = ()  # for a surge: its items


@dataclass(frozen=True)
class Message:
    """One send on one channel: a subscription's due alerts (one for an instant alert, many
    for a digest). `key` is the same on every retry: the email's Message-ID and the webhooks'
    Idempotency-Key, so a receiver can drop a copy."""

    key: str
    subscription_id: int
    subscription_name: str
    cadence: str  # instant, daily, weekly
    channel: str  # KIND:ADDRESS, as the subscription lists it
    alerts: tuple[AlertItem, ...]
    unsubscribe_link: str
    manage_link: str  # the subscriptions page
    created_at: dt.datetime


class DeliveryError(RuntimeError):
    """A send that failed. `permanent` when trying again cannot help (a refused address, a
    webhook answering 4xx other than 408/429); the message says why without any secret."""

    def __init__(self, message: str, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent
