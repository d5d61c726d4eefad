"""Moving a whole store to another database as JSON Lines (`radar export`, `radar import`).

Format version 1: one JSON object a line, each with a "type".
- The first line is the header: {"type": "header", "format": "policy-radar-store", "version": 1,
  "schema": the store's Alembic revision}.
- Then the rows of each table, a record per row with the row's columns by name, in an order
  that satisfies the foreign keys: user, story, item, item_version, subscription, alert,
  delivery, source_switch, source_health, fetch_state. Times are ISO 8601 in UTC, bytes base64.
- The last line is {"type": "end", "counts": {type: records}}: a file cut short has none, and
  is refused rather than half imported.

Left out: login sessions (moving the store logs everyone out), items' marks for the search index
(every imported item waits for it), the story bands (recomputed from each item's MinHash) and the
scheduler's jobs (planned again from the registry). Users keep their token hashes; tokens
themselves are never stored anywhere.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Connection,
    Engine,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    func,
    insert,
    select,
    text,
)
from sqlalchemy.exc import DBAPIError

from index.store.engine import write_transaction
from index.store.models import (
    UtcDateTime,
    alerts,
    deliveries,
    fetch_state,
    item_versions,
    items,
    source_health,
    source_switches,
    stories,
    subscriptions,
    users,
)
from index.store.stories import Sketch
from index.store.story_index import add_bands

FORMAT = "policy-radar-store"
VERSION = 1
BATCH_ROWS = 1000


@dataclass(frozen=True)
class Kind:
    """A type of record: the table it comes from and the columns it carries."""

    name: str
    table: Table
    left_out: tuple[str, ...] = ()

    @property
    def columns(self) -> list[Column[Any]]:
        return [column for column in self.table.columns if column.name not in self.left_out]


# In foreign-key order: a record only refers to records above it.
KINDS = (
    Kind("user", users),
    Kind("story", stories),
    Kind("item", items, left_out=("index_pending",)),
    Kind("item_version", item_versions),
    Kind("subscription", subscriptions),
    Kind("alert", alerts),
    Kind("delivery", deliveries),
    Kind("source_switch", source_switches),
    Kind("source_health", source_health),
    Kind("fetch_state", fetch_state),
)
_BY_NAME = {kind.name: kind for kind in KINDS}


class TransferError(ValueError):
    """An export that cannot be imported, or a store that cannot take it; says where and why."""


# -- export ------------------------------------------------------------------------------------


def export_lines(engine: Engine) -> Iterator[str]:
    """The store as JSON Lines (without line ends), read in one transaction, so the export is
    one consistent moment of a store that writers keep changing."""
    with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            yield _line({"type": "header", "format": FORMAT, "version": VERSION, "schema": schema_revision(conn)})
            counts = {}
            for kind in KINDS:
                counts[kind.name] = 0
                for row in conn.execute(_in_key_order(conn, kind)).mappings():
                    counts[kind.name] += 1
                    yield _line({"type": kind.name, **{c.name: _encode(c, row[c.name]) for c in kind.columns}})
            yield _line({"type": "end", "counts": counts})


def schema_revision(conn: Connection) -> str:
    return str(conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one())


def _in_key_order(conn: Connection, kind: Kind) -> Any:
    # Byte order on both engines (PostgreSQL's default collation sorts text otherwise), so an
    # export of an imported store is line for line the export it came from.
    postgresql = conn.dialect.name == "postgresql"
    keys = [
        column.collate("C") if postgresql and isinstance(column.type, (String, Text)) else column
        for column in kind.table.primary_key.columns
    ]
    return select(*kind.columns).order_by(*keys).execution_options(yield_per=BATCH_ROWS)


def _line(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


def _encode(column: Column[Any], value: Any) -> Any:
    if value is None:
        return None
    if isinstance(column.type, UtcDateTime):
        return value.isoformat()
    if isinstance(column.type, LargeBinary):
        return base64.b64encode(value).decode("ascii")
    return value


# -- import ------------------------------------------------------------------------------------


def import_lines(engine: Engine, lines: Iterable[bytes]) -> dict[str, int]:
    """Import an export into this store, which must be empty, in one transaction: on any error
    (a malformed line, named by number; a file cut short; a row the database refuses) nothing
    is imported. Ids are kept; every item is marked as waiting for the search index. Returns
    the records imported by type."""
    with write_transaction(engine) as conn:
        _refuse_unless_empty(conn)
        reader = _Reader(conn)
        for number, raw in enumerate(lines, start=1):
            if raw.strip():
                reader.take(number, raw)
        reader.finish()
        _restart_id_sequences(conn)
    return reader.counts


class _Reader:
    """Checks each line and writes its rows in batches, in the order they come."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.counts: dict[str, int] = {}
        self.header_seen = False
        self.end: dict[str, Any] | None = None
        self.batch: list[dict[str, Any]] = []
        self.batch_kind: Kind | None = None
        self.batch_lines: tuple[int, int] = (0, 0)

    def take(self, number: int, raw: bytes) -> None:
        try:
            record = json.loads(raw)
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise TransferError(f"line {number}: not a JSON record ({error})") from None
        if not isinstance(record, dict) or not isinstance(record.get("type"), str):
            raise TransferError(f'line {number}: not a record (a JSON object with a "type")')
        if self.end is not None:
            raise TransferError(f"line {number}: a record after the end record")
        if not self.header_seen:
            self._header(number, record)
        elif record["type"] == "end":
            self.flush()
            self._end(number, record)
        elif record["type"] in _BY_NAME:
            kind = _BY_NAME[record["type"]]
            if kind is not self.batch_kind or len(self.batch) >= BATCH_ROWS:
                self.flush()
                self.batch_kind, self.batch_lines = kind, (number, number)
            self.batch.append(_row(kind, record, number))
            self.batch_lines = (self.batch_lines[0], number)
            self.counts[kind.name] = self.counts.get(kind.name, 0) + 1
        else:
            raise TransferError(f"line {number}: unknown record type {record['type']!r}")

    def _header(self, number: int, record: dict[str, Any]) -> None:
        if record.get("type") != "header" or record.get("format") != FORMAT:
            raise TransferError(f"line {number}: not a radar export (its first line is no {FORMAT} header)")
        if record.get("version") != VERSION:
            version = record.get("version")
            raise TransferError(f"line {number}: export format version {version!r}; this radar reads {VERSION}")
        revision = schema_revision(self.conn)
        if record.get("schema") != revision:
            raise TransferError(
                f"line {number}: the export is of store schema {record.get('schema')!r} and this store is at "
                f"{revision!r}: import it with the radar version that exported it, or export it again with this one"
            )
        self.header_seen = True

    def _end(self, number: int, record: dict[str, Any]) -> None:
        expected = record.get("counts")
        found = {kind.name: self.counts.get(kind.name, 0) for kind in KINDS}
        if expected != found:
            raise TransferError(f"line {number}: the end record counts {expected}, but the file holds {found}")
        self.end = record

    def flush(self) -> None:
        kind, rows = self.batch_kind, self.batch
        if kind is None or not rows:
            return
        first, last = self.batch_lines
        try:
            self.conn.execute(insert(kind.table), rows)
            if kind.table is items:  # the bands that group later items with these into stories
                add_bands(self.conn, {row["id"]: Sketch.from_bytes(row["minhash"]) for row in rows if row["minhash"]})
        except DBAPIError as error:
            reason = str(error.orig).strip().splitlines()[0]
            raise TransferError(
                f"lines {first}-{last} ({kind.name} records): the database refused them: {reason}"
            ) from None
        self.batch = []

    def finish(self) -> None:
        if not self.header_seen:
            raise TransferError("the file is empty: no header line")
        if self.end is None:
            raise TransferError("the file ends before its end record: it was cut short (an export that stopped?)")


def _row(kind: Kind, record: dict[str, Any], number: int) -> dict[str, Any]:
    """The table row a record holds, every value checked against its column."""
    given = set(record) - {"type"}
    expected = {column.name for column in kind.columns}
    if given != expected:
        missing, unknown = sorted(expected - given), sorted(given - expected)
        parts = [f"missing {', '.join(missing)}"] if missing else []
        parts += [f"unknown {', '.join(unknown)}"] if unknown else []
        raise TransferError(f"line {number}: a {kind.name} record with the wrong fields ({'; '.join(parts)})")
    row = {}
    for column in kind.columns:
        try:
            row[column.name] = _decode(column, record[column.name])
        except (TypeError, ValueError) as error:
            raise TransferError(f"line {number}: {kind.name} field {column.name!r}: {error}") from None
    if kind.table is items:
        row["index_pending"] = True  # the new store's index has none of them yet
    return row


def _decode(column: Column[Any], value: Any) -> Any:
    if value is None:
        if not column.nullable:
            raise ValueError("must not be null")
        return None
    kind = column.type
    if isinstance(kind, UtcDateTime):
        if not isinstance(value, str):
            raise TypeError("expected an ISO 8601 time")
        parsed = dt.datetime.fromisoformat(value)
        if parsed.tzinfo is None:
            raise ValueError(f"{value!r} has no time zone")
        return parsed
    if isinstance(kind, LargeBinary):
        if not isinstance(value, str):
            raise TypeError("expected base64")
        try:
            return base64.b64decode(value, validate=True)
        except binascii.Error as error:
            raise ValueError(f"not base64 ({error})") from None
    if isinstance(kind, JSON):
        return value
    if isinstance(kind, Boolean):
        if not isinstance(value, bool):
            raise TypeError("expected true or false")
        return value
    if isinstance(kind, Integer):  # BigInteger too
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError("expected an integer")
        return value
    if not isinstance(value, str):
        raise TypeError("expected a string")
    return value


def _refuse_unless_empty(conn: Connection) -> None:
    held = {kind.name: int(conn.execute(select(func.count()).select_from(kind.table)).scalar_one()) for kind in KINDS}
    held = {name: count for name, count in held.items() if count}
    if held:
        listed = ", ".join(f"{count} {name} records" for name, count in held.items())
        raise TransferError(
            f"the store is not empty ({listed}): import only into an empty store "
            "(a new RADAR_DATA_DIR, or a new PostgreSQL database in RADAR_DATABASE_URL)"
        )


def _restart_id_sequences(conn: Connection) -> None:
    """PostgreSQL's id sequences past the ids imported (SQLite takes the largest id plus one)."""
    if conn.dialect.name != "postgresql":
        return
    for kind in KINDS:
        keys = list(kind.table.primary_key.columns)
        if len(keys) == 1 and isinstance(keys[0].type, Integer) and keys[0].autoincrement in (True, "auto"):
            table, key = kind.table.name, keys[0].name  # names from models.py, never from the file
            sequence = f"pg_get_serial_sequence('{table}', '{key}')"
            conn.execute(text(f"SELECT setval({sequence}, coalesce(max({key}), 0) + 1, false) FROM {table}"))
