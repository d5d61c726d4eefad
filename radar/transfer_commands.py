"""`radar export` and `radar import`: the whole store as JSON Lines, to move it to another database."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Annotated

import typer

from radar.settings import Settings


def export(
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to FILE (replaced only once complete).")
    ] = None,
) -> None:
    """Write the whole store as JSON Lines (standard output by default): items and their
    versions, stories, users (token hashes, never tokens), subscriptions, alerts and their
    deliveries, source switches, source health and fetch state, from one consistent moment.
    `radar import` reads it into an empty store."""
    from index.store.sql_store import SqlStore
    from index.store.transfer import export_lines

    settings = Settings.from_env()
    store = SqlStore.open(settings.database_url, settings.data_dir)
    try:
        if output is None:
            end = _write(export_lines(store.engine), sys.stdout.buffer)
        else:
            end = _export_to(output, export_lines(store.engine))
    finally:
        store.close()
    typer.echo(f"exported {_described(json.loads(end)['counts'])}", err=True)


def _export_to(output: Path, lines: Iterable[str]) -> str:
    """Write beside `output`, then rename: a run that fails leaves no half export under its name."""
    partial = output.with_name(f".{output.name}.partial")
    try:
        with partial.open("wb") as handle:
            end = _write(lines, handle)
            os.fsync(handle.fileno())
    except OSError as error:
        partial.unlink(missing_ok=True)
        typer.echo(f"Error: cannot write {output}: {error.strerror or error}", err=True)
        raise typer.Exit(1) from None
    os.replace(partial, output)
    return end


def _write(lines: Iterable[str], handle: IO[bytes]) -> str:
    """Write each line; returns the last (the end record, with the counts)."""
    last = ""
    for last in lines:
        handle.write(last.encode("utf-8") + b"\n")
    handle.flush()
    return last


def _described(counts: dict[str, int]) -> str:
    return (
        ", ".join(f"{count} {kind.replace('_', ' ')} records" for kind, count in counts.items() if count) or "nothing"
    )


def import_(
    file: Annotated[Path, typer.Argument(help="An export written by `radar export`; '-' for standard input.")],
) -> None:
    """Read an export into this store, which must be empty, keeping every id. It is imported in
    one transaction: a malformed line (named by number), a file cut short or a row the database
    refuses leaves the store as empty as it was. Every item then waits for the search index:
    `radar reindex` builds it."""
    from index.store.sql_store import SqlStore
    from index.store.transfer import TransferError, import_lines
    from radar.index_commands import open_input

    settings = Settings.from_env()
    store = SqlStore.open(settings.database_url, settings.data_dir)
    try:
        with open_input(file) as handle:
            counts = import_lines(store.engine, handle)
    except TransferError as error:
        typer.echo(f"Error: {error}. Nothing was imported.", err=True)
        raise typer.Exit(1) from None
    finally:
        store.close()
    typer.echo(f"imported {_described(counts)}")
    typer.echo("every item waits for the search index: run `radar reindex` to build it", err=True)


def register(app: typer.Typer) -> None:
    app.command()(export)
    app.command(name="import")(import_)
