"""`radar up` (the scheduler, the web page and the API in one process) and `radar scheduler`
(the scheduler alone)."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Annotated

import typer

from radar.stop_signals import StopSignals

if TYPE_CHECKING:
    from radar.settings import Settings
    from scheduler.service import SchedulerService


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


def register(app: typer.Typer) -> None:
    app.command()(up)
    app.command()(scheduler)
