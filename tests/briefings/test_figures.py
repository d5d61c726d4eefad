"""Figures for leadership (briefings/figures.py) against a real store: SQLite, and PostgreSQL when
RADAR_TEST_DATABASE_URL names one (the store fixtures of tests/index/conftest.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from briefings.figures import coverage, emerging, iso_week, read_coverage, week_start, weekly_figures
from crawlers.registry import Source
from crawlers.state import CrawlState, Health
from index.store.sql_store import SqlStore
from tests.briefings.figures_data import HOSTILE_TITLE, NOW, at, item, surge_items, weekly_items
from tests.index import conftest as store_fixtures

store_engine = store_fixtures.store_engine
store = store_fixtures.store

W24, W25, W26, W27 = (dt.date(2025, 6, 9), dt.date(2025, 6, 16), dt.date(2025, 6, 23), dt.date(2025, 6, 30))


def test_weeks_are_iso_weeks_starting_on_monday() -> None:
    assert week_start(dt.date(2025, 6, 29)) == W26  # a Sunday belongs to the week before
    assert week_start(W27) == W27
    assert iso_week(dt.date(2025, 6, 29)) == "2025-W26"
    assert iso_week(dt.date(2024, 12, 30)) == "2025-W01"  # ISO years start on the Monday of week 1


def test_stories_are_counted_once_per_week_harm_area_and_jurisdiction(store: SqlStore) -> None:
    store.upsert(weekly_items())

    figures = weekly_figures(store.engine, NOW, weeks=4)

    assert figures.weeks == (W24, W25, W26, W27)
    assert figures.cells == {
        (W24, "child_safety", "AU"): 1,
        (W25, "scams_fraud", "SG"): 2,  # one dated, one placed by its first fetch
        # Three copies of one story are one; the story about AU and NZ counts in each of their cells.
        (W26, "child_safety", "AU"): 2,
        (W26, "child_safety", "NZ"): 1,
        (W26, "scams_fraud", "AU"): 1,
        (W26, "scams_fraud", "NZ"): 1,
    }
    # Totals count each story once: the AU-and-NZ story is one story on child safety in W26.
    assert figures.by_harm == {"child_safety": (1, 0, 2, 0), "scams_fraud": (0, 2, 1, 0)}
    assert figures.by_jurisdiction == {"AU": 3, "SG": 2, "NZ": 1}
    assert (figures.stories, figures.items) == (5, 7)
    assert figures.until == NOW


def test_the_window_ends_at_now_and_leaves_out_untagged_items(store: SqlStore) -> None:
    store.upsert(weekly_items())

    longer = weekly_figures(store.engine, NOW, weeks=26)
    assert len(longer.weeks) == 26 and longer.weeks[-1] == W27
    assert longer.weeks[0] == W27 - dt.timedelta(weeks=25)
    assert longer.cells[(week_start(at(40).date()), "child_safety", "AU")] == 1  # inside 26 weeks only
    # The item published two hours after NOW is not counted yet; two hours later it is.
    assert (W27, "child_safety", "AU") not in longer.cells
    later = weekly_figures(store.engine, NOW + dt.timedelta(hours=3), weeks=26)
    assert later.cells[(W27, "child_safety", "AU")] == 1
    # An item without a harm area or without a jurisdiction is in no cell and no total.
    assert longer.stories == 6 and later.stories == 7


def test_harm_areas_and_jurisdictions_narrow_the_figures(store: SqlStore) -> None:
    store.upsert(weekly_items())

    chosen = weekly_figures(store.engine, NOW, weeks=4, harm_areas=("scams_fraud",), jurisdictions=("NZ", "SG"))

    assert chosen.cells == {(W25, "scams_fraud", "SG"): 2, (W26, "scams_fraud", "NZ"): 1}
    assert chosen.by_harm == {"scams_fraud": (0, 2, 1, 0)}
    assert chosen.by_jurisdiction == {"SG": 2, "NZ": 1}
    with pytest.raises(ValueError, match="weeks"):
        weekly_figures(store.engine, NOW, weeks=0)
    with pytest.raises(TypeError, match="collection of strings"):
        weekly_figures(store.engine, NOW, harm_areas="scams_fraud")


def test_a_naive_now_is_utc_and_another_zone_is_the_same_moment(store: SqlStore) -> None:
    store.upsert(weekly_items())
    sydney = dt.timezone(dt.timedelta(hours=10))
    expected = weekly_figures(store.engine, NOW, weeks=4)
    assert weekly_figures(store.engine, NOW.astimezone(sydney), weeks=4) == expected
    assert weekly_figures(store.engine, NOW.replace(tzinfo=None), weeks=4) == expected


def test_emerging_topics_are_todays_surges_with_their_newest_items(store: SqlStore) -> None:
    store.upsert([*weekly_items(), *surge_items()])

    (topic,) = emerging(store.engine, NOW, shown=3)

    surge = topic.surge
    assert (surge.harm_area, surge.jurisdiction, surge.day, surge.count) == ("ai_synthetic_media", "KR", NOW.date(), 4)
    assert surge.z >= 3
    assert [found.id for found in topic.items] == ["kr-deepfake-3", "kr-deepfake-2", "kr-deepfake-1"]
    assert topic.items[0].title == HOSTILE_TITLE  # as stored: escaping is the page's and the CSV's job
    assert emerging(store.engine, NOW, harm_areas=("child_safety",)) == []
    assert emerging(store.engine, NOW, jurisdictions=("JP",)) == []  # one item is not a surge
    assert emerging(store.engine, NOW - dt.timedelta(days=1)) == []


def source(source_id: str, jurisdiction: str = "AU", kind: str = "regulator", enabled: bool = True) -> Source:
    return Source(
        id=source_id,
        name=f"Source {source_id}",
        kind=kind,
        jurisdiction=jurisdiction,
        language="en",
        family="feed",
        url=f"https://{source_id}.example.org/feed",
        enabled=enabled,
    )


REGISTRY = [
    source("au-ok"),
    source("au-failing"),
    source("nz-news", "NZ", "news"),
    source("sg-new", "SG"),
    source("sg-off", "SG", enabled=False),
]


def test_coverage_counts_enabled_sources_and_the_healthy_share() -> None:
    health = {
        "au-ok": Health("au-ok", last_attempt_at=NOW, last_success_at=NOW, last_new_item_at=NOW, items_30_days=12),
        "au-failing": Health(
            "au-failing", last_attempt_at=NOW, consecutive_failures=3, last_error_class="timeout", items_30_days=2
        ),
        "nz-news": Health("nz-news", last_attempt_at=NOW, last_success_at=NOW, items_30_days=5),
        "sg-off": Health("sg-off", items_30_days=1),
    }

    found = coverage(REGISTRY, health, NOW)

    assert [each.source.id for each in found.sources] == ["au-ok", "au-failing", "nz-news", "sg-new", "sg-off"]
    assert found.enabled == 4
    assert found.by_jurisdiction == {"AU": 2, "NZ": 1, "SG": 1}
    assert found.by_kind == {"regulator": 3, "news": 1}
    # Flagged: the source failing three passes in a row. Never crawled is not flagged, and said apart.
    assert [each.source.id for each in found.sources if each.flag] == ["au-failing"]
    assert (found.healthy, found.never_crawled, found.healthy_share) == (3, 1, 0.75)
    assert [each.items_30_days for each in found.sources] == [12, 2, 5, 0, 1]
    assert found.items_30_days == 20
    assert coverage([], {}, NOW).healthy_share is None


def test_read_coverage_takes_health_and_pauses_from_the_store(store: SqlStore) -> None:
    state = CrawlState(store.engine)
    store.upsert([item(f"ok-{n}", at(n), source="au-ok", fetched_at=at(n)) for n in range(3)])
    store.upsert([item("ok-old", at(45), source="au-ok", fetched_at=at(45))])
    state.record("au-ok", at(0), new_items=3)
    for days_back in (3, 2, 1):
        state.record("au-failing", at(days_back), error_class="http", error="HTTP 500")
    state.switch("nz-news", False, "editor", at(1))

    found = read_coverage(store.engine, REGISTRY, NOW)

    by_id = {each.source.id: each for each in found.sources}
    assert by_id["au-ok"].items_30_days == 3  # the one first fetched 45 days ago is not counted
    assert by_id["au-failing"].flag is not None and "3 passes in a row" in by_id["au-failing"].flag
    assert by_id["nz-news"].source.enabled is False  # paused by an editor over the registry
    assert (found.enabled, found.healthy, found.never_crawled) == (3, 2, 1)
    assert found.by_jurisdiction == {"AU": 2, "SG": 1}
