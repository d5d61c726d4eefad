"""The store under faults: a lock held by another process, a connection killed, a disk that fills
up, an import killed half-way. Each ends with nothing lost, nothing stored twice, and an error
that says what happened.

Elsewhere: a killed `radar ingest` (tests/index/test_ingest.py), a killed crawl pass
(tests/crawlers/test_crawl_faults.py), a killed delivery (tests/alerts/test_alert_runs.py), an
index that cannot be written (tests/index/test_index_down.py)."""

from __future__ import annotations

import json
import os
import resource
import signal
import sqlite3
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, make_url, select, text

from index.ingest import Ingester, IngestReport, read_ingest_lines
from index.search.tantivy_engine import TantivyEngine
from index.store.engine import SQLITE_FILE_NAME, StoreLockedError, create_store_engine, store_url
from index.store.models import item_versions
from index.store.sql_store import SqlStore
from index.store.transfer import KINDS, export_lines
from nlp.tagger import Tagger
from tests.index.conftest import StoreEngine, article, make_item
from tests.index.test_ingest import wait_until

ROOT = Path(__file__).resolve().parents[2]


def item_lines(count: int, words: int = 120) -> list[bytes]:
    """Ingest lines of distinct articles (none a near-duplicate of another)."""
    return [
        json.dumps(
            {"url": f"https://www.example.gov.au/news/{n}", "title": f"Notice {n}", "text": article(n, words)}
        ).encode()
        + b"\n"
        for n in range(count)
    ]


def versions_per_item(store: SqlStore) -> set[int]:
    with store.engine.connect() as conn:
        query = select(func.count()).select_from(item_versions).group_by(item_versions.c.item_id)
        return set(conn.execute(query).scalars())


def radar(env: dict[str, str], *args: str, **options) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "radar.cli", *args], env=env, cwd=ROOT, capture_output=True, timeout=600, **options
    )


def radar_env(store_engine: StoreEngine) -> dict[str, str]:
    env = {**os.environ, "RADAR_DATA_DIR": str(store_engine.data_dir)}
    env.pop("RADAR_ELASTICSEARCH_URL", None)
    if store_engine.url:
        env["RADAR_DATABASE_URL"] = store_engine.url
    else:
        env.pop("RADAR_DATABASE_URL", None)
    return env


# -- SQLite's write lock held by another process --------------------------------------------------


@pytest.fixture
def sqlite_holder(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    """A connection of its own on the store's file (as another process would have): the test
    takes and releases the write lock with it."""
    SqlStore.open(None, tmp_path).close()  # the schema, before anyone holds the lock
    holder = sqlite3.connect(tmp_path / SQLITE_FILE_NAME, isolation_level=None, check_same_thread=False)
    yield holder
    holder.close()


def test_a_writer_waits_for_a_lock_held_a_while_then_writes(tmp_path, sqlite_holder):
    store = SqlStore.open(None, tmp_path)  # the shipped busy timeout: 30 s
    sqlite_holder.execute("BEGIN IMMEDIATE")
    with ThreadPoolExecutor(1) as pool:
        writing = pool.submit(store.upsert, [make_item("a")])
        threading.Event().wait(1.0)  # the other process keeps the lock for about a second
        assert not writing.done()  # the writer is waiting, not failing
        sqlite_holder.execute("COMMIT")
        [outcome] = writing.result(timeout=30)
    assert outcome.status == "new"
    assert store.count() == 1
    store.close()


def test_a_lock_held_past_the_busy_timeout_is_a_clear_error_and_loses_nothing(tmp_path, sqlite_holder):
    store = SqlStore(create_store_engine(None, tmp_path, busy_timeout_ms=200))
    sqlite_holder.execute("BEGIN IMMEDIATE")
    with pytest.raises(StoreLockedError) as locked:
        store.upsert([make_item("a")])
    message = str(locked.value)
    assert f"The store {tmp_path / SQLITE_FILE_NAME} is locked by another process" in message
    assert "longer than 0.2 s" in message and "let it finish or stop it, then run this again" in message
    sqlite_holder.execute("COMMIT")
    store.upsert([make_item("a"), make_item("b")])  # the same batch again, once the lock is free
    assert store.count() == 2 and versions_per_item(store) == {1}
    store.close()


# -- PostgreSQL: a connection killed by the server ------------------------------------------------


def test_a_postgresql_connection_killed_mid_run_is_replaced_and_the_run_completes(store_engine, tmp_path):
    if store_engine.name != "postgresql":
        pytest.skip("a PostgreSQL fault")
    name = f"radar-fault-{uuid.uuid4().hex[:8]}"
    url = make_url(store_engine.url).update_query_dict({"application_name": name})
    store = SqlStore.open(url.render_as_string(hide_password=False), tmp_path)
    admin = create_engine(store_url(store_engine.url, tmp_path))
    ours = text("SELECT pid FROM pg_stat_activity WHERE application_name = :name")
    killed: list[int] = []

    def connections_named() -> list[int]:
        with admin.connect() as conn:
            return list(conn.execute(ours, {"name": name}).scalars())

    def lines() -> Iterator[bytes]:
        all_lines = item_lines(12)
        yield from all_lines[:8]  # two batches stored, and their connection back in the pool
        killed.extend(connections_named())
        with admin.connect() as conn:
            for pid in killed:
                conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        assert wait_until(lambda: not connections_named(), 10)
        yield from all_lines[8:]

    engine = TantivyEngine(tmp_path / "index")
    report = IngestReport()
    Ingester(Tagger(), store, engine, batch_size=4).ingest(read_ingest_lines(lines(), report), report)
    assert killed, "no connection of the store was found to kill"
    assert (report.new, report.rejected) == (12, [])
    assert store.count() == 12 and versions_per_item(store) == {1}
    assert store.pending_index_count() == 0 and dict(engine.fingerprints()) == dict(store.fingerprints())
    engine.close()
    store.close()
    admin.dispose()


# -- a full disk ------------------------------------------------------------------------------------


def file_size_limit(limit_bytes: int):
    """For a child process: no file may grow past `limit_bytes`; a write beyond fails with EFBIG,
    as on a full disk (SIGXFSZ ignored, or it would kill the process instead)."""

    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit_bytes, limit_bytes))

    return limit


def test_a_disk_that_fills_up_during_ingest_stops_it_clearly_and_a_rerun_completes_it(tmp_path):
    items = tmp_path / "items.jsonl"
    items.write_bytes(b"".join(item_lines(1500)))
    env = {**os.environ, "RADAR_DATA_DIR": str(tmp_path / "data")}
    env.pop("RADAR_DATABASE_URL", None)
    env.pop("RADAR_ELASTICSEARCH_URL", None)

    full = radar(env, "ingest", str(items), preexec_fn=file_size_limit(2_000_000))
    assert full.returncode == 1
    errors = full.stderr.decode()
    assert "Error: the store could not be written: " in errors and "(is the disk full?)" in errors
    assert "the same ingest run again completes it" in errors
    assert "Traceback" not in errors
    store = SqlStore.open(None, tmp_path / "data")
    stored_before = store.count()
    assert 0 < stored_before < 1500  # the batches before the failure stay; the failing one rolled back
    assert stored_before % 256 == 0
    store.close()

    again = radar(env, "ingest", str(items))
    assert again.returncode == 0, again.stderr.decode()
    assert again.stdout.decode().startswith(f"{1500 - stored_before} new, 0 updated, {stored_before} unchanged")
    store = SqlStore.open(None, tmp_path / "data")
    assert store.count() == 1500 and versions_per_item(store) == {1}
    store.close()
    check = radar(env, "check")
    assert check.returncode == 0, check.stdout.decode()


# -- an import killed half-way --------------------------------------------------------------------


def test_an_import_killed_half_way_leaves_the_store_empty_and_can_be_run_again(store_engine, tmp_path):
    origin = SqlStore.open(None, tmp_path / "origin")
    for start in range(0, 600, 200):
        origin.upsert([make_item(f"item-{n:04d}", text=article(n, 400)) for n in range(start, start + 200)])
    export = tmp_path / "store.jsonl"
    export.write_text("".join(line + "\n" for line in export_lines(origin.engine)), encoding="utf-8")
    origin.close()
    lines = export.read_bytes().splitlines(keepends=True)
    half = b"".join(lines[: len(lines) // 2])
    assert len(half) > 1_000_000  # far more than a pipe holds: written, it has been read and imported

    env = radar_env(store_engine)
    run = subprocess.Popen([sys.executable, "-m", "radar.cli", "import", "-"], env=env, cwd=ROOT, stdin=subprocess.PIPE)
    try:
        assert run.stdin is not None
        run.stdin.write(half)
        run.stdin.flush()
        run.send_signal(signal.SIGKILL)
    finally:
        run.wait(timeout=60)
        run.stdin.close()  # type: ignore[union-attr]
    assert run.returncode == -signal.SIGKILL

    store = store_engine.open()
    with store.engine.connect() as conn:
        assert all(conn.execute(select(func.count()).select_from(kind.table)).scalar_one() == 0 for kind in KINDS)
    done = radar(env, "import", str(export))
    assert done.returncode == 0, done.stderr.decode()
    assert store.count() == 600 and versions_per_item(store) == {1}
    assert radar(env, "export").stdout == export.read_bytes()
