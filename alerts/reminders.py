"""Deadline reminders: a subscriber who was alerted about a story hears again, through the same
channels, when a deadline of that story comes within REMINDER_DAYS days.

The rule, run daily by the scheduler (`reminders` job) with the clock passed in:

- "Followed": the subscription was alerted about the story (an alert of kind new or changed in
  the `alerts` table, made by `now`). Its deadlines are those of every item of the story, so a
  copy from another source that gives the deadline counts too.
- Which dates: the tagger's `deadline` kind only (submissions close, applications are due): a
  commencement or a hearing asks nothing of the subscriber by that day.
- When: on the first run at which the deadline is REMINDER_DAYS days ahead or less and not past,
  counted in the subscriber's own time zone (the deadline day itself included). A window rather
  than "exactly 7 days ahead", so a run missed (the tracker was down a day) only makes the
  reminder a day late, never lost; a story alerted only once its deadline was already that near
  is reminded at the next run.
- At most once: each reminder is an alert with the story id "reminder:<story>:<date>:<kind>",
  and (subscription, story id, revision) is unique in the alerts' ledger, so a second run, or two
  at once, records nothing new. A deadline moved to another date is a new reminder.
- Due at once on every channel, whatever the subscription's cadence: a weekly digest could hold a
  seven-day reminder past its deadline.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import defaultdict
from collections.abc import Collection, Iterable
from typing import Any

from sqlalchemy import Engine, select

from index.store.alert_log import AlertLog, NewAlert
from index.store.key_dates import KeyDate, key_dates
from index.store.models import alerts
from index.store.sql_store import SqlStore
from index.store.story_index import chunks
from index.store.subscriptions import Subscriptions
from radar.settings import Settings

REMINDER_DAYS = 7
REMINDER_KINDS = ("deadline",)
FOLLOWED_KINDS = ("new", "changed")  # alerts about a story (not surges, not source health)
# A subscriber's day is at most a day off UTC's (zones run from UTC-12 to UTC+14).
_ZONE_SLACK = dt.timedelta(days=1)


def check_reminders(settings: Settings, now: dt.datetime) -> str:
    """Record the reminders due at `now` (see the module's docstring) with a delivery per channel
    due at once, for the alerts' next delivery run to send; a one-line summary."""
    store = SqlStore.open(settings.database_url, settings.data_dir)
    try:
        made = AlertLog(store.engine).record(due_reminders(store.engine, now), (), now)
    finally:
        store.close()
    return f"{made} deadline reminders made"


def due_reminders(engine: Engine, now: dt.datetime) -> list[NewAlert]:
    """A reminder for each (subscription, story) alerted by `now` and each deadline of the story
    from the subscriber's today to REMINDER_DAYS days ahead, including those already recorded
    (`AlertLog.record` keeps one of each)."""
    now = now.replace(tzinfo=dt.UTC) if now.tzinfo is None else now.astimezone(dt.UTC)
    today = now.date()
    last = today + dt.timedelta(days=REMINDER_DAYS)
    near = key_dates(engine, REMINDER_KINDS, today - _ZONE_SLACK, last + _ZONE_SLACK)
    by_story: defaultdict[str, list[KeyDate]] = defaultdict(list)
    for found in near:
        by_story[found.story_id].append(found)
    followed = _followed(engine, by_story, now)
    if not followed:
        return []
    subscriptions = {subscription.id: subscription for subscription in Subscriptions(engine).all()}
    reminders = []
    for (subscription_id, story_id), alerted_item in sorted(followed.items()):
        subscription = subscriptions.get(subscription_id)
        if subscription is None:
            continue
        local_today = now.astimezone(zoneinfo.ZoneInfo(subscription.time_zone)).date()
        for deadline in _one_per_date(by_story[story_id], alerted_item):
            days_left = (deadline.date - local_today).days
            if not 0 <= days_left <= REMINDER_DAYS:
                continue
            reminders.append(
                NewAlert(
                    subscription_id=subscription_id,
                    story_id=f"reminder:{story_id}:{deadline.date.isoformat()}:{deadline.kind}",
                    revision=0,
                    kind="reminder",
                    item_id=deadline.item_id,
                    item_version=deadline.item_version,
                    reasons={
                        "reminder": {
                            "date": deadline.date.isoformat(),
                            "kind": deadline.kind,
                            "text": deadline.text,
                            "days_left": days_left,
                        }
                    },
                    changes=(),
                    snapshot={},
                    channels=subscription.channels,
                    due_at=now,
                )
            )
    return reminders


def reminder_title(reasons: dict[str, Any], title: str) -> str:
    """A reminder's title as the alerts show it: "Deadline in 7 days (30 Apr 2026): <title>"."""
    reminder = reasons.get("reminder", {})
    days_left = int(reminder.get("days_left", 0))
    when = {0: "today", 1: "tomorrow"}.get(days_left, f"in {days_left} days")
    day = dt.date.fromisoformat(reminder["date"]) if reminder.get("date") else None
    on_day = f" ({day.day} {day:%b %Y})" if day else ""
    return f"{str(reminder.get('kind', 'deadline')).capitalize()} {when}{on_day}: {title}"


def _followed(engine: Engine, story_ids: Collection[str], now: dt.datetime) -> dict[tuple[int, str], str | None]:
    """(subscription id, story id) -> the item of its latest alert, for the subscriptions alerted
    about these stories by `now`."""
    latest: dict[tuple[int, str], tuple[int, str | None]] = {}
    query = select(alerts.c.subscription_id, alerts.c.story_id, alerts.c.revision, alerts.c.item_id).where(
        alerts.c.kind.in_(FOLLOWED_KINDS), alerts.c.created_at <= now
    )
    with engine.connect() as conn:
        for chunk in chunks(sorted(story_ids)):
            for row in conn.execute(query.where(alerts.c.story_id.in_(chunk))):
                key = (row.subscription_id, row.story_id)
                if key not in latest or latest[key][0] < row.revision:
                    latest[key] = (row.revision, row.item_id)
    return {key: item_id for key, (_revision, item_id) in latest.items()}


def _one_per_date(dates: Iterable[KeyDate], alerted_item: str | None) -> list[KeyDate]:
    """One key date per date and kind of a story: the alerted item's when it has it (the one the
    subscriber saw), else the item of smallest id."""
    chosen: dict[tuple[dt.date, str], KeyDate] = {}
    for found in dates:
        key = (found.date, found.kind)
        held = chosen.get(key)
        if held is None or _preference(found, alerted_item) < _preference(held, alerted_item):
            chosen[key] = found
    return [chosen[key] for key in sorted(chosen)]


def _preference(found: KeyDate, alerted_item: str | None) -> tuple[bool, str]:
    return (found.item_id != alerted_item, found.item_id)
