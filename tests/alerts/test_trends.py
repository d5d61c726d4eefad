"""Trend detection (alerts/trends.py) against a real store: SQLite, and PostgreSQL when
RADAR_TEST_DATABASE_URL names one (the store fixtures of tests/index/conftest.py)."""

from __future__ import annotations

import datetime as dt
import math
import zlib
from collections.abc import Iterable

import pytest

from alerts.trends import daily_counts, find_surges
from index.records import StoredItem
from index.store.sql_store import SqlStore
from tests.index import conftest as store_fixtures
from tests.index.conftest import article, make_item, with_content

# The store's fixtures: a fresh store on each engine available (SQLite; PostgreSQL when configured).
store_engine = store_fixtures.store_engine
store = store_fixtures.store

NOW = dt.datetime(2025, 6, 30, 18, 0, tzinfo=dt.UTC)
TODAY = NOW.date()
WINDOW_START = TODAY - dt.timedelta(days=28)


def at(days_back: int, hour: int = 9, minute: int = 0) -> dt.datetime:
    """A time `days_back` days before today (UTC)."""
    return dt.datetime.combine(TODAY - dt.timedelta(days=days_back), dt.time(hour, minute), tzinfo=dt.UTC)


def item(
    id: str,
    published_at: dt.datetime | None,
    fetched_at: dt.datetime | None = None,
    harm_areas: tuple[str, ...] = ("child_safety",),
    jurisdictions: tuple[str, ...] = ("AU",),
) -> StoredItem:
    """An item tagged with one harm and one country by default, first fetched when published
    unless told, with a text of its own."""
    fetched = fetched_at or published_at or NOW
    return make_item(
        id,
        text=article(zlib.crc32(id.encode()), words=60),
        published_at=published_at,
        fetched_at=fetched,
        harm_areas=harm_areas,
        jurisdictions=jurisdictions,
    )


def batch(
    prefix: str,
    count: int,
    published_at: dt.datetime,
    fetched_at: dt.datetime | None = None,
    harm_areas: tuple[str, ...] = ("child_safety",),
    jurisdictions: tuple[str, ...] = ("AU",),
) -> list[StoredItem]:
    """`count` items published a minute apart from `published_at` on."""
    return [
        item(f"{prefix}-{n:03d}", published_at + dt.timedelta(minutes=n), fetched_at, harm_areas, jurisdictions)
        for n in range(count)
    ]


def baseline(prefix: str, per_day: Iterable[int]) -> list[StoredItem]:
    """Items on the days before today: per_day[0] one day back, per_day[1] two days back, ..."""
    out: list[StoredItem] = []
    for days_back, count in enumerate(per_day, start=1):
        out += batch(f"{prefix}-d{days_back:02d}", count, at(days_back))
    return out


ALTERNATING = [1, 3] * 14  # mean 2, population std 1


def test_a_steady_baseline_does_not_surge(store: SqlStore) -> None:
    store.upsert([*baseline("base", ALTERNATING), *batch("today", 3, at(0))])

    counts = daily_counts(store.engine, ("child_safety",), ("AU",), WINDOW_START, TODAY)
    assert [counts["child_safety", "AU", WINDOW_START + dt.timedelta(days=n)] for n in range(29)] == [
        *reversed(ALTERNATING),
        3,
    ]
    assert find_surges(store.engine, (), (), NOW) == []
    # z is 1 here: it takes a threshold of 1 to call it a surge.
    [surge] = find_surges(store.engine, (), (), NOW, threshold=1.0)
    assert (surge.count, surge.baseline_mean, surge.baseline_std, surge.z) == (3, 2.0, 1.0, 1.0)


def test_a_surge_fires_with_its_count_baseline_and_items(store: SqlStore) -> None:
    surge_items = batch("today", 6, at(0, hour=8))
    later_today = item("later-today", at(0, hour=23))  # after NOW: not counted yet
    store.upsert([*baseline("base", ALTERNATING), *surge_items, later_today])

    [surge] = find_surges(store.engine, ("child_safety",), ("AU",), NOW)

    assert (surge.harm_area, surge.jurisdiction, surge.day) == ("child_safety", "AU", TODAY)
    assert surge.count == 6
    assert surge.baseline_mean == pytest.approx(2.0)
    assert surge.baseline_std == pytest.approx(1.0)
    assert surge.z == pytest.approx(4.0)
    assert surge.item_ids == tuple(reversed([one.id for one in surge_items]))  # newest first


def test_item_ids_are_the_newest_fifty(store: SqlStore) -> None:
    surge_items = batch("today", 60, at(0, hour=1))
    store.upsert(surge_items)

    [surge] = find_surges(store.engine, (), (), NOW)

    assert surge.count == 60
    assert surge.item_ids == tuple(one.id for one in reversed(surge_items[10:]))


def test_below_the_minimum_does_not_fire(store: SqlStore) -> None:
    store.upsert(batch("today", 2, at(0)))  # on a quiet baseline: z = 2 / max(0, 1) = 2

    assert find_surges(store.engine, (), (), NOW, threshold=2.0) == []
    [surge] = find_surges(store.engine, (), (), NOW, threshold=2.0, minimum=2)
    assert (surge.count, surge.z) == (2, 2.0)


def test_a_single_item_on_a_quiet_series_does_not_fire(store: SqlStore) -> None:
    store.upsert([item("lonely", at(0))])

    # std 0 is floored at 1, so one item is z 1, not infinity.
    assert find_surges(store.engine, (), (), NOW, minimum=1) == []
    [surge] = find_surges(store.engine, (), (), NOW, threshold=1.0, minimum=1)
    assert (surge.baseline_std, surge.z) == (0.0, 1.0)


def test_other_countries_and_harms_do_not_count(store: SqlStore) -> None:
    store.upsert(
        [
            *batch("au-child", 6, at(0)),
            *batch("sg-child", 4, at(0), jurisdictions=("SG",)),
            *batch("au-scams", 5, at(0), harm_areas=("scams",)),
            *batch("nz-privacy", 3, at(0), harm_areas=("privacy",), jurisdictions=("NZ",)),
        ]
    )

    [surge] = find_surges(store.engine, ("child_safety",), ("AU",), NOW)
    assert surge.count == 6
    assert all(item_id.startswith("au-child-") for item_id in surge.item_ids)

    chosen = find_surges(store.engine, ("child_safety", "scams"), ("AU", "SG"), NOW)
    assert [(s.harm_area, s.jurisdiction, s.count) for s in chosen] == [
        ("child_safety", "AU", 6),  # highest z first
        ("scams", "AU", 5),
        ("child_safety", "SG", 4),
    ]
    everything = find_surges(store.engine, (), (), NOW)
    assert [(s.harm_area, s.jurisdiction) for s in everything][-1] == ("privacy", "NZ")


def test_an_item_counts_in_every_pair_it_is_tagged_with_once(store: SqlStore) -> None:
    store.upsert(
        [
            item("both", at(3), harm_areas=("child_safety", "scams"), jurisdictions=("AU", "SG")),
            item("twice", at(3), harm_areas=("scams", "scams"), jurisdictions=("AU",)),
        ]
    )

    counts = daily_counts(store.engine, (), (), at(3).date(), at(3).date())

    day = at(3).date()
    assert counts == {
        ("child_safety", "AU", day): 1,
        ("child_safety", "SG", day): 1,
        ("scams", "AU", day): 2,
        ("scams", "SG", day): 1,
    }
    assert daily_counts(store.engine, ("scams",), ("SG",), day, day) == {("scams", "SG", day): 1}


def test_items_without_a_published_date_count_on_their_first_fetch(store: SqlStore) -> None:
    undated_today = [item(f"undated-{n}", None, fetched_at=at(0, hour=n + 1)) for n in range(4)]
    undated_earlier = item("undated-earlier", None, fetched_at=at(10))
    store.upsert([*undated_today, undated_earlier])
    # Fetched again today with new text: still counts on its first fetch, ten days back.
    store.upsert([with_content(undated_earlier, text="A new version of the page.", fetched_at=at(0, hour=10))])

    counts = daily_counts(store.engine, (), (), WINDOW_START, TODAY)
    assert counts == {("child_safety", "AU", at(10).date()): 1, ("child_safety", "AU", TODAY): 4}
    [surge] = find_surges(store.engine, (), (), NOW)
    assert surge.count == 4
    assert surge.item_ids == tuple(one.id for one in reversed(undated_today))


def test_a_backfill_of_old_items_fetched_today_does_not_fire(store: SqlStore) -> None:
    old = dt.datetime(2024, 1, 15, 9, 0, tzinfo=dt.UTC)
    recent = at(5)
    store.upsert(
        [
            *batch("archive", 20, old, fetched_at=at(0, hour=6)),
            *[item(f"recent-{n}", recent, fetched_at=at(0, hour=6)) for n in range(4)],
        ]
    )

    assert find_surges(store.engine, (), (), NOW) == []
    # The backfill lands on its published days: in the past, or in today's baseline.
    assert daily_counts(store.engine, (), (), old.date(), TODAY) == {
        ("child_safety", "AU", old.date()): 20,
        ("child_safety", "AU", recent.date()): 4,
    }


def test_days_with_no_items_count_as_zero(store: SqlStore) -> None:
    # 7 items on one day of 28: mean 0.25, not 7.
    store.upsert([*batch("busy-day", 7, at(12)), *batch("today", 5, at(0))])

    [surge] = find_surges(store.engine, (), (), NOW)

    assert surge.baseline_mean == pytest.approx(0.25)
    assert surge.baseline_std == pytest.approx(math.sqrt(7 * 7 / 28 - 0.25**2))
    assert surge.z == pytest.approx((5 - 0.25) / math.sqrt(1.6875))


def test_the_window_is_the_28_days_before_today(store: SqlStore) -> None:
    store.upsert(
        [
            *batch("outside", 10, at(29, hour=23, minute=30)),  # 29 days back: not in the window
            *batch("inside", 10, at(28, hour=0), harm_areas=("scams",)),  # 28 days back: the window's first day
            *batch("child-today", 3, at(0)),
            *batch("scams-today", 3, at(0), harm_areas=("scams",)),
        ]
    )

    surges = {s.harm_area: s for s in find_surges(store.engine, (), (), NOW, threshold=0.0)}

    assert surges["child_safety"].baseline_mean == 0.0
    assert surges["scams"].baseline_mean == pytest.approx(10 / 28)
    assert [s.harm_area for s in find_surges(store.engine, (), (), NOW)] == ["child_safety"]
    # A shorter window drops the 28th day too.
    shorter = {s.harm_area: s for s in find_surges(store.engine, (), (), NOW, window_days=27, threshold=0.0)}
    assert shorter["scams"].baseline_mean == 0.0


def test_days_are_utc_days_up_to_now(store: SqlStore) -> None:
    sydney = dt.timezone(dt.timedelta(hours=10))
    store.upsert(
        [
            # 07:00 on the 30th in Sydney is 21:00 on the 29th in UTC: yesterday.
            *batch("sydney-morning", 3, dt.datetime(2025, 6, 30, 7, 0, tzinfo=sydney)),
            item("midnight", at(0, hour=0)),
            item("just-now", NOW),
            item("one-past-now", NOW + dt.timedelta(microseconds=1)),
            item("tomorrow", at(-1)),
        ]
    )

    counts = daily_counts(store.engine, (), (), at(1).date(), TODAY)
    assert counts == {("child_safety", "AU", at(1).date()): 3, ("child_safety", "AU", TODAY): 3}
    [surge] = find_surges(store.engine, (), (), NOW, threshold=0.0, minimum=1)
    assert surge.item_ids == ("just-now", "midnight")
    # A `now` in another zone means the same instant.
    assert find_surges(store.engine, (), (), NOW.astimezone(sydney), threshold=0.0, minimum=1) == [surge]


def test_arguments_are_checked(store: SqlStore) -> None:
    with pytest.raises(ValueError, match="window_days"):
        find_surges(store.engine, (), (), NOW, window_days=0)
    with pytest.raises(TypeError, match="harm_areas"):
        find_surges(store.engine, "child_safety", (), NOW)


def test_an_empty_store_has_no_counts_and_no_surges(store: SqlStore) -> None:
    assert daily_counts(store.engine, (), (), WINDOW_START, TODAY) == {}
    assert find_surges(store.engine, (), (), NOW) == []
