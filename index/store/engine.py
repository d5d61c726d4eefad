"""The SQLAlchemy engine under the store: SQLite by default, PostgreSQL (psycopg 3) when given a URL."""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, make_url, pool, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import OperationalError

SQLITE_FILE_NAME = "store.sqlite3"
# Writers wait this long for each other before giving up ("database is locked").
BUSY_TIMEOUT_MS = 30_000
# Any constant shared by every writer: PostgreSQL writers queue on it as SQLite writers queue on the file.
_PG_WRITE_LOCK_KEY = 0x7261646172  # "radar"

_json_serializer = functools.partial(json.dumps, ensure_ascii=False, separators=(",", ":"))


class StoreLockedError(RuntimeError):
    """Another process held the store's write lock for longer than a writer waits for it."""


def store_url(database_url: str | None, data_dir: Path) -> URL:
    """The URL the store opens: `database_url` when given (a bare `postgresql://` means psycopg 3),
    else an SQLite file in `data_dir`."""
    if not database_url:
        return URL.create("sqlite+pysqlite", database=str(Path(data_dir) / SQLITE_FILE_NAME))
    url = make_url(database_url)
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    return url


def create_store_engine(database_url: str | None, data_dir: Path, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> Engine:
    """An engine for the store. SQLite gets WAL, foreign keys, a busy timeout (how long a writer
    waits for another's lock) and real transactions (BEGIN on every transaction, so DDL and
    SELECTs are transactional too); its directory is created."""
    url = store_url(database_url, data_dir)
    if url.get_backend_name() == "sqlite":
        return _sqlite_engine(url, busy_timeout_ms)
    if url.get_backend_name() == "postgresql":
        return create_engine(url, pool_pre_ping=True, json_serializer=_json_serializer)
    raise ValueError(f"unsupported store database {url.get_backend_name()!r}: use sqlite or postgresql")


def _sqlite_engine(url: URL, busy_timeout_ms: int) -> Engine:
    in_memory = url.database in (None, "", ":memory:")
    if not in_memory:
        Path(url.database or "").parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        url,
        json_serializer=_json_serializer,
        # One shared connection, or every pooled connection would see its own empty database.
        **({"poolclass": pool.StaticPool, "connect_args": {"check_same_thread": False}} if in_memory else {}),
    )

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection: Any, _record: Any) -> None:
        # sqlite3's legacy mode would start transactions late and commit DDL on its own.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in (
            "journal_mode=WAL",
            "synchronous=NORMAL",  # with WAL: a process crash loses nothing committed
            "foreign_keys=ON",
            f"busy_timeout={int(busy_timeout_ms)}",
            "cache_size=-65536",  # 64 MiB
        ):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        # A writer takes the write lock up front: upgrading a read transaction later can fail
        # at once with "database is locked" instead of waiting its turn.
        writing = conn.get_execution_options().get("radar_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")

    return engine


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """A connection in a transaction that holds the store's write lock until it commits or rolls
    back, on both engines, so writers never interleave their reads and writes. Raises
    StoreLockedError when SQLite's lock stayed with another process past the busy timeout."""
    with engine.connect().execution_options(radar_write=True) as conn:
        try:
            transaction = conn.begin()  # SQLite: BEGIN IMMEDIATE, which waits up to the busy timeout
        except OperationalError as error:
            if "database is locked" not in str(error.orig):
                raise
            waited = conn.exec_driver_sql("PRAGMA busy_timeout").scalar() or 0
            raise StoreLockedError(
                f"The store {engine.url.database} is locked by another process: it held the write lock for "
                f"longer than {waited / 1000:g} s. Another radar (ingest, crawl, import, up) or a tool with the "
                "database open is writing to it; let it finish or stop it, then run this again."
            ) from error
        with transaction:
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_WRITE_LOCK_KEY})
            yield conn
