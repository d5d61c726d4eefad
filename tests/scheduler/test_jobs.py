"""The crawl and sync jobs on a real store and index: a crawl job run by the scheduler against the
fixture site on loopback, and the crawl jobs following the registry and the editors' switches."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from apscheduler.events import EVENT_JOB_EXECUTED

from crawlers.state import CrawlState
from index.records import SearchQuery
from index.store.sql_store import SqlStore
from radar.engines import open_search_engine
from scheduler.jobs import crawl_source, sync_sources
from scheduler.plan import Cadence
from tests.crawlers.site import Route, Site
from tests.crawlers.test_crawl import ARTICLE, rss
from tests.scheduler.conftest import AlertRuns, JobEvents, settings_for, write_registry


def crawl_jobs(service: Any) -> dict[str, dt.timedelta]:
    return {job.id: job.trigger.interval for job in service.scheduler.get_jobs() if job.id.startswith("crawl:")}


def test_a_crawl_job_stores_and_indexes_the_site_and_brings_the_alerts_forward(
    site: Site, tmp_path: Path, start_service: Any, alert_runs: AlertRuns
) -> None:
    site.routes["/feed.xml"] = Route(rss(site.url, "/news/1"), "application/rss+xml")
    site.routes["/news/1"] = Route(ARTICLE)
    registry = write_registry(tmp_path / "sources.yaml", {"id": "sg-reg", "url": f"{site.url}/feed.xml"})
    settings = settings_for(tmp_path, registry)
    # Alerts hourly: only being brought forward makes them run within the test.
    service = start_service(settings, cadence=Cadence(alerts=dt.timedelta(hours=1)))
    events = JobEvents()
    service.scheduler.add_listener(events, EVENT_JOB_EXECUTED)

    service.scheduler.modify_job("crawl:sg-reg", next_run_time=dt.datetime.now(dt.UTC))

    done = events.wait_for(EVENT_JOB_EXECUTED, "crawl:sg-reg", timeout=120)
    assert done.retval.startswith("fetched 2, 1 new, 0 updated, 0 unchanged")
    assert alert_runs.wait_for("run_alerts", timeout=30)
    store = SqlStore.open(None, settings.data_dir)
    try:
        (item,) = list(store.iter_items())
        health = CrawlState(store.engine).health(dt.datetime.now(dt.UTC))["sg-reg"]
    finally:
        store.close()
    assert item.url == f"{site.url}/news/1" and item.source == "sg-reg"
    assert "verify advertisers before running financial ads" in item.text
    assert health.last_success_at is not None and health.consecutive_failures == 0
    engine = open_search_engine(settings)
    try:
        found = engine.search(SearchQuery(text="advertisers"))
    finally:
        engine.close()
    assert [hit.url for hit in found.hits] == [f"{site.url}/news/1"]
    assert crawl_source("sg-reg").startswith("fetched 1, 0 new, 0 updated, 0 unchanged")  # the feed had not changed


def test_the_sync_job_follows_the_switches_and_the_registry(tmp_path: Path, start_service: Any) -> None:
    registry = write_registry(
        tmp_path / "sources.yaml",
        {"id": "sg-one", "url": "http://127.0.0.1:9/one.xml"},
        {"id": "sg-two", "url": "http://127.0.0.1:9/two.xml"},
    )
    settings = settings_for(tmp_path, registry)
    service = start_service(settings, paused=True)
    assert set(crawl_jobs(service)) == {"crawl:sg-one", "crawl:sg-two"}
    assert sync_sources() == "sources crawled: 2; no change"
    store = SqlStore.open(None, settings.data_dir)
    state = CrawlState(store.engine)
    try:
        state.switch("sg-two", False, "editor", dt.datetime.now(dt.UTC))
        assert sync_sources() == "sources crawled: 1; removed sg-two"
        assert set(crawl_jobs(service)) == {"crawl:sg-one"}
        assert crawl_source("sg-two") == "skipped: paused, or no longer in the registry"

        state.switch("sg-two", True, "editor", dt.datetime.now(dt.UTC))
        assert sync_sources() == "sources crawled: 2; added sg-two"
        assert set(crawl_jobs(service)) == {"crawl:sg-one", "crawl:sg-two"}
    finally:
        store.close()

    write_registry(
        registry,
        {"id": "sg-one", "url": "http://127.0.0.1:9/one.xml", "interval_minutes": 30},
        {"id": "sg-three", "url": "http://127.0.0.1:9/three.xml"},
    )
    assert sync_sources() == "sources crawled: 2; added sg-three; removed sg-two; rescheduled sg-one"
    assert crawl_jobs(service) == {"crawl:sg-one": dt.timedelta(minutes=30), "crawl:sg-three": dt.timedelta(hours=1)}
