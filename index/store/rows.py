"""Between records and table rows: checking and cleaning items on the way in, rebuilding them on
the way out."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from typing import Any

from index.records import InvalidItemError, StoredItem
from index.store.content import clean_text
from index.store.models import ID_LENGTH

# The tags each version keeps (the latest version's evidence lives on the item only).
VERSION_TAGS = ("language", "harm_areas", "jurisdictions", "mentioned_jurisdictions", "doc_type", "stakeholders")


class _Invalid(ValueError):
    pass


def item_row(item: object, position: int) -> dict[str, Any]:
    """The `items` row for one incoming item, its strings cleaned (see `clean_text`) and its times
    in UTC, or InvalidItemError naming the item and the field at fault."""
    if not isinstance(item, StoredItem):
        raise InvalidItemError(f"item {position}: expected a StoredItem, got {type(item).__name__}", None, position)
    try:
        return {
            "id": _text(item.id, "id", max_length=ID_LENGTH, required=True),
            "url": _text(item.url, "url"),
            "title": _text(item.title, "title"),
            "text": _text(item.text, "text"),
            "language": _text(item.language, "language", max_length=16, required=True),
            "source": _optional_text(item.source, "source"),
            "source_kind": _optional_text(item.source_kind, "source_kind", max_length=32),
            "published_at": _time(item.published_at, "published_at") if item.published_at is not None else None,
            "fetched_at": _time(item.fetched_at, "fetched_at"),
            "content_hash": _text(item.content_hash, "content_hash", max_length=128, required=True),
            "harm_areas": _labels(item.harm_areas, "harm_areas"),
            "jurisdictions": _labels(item.jurisdictions, "jurisdictions"),
            "mentioned_jurisdictions": _labels(item.mentioned_jurisdictions, "mentioned_jurisdictions"),
            "doc_type": _text(item.doc_type, "doc_type", max_length=64, required=True),
            "stakeholders": _labels(item.stakeholders, "stakeholders"),
            "dates": _dates(item.dates),
            "evidence": _evidence(item.evidence),
        }
    except _Invalid as exc:
        shown = item.id[:80] if isinstance(item.id, str) else item.id
        raise InvalidItemError(f"item {position} (id {shown!r}): {exc}", str(item.id), position) from None


def stored_item(row: Mapping[Any, Any]) -> StoredItem:
    """An `items` row as the record every engine returns."""
    return StoredItem(
        id=row["id"],
        url=row["url"],
        title=row["title"],
        text=row["text"],
        language=row["language"],
        source=row["source"],
        source_kind=row["source_kind"],
        published_at=row["published_at"],
        fetched_at=row["fetched_at"],
        content_hash=row["content_hash"],
        harm_areas=tuple(row["harm_areas"]),
        jurisdictions=tuple(row["jurisdictions"]),
        mentioned_jurisdictions=tuple(row["mentioned_jurisdictions"]),
        doc_type=row["doc_type"],
        stakeholders=tuple(row["stakeholders"]),
        dates=tuple(row["dates"]),
        evidence=row["evidence"],
        story_id=row["story_id"],
        version=row["version"],
    )


def version_tags(row: Mapping[str, Any]) -> dict[str, Any]:
    return {name: row[name] for name in VERSION_TAGS}


def age_key(published_at: dt.datetime | None, first_fetched_at: dt.datetime, item_id: str) -> tuple[str, str]:
    """Orders items oldest first: by publication (or first fetch when unknown), then id."""
    when = published_at or first_fetched_at
    return when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f"), item_id


def _text(value: object, name: str, *, max_length: int | None = None, required: bool = False) -> str:
    if not isinstance(value, str):
        raise _Invalid(f"field {name!r} must be a string, not {type(value).__name__}")
    value = clean_text(value)
    if required and not value.strip():
        raise _Invalid(f"field {name!r} must not be empty")
    if max_length is not None and len(value) > max_length:
        raise _Invalid(f"field {name!r} is {len(value)} characters long; at most {max_length} fit")
    return value


def _optional_text(value: object, name: str, *, max_length: int | None = None) -> str | None:
    return None if value is None else _text(value, name, max_length=max_length)


def _time(value: object, name: str) -> dt.datetime:
    if not isinstance(value, dt.datetime):
        raise _Invalid(f"field {name!r} must be a datetime, not {type(value).__name__}")
    # A time without a zone is taken as UTC, as the crawlers record it.
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def _labels(value: object, name: str) -> list[str]:
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise _Invalid(f"field {name!r} must be a sequence of strings, not {type(value).__name__}")
    return [_text(label, f"{name}[{index}]") for index, label in enumerate(value)]


def _dates(value: object) -> list[dict[str, str]]:
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise _Invalid(f"field 'dates' must be a sequence of objects, not {type(value).__name__}")
    out = []
    for index, entry in enumerate(value):
        if not isinstance(entry, Mapping):
            raise _Invalid(f"field 'dates[{index}]' must be an object, not {type(entry).__name__}")
        out.append({_key(key, f"dates[{index}]"): _text(text, f"dates[{index}].{key}") for key, text in entry.items()})
    return out


def _evidence(value: object) -> dict[str, Any]:
    if not isinstance(value, Mapping):
        raise _Invalid(f"field 'evidence' must be an object, not {type(value).__name__}")
    return _json_value(value, "evidence")


def _json_value(value: Any, where: str) -> Any:
    """A JSON-ready copy of `value` with its strings cleaned; lists for tuples."""
    if isinstance(value, str):
        return clean_text(value)
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise _Invalid(f"{where} is {value}, which JSON cannot hold")
        return value
    if isinstance(value, Mapping):
        return {_key(key, where): _json_value(item, f"{where}.{key}") for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_json_value(item, f"{where}[{index}]") for index, item in enumerate(value)]
    raise _Invalid(f"{where} holds a {type(value).__name__}, which JSON cannot hold")


def _key(key: object, where: str) -> str:
    if not isinstance(key, str):
        raise _Invalid(f"{where} has a key of type {type(key).__name__}; keys must be strings")
    return clean_text(key)
