"""Ingest at scale with the store on PostgreSQL: `make bench` (issue 8's load figures).

RADAR_BENCH_ITEMS_PG synthetic items (default 1,000,000; bench/synthetic_items.py, as the index
bench's) go through `radar ingest`'s own pipeline (bench/index_speed.ingest_child: the real
Tagger in its second process, the store, the tantivy index) into a fresh database made for the
run on the PostgreSQL server at RADAR_BENCH_DATABASE_URL (else RADAR_TEST_DATABASE_URL, as
`scripts/ci-postgres.sh` prints it; the role needs CREATEDB or to own the server, as there). The
database is dropped at the end. Without a server the bench says so and measures nothing.

Figures: items per second over the whole run and over each tenth of it (does the rate hold as the
tables grow?), time per stage, the ingest's peak memory with its tagging process, the database's
and the index's size, and whether store and index hold the same items afterwards. One run: at
about 25 minutes per million items it is the longest of the benches, so its figures are one
sample on a shared machine. They go to bench/results/postgres_ingest.json.
"""

from __future__ import annotations

import os
import secrets
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import sqlalchemy
import sqlalchemy.exc
from sqlalchemy.engine import make_url

from bench.measuring import child, disk_mb, memory_text, save_figures
from bench.synthetic_items import WORDS, write_ingest_lines

ITEMS = 1_000_000


def server_url() -> str | None:
    return os.environ.get("RADAR_BENCH_DATABASE_URL") or os.environ.get("RADAR_TEST_DATABASE_URL")


def fresh_database(url: str) -> str:
    """A new, empty database on `url`'s server; its URL."""
    name = f"radar_bench_{secrets.token_hex(4)}"
    admin = sqlalchemy.create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(sqlalchemy.text(f"CREATE DATABASE {name} ENCODING 'UTF8' TEMPLATE template0"))
    except sqlalchemy.exc.ProgrammingError as error:
        where = make_url(url).render_as_string(hide_password=True)
        sys.exit(f"bench: cannot make a database for the run on {where} ({error.orig}); the role needs CREATEDB")
    finally:
        admin.dispose()
    return make_url(url).set(database=name).render_as_string(hide_password=False)


def drop_database(url: str, database_url: str) -> None:
    name = make_url(database_url).database
    admin = sqlalchemy.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sqlalchemy.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    admin.dispose()


def afterwards(database_url: str, data_dir: Path) -> dict[str, float]:
    """The store's and the index's item counts and sizes, read by a fresh process's handles."""
    from index.records import SearchQuery
    from radar.engines import open_search_engine, open_store
    from radar.settings import Settings

    settings = Settings(data_dir=data_dir, database_url=database_url, elasticsearch_url=None)
    store, engine = open_store(settings), open_search_engine(settings)
    try:
        figures: dict[str, float] = {
            "stored": store.count(),
            "indexed": engine.search(SearchQuery()).total,
            "waiting_for_index": store.pending_index_count(),
        }
    finally:
        engine.close()
        store.close()
    database = sqlalchemy.create_engine(database_url)
    with database.connect() as connection:
        figures["database_mb"] = (
            connection.execute(sqlalchemy.text("SELECT pg_database_size(current_database())")).scalar_one() / 2**20
        )
    database.dispose()
    figures["index_mb"] = disk_mb(data_dir)
    return figures


def block_rates(marks: list[list[float]]) -> list[float]:
    """Items per second within each stretch between two marks (the first from the start)."""
    rates, before_count, before_s = [], 0.0, 0.0
    for count, seconds in marks:
        rates.append((count - before_count) / (seconds - before_s))
        before_count, before_s = count, seconds
    return rates


def main() -> None:
    url = server_url()
    if not url:
        print(
            "ingest with the store on PostgreSQL: not measured (no server: set RADAR_BENCH_DATABASE_URL, "
            'or run eval "$(scripts/ci-postgres.sh)" first)'
        )
        return
    count = int(os.environ.get("RADAR_BENCH_ITEMS_PG") or ITEMS)
    workdir = Path(tempfile.mkdtemp(prefix="radar-bench-pg-"))
    database_url = fresh_database(url)
    began = time.perf_counter()
    try:
        items = write_ingest_lines(workdir / "items.jsonl", count)
        data_dir = workdir / "data"
        run = child("ingest-child", str(items), str(count), str(data_dir), "", database_url)
        figures: dict[str, Any] = {"items": count, "run": run, **afterwards(database_url, data_dir)}
    finally:
        drop_database(url, database_url)
        shutil.rmtree(workdir, ignore_errors=True)
    figures["block_rates"] = block_rates(run["marks"])
    figures["bench_s"] = time.perf_counter() - began
    save_figures("postgres_ingest", figures)
    print(report(figures))


def report(figures: dict[str, Any]) -> str:
    run, rates = figures["run"], figures["block_rates"]
    stages = ", ".join(f"{name} {seconds / run['seconds']:.0%}" for name, seconds in run["stages_s"].items())
    blocks = ", ".join(f"{rate:,.0f}" for rate in rates)
    same = figures["stored"] == figures["indexed"] == figures["items"] and figures["waiting_for_index"] == 0
    return "\n".join(
        [
            f"ingest end to end with the store on PostgreSQL (tag, store, index; tantivy): {figures['items']:,} items "
            f"of {WORDS} words in {run['seconds'] / 60:.1f} min, {run['items_per_s']:,.0f} items/s (one run); "
            f"time: {stages}",
            f"  items/s in each tenth ({int(run['marks'][0][0]):,} items), first to last: {blocks}",
            f"  peak resident memory (VmHWM): {memory_text(run)}; "
            f"PostgreSQL database {figures['database_mb']:,.0f} MB, index {figures['index_mb']:,.0f} MB; "
            f"{run['report']}",
            f"  afterwards: {figures['stored']:,} stored, {figures['indexed']:,} indexed, "
            f"{figures['waiting_for_index']:,} waiting for the index ({'all there' if same else 'MISSING ITEMS'})",
        ]
    )


if __name__ == "__main__":
    main()
