"""What the job functions work with: the settings, the scheduler and the locks of this process.

The job store pickles each job's arguments into the database, so a job carries only ids (a
source id, or nothing). Settings hold the SMTP password and must not be written there, so the
job functions read them from the context the service installs when it starts, and that it
removes when it stops; a job run outside a started service fails saying so.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from apscheduler.schedulers.base import BaseScheduler

from radar.settings import Settings


@dataclass
class JobContext:
    settings: Settings
    scheduler: BaseScheduler
    # tantivy allows one index writer at a time: the crawl jobs of this process ingest in turn.
    ingest_lock: threading.Lock = field(default_factory=threading.Lock)
    _changes: threading.Lock = field(default_factory=threading.Lock, init=False)
    _stopping: bool = field(default=False, init=False)

    @contextmanager
    def changing_schedule(self) -> Iterator[BaseScheduler | None]:
        """The scheduler, for a job to change the schedule with (None once the service is
        stopping: the change is then dropped). `stop_changes` waits for the block to end."""
        with self._changes:
            yield None if self._stopping else self.scheduler

    def stop_changes(self) -> None:
        """Let no job change the schedule from now on, once the changes under way are done.
        The scheduler's shutdown holds its job-store lock while it waits for running jobs, so a
        job still asking for that lock (to bring a job forward, to add one) would deadlock it."""
        with self._changes:
            self._stopping = True


_current: JobContext | None = None


def install(context: JobContext) -> None:
    """Make `context` the one the job functions of this process see."""
    global _current
    _current = context


def uninstall(context: JobContext) -> None:
    """Remove `context`, if it is still the installed one."""
    global _current
    if _current is context:
        _current = None


def current() -> JobContext:
    """The installed context; RuntimeError when no scheduler service runs in this process."""
    if _current is None:
        raise RuntimeError(
            "no scheduler service runs in this process: jobs run only inside `radar up` or `radar scheduler`"
        )
    return _current
