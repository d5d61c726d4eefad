"""Which sources need a look: one that is blocked, one that keeps failing, one silent far longer
than its usual rhythm (`rhythm_days` in the registry)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from crawlers.registry import Source
from crawlers.state import Health

FAILURES_TO_FLAG = 3  # one failed pass is weather; three in a row is a broken source
SILENCE_RHYTHMS = 3  # silent for three times its usual interval


def flag(source: Source, health: Health | None, now: dt.datetime) -> str | None:
    """Why `source` needs a look, or None."""
    if health is None or health.last_attempt_at is None:
        return None
    if health.consecutive_failures and health.last_error_class == "blocked":
        return f"blocked ({health.last_error})"
    if health.consecutive_failures >= FAILURES_TO_FLAG:
        return f"failing: {health.consecutive_failures} passes in a row, last {health.last_error_class}"
    since = health.last_new_item_at or health.last_success_at
    if since is not None and now - since > dt.timedelta(days=source.rhythm_days * SILENCE_RHYTHMS):
        return f"silent for {(now - since).days} days (usually every {source.rhythm_days})"
    return None


@dataclass(frozen=True)
class SourceStatus:
    source: Source
    health: Health | None  # None: nothing recorded (never crawled, no items)
    flag: str | None  # why it needs a look, or None


def statuses(sources: Iterable[Source], health: Mapping[str, Health], now: dt.datetime) -> list[SourceStatus]:
    """Each source, in the order given, with its health (`CrawlState.health`) and its flag."""
    return [SourceStatus(source, health.get(source.id), flag(source, health.get(source.id), now)) for source in sources]
