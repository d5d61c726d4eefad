"""`radar stakeholders [QUERY]` and `radar stakeholders show NAME`: the stakeholder directory
(briefings/stakeholders.py) and a stakeholder's profile (briefings/stakeholder_profile.py)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from briefings.stakeholder_profile import Profile
    from briefings.stakeholders import DirectoryEntry, StakeholderDirectory
    from crawlers.registry import Source
    from index.records import SearchResult
    from radar.settings import Settings

ALIASES_SHOWN = 3


class _QueryOrCommand(TyperGroup):
    """A group whose first word is a command (`show`, `list`) or else the start of a query:
    `radar stakeholders esafety --country AU` runs `radar stakeholders list esafety --country AU`.
    (Click would otherwise read a group's optional argument before its command, taking `show`
    for a query.)"""

    # Typer keeps its copy of click private, so its context and command types are Any here.
    def resolve_command(self, ctx: Any, args: list[str]) -> tuple[str | None, Any, list[str]]:
        if args and args[0] not in self.commands:
            return super().resolve_command(ctx, ["list", *args])
        return super().resolve_command(ctx, args)


stakeholders_app = typer.Typer(
    cls=_QueryOrCommand,
    help="The stakeholder directory: `radar stakeholders [QUERY] [--country CC]... [--kind KIND]...` lists "
    "stakeholders, `radar stakeholders show NAME` prints one's profile.",
    invoke_without_command=True,
    no_args_is_help=False,
    # Options and a query go on to `list` (see _QueryOrCommand), so the group lets them through.
    context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
)


@stakeholders_app.callback()
def stakeholders(context: typer.Context) -> None:
    """List the stakeholders (with a QUERY, those whose name or an alias holds it), or show one."""
    if context.invoked_subcommand is None:
        list_stakeholders()


@stakeholders_app.command("list")
def list_stakeholders(
    query: Annotated[str, typer.Argument(help="Part of a name or alias, any case; none: all.")] = "",
    country: Annotated[list[str] | None, typer.Option("--country", help="Jurisdiction code; repeatable.")] = None,
    kind: Annotated[
        list[str] | None,
        typer.Option("--kind", help="regulator, ministry, legislature, court, ngo, platform, person... or unknown."),
    ] = None,
) -> None:
    """The stakeholders whose name or an alias holds QUERY (any case): the gazetteer's bodies and
    people, and the names the tagger found in stored items beyond it (kind unknown). Also
    `radar stakeholders QUERY`."""
    from briefings.stakeholders import KINDS

    unknown = sorted(set(kind or ()) - KINDS)
    if unknown:
        typer.echo(f"Error: {', '.join(unknown)} is not a kind; use one of {', '.join(sorted(KINDS))}.", err=True)
        raise typer.Exit(2)
    found = _directory().find(query, country or (), kind or ())
    rows = [("name", "kind", "where", "aliases")]
    rows += [(entry.name, entry.kind, _where(entry), _aliases(entry.aliases)) for entry in found]
    widths = [max(len(row[column]) for row in rows) for column in range(3)]
    for row in rows:
        typer.echo("  ".join(value.ljust(width) for value, width in zip(row, widths, strict=False)) + "  " + row[3])
    found_in_items = sum(1 for entry in found if entry.kind == "unknown")
    typer.echo(
        f"{len(found)} stakeholder{'' if len(found) == 1 else 's'} ({found_in_items} found in items only, kind unknown)"
    )


@stakeholders_app.command()
def show(
    name: Annotated[str, typer.Argument(help="A canonical name or an alias, any case.")],
    limit: Annotated[int, typer.Option("--limit", min=1, max=100, help="Recent items of each kind.")] = 10,
) -> None:
    """A stakeholder's profile: what it is, its own sources, the items naming it and its own
    publications (newest first), the harm areas it is active on, who is named with it, and its
    items per month."""
    from briefings.stakeholder_profile import build_profile
    from radar.engines import open_search_engine, open_store
    from radar.settings import Settings

    settings = Settings.from_env()
    store = open_store(settings)
    try:
        engine_of_store = store.engine  # type: ignore[attr-defined]
        entries = _directory_of(engine_of_store).named(name)
        if not entries:
            typer.echo(f"No stakeholder named {name!r}: `radar stakeholders QUERY` finds names and aliases.", err=True)
            raise typer.Exit(1)
        search = open_search_engine(settings)
        try:
            profile = build_profile(entries, search, engine_of_store, _registry(settings), recent=limit)
        finally:
            search.close()
    finally:
        store.close()
    for line in profile_lines(profile):
        typer.echo(line)


def profile_lines(profile: Profile) -> list[str]:
    """A profile as lines of text."""
    entry = profile.entry
    lines = [entry.name, f"  {entry.kind}, {_where(entry)}"]
    if entry.aliases:
        lines.append(f"  also: {', '.join(entry.aliases)}")
    if profile.namesakes:
        others = ", ".join(f"{other.kind} in {_where(other)}" for other in profile.namesakes)
        lines.append(f"  the same name is also: {others} (items carry only the name: counts include theirs)")
    for source in profile.own_sources:
        lines.append(f"  own source: {source.id} ({source.name})")
    lines += _hits(f"Items naming it: {profile.mentions.total}", profile.mentions)
    if profile.own is not None:
        lines += _hits(f"Own publications: {profile.own.total}", profile.own)
    lines.append(f"Active on: {_counts(profile.active_on.items())}")
    lines.append(f"Named with: {_counts(profile.named_with)}")
    lines.append("Items per month:" + ("" if profile.timeline else " none"))
    lines += [f"  {month}  {count:>4}  {'#' * min(count, 60)}" for month, count in profile.timeline]
    if profile.capped:
        lines.append("(the counts cover the most recent items only)")
    return lines


def _hits(heading: str, result: SearchResult) -> list[str]:
    return [heading] + [
        f"  {hit.published_at.date().isoformat() if hit.published_at else '(undated)':<10}  {hit.id}  {hit.title}"
        for hit in result.hits
    ]


def _counts(pairs: Iterable[tuple[str, int]]) -> str:
    return ", ".join(f"{key} {count}" for key, count in pairs) or "none"


def _where(entry: DirectoryEntry) -> str:
    return entry.jurisdiction or "/".join(entry.candidates) or "-"


def _aliases(aliases: Sequence[str]) -> str:
    shown = ", ".join(aliases[:ALIASES_SHOWN])
    return shown + (f", +{len(aliases) - ALIASES_SHOWN} more" if len(aliases) > ALIASES_SHOWN else "")


def _directory() -> StakeholderDirectory:
    from radar.engines import open_store
    from radar.settings import Settings

    store = open_store(Settings.from_env())
    try:
        return _directory_of(store.engine)  # type: ignore[attr-defined]
    finally:
        store.close()


def _directory_of(engine: Engine) -> StakeholderDirectory:
    """The gazetteer's stakeholders and the names stored items carry beyond it."""
    from briefings.stakeholders import StakeholderDirectory, read_named_in_items
    from nlp.resources import load_gazetteer

    return StakeholderDirectory(load_gazetteer(), read_named_in_items(engine))


def _registry(settings: Settings) -> list[Source]:
    """The registry the settings name; none (so no own sources) when it cannot be read, said on
    standard error."""
    from crawlers.registry import DEFAULT_REGISTRY, RegistryError, load_registry

    try:
        return load_registry(settings.sources_file or DEFAULT_REGISTRY)
    except RegistryError as error:
        typer.echo(f"Own sources left out: {error}", err=True)
        return []


def register(app: typer.Typer) -> None:
    app.add_typer(stakeholders_app, name="stakeholders")
