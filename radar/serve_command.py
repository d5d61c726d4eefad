"""`radar serve`: the web page and the API on one FastAPI app."""

from __future__ import annotations

import ipaddress
from typing import Annotated

import typer

LOOPBACK_NAMES = {"localhost"}


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
) -> None:
    """Serve the web page and the API on HOST:PORT (OpenAPI at /docs). On loopback without
    accounts it runs without login, for one person on this machine. On any other address every
    request needs an account, so it refuses to start until one exists (radar users add)."""
    from index.store.accounts import Accounts
    from radar.engines import open_store
    from radar.settings import Settings

    settings = Settings.from_env()
    public = not _is_loopback(host)
    if public:
        store = open_store(settings)
        try:
            accounts = Accounts(store.engine).count()  # type: ignore[attr-defined]
        finally:
            store.close()
        if accounts == 0:
            typer.echo(
                f"Error: radar serve will not listen on {host} without accounts: anyone who can reach it "
                "could read everything. Add one first (radar users add NAME --role admin), or serve on "
                "127.0.0.1 (the default) for yourself alone.",
                err=True,
            )
            raise typer.Exit(1)
    import uvicorn

    from api.app import create_app

    try:
        app = create_app(settings, public=public)
    except ValueError as error:  # a setting that cannot be used
        typer.echo(f"Error: {error}", err=True)
        raise typer.Exit(1) from None
    uvicorn.run(app, host=host, port=port, log_level="info")


def _is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def register(app: typer.Typer) -> None:
    app.command()(serve)
