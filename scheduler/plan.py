"""What runs when: the jobs' ids, triggers and options, and the crawl jobs kept in step with the
registry and the editors' switches.

Jobs name their function by reference (`scheduler.jobs:crawl_source`), which is what the job
store keeps anyway, so this module needs none of the jobs' imports.
"""

from __future__ import annotations

import datetime as dt
import zlib
from dataclasses import dataclass

from apscheduler.job import Job
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.triggers.interval import IntervalTrigger

from crawlers.registry import DEFAULT_REGISTRY, Source, load_registry
from crawlers.state import CrawlState
from index.store.sql_store import SqlStore
from radar.settings import Settings

ALERTS_JOB = "alerts"
TRENDS_JOB = "trends"
REMINDERS_JOB = "reminders"
SOURCE_HEALTH_JOB = "source-health"
SYNC_JOB = "sync-sources"
CRAWL_PREFIX = "crawl:"
CRAWL_EXECUTOR = "crawls"  # apart from the other jobs, so long crawls never hold up alerts
# A new crawl job first runs within this long (sooner for a shorter interval), spread by source
# id, so a fresh start neither waits an hour for its first items nor starts every crawl at once.
FIRST_CRAWL_WITHIN = dt.timedelta(minutes=10)
MAX_CRAWL_JITTER_S = 300


@dataclass(frozen=True)
class Cadence:
    """How often the jobs other than the crawls run."""

    alerts: dt.timedelta = dt.timedelta(seconds=20)  # an item reaches an instant subscriber within a minute
    trends: dt.timedelta = dt.timedelta(hours=1)
    reminders: dt.timedelta = dt.timedelta(days=1)  # deadline reminders count days; a missed run is made up
    source_health: dt.timedelta = dt.timedelta(hours=1)
    sync: dt.timedelta = dt.timedelta(minutes=5)


@dataclass(frozen=True)
class JobPlan:
    id: str
    func: str  # a reference, module:function
    every: dt.timedelta
    first_run: dt.datetime  # when a job not stored yet (or rescheduled) first runs
    args: tuple[str, ...] = ()
    jitter_s: int | None = None
    executor: str = "default"

    def trigger(self) -> IntervalTrigger:
        return IntervalTrigger(seconds=int(self.every.total_seconds()), jitter=self.jitter_s, timezone=dt.UTC)


def fixed_jobs(cadence: Cadence, now: dt.datetime) -> list[JobPlan]:
    """The alerts, trends, reminders, source-health and sync jobs."""
    return [
        JobPlan(ALERTS_JOB, "scheduler.jobs:deliver_alerts", cadence.alerts, now + cadence.alerts),
        JobPlan(TRENDS_JOB, "scheduler.jobs:alert_trends", cadence.trends, now + cadence.trends),
        JobPlan(REMINDERS_JOB, "scheduler.jobs:alert_reminders", cadence.reminders, now + cadence.reminders),
        JobPlan(
            SOURCE_HEALTH_JOB, "scheduler.jobs:alert_source_health", cadence.source_health, now + cadence.source_health
        ),
        JobPlan(SYNC_JOB, "scheduler.jobs:sync_sources", cadence.sync, now + cadence.sync),
    ]


def crawl_job(source: Source, now: dt.datetime) -> JobPlan:
    """A source's crawl job: every `interval_minutes`, give or take a tenth of it (at most 5 min)."""
    every = dt.timedelta(minutes=source.interval_minutes)
    spread = min(every, FIRST_CRAWL_WITHIN).total_seconds()
    return JobPlan(
        id=CRAWL_PREFIX + source.id,
        func="scheduler.jobs:crawl_source",
        every=every,
        first_run=now + dt.timedelta(seconds=zlib.crc32(source.id.encode()) % max(int(spread), 1)),
        args=(source.id,),
        jitter_s=min(MAX_CRAWL_JITTER_S, int(every.total_seconds()) // 10),
        executor=CRAWL_EXECUTOR,
    )


def put(scheduler: BaseScheduler, plan: JobPlan) -> None:
    """Add the job, or replace the stored one of that id. A stored job on the same schedule
    keeps its next run time, so a restart neither pushes a job back nor runs it early."""
    stored = scheduler.get_job(plan.id)
    kept = stored.next_run_time if stored is not None and same_schedule(stored, plan) else None
    scheduler.add_job(
        plan.func,
        plan.trigger(),
        args=plan.args,
        id=plan.id,
        name=plan.id,
        executor=plan.executor,
        next_run_time=kept or plan.first_run,
        replace_existing=True,
        max_instances=1,  # never two runs of one job (two passes of one source) at once
        coalesce=True,  # runs missed while stopped or busy are made up by one run, not many
        # A run late by less than its interval still runs (the workers were busy, or the
        # process was down); a later one is dropped, and the next one comes on time.
        misfire_grace_time=int(plan.every.total_seconds()),
    )


def same_schedule(job: Job, plan: JobPlan) -> bool:
    trigger = job.trigger
    return isinstance(trigger, IntervalTrigger) and trigger.interval == plan.every and trigger.jitter == plan.jitter_s


@dataclass
class SyncReport:
    added: list[str]
    removed: list[str]
    rescheduled: list[str]

    def summary(self, crawling: int) -> str:
        changes = [
            f"{label} {', '.join(ids)}"
            for label, ids in (("added", self.added), ("removed", self.removed), ("rescheduled", self.rescheduled))
            if ids
        ]
        return f"sources crawled: {crawling}; " + ("; ".join(changes) if changes else "no change")


def sync_crawl_jobs(
    scheduler: BaseScheduler, sources: list[Source], now: dt.datetime, refresh: bool = False
) -> SyncReport:
    """One crawl job per source in `sources` (the enabled ones) and none for any other: jobs are
    added, removed, and replaced when their interval changed (every one when `refresh`, keeping
    their next run times, as at start)."""
    stored = {job.id: job for job in scheduler.get_jobs() if job.id.startswith(CRAWL_PREFIX)}
    report = SyncReport([], [], [])
    for source in sources:
        plan = crawl_job(source, now)
        job = stored.pop(plan.id, None)
        if job is None:
            report.added.append(source.id)
        elif not same_schedule(job, plan):
            report.rescheduled.append(source.id)
        elif not refresh:
            continue
        put(scheduler, plan)
    for job_id in stored:
        scheduler.remove_job(job_id)
        report.removed.append(job_id.removeprefix(CRAWL_PREFIX))
    return report


def enabled_sources(settings: Settings, store: SqlStore) -> list[Source]:
    """The registry's sources (RADAR_SOURCES_FILE's, or the shipped one's) that are enabled, as
    editors switched them; RegistryError when the registry has problems."""
    registry = load_registry(settings.sources_file or DEFAULT_REGISTRY)
    return [source for source in CrawlState(store.engine).with_switches(registry) if source.enabled]
