"""Alembic environment for the store.

The store runs `upgrade head` itself when it opens (`index.store.migrate.upgrade_to_head`). To write
a new migration after changing `index/store/models.py`, from the repository root:

    alembic -c index/store/alembic.ini -x url=sqlite:///data/store.sqlite3 revision --autogenerate -m "what changed"
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy import Connection

from index.store.engine import create_store_engine, write_transaction
from index.store.models import UtcDateTime, metadata


def _render_type(type_: str, obj: Any, _context: AutogenContext) -> str | Literal[False]:
    # Migrations spell out the column type, so they never import the models they predate.
    if type_ == "type" and isinstance(obj, UtcDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=True,  # SQLite alters tables by copying them
        compare_type=True,
        render_item=_render_type,
    )
    with context.begin_transaction():
        context.run_migrations()


def _main() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = context.get_x_argument(as_dictionary=True).get("url")
    if not url:
        raise SystemExit("alembic: pass the store's database URL as -x url=...")
    engine = create_store_engine(url, Path("."))
    try:
        with write_transaction(engine) as conn:
            _run(conn)
    finally:
        engine.dispose()


_main()
