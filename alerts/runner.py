"""The alerts' runs, as `radar alerts run` and the scheduler's jobs call them: match what was
stored since the last run and deliver what is due; look for surges; tell the admins about
sources that need a look. Each opens the store from the settings and closes it after."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from alerts.cadence import due_at
from alerts.delivery import DeliveryReport, Sender, deliver_due
from alerts.matching import Percolator
from alerts.new_alerts import alerts_for
from alerts.trends import find_surges
from index.search.expansion import Equivalents
from index.store.alert_log import AlertLog, NewAlert
from index.store.sql_store import SqlStore
from index.store.subscriptions import Subscriptions
from radar.settings import Settings

log = logging.getLogger("radar.alerts")

MATCH_BATCH = 1000


@dataclass
class MatchReport:
    items: int = 0  # item versions matched
    alerts: int = 0  # alerts made


@contextmanager
def _store(settings: Settings) -> Iterator[SqlStore]:
    store = SqlStore.open(settings.database_url, settings.data_dir)
    try:
        yield store
    finally:
        store.close()


def run_alerts(settings: Settings, now: dt.datetime, send: Sender | None = None) -> str:
    """Match the item versions stored since the last run and deliver everything due (instant
    alerts, digests whose time has come, retries); a one-line summary."""
    with _store(settings) as store:
        matched = match_pending(store, now)
        delivered = deliver_due(store, settings, now, send)
    return summary(matched, delivered)


def summary(matched: MatchReport, delivered: DeliveryReport) -> str:
    return f"{matched.items} item versions matched, {matched.alerts} alerts made; {delivered.summary()}"


def match_pending(store: SqlStore, now: dt.datetime, equivalents: Equivalents | None = None) -> MatchReport:
    """Match every item version in the alerts' outbox against the search subscriptions, record
    the alerts they make, and take them out of the outbox (batch by batch, each in one transaction)."""
    from radar.engines import EQUIVALENTS_FILE

    alert_log = AlertLog(store.engine)
    report = MatchReport()
    batch = alert_log.pending_items(MATCH_BATCH)
    if not batch:
        return report
    subscriptions = [s for s in Subscriptions(store.engine).all() if s.kind == "search"]
    percolator = Percolator(subscriptions, equivalents or Equivalents.from_file(EQUIVALENTS_FILE))
    while batch:
        matches = percolator.match(batch)
        last = alert_log.last_alerts({(match.subscription.id, match.item.story_id) for match in matches})
        report.alerts += alert_log.record(alerts_for(matches, last, now, alert_log.alerted_text), batch, now)
        report.items += len(batch)
        batch = alert_log.pending_items(MATCH_BATCH, after=batch[-1].id)
    return report


def check_trends(settings: Settings, now: dt.datetime) -> str:
    """Alert each trend subscription once per surge (harm area, jurisdiction, day)."""
    made = 0
    with _store(settings) as store:
        alert_log = AlertLog(store.engine)
        for subscription in Subscriptions(store.engine).all():
            if subscription.kind != "trend" or subscription.created_at > now:
                continue
            new = []
            for surge in find_surges(store.engine, subscription.harm_areas, subscription.jurisdictions, now):
                found = {
                    "harm_area": surge.harm_area,
                    "jurisdiction": surge.jurisdiction,
                    "day": surge.day.isoformat(),
                    "count": surge.count,
                    "baseline_mean": round(surge.baseline_mean, 3),
                    "baseline_std": round(surge.baseline_std, 3),
                    "z": round(surge.z, 2),
                    "item_ids": list(surge.item_ids),
                }
                new.append(
                    NewAlert(
                        subscription_id=subscription.id,
                        story_id=f"trend:{surge.harm_area}:{surge.jurisdiction}:{surge.day.isoformat()}",
                        revision=0,
                        kind="trend",
                        item_id=None,
                        item_version=None,
                        reasons={"surge": found, "items": list(surge.item_ids)},
                        changes=(),
                        snapshot={},
                        channels=subscription.channels,
                        due_at=due_at(subscription, now),
                    )
                )
            made += alert_log.record(new, (), now)
    return f"{made} surge alerts made"


def check_source_health(settings: Settings, now: dt.datetime) -> str:
    """Alert the admins (RADAR_ADMIN_CHANNELS) once about each source that needs a look, and
    again only after it recovered and failed anew."""
    from crawlers.health import statuses
    from crawlers.registry import DEFAULT_REGISTRY, load_registry
    from crawlers.state import CrawlState

    if not settings.admin_channels:
        return "no admin channels (RADAR_ADMIN_CHANNELS): source health not sent"
    with _store(settings) as store:
        state = CrawlState(store.engine)
        registry = state.with_switches(load_registry(settings.sources_file or DEFAULT_REGISTRY))
        watch = Subscriptions(store.engine).health_watch(settings.admin_channels, now)
        new = []
        for status in statuses([s for s in registry if s.enabled], state.health(now), now):
            if status.flag is None or status.health is None:
                continue
            since = status.health.last_success_at
            episode = since.isoformat() if since else "never"
            kind_of_flag = status.flag.split(":")[0].split(" ")[0]
            new.append(
                NewAlert(
                    subscription_id=watch.id,
                    story_id=f"health:{status.source.id}:{kind_of_flag}:{episode}"[:128],
                    revision=0,
                    kind="health",
                    item_id=None,
                    item_version=None,
                    reasons={
                        "health": {
                            "source": status.source.id,
                            "flag": status.flag,
                            "error": status.health.last_error or "",
                            "jurisdictions": [status.source.jurisdiction],
                        }
                    },
                    changes=(),
                    snapshot={},
                    channels=watch.channels,
                    due_at=now,
                )
            )
        made = AlertLog(store.engine).record(new, (), now)
    return f"{made} source-health alerts made"
