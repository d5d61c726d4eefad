"""`radar serve`: the web page and the API on one FastAPI app (`radar up` serves the same app)."""

from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from fastapi import FastAPI

    from radar.settings import Settings

LOOPBACK_NAMES = {"localhost"}


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
) -> None:
    """Serve the web page and the API on HOST:PORT (OpenAPI at /docs). On loopback without
    accounts it runs without login, for one person on this machine. On any other address every
    request needs an account, so it refuses to start until one exists (radar users add)."""
    from radar.logging_setup import setup_logging
    from radar.settings import Settings

    settings = Settings.from_env()
    setup_logging(settings)
    run_web(web_app(settings, host, "radar serve"), host, port)


def web_app(settings: Settings, host: str, command: str) -> FastAPI:
    """The app to serve on `host`. Exits with status 1, saying why, when it would be reachable
    beyond loopback without accounts, or a setting cannot be used; `command` names the refusal."""
    from index.store.accounts import Accounts
    from radar.engines import open_store

    public = not _is_loopback(host)
    if public:
        store = open_store(settings)
        try:
            accounts = Accounts(store.engine).count()  # type: ignore[attr-defined]
        finally:
            store.close()
        if accounts == 0:
            typer.echo(
                f"Error: {command} will not listen on {host} without accounts: anyone who can reach it "
                "could read everything. Add one first (radar users add NAME --role admin), or serve on "
                "127.0.0.1 (the default) for yourself alone.",
                err=True,
            )
            raise typer.Exit(1)
    from api.app import create_app

    try:
        return create_app(settings, public=public)
    except ValueError as error:  # a setting that cannot be used
        typer.echo(f"Error: {error}", err=True)
        raise typer.Exit(1) from None


def run_web(app: FastAPI, host: str, port: int) -> None:
    """Serve `app` until SIGINT or SIGTERM. Uvicorn stops gracefully, then raises the signal again
    for the handler that was there before it: StopSignals' records it, so the process exits 0
    (a service manager or `docker compose stop` sees a clean stop, not a death by signal).
    Uvicorn's lines go to the logging set up by radar/logging_setup.py: it is given no
    configuration or level of its own."""
    import uvicorn

    from radar.stop_signals import StopSignals

    with StopSignals():
        uvicorn.run(app, host=host, port=port, log_config=None, log_level=None)


def _is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def register(app: typer.Typer) -> None:
    app.command()(serve)
