"""`radar ingest`, `radar search`, `radar reindex` and `radar check`: the store and the index."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Annotated, BinaryIO

import typer

from index.protocols import SearchEngine, Store
from index.records import MAX_LIMIT, IndexOutdatedError, IndexUnavailableError, QueryError, SearchQuery, SearchResult
from radar.settings import Settings


def ingest(
    file: Annotated[
        Path | None, typer.Argument(help="JSON Lines of items; standard input when omitted or '-'.")
    ] = None,
) -> None:
    """Tag items, store them and index them; print how many were new, updated, unchanged,
    grouped into existing stories, and rejected (each with its line and reason).

    Each line is {"url", "title", "text", "published"} with optional "source",
    "source_kind", "lang" and "id". Ingesting the same items again changes nothing; a run
    that was interrupted is completed by the next one. When the search index cannot be
    written (Elasticsearch down, another process writing the tantivy index), every item is
    still stored and waits for the index: a warning says how many, and the exit status is 0.
    """
    from sqlalchemy.exc import OperationalError

    from index.ingest import Ingester, IngestReport, read_ingest_lines
    from index.store.engine import StoreLockedError
    from nlp.background import TaggingError, tagger_for_ingest
    from radar.engines import open_search_engine, open_store
    from radar.logging_setup import setup_logging

    settings = Settings.from_env()
    setup_logging(settings)
    try:
        store = open_store(settings)
    except (StoreLockedError, OperationalError) as exc:
        typer.echo(f"Error: {store_problem(exc)}", err=True)
        raise typer.Exit(1) from exc
    engine = open_search_engine(settings)
    report = IngestReport()
    try:
        ingester = Ingester(tagger_for_ingest(), store, engine)
        try:
            engine.commit()  # opens the index; nothing to commit yet
        except IndexOutdatedError as exc:
            typer.echo(f"{exc}\nRebuilding it first.", err=True)
            typer.echo(_rebuild(store, engine), err=True)
        except IndexUnavailableError as exc:
            ingester.index_down(str(exc))  # known already: store only, without trying it again
        with open_input(file) as handle:
            ingester.ingest(read_ingest_lines(handle, report), report)
    except (TaggingError, StoreLockedError, OperationalError) as exc:
        typer.echo(f"Error: {store_problem(exc)}", err=True)
        typer.echo(
            f"So far: {report.summary()}; what was stored stays, and the same ingest run again completes it", err=True
        )
        raise typer.Exit(1) from exc
    finally:
        engine.close()
        store.close()
    for number, reason in report.rejected:
        typer.echo(f"line {number}: rejected: {reason}", err=True)
    typer.echo(report.summary())
    if warning := report.index_warning():
        typer.echo(warning, err=True)
    if report.rejected:
        raise typer.Exit(1)


def search(
    query: Annotated[str, typer.Argument(help='Words, "phrases", AND/OR/NOT, field:value, prefix*.')] = "",
    country: Annotated[list[str] | None, typer.Option("--country", help="Jurisdiction code; repeatable.")] = None,
    harm: Annotated[list[str] | None, typer.Option("--harm", help="Harm area id; repeatable.")] = None,
    doc_type: Annotated[list[str] | None, typer.Option("--doc-type", help="Document type; repeatable.")] = None,
    source_kind: Annotated[list[str] | None, typer.Option("--source-kind", help="Kind of source; repeatable.")] = None,
    lang: Annotated[list[str] | None, typer.Option("--lang", help="Language code; repeatable.")] = None,
    source: Annotated[list[str] | None, typer.Option("--source", help="Source id; repeatable.")] = None,
    stakeholder: Annotated[list[str] | None, typer.Option("--stakeholder", help="Stakeholder; repeatable.")] = None,
    since: Annotated[str | None, typer.Option(help="Published on or after YYYY-MM-DD.")] = None,
    until: Annotated[str | None, typer.Option(help="Published on or before YYYY-MM-DD.")] = None,
    sort: Annotated[str, typer.Option(help="relevance or newest.")] = "relevance",
    limit: Annotated[int, typer.Option(help=f"Items per page, at most {MAX_LIMIT}.")] = 20,
    cursor: Annotated[str | None, typer.Option(help="The next_cursor of a previous page.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Search stored items by words and filters, with facet counts. An empty QUERY with
    filters lists the matching items, newest first."""
    from radar.engines import open_search_engine

    if sort not in ("relevance", "newest"):
        raise typer.BadParameter("--sort must be 'relevance' or 'newest'")
    if not 1 <= limit <= MAX_LIMIT:
        raise typer.BadParameter(f"--limit must be between 1 and {MAX_LIMIT}")
    request = SearchQuery(
        text=query,
        jurisdictions=tuple(c.upper() for c in country or ()),
        harm_areas=tuple(harm or ()),
        doc_types=tuple(doc_type or ()),
        sources=tuple(source or ()),
        source_kinds=tuple(source_kind or ()),
        languages=tuple(lang or ()),
        stakeholders=tuple(stakeholder or ()),
        since=_date("--since", since),
        until=_date("--until", until),
        sort="newest" if sort == "newest" or not query.strip() else "relevance",
        limit=limit,
        cursor=cursor,
    )
    engine = open_search_engine(Settings.from_env())
    try:
        result = engine.search(request)
    except QueryError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    except IndexOutdatedError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    finally:
        engine.close()
    if as_json:
        from api.schemas.search import search_response  # the API's wire form

        typer.echo(json.dumps(search_response(result), ensure_ascii=False))
    else:
        typer.echo(_table(result))


def reindex() -> None:
    """Rebuild the search index from the store (beside the live one, then swapped in)."""
    from radar.engines import open_search_engine, open_store

    settings = Settings.from_env()
    store, engine = open_store(settings), open_search_engine(settings)
    try:
        typer.echo(_rebuild(store, engine))
    finally:
        engine.close()
        store.close()


def _rebuild(store: Store, engine: SearchEngine) -> str:
    from index.rebuild import rebuild_index

    return rebuild_index(store, engine).summary()


def check() -> None:
    """Compare the store and the index; report items missing from the index, stale in it, or
    in it but not in the store, and how many of them wait for the index (stored while it could
    not be written). Exit status 1 when they differ."""
    from index.rebuild import compare
    from radar.engines import open_search_engine, open_store

    settings = Settings.from_env()
    store, engine = open_store(settings), open_search_engine(settings)
    try:
        try:
            found = compare(store, engine)
        except IndexOutdatedError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(1) from None
        waiting = store.pending_index_count()
    finally:
        engine.close()
        store.close()
    typer.echo(f"{found.stored} items in the store, {found.indexed} in the index")
    for label, ids in (
        ("missing from the index", found.missing),
        ("stale in the index", found.stale),
        ("not in the store", found.extra),
    ):
        if ids:
            typer.echo(f"{len(ids)} {label}: {', '.join(ids[:10])}{' ...' if len(ids) > 10 else ''}")
    if waiting and (found.missing or found.stale):
        typer.echo(
            f"{waiting} items wait for the index (stored while it could not be written); the next ingest indexes them"
        )
    if not found.agree:
        typer.echo("run `radar reindex` to rebuild the index from the store", err=True)
        raise typer.Exit(1)
    typer.echo("store and index agree")


def store_problem(error: Exception) -> str:
    """A store's failure in a line a person can act on (a locked store's error says it already)."""
    from sqlalchemy.exc import OperationalError

    if not isinstance(error, OperationalError):
        return str(error)
    reason = str(error.orig).strip()
    full = any(sign in reason for sign in ("disk is full", "disk I/O error", "No space left", "File too large"))
    return f"the store could not be written: {reason}" + (" (is the disk full?)" if full else "")


def _table(result: SearchResult) -> str:
    lines = [f"{result.total} items"]
    for hit in result.hits:
        published = hit.published_at.date().isoformat() if hit.published_at else "          "
        tags = ",".join(hit.jurisdictions) or "-"
        lines.append(f"{published}  {tags:<8} {hit.doc_type:<12} {hit.title[:90]}")
        lines.append(f"{'':12}{','.join(hit.harm_areas) or '(off-topic)'}  {hit.url or '(no link)'}")
    for field, counts in result.facets.items():
        top = sorted(counts.items(), key=lambda kv: -kv[1])[:8]
        if top:
            lines.append(f"{field}: " + ", ".join(f"{value} {count}" for value, count in top))
    if result.expanded_terms:
        added = "; ".join(f"{term} + {', '.join(more)}" for term, more in result.expanded_terms.items())
        lines.append(f"also searched: {added}")
    if result.next_cursor:
        lines.append(f"more: --cursor {result.next_cursor}")
    return "\n".join(lines)


def _date(option: str, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{option} must be a date as YYYY-MM-DD, not {value!r}") from None


def open_input(file: Path | None) -> BinaryIO:
    """FILE opened for reading bytes, or standard input for None or '-'."""
    if file is None or str(file) == "-":
        return sys.stdin.buffer
    try:
        return file.open("rb")
    except OSError as exc:
        raise typer.BadParameter(f"cannot read {file}: {exc.strerror}") from None


def register(app: typer.Typer) -> None:
    for command in (ingest, search, reindex, check):
        app.command()(command)
