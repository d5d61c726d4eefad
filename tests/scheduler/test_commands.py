"""`radar scheduler` and `radar up` as a user runs them: real processes on a temporary data
directory, stopped with SIGTERM as a service manager stops them."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from index.store.sql_store import SqlStore
from tests.crawlers.site import Site
from tests.radar.test_cli import RADAR, ROOT
from tests.scheduler.conftest import write_registry


def environment(tmp_path: Path, registry: Path) -> dict[str, str]:
    """This environment without anyone's RADAR_ settings, on a data directory under tmp_path."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("RADAR_")}
    return {**env, "RADAR_DATA_DIR": str(tmp_path / "data"), "RADAR_SOURCES_FILE": str(registry)}


class Running:
    """A `radar` process whose output (standard output and error together) is read as it comes."""

    def __init__(self, *args: str, env: dict[str, str]) -> None:
        self.process = subprocess.Popen(
            [*RADAR, *args], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        self.lines: list[str] = []
        self.changed = threading.Condition()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            with self.changed:
                self.lines.append(line.rstrip("\n"))
                self.changed.notify_all()
        with self.changed:
            self.changed.notify_all()

    @property
    def output(self) -> str:
        with self.changed:
            return "\n".join(self.lines)

    def wait_for_line(self, text: str, timeout: float = 60) -> None:
        """Until a line holds `text`; fails the test if the process exits or `timeout` s pass first."""
        deadline = time.monotonic() + timeout
        with self.changed:
            while not any(text in line for line in self.lines):
                left = deadline - time.monotonic()
                if left <= 0 or (not self.reader.is_alive() and self.process.poll() is not None):
                    pytest.fail(f"no line with {text!r}; the output was:\n{self.output[-3000:]}")
                self.changed.wait(min(left, 1))

    def stop(self, timeout: float = 60) -> int:
        """SIGTERM, then its exit status once it has exited and its output is read."""
        self.process.send_signal(signal.SIGTERM)
        status = self.process.wait(timeout)
        self.reader.join(timeout)
        return status

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


@contextlib.contextmanager
def running(*args: str, env: dict[str, str]) -> Iterator[Running]:
    started = Running(*args, env=env)
    try:
        yield started
    finally:
        started.kill()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_radar_scheduler_plans_the_jobs_and_stops_cleanly_on_sigterm(site: Site, tmp_path: Path) -> None:
    registry = write_registry(tmp_path / "sources.yaml", {"id": "sg-reg", "url": f"{site.url}/feed.xml"})
    with running("scheduler", env=environment(tmp_path, registry)) as scheduler:
        scheduler.wait_for_line("scheduler started: 1 crawl jobs")
        status = scheduler.stop()
    assert status == 0, scheduler.output
    assert "scheduler stopping: waiting for the running jobs to finish" in scheduler.output
    assert scheduler.lines[-1].endswith("scheduler: scheduler stopped")
    assert "Traceback" not in scheduler.output
    store = SqlStore.open(None, tmp_path / "data")
    try:
        with store.engine.connect() as conn:
            stored = {row[0] for row in conn.exec_driver_sql("SELECT id FROM apscheduler_jobs")}
    finally:
        store.close()
    assert stored == {"crawl:sg-reg", "alerts", "trends", "reminders", "source-health", "sync-sources"}  # next start


def test_radar_scheduler_names_the_problems_of_a_broken_registry(tmp_path: Path) -> None:
    registry = write_registry(tmp_path / "sources.yaml", {"id": "sg-reg", "url": "ftp://example.org/feed"})
    done = subprocess.run(
        [*RADAR, "scheduler"], cwd=ROOT, env=environment(tmp_path, registry), capture_output=True, timeout=60
    )
    assert done.returncode == 1
    assert "sg-reg: url: 'ftp://example.org/feed' is not an http(s) URL" in done.stderr.decode()
    assert "scheduler started" not in done.stderr.decode()


def test_radar_up_serves_the_api_and_stops_cleanly_on_sigterm(site: Site, tmp_path: Path) -> None:
    registry = write_registry(tmp_path / "sources.yaml", {"id": "sg-reg", "url": f"{site.url}/feed.xml"})
    port = free_port()
    with running("up", "--port", str(port), env=environment(tmp_path, registry)) as up:
        up.wait_for_line("scheduler started: 1 crawl jobs")
        up.wait_for_line(f"Uvicorn running on http://127.0.0.1:{port}")
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=10) as answer:
            assert json.load(answer) == {"status": "ok"}
        status = up.stop()
    assert status == 0, up.output
    assert "Finished server process" in up.output  # uvicorn's graceful shutdown
    assert up.lines[-1].endswith("scheduler: scheduler stopped")
    assert "Traceback" not in up.output


def test_radar_up_refuses_another_address_without_accounts(tmp_path: Path) -> None:
    registry = write_registry(tmp_path / "sources.yaml", {"id": "sg-reg", "url": "http://127.0.0.1:9/feed.xml"})
    done = subprocess.run(
        [*RADAR, "up", "--host", "0.0.0.0"],
        cwd=ROOT,
        env=environment(tmp_path, registry),
        capture_output=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert "radar up will not listen on 0.0.0.0 without accounts" in done.stderr.decode()
    assert "scheduler started" not in done.stderr.decode()
