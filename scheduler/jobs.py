"""The jobs: what one scheduled run does, returning a one-line summary for the log.

Each takes only ids (the job store pickles a job's arguments into the database) and reads the
settings and the scheduler from the context the service installed (scheduler/context.py). The
alert jobs hand over to alerts/runner.py, imported when they first run.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
from collections.abc import Iterable

from apscheduler.jobstores.base import JobLookupError

from crawlers.crawl import crawl_pass
from crawlers.state import CrawlState
from index.ingest import Ingester, IngestItem, IngestReport
from index.protocols import SearchEngine, Store
from index.store.sql_store import SqlStore
from nlp.background import ItemTagger, tagger_for_ingest
from radar.engines import open_search_engine
from scheduler.context import JobContext, current
from scheduler.plan import ALERTS_JOB, enabled_sources, sync_crawl_jobs


def crawl_source(source_id: str) -> str:
    """One crawl pass of one source, unless it left the registry or an editor paused it since
    the job was planned: fetched in a child process, then tagged, stored and indexed in turn with
    the other crawl jobs of this process. When it stored new or changed items, the alerts job is
    brought forward to now."""
    context = current()
    settings = context.settings
    store = SqlStore.open(settings.database_url, settings.data_dir)  # opened per run, like the index
    try:
        source = next((entry for entry in enabled_sources(settings, store) if entry.id == source_id), None)
        if source is None:
            return "skipped: paused, or no longer in the registry"
        engine = open_search_engine(settings)
        try:
            ingester = IngestInTurn(tagger_for_ingest(), store, engine, context.ingest_lock)
            (report,) = crawl_pass([source], CrawlState(store.engine), ingester)
        finally:
            engine.close()
    finally:
        store.close()
    if report.new or report.updated:
        _bring_forward(context, ALERTS_JOB)
    errors = f"; {len(report.errors)} errors, first: {report.errors[0][:200]}" if report.errors else ""
    return f"fetched {report.fetched}, {report.new} new, {report.updated} updated, {report.unchanged} unchanged{errors}"


class IngestInTurn(Ingester):
    """An Ingester that writes only while it holds `lock`, and gives the index writer up before
    letting go: tantivy allows one writer at a time, and the next crawl job opens its own."""

    def __init__(self, tagger: ItemTagger, store: Store, engine: SearchEngine, lock: threading.Lock) -> None:
        super().__init__(tagger, store, engine)
        self.lock = lock

    def ingest(self, items: Iterable[IngestItem], report: IngestReport | None = None) -> IngestReport:
        with self.lock:
            try:
                return super().ingest(items, report)
            finally:
                self.engine.close()


def _bring_forward(context: JobContext, job_id: str) -> None:
    """Run a job now rather than at its next run time (nothing, once the service is stopping)."""
    with context.changing_schedule() as scheduler:
        if scheduler is None:
            return
        with contextlib.suppress(JobLookupError):  # not planned in this store: nothing to bring forward
            scheduler.modify_job(job_id, next_run_time=dt.datetime.now(dt.UTC))


def deliver_alerts() -> str:
    """Match the newly stored items against the subscriptions and deliver what is due."""
    from alerts.runner import run_alerts

    return run_alerts(current().settings, dt.datetime.now(dt.UTC))


def alert_trends() -> str:
    """Alert the subscribers to rising trends."""
    from alerts.runner import check_trends

    return check_trends(current().settings, dt.datetime.now(dt.UTC))


def alert_reminders() -> str:
    """Remind the subscribers of the deadlines, within a week, of the stories they were alerted about."""
    from alerts.reminders import check_reminders

    return check_reminders(current().settings, dt.datetime.now(dt.UTC))


def alert_source_health() -> str:
    """Alert the admins about sources that need a look."""
    from alerts.runner import check_source_health

    return check_source_health(current().settings, dt.datetime.now(dt.UTC))


def sync_sources() -> str:
    """Keep the crawl jobs in step with the registry and the editors' switches: a job for each
    enabled source, none for a paused or deleted one, a new trigger for a changed interval."""
    context = current()
    store = SqlStore.open(context.settings.database_url, context.settings.data_dir)
    try:
        sources = enabled_sources(context.settings, store)
    finally:
        store.close()
    with context.changing_schedule() as scheduler:
        if scheduler is None:
            return "skipped: the scheduler is stopping"
        report = sync_crawl_jobs(scheduler, sources, dt.datetime.now(dt.UTC))
    return report.summary(len(sources))
