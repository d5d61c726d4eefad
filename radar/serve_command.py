"""`radar serve`: the API (and, later, the web page) on one FastAPI app."""

from __future__ import annotations

import ipaddress
from typing import Annotated

import typer

LOOPBACK_NAMES = {"localhost"}


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
) -> None:
    """Serve the API on HOST:PORT (OpenAPI at /docs). On loopback it runs without login, for
    one person on this machine; any other address needs accounts, which radar does not have
    yet, so it refuses."""
    if not _is_loopback(host):
        typer.echo(
            f"Error: radar serve will not listen on {host}: anyone who can reach it could read "
            "everything, and no accounts are configured. Serve on 127.0.0.1 (the default).",
            err=True,
        )
        raise typer.Exit(1)
    import uvicorn

    from api.app import create_app

    uvicorn.run(create_app(), host=host, port=port, log_level="info")


def _is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def register(app: typer.Typer) -> None:
    app.command()(serve)
