"""`radar alerts run`: match and deliver now, as the scheduler does on its own."""

from __future__ import annotations

from typing import Annotated

import typer

alerts_app = typer.Typer(help="Alerts: match new items against subscriptions and deliver them.", no_args_is_help=True)


@alerts_app.command("run")
def run(
    trends: Annotated[bool, typer.Option("--trends", help="Also look for surges for trend subscriptions.")] = False,
    health: Annotated[
        bool, typer.Option("--health", help="Also tell the admins (RADAR_ADMIN_CHANNELS) about sources needing a look.")
    ] = False,
    reminders: Annotated[
        bool, typer.Option("--reminders", help="Also remind subscribers of deadlines seven days away or less.")
    ] = False,
) -> None:
    """Match the items stored since the last run against every subscription, then deliver what
    is due: instant alerts, digests whose local time has come, and retries of failed deliveries."""
    import datetime as dt

    from alerts.runner import check_source_health, check_trends, run_alerts
    from radar.logging_setup import setup_logging
    from radar.settings import Settings, SettingsError

    try:
        settings = Settings.from_env()
    except SettingsError as error:
        typer.echo(f"Error: {error}", err=True)
        raise typer.Exit(1) from None
    setup_logging(settings)
    now = dt.datetime.now(dt.UTC)
    if trends:
        typer.echo(check_trends(settings, now))
    if health:
        typer.echo(check_source_health(settings, now))
    if reminders:
        from alerts.reminders import check_reminders

        typer.echo(check_reminders(settings, now))
    typer.echo(run_alerts(settings, now))


def register(app: typer.Typer) -> None:
    app.add_typer(alerts_app, name="alerts")
