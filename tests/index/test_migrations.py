"""The Alembic migrations create exactly the tables in `index/store/models.py`, and the store
applies them when it opens."""

from __future__ import annotations

import threading

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from index.store.engine import write_transaction
from index.store.migrate import alembic_config
from index.store.models import metadata
from index.store.sql_store import SqlStore
from tests.index.conftest import StoreEngine, make_item

TABLES = {
    *("alembic_version", "items", "item_versions", "stories", "story_bands", "fetch_state", "source_health"),
    *("users", "login_sessions", "subscriptions", "source_switches", "alerts", "deliveries", "apscheduler_jobs"),
}


def test_models_and_migrations_agree(store: SqlStore) -> None:
    with store.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, metadata) == []


def test_a_fresh_store_is_at_the_latest_revision(store: SqlStore) -> None:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    with store.engine.connect() as conn:
        assert MigrationContext.configure(conn).get_current_revision() == head
        assert set(inspect(conn).get_table_names()) == TABLES


def test_downgrade_removes_everything_and_upgrade_rebuilds_it(store: SqlStore) -> None:
    store.upsert([make_item("a")])
    with write_transaction(store.engine) as conn:
        command.downgrade(alembic_config(conn), "base")
    with store.engine.connect() as conn:
        assert set(inspect(conn).get_table_names()) == {"alembic_version"}

    reopened = SqlStore(store.engine)
    assert reopened.count() == 0
    assert [o.status for o in reopened.upsert([make_item("a")])] == ["new"]


def test_stores_opened_at_once_on_a_fresh_database_both_work(store_engine: StoreEngine) -> None:
    opened: list[SqlStore] = []
    errors: list[BaseException] = []

    def open_store() -> None:
        try:
            opened.append(store_engine.open())
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=open_store) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert [o.status for o in opened[0].upsert([make_item("a")])] == ["new"]
    assert opened[2].get("a") is not None
