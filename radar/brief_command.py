"""`radar brief`: the briefing pack (briefings/pack.py) for countries, harm areas, a stakeholder
and a window of days, as Markdown, HTML, Word or PDF."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

if TYPE_CHECKING:
    from briefings.request import References
    from index.protocols import Store
    from radar.settings import Settings

SUFFIXES = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".docx": "docx", ".pdf": "pdf"}
DEFAULT_DAYS = 30  # briefings.request.DEFAULT_DAYS, which is not imported before the command runs


def brief(
    country: Annotated[
        list[str] | None, typer.Option("--country", help="Jurisdiction code (AU, SG); repeatable. None: all.")
    ] = None,
    harm: Annotated[list[str] | None, typer.Option("--harm", help="Harm area id; repeatable. None: all.")] = None,
    stakeholder: Annotated[
        str | None, typer.Option("--stakeholder", help="The stakeholder you are meeting: a name or an alias.")
    ] = None,
    days: Annotated[int, typer.Option("--days", help="The window: the last N days (1 to 366).")] = DEFAULT_DAYS,
    format_name: Annotated[
        str | None,
        typer.Option("--format", help="md, html, docx or pdf (default: from FILE's suffix, else md)."),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", metavar="FILE", help="Write to FILE, not standard output.")
    ] = None,
) -> None:
    """Write a briefing pack: what changed in the last DAYS days on the harm areas in the
    countries (a summary with counts, key developments by harm area, a timeline, the deadlines,
    commencements and hearings ahead), the stakeholder's own statements, the items naming it and
    who else is active, how neighbouring jurisdictions compare at each stage, and the numbered
    sources every statement cites. A window with nothing in it still gives a briefing, which
    says so (and a note on standard error)."""
    import datetime as dt

    from briefings.formats import FORMATS, FormatUnavailable, render
    from briefings.pack import build_briefing
    from briefings.request import BriefingRequest, BriefingRequestError, split_values
    from index.records import IndexOutdatedError
    from radar.engines import open_search_engine, open_store
    from radar.settings import Settings, SettingsError

    chosen = format_name or (SUFFIXES.get(output.suffix.lower(), "md") if output else "md")
    if chosen not in FORMATS:
        raise typer.BadParameter(f"--format must be one of {', '.join(FORMATS)}, not {chosen!r}")
    _check_output(output, chosen)
    try:
        settings = Settings.from_env()
    except SettingsError as error:
        _fail(str(error), 1)
    wanted = BriefingRequest(split_values(country or ()), split_values(harm or ()), stakeholder, days)
    store = open_store(settings)
    try:
        engine = open_search_engine(settings)
        try:
            pack = build_briefing(
                store,
                engine,
                wanted,
                references=_references(settings, store, stakeholder),
                public_url=settings.public_url,
                now=dt.datetime.now(dt.UTC),
            )
        finally:
            engine.close()
    except BriefingRequestError as error:
        _fail(str(error), 2)
    except IndexOutdatedError as error:
        _fail(f"{error} (run `radar reindex`)", 1)
    finally:
        store.close()
    try:
        body = render(pack, chosen)
    except FormatUnavailable as error:
        _fail(str(error), 1)
    if not pack.developments:
        typer.echo(
            f"Nothing was published from {pack.since} to {pack.until} in that scope: the briefing says so.", err=True
        )
    if output is None:
        sys.stdout.buffer.write(body)
        sys.stdout.flush()
        return
    output.write_bytes(body)
    stories = len({each.story_id for section in pack.developments for each in section.developments})
    typer.echo(f"wrote {output} ({stories} stories, {len(pack.sources)} sources cited)", err=True)


def _check_output(output: Path | None, chosen: str) -> None:
    """Refuse, before any work, a FILE that cannot be written and a binary file to a terminal."""
    if output is None:
        if chosen in ("docx", "pdf") and sys.stdout.isatty():
            _fail(f"A {chosen} briefing is a binary file: write it with -o FILE (or redirect standard output).", 2)
        return
    if output.is_dir():
        _fail(f"{output} is a directory: give a file name, such as {output / ('briefing.' + chosen)}.", 2)
    if not output.parent.is_dir():
        _fail(f"Cannot write {output}: the directory {output.parent} does not exist.", 2)


def _references(settings: Settings, store: Store, stakeholder: str | None) -> References:
    """The vocabulary's names, the registry and the stakeholder directory: the gazetteer's, and
    the names the tagger found in items when the one asked for is not the gazetteer's (that
    reads every item's stakeholders, so only then)."""
    from api.vocabulary import Vocabulary
    from briefings.request import References
    from briefings.stakeholders import StakeholderDirectory, read_named_in_items
    from crawlers.registry import DEFAULT_REGISTRY, RegistryError, load_registry
    from index.store.sql_store import SqlStore
    from nlp.resources import load_gazetteer

    vocabulary = Vocabulary.load()
    try:
        sources = load_registry(settings.sources_file or DEFAULT_REGISTRY)
    except (FileNotFoundError, RegistryError) as error:
        typer.echo(f"(the source registry cannot be read, so no source is anyone's own: {error})", err=True)
        sources = []
    directory = StakeholderDirectory(load_gazetteer())
    if stakeholder and not directory.named(stakeholder) and isinstance(store, SqlStore):
        directory = StakeholderDirectory(load_gazetteer(), read_named_in_items(store.engine))
    return References(
        harm_labels=vocabulary.labels["harm_areas"],
        jurisdictions=vocabulary.labels["jurisdictions"],
        sources=sources,
        stakeholders=directory,
    )


def _fail(message: str, status: int) -> NoReturn:
    typer.echo(f"Error: {message}", err=True)
    raise typer.Exit(status)


def register(app: typer.Typer) -> None:
    app.command()(brief)
