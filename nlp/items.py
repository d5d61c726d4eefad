"""The items that enter and leave the tagger."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

SOURCE_KINDS = frozenset(
    {"regulator", "ministry", "legislature", "court", "ngo", "news", "industry", "intergovernmental"}
)
# The publication dates an item may have: the search index keeps dates as nanoseconds since 1970
# (64 bits reach 1677 to 2262), and nothing the tracker holds is older than the web.
EARLIEST_PUBLISHED = dt.date(1900, 1, 1)
LATEST_PUBLISHED = dt.date(2199, 12, 31)


class ItemError(ValueError):
    """An input item that cannot be tagged, with a message a person can act on."""


@dataclass(frozen=True)
class ItemIn:
    """What a crawler knows about an item before tagging."""

    id: str
    title: str
    text: str
    url: str | None = None
    published: dt.date | None = None
    lang: str | None = None
    source: str | None = None
    source_kind: str | None = None

    @classmethod
    def from_json(cls, obj: Any) -> ItemIn:
        """Validate one decoded JSON object; raise ItemError naming the bad field."""
        if not isinstance(obj, dict):
            raise ItemError("expected a JSON object")
        for key in ("id", "title", "text"):
            if key not in obj:
                raise ItemError(f"missing field {key!r}")
        item_id = obj["id"]
        if not isinstance(item_id, str | int) or isinstance(item_id, bool) or str(item_id) == "":
            raise ItemError("field 'id' must be a non-empty string")
        for key in ("title", "text"):
            if not isinstance(obj[key], str):
                raise ItemError(f"field {key!r} must be a string")
        for key in ("url", "lang", "source", "source_kind", "published"):
            if obj.get(key) is not None and not isinstance(obj[key], str):
                raise ItemError(f"field {key!r} must be a string")
        for key in ("id", "title", "text", "url", "lang", "source", "source_kind", "published"):
            if isinstance(obj.get(key), str) and not _is_text(obj[key]):
                # JSON can escape a lone surrogate ("\ud800"), which no tokenizer or database takes.
                raise ItemError(f"field {key!r} holds a lone surrogate (\\ud800-\\udfff), which is not text")
        source_kind = obj.get("source_kind")
        if source_kind is not None and source_kind not in SOURCE_KINDS:
            raise ItemError(f"field 'source_kind' must be one of {', '.join(sorted(SOURCE_KINDS))}")
        return cls(
            id=str(item_id),
            title=obj["title"],
            text=obj["text"],
            url=obj.get("url"),
            published=_parse_published(obj.get("published")),
            lang=obj.get("lang"),
            source=obj.get("source"),
            source_kind=source_kind,
        )


def _parse_published(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        published = dt.date.fromisoformat(value[:10])
    except ValueError:
        raise ItemError(f"field 'published' is not an ISO date: {value[:40]!r}") from None
    if not EARLIEST_PUBLISHED <= published <= LATEST_PUBLISHED:
        raise ItemError(f"field 'published' is {published}: not between {EARLIEST_PUBLISHED} and {LATEST_PUBLISHED}")
    return published


def _is_text(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


@dataclass(frozen=True)
class Stakeholder:
    """An organisation or person acting in an item, under one canonical name."""

    name: str
    kind: str
    jurisdiction: str | None
    mentions: tuple[str, ...]  # the surface forms in this item
    aliases: tuple[str, ...] = ()  # every other name it goes by, in every script


@dataclass(frozen=True)
class KeyDate:
    date: dt.date
    kind: str
    text: str


@dataclass
class TaggedItem:
    """The tagger's result for one item; `evidence` says which phrases set each tag."""

    id: str
    language: str
    harm_areas: list[str] = field(default_factory=list)
    jurisdictions: list[str] = field(default_factory=list)
    mentioned_jurisdictions: list[str] = field(default_factory=list)
    doc_type: str = "news"
    stakeholders: list[Stakeholder] = field(default_factory=list)
    dates: list[KeyDate] = field(default_factory=list)
    evidence: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["stakeholders"] = [
            {**asdict(s), "mentions": list(s.mentions), "aliases": list(s.aliases)} for s in self.stakeholders
        ]
        out["dates"] = [{"date": d.date.isoformat(), "kind": d.kind, "text": d.text} for d in self.dates]
        return out
