"""Subscriptions on the wire: what a client sends to make one, and what it gets back."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Path
from pydantic import BaseModel, Field

from index.store.subscriptions import NewSubscription, Subscription

# Ids are the store's 64-bit integers: a larger one names no subscription (a 404, not a crash).
SubscriptionId = Annotated[int, Path(ge=1, le=2**63 - 1, description="A subscription's id.")]


class SubscriptionIn(BaseModel):
    name: str = Field(min_length=1, max_length=200, examples=["MY scams"])
    query: str = Field("", max_length=2000, description="In the search's query language; may be empty.")
    country: list[str] = Field([], description="Jurisdiction codes.", examples=[["MY"]])
    harm: list[str] = Field([], description="Harm area ids.", examples=[["scams_fraud"]])
    doc_type: list[str] = []
    source_kind: list[str] = []
    lang: list[str] = []
    channels: list[str] = Field(
        min_length=1, max_length=10, description="KIND:ADDRESS", examples=[["email:lead@example.org"]]
    )
    cadence: Literal["instant", "daily", "weekly"] = "instant"
    digest_time: str = Field("08:00", description="HH:MM, local to time_zone (daily and weekly)")
    time_zone: str = Field("UTC", examples=["Asia/Singapore"])

    def to_new(self) -> NewSubscription:
        return NewSubscription(
            name=self.name,
            query=self.query,
            jurisdictions=tuple(self.country),
            harm_areas=tuple(self.harm),
            doc_types=tuple(self.doc_type),
            source_kinds=tuple(self.source_kind),
            languages=tuple(self.lang),
            channels=tuple(channel.strip() for channel in self.channels),
            cadence=self.cadence,
            digest_time=self.digest_time,
            time_zone=self.time_zone,
        )


class SubscriptionOut(BaseModel):
    id: int
    name: str
    query: str
    country: list[str]
    harm: list[str]
    doc_type: list[str]
    source_kind: list[str]
    lang: list[str]
    channels: list[str]
    cadence: str
    digest_time: str
    time_zone: str
    created_at: str


def subscription_out(subscription: Subscription) -> SubscriptionOut:
    return SubscriptionOut(
        id=subscription.id,
        name=subscription.name,
        query=subscription.query,
        country=list(subscription.jurisdictions),
        harm=list(subscription.harm_areas),
        doc_type=list(subscription.doc_types),
        source_kind=list(subscription.source_kinds),
        lang=list(subscription.languages),
        channels=list(subscription.channels),
        cadence=subscription.cadence,
        digest_time=subscription.digest_time,
        time_zone=subscription.time_zone,
        created_at=subscription.created_at.isoformat(),
    )
