"""`radar users`: the accounts that may use the web page and the API."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from index.store.accounts import Accounts
    from index.store.sql_store import SqlStore

users_app = typer.Typer(help="Accounts: who may search, subscribe and administer.", no_args_is_help=True)

ROLE_HELP = "viewer (search and read), editor (also subscriptions and sources) or admin (also users)."


def _accounts() -> tuple[SqlStore, Accounts]:
    from index.store.accounts import Accounts
    from index.store.sql_store import SqlStore
    from radar.settings import Settings

    settings = Settings.from_env()
    store = SqlStore.open(settings.database_url, settings.data_dir)
    return store, Accounts(store.engine)


@users_app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="The user's name, used to log in.")],
    role: Annotated[str, typer.Option(help=ROLE_HELP)] = "viewer",
) -> None:
    """Add a user and print their API token, once: it is stored only as a hash. They log in to
    the web page with their name and this token, and send it to the API as
    'Authorization: Bearer TOKEN'."""
    import datetime as dt

    from index.store.accounts import AccountError

    store, accounts = _accounts()
    try:
        user, token = accounts.add(name, role, dt.datetime.now(dt.UTC))
    except AccountError as error:
        typer.echo(f"Error: {error}", err=True)
        raise typer.Exit(1) from None
    finally:
        store.close()
    typer.echo(f"Added {user.name} ({user.role}). Their token, shown this once:", err=True)
    typer.echo(token)


@users_app.command("list")
def list_users() -> None:
    """The users, with their roles."""
    store, accounts = _accounts()
    try:
        found = accounts.all()
    finally:
        store.close()
    if not found:
        typer.echo("No users: radar serve runs without login on 127.0.0.1 only.", err=True)
    for user in found:
        typer.echo(f"{user.name}\t{user.role}\t{user.created_at:%Y-%m-%d}")


@users_app.command("token")
def new_token(name: Annotated[str, typer.Argument(help="The user's name.")]) -> None:
    """Give a user a new token (the old one, and their login sessions, stop working) and print it once."""
    from index.store.accounts import AccountError

    store, accounts = _accounts()
    try:
        token = accounts.new_token(name)
    except AccountError as error:
        typer.echo(f"Error: {error}", err=True)
        raise typer.Exit(1) from None
    finally:
        store.close()
    typer.echo(token)


@users_app.command("remove")
def remove(name: Annotated[str, typer.Argument(help="The user's name.")]) -> None:
    """Remove a user, their sessions and their subscriptions."""
    from index.store.accounts import AccountError

    store, accounts = _accounts()
    try:
        accounts.remove(name)
    except AccountError as error:
        typer.echo(f"Error: {error}", err=True)
        raise typer.Exit(1) from None
    finally:
        store.close()
    typer.echo(f"Removed {name}.", err=True)


def register(app: typer.Typer) -> None:
    app.add_typer(users_app, name="users")
