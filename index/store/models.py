"""The store's tables (SQLAlchemy Core). The Alembic migrations create exactly these; a test checks it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    Unicode,
    UniqueConstraint,
    false,
    true,
)
from sqlalchemy.types import TypeDecorator

ID_LENGTH = 64


def _id_type() -> String:
    # Byte order ("C") on PostgreSQL, as SQLite compares: "in id order" means the same on both.
    return String(ID_LENGTH).with_variant(String(ID_LENGTH, collation="C"), "postgresql")


metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_name)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


class UtcDateTime(TypeDecorator[dt.datetime]):
    """An aware UTC datetime on every engine: naive input is taken as UTC, output is always aware.
    (SQLite keeps no time zone, so it stores naive UTC.)"""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        value = value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


stories = Table(
    "stories",
    metadata,
    Column("id", _id_type(), primary_key=True),
    Column("first_seen_at", UtcDateTime(), nullable=False),
    # The item that started the story; its id is also the story's id.
    Column("representative_item_id", _id_type(), nullable=False),
)

items = Table(
    "items",
    metadata,
    Column("id", _id_type(), primary_key=True),
    Column("url", Text(), nullable=False),
    Column("title", Text(), nullable=False),
    Column("text", Text(), nullable=False),
    Column("language", String(16), nullable=False),
    Column("source", Text(), nullable=True),
    Column("source_kind", String(32), nullable=True),
    Column("published_at", UtcDateTime(), nullable=True),
    Column("fetched_at", UtcDateTime(), nullable=False),  # of the latest version
    Column("first_fetched_at", UtcDateTime(), nullable=False),  # of the first version
    Column("content_hash", String(128), nullable=False),
    Column("harm_areas", JSON(), nullable=False),
    Column("jurisdictions", JSON(), nullable=False),
    Column("mentioned_jurisdictions", JSON(), nullable=False),
    Column("doc_type", String(64), nullable=False),
    Column("stakeholders", JSON(), nullable=False),
    Column("dates", JSON(), nullable=False),
    Column("evidence", JSON(), nullable=False),
    Column("story_id", _id_type(), ForeignKey("stories.id"), nullable=False),
    Column("version", Integer(), nullable=False),
    # The outbox: set with every new or changed version, cleared once the search index has it.
    Column("index_pending", Boolean(), nullable=False),
    # MinHash of the latest version's shingles; NULL when too short to compare.
    Column("minhash", LargeBinary(), nullable=True),
    # The alerts' outbox: set with index_pending, cleared when the alerts have matched the version.
    Column("alert_pending", Boolean(), nullable=False, server_default=false()),
    Index("ix_items_story_id", "story_id"),
)
# Only the few pending rows are indexed, so the outbox query stays cheap however large the store.
# (Each engine's predicate is spelled as its queries spell `WHERE index_pending`, or SQLite skips it.)
Index(
    "ix_items_index_pending",
    items.c.id,
    sqlite_where=items.c.index_pending == true(),
    postgresql_where=items.c.index_pending,
)
Index(
    "ix_items_alert_pending",
    items.c.id,
    sqlite_where=items.c.alert_pending == true(),
    postgresql_where=items.c.alert_pending,
)

item_versions = Table(
    "item_versions",
    metadata,
    Column("item_id", _id_type(), ForeignKey("items.id"), primary_key=True),
    Column("version", Integer(), primary_key=True),
    Column("fetched_at", UtcDateTime(), nullable=False),
    Column("content_hash", String(128), nullable=False),
    Column("title", Text(), nullable=False),
    Column("text", Text(), nullable=False),
    # The version's tags without their evidence: {"harm_areas": [...], "jurisdictions": [...], ...}
    Column("tags", JSON(), nullable=False),
)

# LSH bands of each item's MinHash: items sharing a band are candidate near-duplicates.
story_bands = Table(
    "story_bands",
    metadata,
    Column("band", BigInteger(), primary_key=True),
    Column("item_id", _id_type(), ForeignKey("items.id"), primary_key=True),
    sqlite_with_rowid=False,
)

# What the crawlers keep between passes (crawlers/state.py).
# Per URL fetched: the validators for a conditional GET, and the hash of what it last held.
fetch_state = Table(
    "fetch_state",
    metadata,
    Column("url", Text(), primary_key=True),
    Column("source_id", String(64), nullable=False),
    Column("etag", Text(), nullable=True),
    Column("last_modified", Text(), nullable=True),
    Column("content_hash", String(64), nullable=True),
    Column("fetched_at", UtcDateTime(), nullable=False),
)

# Per source: how its last passes went.
source_health = Table(
    "source_health",
    metadata,
    Column("source_id", String(64), primary_key=True),
    Column("last_attempt_at", UtcDateTime(), nullable=False),
    Column("last_success_at", UtcDateTime(), nullable=True),
    Column("last_error_at", UtcDateTime(), nullable=True),
    Column("last_error_class", String(32), nullable=True),  # dns, timeout, tls, blocked, not_found, ...
    Column("last_error", Text(), nullable=True),
    Column("consecutive_failures", Integer(), nullable=False),
    Column("last_new_item_at", UtcDateTime(), nullable=True),
)

# Who may use the tracker (api/access.py): a name, a role, and the SHA-256 of their API token.
users = Table(
    "users",
    metadata,
    Column("id", Integer(), primary_key=True),
    Column("name", String(100), nullable=False, unique=True),
    Column("role", String(16), nullable=False),  # viewer, editor, admin
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", UtcDateTime(), nullable=False),
)

# The web page's login sessions: the SHA-256 of the cookie's value, never the value.
login_sessions = Table(
    "login_sessions",
    metadata,
    Column("id_hash", String(64), primary_key=True),
    Column("user_id", Integer(), ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("expires_at", UtcDateTime(), nullable=False),
)

# Saved searches that alert their owner (index/store/subscriptions.py; delivered by alerts/).
subscriptions = Table(
    "subscriptions",
    metadata,
    Column("id", Integer(), primary_key=True),
    Column("owner_id", Integer(), ForeignKey("users.id", ondelete="CASCADE"), nullable=True, index=True),
    Column("name", String(200), nullable=False),
    Column("query", Text(), nullable=False),
    # {"jurisdictions": [...], "harm_areas": [...], "doc_types": [...], "source_kinds": [...], "languages": [...]}
    Column("filters", JSON(), nullable=False),
    Column("channels", JSON(), nullable=False),  # ["email:lead@example.org", "webhook:https://...", ...]
    Column("cadence", String(16), nullable=False),  # instant, daily, weekly
    Column("digest_time", String(5), nullable=False),  # HH:MM, local to time_zone
    Column("time_zone", String(64), nullable=False),  # IANA name, e.g. Asia/Singapore
    Column("created_at", UtcDateTime(), nullable=False),
    # search: items matching the query and filters; trend: a surge of items on its filters.
    Column("kind", String(16), nullable=False, server_default="search"),
    # The secret in its unsubscribe links (it only lets the holder stop this subscription).
    Column("unsubscribe_key", String(64), nullable=True),
)

# What each subscription was alerted about: at most one row per (subscription, story) and
# revision; a story alerts again (revision + 1) only when it changed materially.
alerts = Table(
    "alerts",
    metadata,
    Column("id", Integer(), primary_key=True),
    Column("subscription_id", Integer(), ForeignKey("subscriptions.id", ondelete="CASCADE"), nullable=False),
    Column("story_id", String(128), nullable=False),  # or "trend:<harm>:<country>:<day>" for a surge
    Column("revision", Integer(), nullable=False),
    Column("kind", String(16), nullable=False),  # new, changed, trend, health, reminder
    Column("item_id", _id_type(), nullable=True),
    Column("item_version", Integer(), nullable=True),
    # Why it matched: {"terms": [...], "tags": {"jurisdictions": [...], ...}, "items": [...]}.
    Column("reasons", JSON(), nullable=False),
    Column("changes", JSON(), nullable=False),  # what changed since the last alert, in words
    # The tags alerted on, to tell a material change next time.
    Column("snapshot", JSON(), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    UniqueConstraint("subscription_id", "story_id", "revision"),
)

# Each alert on each of its subscription's channels: pending until due, sending while leased
# to a sender, then sent, or failed (retried with backoff) and finally abandoned.
deliveries = Table(
    "deliveries",
    metadata,
    Column("id", Integer(), primary_key=True),
    Column("alert_id", Integer(), ForeignKey("alerts.id", ondelete="CASCADE"), nullable=False),
    Column("subscription_id", Integer(), ForeignKey("subscriptions.id", ondelete="CASCADE"), nullable=False),
    Column("channel", Text(), nullable=False),
    Column("status", String(16), nullable=False),
    Column("due_at", UtcDateTime(), nullable=False),  # now for instant, the next digest for the others
    Column("attempts", Integer(), nullable=False),
    Column("next_attempt_at", UtcDateTime(), nullable=False),
    Column("lease_until", UtcDateTime(), nullable=True),
    Column("last_error", Text(), nullable=True),
    Column("sent_at", UtcDateTime(), nullable=True),
    UniqueConstraint("alert_id", "channel"),
    Index("ix_deliveries_status", "status", "next_attempt_at"),
    Index("ix_deliveries_subscription_id", "subscription_id"),
)

# APScheduler's job store (scheduler/), declared here so the migrations create it like the rest;
# the shape is APScheduler 3's SQLAlchemyJobStore table.
apscheduler_jobs = Table(
    "apscheduler_jobs",
    metadata,
    Column("id", Unicode(191), primary_key=True),
    Column("next_run_time", Float(25), index=True),
    Column("job_state", LargeBinary(), nullable=False),
)

# Sources an editor paused or resumed from the web page or the API: these win over the
# registry's `enabled` (crawlers/state.py).
source_switches = Table(
    "source_switches",
    metadata,
    Column("source_id", String(64), primary_key=True),
    Column("enabled", Boolean(), nullable=False),
    Column("changed_by", String(100), nullable=False),
    Column("changed_at", UtcDateTime(), nullable=False),
)
