"""`radar up` (the scheduler, the web page and the API in one process) and `radar scheduler`
(the scheduler alone)."""

from __future__ import annotations

import contextlib
import select
import signal
import socket
from types import FrameType, TracebackType
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from radar.settings import Settings
    from scheduler.service import SchedulerService

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


def up(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
) -> None:
    """Run the tracker in one process: crawl the enabled sources on their intervals, deliver the
    alerts, and serve the web page and the API on HOST:PORT as `radar serve` does (the same
    refusal beyond loopback without accounts). SIGTERM or Ctrl-C stops the web server, lets the
    running jobs finish, and exits 0."""
    from radar.logging_setup import setup_logging
    from radar.serve_command import run_web, web_app
    from radar.settings import Settings

    settings = Settings.from_env()
    setup_logging(settings)
    app = web_app(settings, host, "radar up")
    with StopSignals() as signals:
        service = _start(settings)
        try:
            if not signals.received:
                run_web(app, host, port)  # uvicorn catches the signals while it serves
        finally:
            service.stop()


def scheduler() -> None:
    """Run the scheduler alone (beside `radar serve` processes): crawl the enabled sources on their
    intervals, deliver the alerts, check trends and the sources' health. SIGTERM or Ctrl-C lets
    the running jobs finish, then exits 0. With RADAR_METRICS_PORT set, it serves its own metrics
    (its crawls, ingest and deliveries) at http://[HOST:]PORT/metrics."""
    from radar.logging_setup import setup_logging
    from radar.metrics_server import metrics_served
    from radar.settings import Settings

    settings = Settings.from_env()
    setup_logging(settings)
    with StopSignals() as signals, contextlib.ExitStack() as metrics:
        try:
            metrics.enter_context(metrics_served(settings))
        except OSError as error:  # the port is taken, or the address is not this machine's
            typer.echo(f"Error: cannot serve the metrics on RADAR_METRICS_PORT: {error}", err=True)
            raise typer.Exit(1) from None
        service = _start(settings)
        try:
            signals.wait()
        finally:
            service.stop()


def _start(settings: Settings) -> SchedulerService:
    from crawlers.registry import RegistryError
    from scheduler.service import SchedulerService

    service = SchedulerService(settings)
    try:
        service.start()
    except RegistryError as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(1) from None
    return service


class StopSignals:
    """SIGTERM and SIGINT, caught and recorded while open, so the process stops in its own time
    (after the running jobs) instead of at once. The handler only records: it runs between two
    steps of whatever the main thread is doing, and taking a lock there could deadlock."""

    def __init__(self) -> None:
        self.received: list[int] = []

    def __enter__(self) -> StopSignals:
        # Python's C-level handler writes each signal's number here the moment it arrives, so
        # `wait` cannot miss one that came just before it started waiting.
        self._reader, self._writer = socket.socketpair()
        self._writer.setblocking(False)
        self._previous_fd = signal.set_wakeup_fd(self._writer.fileno())
        self._previous = {number: signal.signal(number, self._record) for number in STOP_SIGNALS}
        return self

    def _record(self, number: int, _frame: FrameType | None) -> None:
        self.received.append(number)

    def wait(self) -> None:
        """Until a stop signal comes (at once if one came already)."""
        while not self.received:
            select.select([self._reader], [], [])
            self._reader.recv(64)

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        for number, handler in self._previous.items():
            signal.signal(number, handler)
        signal.set_wakeup_fd(self._previous_fd)
        self._reader.close()
        self._writer.close()


def register(app: typer.Typer) -> None:
    app.command()(up)
    app.command()(scheduler)
