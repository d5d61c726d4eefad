"""`radar subscriptions`: saved searches that alert (add, list, remove), as the API and the
subscriptions page keep them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from index.store.sql_store import SqlStore
    from index.store.subscriptions import Subscriptions

subscriptions_app = typer.Typer(help="Subscriptions: saved searches that alert their owner.", no_args_is_help=True)


def _subscriptions() -> tuple[SqlStore, Subscriptions]:
    from index.store.sql_store import SqlStore
    from index.store.subscriptions import Subscriptions
    from radar.settings import Settings

    settings = Settings.from_env()
    store = SqlStore.open(settings.database_url, settings.data_dir)
    return store, Subscriptions(store.engine, settings.webhook_allow_private)


@subscriptions_app.command("add")
def add(
    name: Annotated[str, typer.Option(help="What to call it, e.g. 'MY scams'.")],
    channel: Annotated[list[str], typer.Option(help="KIND:ADDRESS, e.g. email:lead@example.org; repeatable.")],
    query: Annotated[str, typer.Option(help="Words in the search's query language; may be empty.")] = "",
    country: Annotated[list[str] | None, typer.Option(help="Jurisdiction code; repeatable.")] = None,
    harm: Annotated[list[str] | None, typer.Option(help="Harm area id; repeatable.")] = None,
    doc_type: Annotated[list[str] | None, typer.Option("--doc-type", help="Document type; repeatable.")] = None,
    source_kind: Annotated[list[str] | None, typer.Option("--source-kind", help="Kind of source; repeatable.")] = None,
    lang: Annotated[list[str] | None, typer.Option(help="Language code; repeatable.")] = None,
    cadence: Annotated[str, typer.Option(help="instant, daily or weekly.")] = "instant",
    digest_time: Annotated[str, typer.Option("--digest-time", help="HH:MM for digests, local.")] = "08:00",
    time_zone: Annotated[str, typer.Option("--time-zone", help="e.g. Asia/Singapore.")] = "UTC",
    owner: Annotated[str | None, typer.Option(help="The user it belongs to (none: the local person).")] = None,
    kind: Annotated[
        str, typer.Option(help="search (items its query and filters find) or trend (a surge on its harm areas).")
    ] = "search",
) -> None:
    """Subscribe to a search. One that could never be delivered (a query that cannot run, an
    unknown harm area or document type, a malformed channel or time zone) is refused, saying why."""
    import datetime as dt

    from api.vocabulary import Vocabulary, VocabularyError
    from index.store.accounts import Accounts
    from index.store.subscriptions import NewSubscription, SubscriptionError

    new = NewSubscription(
        name=name,
        query=query,
        jurisdictions=tuple(country or ()),
        harm_areas=tuple(harm or ()),
        doc_types=tuple(doc_type or ()),
        source_kinds=tuple(source_kind or ()),
        languages=tuple(lang or ()),
        channels=tuple(channel),
        cadence=cadence,
        digest_time=digest_time,
        time_zone=time_zone,
        kind=kind,
    )
    store, kept = _subscriptions()
    try:
        Vocabulary.load().check_subscription(new)
        owner_id = None
        if owner is not None:
            user = Accounts(store.engine).named(owner)
            if user is None:
                raise SubscriptionError(f"No user called {owner!r}: `radar users list` lists them.")
            owner_id = user.id
        made = kept.add(new, owner_id, dt.datetime.now(dt.UTC))
    except (VocabularyError, SubscriptionError) as error:
        typer.echo(f"Error: {error}", err=True)
        raise typer.Exit(1) from None
    finally:
        store.close()
    typer.echo(made.id)
    typer.echo(f"Subscribed: {made.name} ({made.cadence}, to {', '.join(made.channels)}).", err=True)


@subscriptions_app.command("list")
def list_subscriptions() -> None:
    """Every subscription: id, name, cadence, search and channels."""
    store, kept = _subscriptions()
    try:
        found = kept.all()
    finally:
        store.close()
    if not found:
        typer.echo("No subscriptions: radar subscriptions add makes one.", err=True)
    for each in found:
        filters = " ".join(
            f"{flag}={','.join(values)}"
            for flag, values in (
                ("country", each.jurisdictions),
                ("harm", each.harm_areas),
                ("doc_type", each.doc_types),
                ("source_kind", each.source_kinds),
                ("lang", each.languages),
            )
            if values
        )
        search = " ".join(part for part in (repr(each.query) if each.query else "", filters) if part)
        search = search if each.kind == "search" else f"{each.kind}: {search}"
        when = each.cadence + ("" if each.cadence == "instant" else f" {each.digest_time} {each.time_zone}")
        typer.echo(f"{each.id}\t{each.name}\t{when}\t{search}\t{', '.join(each.channels)}")


@subscriptions_app.command("remove")
def remove(subscription_id: Annotated[int, typer.Argument(help="Its id (radar subscriptions list).")]) -> None:
    """Remove a subscription."""
    store, kept = _subscriptions()
    try:
        removed = kept.remove(subscription_id)
    finally:
        store.close()
    if not removed:
        typer.echo(f"Error: no subscription {subscription_id}; `radar subscriptions list` lists them.", err=True)
        raise typer.Exit(1)
    typer.echo(f"Removed subscription {subscription_id}.", err=True)


def register(app: typer.Typer) -> None:
    app.add_typer(subscriptions_app, name="subscriptions")
