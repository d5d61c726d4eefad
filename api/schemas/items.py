"""GET /api/items/{id} on the wire."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from api.schemas.common import day
from index.records import ItemVersion, StoredItem


class Version(BaseModel):
    version: int
    fetched_at: str
    title: str
    diff: str = Field(description="unified diff of the title and text from the previous version ('' for the first)")


class StoryMember(BaseModel):
    id: str
    title: str
    url: str
    source: str | None
    published: str | None


class ItemDetail(BaseModel):
    """An item with its tags and the evidence behind each, its versions and its story."""

    id: str
    url: str
    title: str
    text: str
    language: str
    source: str | None
    source_kind: str | None
    published: str | None
    fetched_at: str
    jurisdictions: list[str]
    mentioned_jurisdictions: list[str]
    harm_areas: list[str]
    doc_type: str
    stakeholders: list[str]
    dates: list[dict[str, str]]
    evidence: dict[str, Any] = Field(description="tag -> the words in the item that gave it")
    version: int
    versions: list[Version]
    story_id: str
    story: list[StoryMember] = Field(description="the other items of the same story (near-duplicates)")


def item_detail(item: StoredItem, versions: list[ItemVersion], story: list[StoredItem]) -> dict[str, Any]:
    return ItemDetail(
        id=item.id,
        url=item.url,
        title=item.title,
        text=item.text,
        language=item.language,
        source=item.source,
        source_kind=item.source_kind,
        published=day(item.published_at),
        fetched_at=item.fetched_at.isoformat(),
        jurisdictions=list(item.jurisdictions),
        mentioned_jurisdictions=list(item.mentioned_jurisdictions),
        harm_areas=list(item.harm_areas),
        doc_type=item.doc_type,
        stakeholders=list(item.stakeholders),
        dates=list(item.dates),
        evidence=item.evidence,
        version=item.version,
        versions=[
            Version(version=v.version, fetched_at=v.fetched_at.isoformat(), title=v.title, diff=v.diff)
            for v in versions
        ],
        story_id=item.story_id,
        story=[
            StoryMember(
                id=other.id,
                title=other.title,
                url=other.url,
                source=other.source,
                published=day(other.published_at),
            )
            for other in story
            if other.id != item.id
        ],
    ).model_dump()
