"""The engine under the store: where SQLite lives and how it is set up; PostgreSQL URLs."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from index.store.engine import create_store_engine, store_url, write_transaction


def test_the_default_is_an_sqlite_file_in_the_data_dir(tmp_path: Path) -> None:
    data_dir = tmp_path / "not" / "yet" / "there"
    engine = create_store_engine(None, data_dir)
    try:
        with engine.connect() as conn:
            conn.execute(text("CREATE TABLE t (x)"))
        assert (data_dir / "store.sqlite3").exists()
    finally:
        engine.dispose()


def test_sqlite_runs_in_wal_mode_with_foreign_keys_and_a_busy_timeout(tmp_path: Path) -> None:
    engine = create_store_engine(None, tmp_path)
    try:
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30_000
    finally:
        engine.dispose()


def test_sqlite_ddl_is_transactional(tmp_path: Path) -> None:
    # sqlite3's legacy mode would commit the CREATE TABLE on its own; the store's migrations
    # rely on a failed step taking the whole upgrade back.
    engine = create_store_engine(None, tmp_path)
    try:
        with pytest.raises(RuntimeError), write_transaction(engine) as conn:
            conn.execute(text("CREATE TABLE t (x)"))
            raise RuntimeError("migration step failed")
        with engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT count(*) FROM sqlite_master WHERE name = 't'").scalar() == 0
    finally:
        engine.dispose()


def test_an_in_memory_sqlite_store_is_one_database(tmp_path: Path) -> None:
    engine = create_store_engine("sqlite://", tmp_path)
    try:
        with engine.begin() as conn:
            conn.execute(text("CREATE TABLE t (x)"))
        with engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT count(*) FROM t").scalar() == 0
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    ("url", "driver"),
    [
        ("postgresql://radar:secret@db.internal/radar", "postgresql+psycopg"),
        ("postgres://radar:secret@db.internal/radar", "postgresql+psycopg"),
        ("postgresql+psycopg://radar@db/radar", "postgresql+psycopg"),
        ("sqlite:////srv/radar/store.sqlite3", "sqlite"),
    ],
)
def test_database_urls(url: str, driver: str) -> None:
    assert store_url(url, Path("ignored")).drivername == driver


def test_other_databases_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unsupported store database 'mysql'"):
        create_store_engine("mysql://radar@db/radar", tmp_path)
