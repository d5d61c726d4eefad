"""When a subscription's alerts are due: at once (instant), or at its next digest, at its
digest time in its own time zone, every day (daily) or on Mondays (weekly)."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from index.store.subscriptions import Subscription

DIGEST_WEEKDAY = 0  # Monday: the week's digest opens the working week in the subscriber's zone


def due_at(subscription: Subscription, now: dt.datetime) -> dt.datetime:
    """When an alert made at `now` for this subscription is due (UTC)."""
    if subscription.cadence == "instant":
        return now
    zone = zoneinfo.ZoneInfo(subscription.time_zone)
    hour, minute = (int(part) for part in subscription.digest_time.split(":"))
    local_now = now.astimezone(zone)
    day = local_now.date()
    while True:
        # Wall-clock time in the zone; a time skipped by a DST change lands just after the gap.
        candidate = dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone)
        wanted_day = subscription.cadence == "daily" or candidate.weekday() == DIGEST_WEEKDAY
        if wanted_day and candidate > local_now:
            return candidate.astimezone(dt.UTC)
        day += dt.timedelta(days=1)
