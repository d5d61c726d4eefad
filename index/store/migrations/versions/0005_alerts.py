"""Alerts: the alerts' outbox on items, subscription kinds and unsubscribe keys, what each
subscription was alerted about, deliveries, and the scheduler's job store.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25
"""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD/DROP COLUMN (SQLite 3.35+): a batch copy of `items` would break its foreign keys.
    op.add_column("items", sa.Column("alert_pending", sa.Boolean(), server_default=sa.false(), nullable=False))
    op.create_index(
        "ix_items_alert_pending",
        "items",
        ["id"],
        sqlite_where=sa.text("alert_pending = 1"),
        postgresql_where=sa.text("alert_pending"),
    )
    with op.batch_alter_table("subscriptions") as batch:
        batch.add_column(sa.Column("kind", sa.String(length=16), server_default="search", nullable=False))
        batch.add_column(sa.Column("unsubscribe_key", sa.String(length=64), nullable=True))
    conn = op.get_bind()
    table = sa.table("subscriptions", sa.column("id", sa.Integer()), sa.column("unsubscribe_key", sa.String()))
    for (subscription_id,) in conn.execute(sa.select(table.c.id)).all():
        conn.execute(
            table.update().where(table.c.id == subscription_id).values(unsubscribe_key=secrets.token_urlsafe(24))
        )
    op.create_table(
        "alerts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subscription_id", sa.Integer(), nullable=False),
        sa.Column("story_id", sa.String(length=128), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column(
            "item_id", sa.String(length=64).with_variant(sa.String(64, collation="C"), "postgresql"), nullable=True
        ),
        sa.Column("item_version", sa.Integer(), nullable=True),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("snapshot", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["subscription_id"],
            ["subscriptions.id"],
            name=op.f("fk_alerts_subscription_id_subscriptions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alerts")),
        sa.UniqueConstraint("subscription_id", "story_id", "revision", name=op.f("uq_alerts_subscription_id")),
    )
    op.create_table(
        "deliveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("alert_id", sa.Integer(), nullable=False),
        sa.Column("subscription_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["alert_id"], ["alerts.id"], name=op.f("fk_deliveries_alert_id_alerts"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["subscription_id"],
            ["subscriptions.id"],
            name=op.f("fk_deliveries_subscription_id_subscriptions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deliveries")),
        sa.UniqueConstraint("alert_id", "channel", name=op.f("uq_deliveries_alert_id")),
    )
    op.create_index("ix_deliveries_status", "deliveries", ["status", "next_attempt_at"])
    op.create_index("ix_deliveries_subscription_id", "deliveries", ["subscription_id"])
    op.create_table(
        "apscheduler_jobs",
        sa.Column("id", sa.Unicode(length=191), nullable=False),
        sa.Column("next_run_time", sa.Float(precision=25), nullable=True),
        sa.Column("job_state", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_apscheduler_jobs")),
    )
    op.create_index("ix_apscheduler_jobs_next_run_time", "apscheduler_jobs", ["next_run_time"])


def downgrade() -> None:
    op.drop_table("apscheduler_jobs")
    op.drop_table("deliveries")
    op.drop_table("alerts")
    with op.batch_alter_table("subscriptions") as batch:
        batch.drop_column("unsubscribe_key")
        batch.drop_column("kind")
    op.drop_index("ix_items_alert_pending", table_name="items")
    op.execute("ALTER TABLE items DROP COLUMN alert_pending")
