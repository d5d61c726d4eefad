"""Which sources are flagged: blocked, failing pass after pass, or silent beyond their rhythm."""

from __future__ import annotations

import datetime as dt

from crawlers.health import flag
from crawlers.registry import Source
from crawlers.state import Health

NOW = dt.datetime(2025, 6, 1, tzinfo=dt.UTC)
SOURCE = Source("sg-reg", "Regulator", "regulator", "SG", "en", "feed", "https://x.sg/feed", rhythm_days=7)


def health(**fields: object) -> Health:
    return Health("sg-reg", **{"last_attempt_at": NOW, "last_success_at": NOW - dt.timedelta(days=1), **fields})  # type: ignore[arg-type]


def test_a_healthy_source_and_one_never_crawled_are_not_flagged() -> None:
    assert flag(SOURCE, health(last_new_item_at=NOW - dt.timedelta(days=3)), NOW) is None
    assert flag(SOURCE, None, NOW) is None


def test_a_block_is_flagged_at_once_other_failures_after_three_passes() -> None:
    blocked = health(consecutive_failures=1, last_error_class="blocked", last_error="HTTP 403 from x")
    assert flag(SOURCE, blocked, NOW) == "blocked (HTTP 403 from x)"
    twice = health(consecutive_failures=2, last_error_class="timeout", last_new_item_at=NOW)
    assert flag(SOURCE, twice, NOW) is None
    thrice = health(consecutive_failures=3, last_error_class="timeout", last_new_item_at=NOW)
    assert flag(SOURCE, thrice, NOW) == "failing: 3 passes in a row, last timeout"


def test_silence_is_measured_against_the_source_rhythm() -> None:
    assert flag(SOURCE, health(last_new_item_at=NOW - dt.timedelta(days=20)), NOW) is None
    assert (
        flag(SOURCE, health(last_new_item_at=NOW - dt.timedelta(days=22)), NOW)
        == "silent for 22 days (usually every 7)"
    )
