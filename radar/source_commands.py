"""`radar sources` and `radar sources check`: the source registry."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from crawlers.registry import Source

sources_app = typer.Typer(
    help="The sources radar crawls: list them, or check a registry file.",
    no_args_is_help=False,
    invoke_without_command=True,
)

RegistryFile = Annotated[
    Path | None, typer.Argument(help="A registry file (YAML); the shipped crawlers/sources.yaml when omitted.")
]


@sources_app.callback()
def sources(
    context: typer.Context,
    all_sources: Annotated[bool, typer.Option("--all", help="Disabled sources too.")] = False,
    sources_file: Annotated[
        Path | None, typer.Option("--sources", help="A registry file instead of the shipped one.")
    ] = None,
) -> None:
    """List the sources with their health: id, family, jurisdiction, kind, last success, items
    in the last 7 and 30 days, and why a source needs a look (blocked, failing, silent)."""
    if context.invoked_subcommand is not None:
        return
    import datetime as dt

    from crawlers.health import statuses
    from crawlers.state import CrawlState
    from radar.engines import open_store
    from radar.settings import Settings

    registry = _load(sources_file)
    now = dt.datetime.now(dt.UTC)
    store = open_store(Settings.from_env())
    try:
        state = CrawlState(store.engine)  # type: ignore[attr-defined]
        health, registry = state.health(now), state.with_switches(registry)
    finally:
        store.close()
    listed = [source for source in registry if all_sources or source.enabled]
    rows = [("id", "family", "where", "kind", "last success", "7d", "30d", "needs a look")]
    for status in statuses(listed, health, now):
        source, known = status.source, status.health
        success = known.last_success_at if known else None
        rows.append(
            (
                source.id + ("" if source.enabled else " (off)"),
                source.family,
                source.jurisdiction,
                source.kind,
                success.strftime("%Y-%m-%d %H:%M") if success else ("never" if known else "not crawled"),
                str(known.items_7_days if known else 0),
                str(known.items_30_days if known else 0),
                status.flag or "",
            )
        )
    _print_table(rows)
    flagged = sum(1 for row in rows[1:] if row[7])
    places = {source.jurisdiction for source in listed}
    typer.echo(f"{len(listed)} sources across {len(places)} jurisdictions and regions; {flagged} need a look")


@sources_app.command()
def check(file: RegistryFile = None) -> None:
    """Validate a registry: every problem is reported with its entry id and field; exit 1 if any."""
    loaded = _load(file)
    enabled = sum(source.enabled for source in loaded)
    typer.echo(f"{file or 'crawlers/sources.yaml'}: {len(loaded)} sources ({enabled} enabled), no problems")


def _print_table(rows: Sequence[Sequence[str]]) -> None:
    """Columns padded to their widest value; the last one, free text, is not."""
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]) - 1)]
    for row in rows:
        typer.echo("  ".join(value.ljust(width) for value, width in zip(row, widths, strict=False)) + "  " + row[-1])


def _load(file: Path | None) -> list[Source]:
    """The registry FILE names, else the one RADAR_SOURCES_FILE names, else the shipped one."""
    from crawlers.registry import DEFAULT_REGISTRY, RegistryError, load_registry
    from radar.settings import Settings

    try:
        return load_registry(file or Settings.from_env().sources_file or DEFAULT_REGISTRY)
    except RegistryError as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(1) from None


def crawl(
    source: Annotated[list[str] | None, typer.Option("--source", help="Only this source id; repeatable.")] = None,
    sources_file: Annotated[
        Path | None, typer.Option("--sources", help="A registry file instead of the shipped one.")
    ] = None,
) -> None:
    """Run one crawl pass over the registry's enabled sources (or those named), ingest what is
    new or changed, and print what each source gave. Exits 0 when the pass ran, even if some
    sources failed (their errors are recorded in their health); 1 when it could not run."""
    from crawlers.crawl import PassError, crawl_pass
    from crawlers.state import CrawlState
    from index.ingest import Ingester, waiting_message
    from nlp.background import tagger_for_ingest
    from radar.engines import open_search_engine, open_store
    from radar.logging_setup import setup_logging
    from radar.settings import Settings

    registry = _load(sources_file)
    if source:
        unknown = sorted(set(source) - {entry.id for entry in registry})
        if unknown:
            typer.echo(
                f"Error: no source {', '.join(unknown)} in the registry; `radar sources --all` lists them.", err=True
            )
            raise typer.Exit(1)
        chosen = [entry for entry in registry if entry.id in source]
    settings = Settings.from_env()
    setup_logging(settings)
    store, engine = open_store(settings), open_search_engine(settings)
    try:
        if not source:  # the enabled sources, as editors switched them
            chosen = [entry for entry in CrawlState(store.engine).with_switches(registry) if entry.enabled]  # type: ignore[attr-defined]
        ingester = Ingester(tagger_for_ingest(), store, engine)
        reports = crawl_pass(chosen, CrawlState(store.engine), ingester)  # type: ignore[attr-defined]
        waiting = store.pending_index_count() if ingester.index_unavailable else 0
    except PassError as error:
        typer.echo(f"Error: {error}", err=True)
        raise typer.Exit(1) from None
    finally:
        engine.close()
        store.close()
    rows = [("source", "fetched", "new", "updated", "unchanged", "errors")]
    rows += [
        (r.source, str(r.fetched), str(r.new), str(r.updated), str(r.unchanged), "; ".join(r.errors)[:100])
        for r in reports
    ]
    _print_table(rows)
    if ingester.index_unavailable:  # stored all the same: nothing is lost, so the pass still succeeded
        typer.echo(waiting_message(waiting, ingester.index_unavailable), err=True)


def _switch(source_id: str, enabled: bool, sources_file: Path | None) -> None:
    import datetime as dt
    import getpass

    from crawlers.state import CrawlState
    from radar.engines import open_store
    from radar.settings import Settings

    if source_id not in {entry.id for entry in _load(sources_file)}:
        typer.echo(f"Error: no source {source_id!r} in the registry; `radar sources --all` lists them.", err=True)
        raise typer.Exit(1)
    store = open_store(Settings.from_env())
    try:
        CrawlState(store.engine).switch(source_id, enabled, getpass.getuser(), dt.datetime.now(dt.UTC))  # type: ignore[attr-defined]
    finally:
        store.close()
    typer.echo(f"{source_id} is {'enabled' if enabled else 'disabled'} from the next pass on.", err=True)


SourceId = Annotated[str, typer.Argument(help="The source's id.")]
SourcesOption = Annotated[Path | None, typer.Option("--sources", help="A registry file instead of the shipped one.")]


@sources_app.command("disable")
def disable(source_id: SourceId, sources_file: SourcesOption = None) -> None:
    """Stop crawling a source (over the registry's `enabled`; editors can do the same on the web page)."""
    _switch(source_id, False, sources_file)


@sources_app.command("enable")
def enable(source_id: SourceId, sources_file: SourcesOption = None) -> None:
    """Crawl a source again (or for the first time, if the registry has it disabled)."""
    _switch(source_id, True, sources_file)


def register(app: typer.Typer) -> None:
    app.add_typer(sources_app, name="sources")
    app.command()(crawl)
