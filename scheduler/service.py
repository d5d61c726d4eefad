"""The scheduler of one process: its jobs kept in the store's database, started and stopped.

Jobs and their next run times live in the store (APScheduler's SQLAlchemyJobStore on the
store's own engine, table `apscheduler_jobs`), so a restart carries on where the last run left
off. Run one scheduler per store: `radar up`, or `radar scheduler` beside `radar serve`.
"""

from __future__ import annotations

import datetime as dt
import logging

from apscheduler.events import EVENT_JOB_EXECUTED, JobExecutionEvent
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler

from index.store.sql_store import SqlStore
from radar.settings import Settings
from scheduler.context import JobContext, install, uninstall
from scheduler.plan import CRAWL_EXECUTOR, Cadence, enabled_sources, fixed_jobs, put, sync_crawl_jobs

CRAWL_WORKERS = 3  # crawls at once: each fetches in a child process of its own
OTHER_WORKERS = 4  # alerts, trends, source health, sync

log = logging.getLogger("scheduler")


class SchedulerService:
    """The crawl, alert and sync jobs of `settings`' store, run by a BackgroundScheduler."""

    def __init__(self, settings: Settings, cadence: Cadence | None = None, crawl_workers: int = CRAWL_WORKERS) -> None:
        self.settings = settings
        self.cadence = cadence or Cadence()
        self.crawl_workers = crawl_workers
        self.scheduler: BackgroundScheduler | None = None
        self._context: JobContext | None = None

    def start(self, paused: bool = False) -> None:
        """Plan the jobs and start running them (not when `paused`: `resume` does). The fixed jobs
        and a crawl job per enabled source are re-added, keeping the next run times stored for
        them; crawl jobs of sources no longer enabled are removed. RegistryError when the
        registry has problems (nothing is started then)."""
        store = SqlStore.open(self.settings.database_url, self.settings.data_dir)  # migrated: the jobs' table exists
        try:
            sources = enabled_sources(self.settings, store)
        except Exception:
            store.close()
            raise
        scheduler = BackgroundScheduler(
            jobstores={"default": SQLAlchemyJobStore(engine=store.engine)},  # disposed by the scheduler's shutdown
            executors={
                "default": ThreadPoolExecutor(OTHER_WORKERS),
                CRAWL_EXECUTOR: ThreadPoolExecutor(self.crawl_workers),
            },
            timezone=dt.UTC,
        )
        scheduler.add_listener(_log_run, EVENT_JOB_EXECUTED)
        self.scheduler, self._context = scheduler, JobContext(self.settings, scheduler)
        install(self._context)
        scheduler.start(paused=True)  # the job store is open, nothing runs while the jobs are planned
        try:
            now = dt.datetime.now(dt.UTC)
            for plan in fixed_jobs(self.cadence, now):
                put(scheduler, plan)
            sync_crawl_jobs(scheduler, sources, now, refresh=True)
        except Exception:
            self.stop()
            raise
        log.info(
            "scheduler started: %d crawl jobs, alerts every %d s (%d jobs in all)",
            len(sources),
            self.cadence.alerts.total_seconds(),
            len(scheduler.get_jobs()),
        )
        if not paused:
            scheduler.resume()

    def resume(self) -> None:
        """Start running the jobs of a service started paused."""
        if self.scheduler is not None:
            self.scheduler.resume()

    def stop(self) -> None:
        """Let the running jobs finish, then stop. What a stop cuts short is safe: ingest and the
        alerts keep outboxes in the store, which the next run completes."""
        if self.scheduler is None or self._context is None:
            return
        log.info("scheduler stopping: waiting for the running jobs to finish")
        self._context.stop_changes()
        self.scheduler.shutdown(wait=True)
        uninstall(self._context)
        self.scheduler, self._context = None, None
        log.info("scheduler stopped")


def _log_run(event: JobExecutionEvent) -> None:
    # APScheduler logs failures, misses and skipped runs itself (warnings and errors).
    log.info("%s: %s", event.job_id, event.retval)
