"""Sending what is due: each subscription's due alerts on each of its channels as one message
(an instant alert, or a digest), retried with exponential backoff when the channel fails.

Nothing is lost and nothing is sent twice on purpose: deliveries are leased from the store
before sending and marked sent right after the channel accepted them, one message at a time, so
a process killed mid-run leaves the rest pending for the next run (or, for the one message in
flight, leased until the lease runs out). Only a kill between a channel's acceptance and the
mark can repeat a message; it repeats with the same key (email Message-ID, webhook
Idempotency-Key), so the receiver can drop the copy.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import quote, urlencode, urlsplit

from alerts.records import AlertItem, DeliveryError, Message, RelatedItem, Surge
from alerts.reminders import reminder_title
from index.metrics import count_alert_message
from index.records import StoredItem
from index.search.snippets import opening
from index.store.alert_log import AlertLog, DueDelivery
from index.store.sql_store import SqlStore
from index.store.subscriptions import Subscription, Subscriptions
from radar.settings import Settings

log = logging.getLogger("radar.alerts")

LEASE = dt.timedelta(minutes=5)  # longer than any one send's timeouts together
MAX_ATTEMPTS = 8  # with the backoff below: given up after about four hours
BACKOFF_FIRST = dt.timedelta(minutes=1)
BACKOFF_MOST = dt.timedelta(hours=2)
MESSAGE_ALERTS = 50  # a digest larger than this goes as several messages

Sender = Callable[[Message, Settings], None]


@dataclass
class DeliveryReport:
    messages: int = 0
    alerts: int = 0
    failed: int = 0  # messages that failed and will be retried
    abandoned: int = 0  # messages given up on

    def summary(self) -> str:
        return (
            f"{self.messages} messages sent ({self.alerts} alerts), "
            f"{self.failed} failed to retry, {self.abandoned} abandoned"
        )


def backoff(attempts: int) -> dt.timedelta:
    """The wait before the next attempt after `attempts` failed ones: 1, 2, 4 ... minutes, at most two hours."""
    return min(BACKOFF_FIRST * 2 ** (attempts - 1), BACKOFF_MOST)


def deliver_due(store: SqlStore, settings: Settings, now: dt.datetime, send: Sender | None = None) -> DeliveryReport:
    """Send every delivery due by `now`; a report of what went."""
    if send is None:
        from alerts.channels import send as send_on_channel

        send = send_on_channel
    alert_log, subscriptions = AlertLog(store.engine), Subscriptions(store.engine)
    report = DeliveryReport()
    due = alert_log.claim_due(now, LEASE)
    groups: dict[tuple[int, str], list[DueDelivery]] = {}
    for delivery in due:
        groups.setdefault((delivery.subscription_id, delivery.channel), []).append(delivery)
    for (subscription_id, channel), rows in groups.items():
        subscription = subscriptions.get(subscription_id)
        if subscription is None:
            continue  # removed meanwhile: its deliveries went with it
        for start in range(0, len(rows), MESSAGE_ALERTS):
            part = rows[start : start + MESSAGE_ALERTS]
            message = build_message(store, subscription, channel, part, settings, now)
            ids = [row.id for row in part]
            try:
                send(message, settings)
            except DeliveryError as error:
                attempts = max(row.attempts for row in part) + 1
                give_up = error.permanent or attempts >= MAX_ATTEMPTS
                retry_at = None if give_up else now + backoff(attempts)
                alert_log.mark_failed(ids, str(error), now, retry_at)
                report.abandoned += give_up
                report.failed += not give_up
                count_alert_message(channel, "abandoned" if give_up else "failed")
                log.warning(
                    "alert delivery to %s for subscription %d failed (attempt %d%s): %s",
                    safe_channel(channel),
                    subscription_id,
                    attempts,
                    ", given up" if give_up else f", next at {retry_at:%H:%M:%S}",
                    error,
                    # Fields of their own in JSON logs, to count and filter failures by.
                    extra={"channel": safe_channel(channel), "subscription_id": subscription_id, "attempt": attempts},
                )
                continue
            alert_log.mark_sent(ids, now)
            count_alert_message(channel, "sent")
            report.messages += 1
            report.alerts += len(part)
    return report


def safe_channel(channel: str) -> str:
    """A channel as logs may show it: a webhook's host without its secret path."""
    kind, _, address = channel.partition(":")
    if kind == "email":
        return channel
    return f"{kind}:{urlsplit(address).scheme}://{urlsplit(address).hostname or '?'}/..."


def build_message(
    store: SqlStore,
    subscription: Subscription,
    channel: str,
    rows: Sequence[DueDelivery],
    settings: Settings,
    now: dt.datetime,
) -> Message:
    """The message for these deliveries of one subscription on one channel."""
    item_ids = {row.item_id for row in rows if row.item_id}
    for row in rows:
        item_ids.update(row.reasons.get("items", ()))
    items = {item_id: found for item_id in item_ids if (found := store.get(item_id)) is not None}
    sizes = store.story_sizes({item.story_id for item in items.values()})
    alerts = [_alert_item(row, items, sizes, settings.public_url) for row in rows]
    base = settings.public_url
    # The same deliveries make the same key on every retry.
    digest = hashlib.sha256(",".join(str(row.id) for row in sorted(rows, key=lambda r: r.id)).encode()).hexdigest()
    return Message(
        key=f"radar-{digest[:32]}",
        subscription_id=subscription.id,
        subscription_name=subscription.name,
        cadence=subscription.cadence,
        channel=channel,
        alerts=tuple(alerts),
        unsubscribe_link=f"{base}/unsubscribe/{subscription.id}?{urlencode({'key': subscription.unsubscribe_key})}",
        manage_link=f"{base}/subscriptions",
        created_at=now,
    )


def item_link(base: str, item_id: str) -> str:
    return f"{base}/items/{quote(item_id, safe='')}"


def _alert_item(row: DueDelivery, items: dict[str, StoredItem], sizes: dict[str, int], base: str) -> AlertItem:
    if row.kind == "trend":
        return _surge_item(row, items, base)
    if row.kind == "health":
        health = row.reasons.get("health", {})
        return AlertItem(
            alert_id=row.alert_id,
            kind="health",
            title=f"Source {health.get('source', '?')} needs a look: {health.get('flag', '')}",
            link=f"{base}/sources",
            source_url="",
            source=health.get("source"),
            published_at=None,
            jurisdictions=tuple(health.get("jurisdictions", ())),
            harm_areas=(),
            doc_type="",
            snippet=health.get("error") or "",
        )
    item = items.get(row.item_id or "")
    tags = {name: tuple(values) for name, values in row.reasons.get("tags", {}).items()}
    if item is None:  # removed from the store since it matched
        return AlertItem(
            alert_id=row.alert_id,
            kind=row.kind,
            title="(an item no longer stored)",
            link=item_link(base, row.item_id or ""),
            source_url="",
            source=None,
            published_at=None,
            jurisdictions=(),
            harm_areas=(),
            doc_type="",
            snippet="",
            matched_terms=tuple(row.reasons.get("terms", ())),
            matched_tags=tags,
        )
    return AlertItem(
        alert_id=row.alert_id,
        kind=row.kind,
        title=reminder_title(row.reasons, item.title) if row.kind == "reminder" else item.title,
        link=item_link(base, item.id),
        source_url=item.url,
        source=item.source,
        published_at=item.published_at,
        jurisdictions=item.jurisdictions,
        harm_areas=item.harm_areas,
        doc_type=item.doc_type,
        snippet="".join(opening(item.text)),
        matched_terms=tuple(row.reasons.get("terms", ())),
        matched_tags=tags,
        changes=row.changes,
        other_sources=max(sizes.get(item.story_id, 1) - 1, 0),
    )


def _surge_item(row: DueDelivery, items: dict[str, StoredItem], base: str) -> AlertItem:
    found = row.reasons["surge"]
    surge = Surge(
        harm_area=found["harm_area"],
        jurisdiction=found["jurisdiction"],
        day=dt.date.fromisoformat(found["day"]),
        count=found["count"],
        baseline_mean=found["baseline_mean"],
        baseline_std=found["baseline_std"],
        z=found["z"],
        item_ids=tuple(found["item_ids"]),
    )
    related = tuple(
        RelatedItem(items[item_id].title, item_link(base, item_id)) for item_id in surge.item_ids if item_id in items
    )
    search = urlencode({"harm": surge.harm_area, "country": surge.jurisdiction, "since": surge.day.isoformat()})
    return AlertItem(
        alert_id=row.alert_id,
        kind="trend",
        title=(
            f"Surge: {surge.count} items on {surge.harm_area} in {surge.jurisdiction} on {surge.day:%d %b %Y} "
            f"(usually {surge.baseline_mean:.1f} a day)"
        ),
        link=f"{base}/?{search}",
        source_url="",
        source=None,
        published_at=None,
        jurisdictions=(surge.jurisdiction,),
        harm_areas=(surge.harm_area,),
        doc_type="",
        snippet="",
        matched_tags={"harm_areas": (surge.harm_area,), "jurisdictions": (surge.jurisdiction,)},
        surge=surge,
        related=related,
    )
