"""Bring a store's schema up to date with the Alembic migrations in `migrations/`."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine

from index.store.engine import write_transaction

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic configuration for the store's migrations, bound to `connection` when given
    (else `migrations/env.py` opens the URL passed as `-x url=...`)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def upgrade_to_head(engine: Engine) -> None:
    """Apply every migration the database lacks, in one transaction that holds the write lock,
    so two processes opening a fresh store at once do not both create it."""
    with write_transaction(engine) as conn:
        command.upgrade(alembic_config(conn), "head")
