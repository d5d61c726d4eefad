"""Fixtures for the scheduler tests: a registry file, settings over a temporary data directory,
services stopped after each test, the alert runner's functions standing in for the real ones,
and APScheduler's events to wait on."""

from __future__ import annotations

import sys
import threading
import time
import types
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

from radar.settings import Settings
from scheduler.plan import Cadence
from scheduler.service import SchedulerService
from tests.crawlers.site import Site

BASE = {"name": "Example", "kind": "regulator", "jurisdiction": "SG", "language": "en", "family": "feed"}


def write_registry(path: Path, *entries: dict[str, Any]) -> Path:
    """A registry of feed sources in Singapore, each entry's fields over those."""
    path.write_text(yaml.safe_dump({"sources": [{**BASE, **entry} for entry in entries]}), encoding="utf-8")
    return path


def settings_for(tmp_path: Path, registry: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", database_url=None, elasticsearch_url=None, sources_file=registry)


@pytest.fixture
def site(monkeypatch: pytest.MonkeyPatch) -> Iterator[Site]:
    monkeypatch.setenv("RADAR_CRAWL_ALLOW_PRIVATE", "1")  # the crawl's child process reads it
    served = Site()
    yield served
    served.close()


@pytest.fixture
def start_service() -> Iterator[Callable[..., SchedulerService]]:
    """start_service(settings, paused=False, cadence=None): a started service, stopped after the test."""
    started: list[SchedulerService] = []

    def start(settings: Settings, paused: bool = False, cadence: Cadence | None = None) -> SchedulerService:
        service = SchedulerService(settings, cadence)
        service.start(paused=paused)
        started.append(service)
        return service

    yield start
    for service in started:
        service.stop()


@dataclass
class AlertRuns:
    """The calls the alert jobs made to alerts/runner.py (stood in for: their effects are the
    alerts' tests' business)."""

    calls: list[tuple[str, Settings]] = field(default_factory=list)
    changed: threading.Condition = field(default_factory=threading.Condition)

    def record(self, name: str, settings: Settings) -> str:
        with self.changed:
            self.calls.append((name, settings))
            self.changed.notify_all()
        return f"{name} ran"

    def wait_for(self, name: str, timeout: float = 30) -> bool:
        with self.changed:
            return self.changed.wait_for(lambda: any(called == name for called, _ in self.calls), timeout)


@pytest.fixture(autouse=True)
def alert_runs(monkeypatch: pytest.MonkeyPatch) -> AlertRuns:
    runs = AlertRuns()
    runner = types.ModuleType("alerts.runner")
    runner.run_alerts = lambda settings, now: runs.record("run_alerts", settings)  # type: ignore[attr-defined]
    runner.check_trends = lambda settings, now: runs.record("check_trends", settings)  # type: ignore[attr-defined]
    runner.check_source_health = lambda settings, now: runs.record("check_source_health", settings)  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "alerts.runner", runner)
    return runs


class JobEvents:
    """APScheduler's job events of a scheduler, to wait on."""

    def __init__(self) -> None:
        self.seen: list[Any] = []
        self.changed = threading.Condition()

    def __call__(self, event: Any) -> None:
        with self.changed:
            self.seen.append(event)
            self.changed.notify_all()

    def wait_for(self, code: int, job_id: str, timeout: float = 30) -> Any:
        """The first event `code` of `job_id`; fails the test if none comes within `timeout` s."""
        deadline = time.monotonic() + timeout
        with self.changed:
            while True:
                found = next((e for e in self.seen if e.code == code and e.job_id == job_id), None)
                if found is not None:
                    return found
                left = deadline - time.monotonic()
                if left <= 0:
                    pytest.fail(f"no event {code} for {job_id} within {timeout} s; saw {self.seen}")
                self.changed.wait(left)
