"""The daily reminders job, run by the scheduler on a real store: it hands over to
alerts/reminders.py, which records a reminder for a story alerted before whose deadline is near."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from apscheduler.events import EVENT_JOB_EXECUTED

from index.store.alert_log import AlertLog, NewAlert
from index.store.sql_store import SqlStore
from index.store.subscriptions import NewSubscription, Subscriptions
from scheduler.plan import REMINDERS_JOB
from tests.index.conftest import make_item
from tests.scheduler.conftest import JobEvents, settings_for, write_registry


def alerted_story_with_a_deadline_in(days: int, data_dir: Path) -> None:
    """A subscription alerted yesterday about an item whose deadline is `days` days from today."""
    now = dt.datetime.now(dt.UTC)
    deadline = (now + dt.timedelta(days=days)).date().isoformat()
    store = SqlStore.open(None, data_dir)
    try:
        subscription = Subscriptions(store.engine).add(
            NewSubscription(name="MY scams", jurisdictions=("MY",), channels=("email:lead@example.org",)),
            None,
            now - dt.timedelta(days=2),
        )
        store.upsert([make_item("a", dates=({"date": deadline, "kind": "deadline", "text": deadline},))])
        alert = NewAlert(subscription.id, "a", 0, "new", "a", 1, {}, (), {}, subscription.channels, now)
        AlertLog(store.engine).record([alert], (), now - dt.timedelta(days=1))
    finally:
        store.close()


def test_the_reminders_job_records_a_reminder_due_at_once(tmp_path: Path, start_service: Any) -> None:
    settings = settings_for(tmp_path, write_registry(tmp_path / "sources.yaml"))
    alerted_story_with_a_deadline_in(3, settings.data_dir)
    service = start_service(settings)
    events = JobEvents()
    service.scheduler.add_listener(events, EVENT_JOB_EXECUTED)

    service.scheduler.modify_job(REMINDERS_JOB, next_run_time=dt.datetime.now(dt.UTC))

    assert events.wait_for(EVENT_JOB_EXECUTED, REMINDERS_JOB).retval == "1 deadline reminders made"
    store = SqlStore.open(None, settings.data_dir)
    try:
        assert AlertLog(store.engine).counts() == {"pending": 2}  # the alert's delivery and the reminder's
    finally:
        store.close()
