"""`radar calendar`: the deadlines calendar (briefings/calendar.py) as an .ics file."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Annotated

import typer


def calendar(
    country: Annotated[list[str] | None, typer.Option("--country", help="Jurisdiction code; repeatable.")] = None,
    harm: Annotated[list[str] | None, typer.Option("--harm", help="Harm area id; repeatable.")] = None,
    first_day: Annotated[
        dt.datetime | None,
        typer.Option(
            "--from",
            formats=["%Y-%m-%d"],
            metavar="YYYY-MM-DD",
            help="Events on or after this day (default: 30 days ago).",
        ),
    ] = None,
    last_day: Annotated[
        dt.datetime | None,
        typer.Option(
            "--to",
            formats=["%Y-%m-%d"],
            metavar="YYYY-MM-DD",
            help="Events on or before this day (default: a year ahead).",
        ),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", metavar="FILE", help="Write to FILE, not standard output.")
    ] = None,
) -> None:
    """Write the consultation deadlines, commencements and hearings of the stored items as an
    iCalendar (.ics) file: one all-day event per story and date, linking to the item on the
    tracker (RADAR_PUBLIC_URL), for a calendar client to import."""
    from api.vocabulary import Vocabulary, VocabularyError
    from briefings.calendar import build_calendar, default_window
    from index.store.sql_store import SqlStore
    from radar.settings import Settings, SettingsError

    try:
        Vocabulary.load().check("harm_areas", harm or [])
        settings = Settings.from_env()
    except (VocabularyError, SettingsError) as error:
        typer.echo(f"Error: {error}", err=True)
        raise typer.Exit(1) from None
    default_first, default_last = default_window(dt.datetime.now(dt.UTC).date())
    first = first_day.date() if first_day else default_first
    last = last_day.date() if last_day else default_last
    if first > last:
        raise typer.BadParameter(f"--to ({last}) is before --from ({first})")
    store = SqlStore.open(settings.database_url, settings.data_dir)
    try:
        body = build_calendar(
            store.engine,
            settings.public_url,
            first,
            last,
            jurisdictions=tuple(code.upper() for code in country or ()),
            harm_areas=tuple(harm or ()),
        )
    finally:
        store.close()
    if output is None:
        sys.stdout.buffer.write(body)
        sys.stdout.buffer.flush()
    else:
        output.write_bytes(body)


def register(app: typer.Typer) -> None:
    app.command()(calendar)
