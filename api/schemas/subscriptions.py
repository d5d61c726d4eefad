"""Subscriptions on the wire: what a client sends to make one, and what it gets back (never its
unsubscribe key: that is only for the links in its alerts)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Literal
from urllib.parse import urlsplit

from fastapi import Path
from pydantic import BaseModel, Field

from index.store.alert_log import DeliveryProblem
from index.store.subscriptions import MAX_ID, NewSubscription, Subscription

# Ids are the store's 64-bit integers: a larger one names no subscription (a 400, not a crash).
SubscriptionId = Annotated[int, Path(ge=1, le=MAX_ID, description="A subscription's id.")]


class SubscriptionIn(BaseModel):
    name: str = Field(min_length=1, max_length=200, examples=["MY scams"])
    kind: Literal["search", "trend"] = Field(
        "search",
        description="search: alerts on the items its query and filters find. trend: an alert when items on its "
        "harm areas (in its countries, or anywhere) surge above their usual level; give at least one harm area "
        "and no query.",
    )
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
            kind=self.kind,
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


class DeliveryProblemOut(BaseModel):
    channel: str = Field(description="A webhook as KIND:scheme://host/... only: the rest of its URL is its secret.")
    status: str = Field(description="failed: tried again at next_attempt_at; abandoned: given up.")
    attempts: int
    last_error: str
    next_attempt_at: str | None = Field(description="When it is tried again (failed ones), in UTC.")
    alerts: int = Field(description="How many alerts wait on this channel (failed) or were never sent (abandoned).")


class SubscriptionOut(BaseModel):
    id: int
    name: str
    kind: str = Field(description="search, trend, or health (the tracker's own source-health alerts, for admins).")
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
    delivery_problems: list[DeliveryProblemOut] = Field(
        description="Its channels whose alerts failed to go, and the last error of each."
    )


def subscription_out(subscription: Subscription, problems: Iterable[DeliveryProblem] = ()) -> SubscriptionOut:
    """A subscription for the wire, with its delivery problems (webhook secrets hidden)."""
    return SubscriptionOut(
        id=subscription.id,
        name=subscription.name,
        kind=subscription.kind,
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
        delivery_problems=[problem_out(problem) for problem in problems],
    )


def problem_out(problem: DeliveryProblem) -> DeliveryProblemOut:
    return DeliveryProblemOut(
        channel=shown_channel(problem.channel),
        status=problem.status,
        attempts=problem.attempts,
        last_error=_without_secret(problem.last_error, problem.channel),
        next_attempt_at=problem.next_attempt_at.isoformat() if problem.next_attempt_at else None,
        alerts=problem.alerts,
    )


def shown_channel(channel: str) -> str:
    """A channel as a page or a listing may show it: an email address as it is, a webhook as
    KIND:scheme://host/... (its path and query are the credential of whoever posts to it)."""
    kind, _, address = channel.partition(":")
    if kind == "email":
        return channel
    parts = urlsplit(address)
    host = parts.netloc.rpartition("@")[2]  # without any user:password@
    return f"{kind}:{parts.scheme}://{host}/..." if parts.scheme and host else f"{kind}:..."


def _without_secret(error: str, channel: str) -> str:
    # The senders keep webhook secrets out of their errors already; this makes sure of it.
    kind, _, address = channel.partition(":")
    if kind == "email" or not address:
        return error
    parts = urlsplit(address)
    error = error.replace(address, shown_channel(channel).partition(":")[2])
    for secret in (f"{parts.path}?{parts.query}", parts.path, parts.query):
        if secret.strip("/?"):
            error = error.replace(secret, "/...")
    return error
