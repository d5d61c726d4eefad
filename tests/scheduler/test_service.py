"""The service's plan on a real store: a crawl job per enabled source, the fixed jobs, their
survival across a restart, one run of a source at a time, and the alert jobs handing over to
alerts/runner.py."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import threading
from pathlib import Path
from typing import Any

import pytest
from apscheduler.events import EVENT_JOB_EXECUTED, EVENT_JOB_MAX_INSTANCES

import scheduler.jobs
from crawlers.crawl import SourceReport
from crawlers.state import CrawlState
from index.store.sql_store import SqlStore
from scheduler import context
from scheduler.plan import ALERTS_JOB, CRAWL_EXECUTOR, REMINDERS_JOB, SOURCE_HEALTH_JOB, SYNC_JOB, TRENDS_JOB
from tests.scheduler.conftest import AlertRuns, JobEvents, settings_for, write_registry


def plan_of(service: Any) -> dict[str, Any]:
    return {job.id: job for job in service.scheduler.get_jobs()}


def test_a_crawl_job_per_enabled_source_on_its_interval_and_none_for_a_paused_one(
    tmp_path: Path, start_service: Any
) -> None:
    registry = write_registry(
        tmp_path / "sources.yaml",
        {"id": "sg-hourly", "url": "http://127.0.0.1:9/a.xml"},
        {"id": "sg-often", "url": "http://127.0.0.1:9/b.xml", "interval_minutes": 15},
        {"id": "sg-paused", "url": "http://127.0.0.1:9/c.xml"},
        {"id": "sg-off", "url": "http://127.0.0.1:9/d.xml", "enabled": False},
    )
    settings = settings_for(tmp_path, registry)
    store = SqlStore.open(None, settings.data_dir)
    CrawlState(store.engine).switch("sg-paused", False, "editor", dt.datetime.now(dt.UTC))
    store.close()
    started = dt.datetime.now(dt.UTC)

    jobs = plan_of(start_service(settings, paused=True))

    assert sorted(jobs) == sorted(
        ["crawl:sg-hourly", "crawl:sg-often", ALERTS_JOB, TRENDS_JOB, REMINDERS_JOB, SOURCE_HEALTH_JOB, SYNC_JOB]
    )
    hourly, often = jobs["crawl:sg-hourly"], jobs["crawl:sg-often"]
    assert hourly.trigger.interval == dt.timedelta(hours=1) and often.trigger.interval == dt.timedelta(minutes=15)
    assert hourly.trigger.jitter == 300 and often.trigger.jitter == 90  # a tenth of the interval, at most 5 min
    assert hourly.args == ("sg-hourly",) and hourly.executor == CRAWL_EXECUTOR
    assert (hourly.max_instances, hourly.coalesce, hourly.misfire_grace_time) == (1, True, 3600)
    assert started <= hourly.next_run_time <= started + dt.timedelta(minutes=10, seconds=5)  # soon after a fresh start
    fixed = (ALERTS_JOB, TRENDS_JOB, REMINDERS_JOB, SOURCE_HEALTH_JOB, SYNC_JOB)
    every = {job_id: jobs[job_id].trigger.interval for job_id in fixed}
    assert every == {
        ALERTS_JOB: dt.timedelta(seconds=20),
        TRENDS_JOB: dt.timedelta(hours=1),
        REMINDERS_JOB: dt.timedelta(days=1),
        SOURCE_HEALTH_JOB: dt.timedelta(hours=1),
        SYNC_JOB: dt.timedelta(minutes=5),
    }
    assert all(job.max_instances == 1 and job.executor == "default" for job in jobs.values() if job.args == ())


def test_jobs_and_their_next_run_times_survive_a_restart(tmp_path: Path, start_service: Any) -> None:
    registry = write_registry(tmp_path / "sources.yaml", {"id": "sg-reg", "url": "http://127.0.0.1:9/feed.xml"})
    settings = settings_for(tmp_path, registry)
    first = start_service(settings, paused=True)
    later = dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(minutes=42)
    first.scheduler.modify_job("crawl:sg-reg", next_run_time=later)  # as if it ran a while ago
    before = {job_id: job.next_run_time for job_id, job in plan_of(first).items()}
    first.stop()

    second = start_service(settings, paused=True)

    after = {job_id: job.next_run_time for job_id, job in plan_of(second).items()}
    assert after == before
    assert after["crawl:sg-reg"] == later
    assert plan_of(second)["crawl:sg-reg"].trigger.interval == dt.timedelta(hours=1)


def test_never_two_runs_of_one_source_at_once(
    tmp_path: Path, start_service: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    registry = write_registry(tmp_path / "sources.yaml", {"id": "sg-reg", "url": "http://127.0.0.1:9/feed.xml"})
    running, release = threading.Event(), threading.Event()
    passes: list[str] = []

    def slow_pass(sources: list[Any], *_args: Any, **_options: Any) -> list[SourceReport]:
        passes.append(sources[0].id)
        running.set()
        release.wait(30)
        return [SourceReport(sources[0].id)]

    monkeypatch.setattr(scheduler.jobs, "crawl_pass", slow_pass)
    service = start_service(settings_for(tmp_path, registry))
    events = JobEvents()
    service.scheduler.add_listener(events, EVENT_JOB_EXECUTED | EVENT_JOB_MAX_INSTANCES)
    try:
        service.scheduler.modify_job("crawl:sg-reg", next_run_time=dt.datetime.now(dt.UTC))
        assert running.wait(30)
        service.scheduler.modify_job("crawl:sg-reg", next_run_time=dt.datetime.now(dt.UTC))  # due again, still running
        events.wait_for(EVENT_JOB_MAX_INSTANCES, "crawl:sg-reg")
        assert passes == ["sg-reg"]
    finally:
        release.set()
    done = events.wait_for(EVENT_JOB_EXECUTED, "crawl:sg-reg")
    assert done.retval.startswith("fetched 0, 0 new")
    assert passes == ["sg-reg"]


def test_the_alert_jobs_call_the_alert_runner_and_each_run_logs_its_summary(
    tmp_path: Path, start_service: Any, alert_runs: AlertRuns, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="scheduler")
    settings = settings_for(tmp_path, write_registry(tmp_path / "sources.yaml"))
    service = start_service(settings)
    for job_id, called in (
        (ALERTS_JOB, "run_alerts"),
        (TRENDS_JOB, "check_trends"),
        (SOURCE_HEALTH_JOB, "check_source_health"),
    ):
        service.scheduler.modify_job(job_id, next_run_time=dt.datetime.now(dt.UTC))
        assert alert_runs.wait_for(called), f"{job_id} did not call alerts.runner.{called}"
    assert all(passed is settings for _name, passed in alert_runs.calls)  # from the context, never pickled
    service.stop()
    logged = [record.getMessage() for record in caplog.records if record.name == "scheduler"]
    assert f"{TRENDS_JOB}: check_trends ran" in logged
    assert f"{SOURCE_HEALTH_JOB}: check_source_health ran" in logged
    assert f"{ALERTS_JOB}: run_alerts ran" in logged
    assert logged[-1] == "scheduler stopped"


def test_the_job_store_holds_ids_and_never_the_settings(tmp_path: Path, start_service: Any) -> None:
    registry = write_registry(tmp_path / "sources.yaml", {"id": "sg-reg", "url": "http://127.0.0.1:9/feed.xml"})
    settings = settings_for(tmp_path, registry)
    secret = "smtp-secret-do-not-store"
    service = start_service(dataclasses.replace(settings, smtp_password=secret), paused=True)
    store = SqlStore.open(None, settings.data_dir)
    with store.engine.connect() as conn:
        states = [bytes(row[0]) for row in conn.exec_driver_sql("SELECT job_state FROM apscheduler_jobs")]
    store.close()
    assert len(states) == len(plan_of(service)) == 6
    assert not any(secret.encode() in state for state in states)
    service.stop()
    with pytest.raises(RuntimeError, match="no scheduler service runs in this process"):
        context.current()
