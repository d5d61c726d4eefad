"""Subscriptions in the store: saved searches with their channels and cadence, each owned by a
user (or by nobody, when the tracker runs for one person without accounts). The alerts match
and deliver them; this module keeps them and refuses ones that could never be delivered."""

from __future__ import annotations

import datetime as dt
import re
import secrets
import zoneinfo
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from sqlalchemy import Engine, delete, insert, select, update

from crawlers.addresses import non_public_host
from index.records import QueryError
from index.search.query import normalize_keyword, parse_query
from index.store.engine import write_transaction
from index.store.models import subscriptions

CADENCES = ("instant", "daily", "weekly")
# search: the items its query and filters find; trend: a surge of items on its harm areas
# (in its jurisdictions, or any) above their trailing baseline.
KINDS = ("search", "trend")
HEALTH = "health"  # the tracker's own subscription for source-health alerts to the admins
# email:lead@example.org, or a webhook in one of the formats the alerts send.
CHANNEL_KINDS = ("email", "webhook", "slack", "teams")
# An address the alerts can put in a To header as it is: a dot-atom local part and a domain of
# labels (letters in any script); no quotes, brackets, commas or comments, which the email library
# reads as other addresses, display names, or fails on ("a@[b.c").
_EMAIL = re.compile(r"^[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+$")
_DIGEST_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
MAX_CHANNELS = 10
MAX_ID = 2**63 - 1  # ids are 64-bit integers in the store; a larger one names no subscription


class SubscriptionError(ValueError):
    """A subscription that cannot be saved, with a message a person can act on."""


@dataclass(frozen=True)
class NewSubscription:
    """What a subscription says, before it is stored."""

    name: str
    query: str = ""
    jurisdictions: tuple[str, ...] = ()
    harm_areas: tuple[str, ...] = ()
    doc_types: tuple[str, ...] = ()
    source_kinds: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()
    cadence: str = "instant"
    digest_time: str = "08:00"
    time_zone: str = "UTC"
    kind: str = "search"

    def check(self, allow_private_webhooks: bool = False) -> None:
        """Raise SubscriptionError naming the first thing that would stop it being delivered (a
        webhook on a private address too, unless `allow_private_webhooks`)."""
        if not self.name.strip() or len(self.name) > 200:
            raise SubscriptionError("A subscription needs a name of 1 to 200 characters.")
        if self.kind not in KINDS:
            raise SubscriptionError(f"Unknown kind {self.kind!r}: use one of {', '.join(KINDS)}.")
        if self.kind == "trend" and (self.query.strip() or not self.harm_areas):
            raise SubscriptionError(
                "A trend subscription watches harm areas (and, if given, jurisdictions) for a surge: "
                "give at least one harm area and no query."
            )
        try:
            parse_query(self.query)
        except QueryError as error:
            raise SubscriptionError(f"Its query cannot be run: {error}") from None
        if not self.query.strip() and not any(
            (self.jurisdictions, self.harm_areas, self.doc_types, self.source_kinds, self.languages)
        ):
            raise SubscriptionError("Give it a query or at least one filter, or it would send every item.")
        if not self.channels:
            raise SubscriptionError("Give it a channel, such as email:you@example.org.")
        if len(self.channels) > MAX_CHANNELS:
            raise SubscriptionError(f"At most {MAX_CHANNELS} channels.")
        for channel in self.channels:
            check_channel(channel, allow_private_webhooks)
        if self.cadence not in CADENCES:
            raise SubscriptionError(f"Unknown cadence {self.cadence!r}: use one of {', '.join(CADENCES)}.")
        if not _DIGEST_TIME.match(self.digest_time):
            raise SubscriptionError(f"The digest time is HH:MM on a 24-hour clock; got {self.digest_time!r}.")
        try:
            zoneinfo.ZoneInfo(self.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise SubscriptionError(
                f"Unknown time zone {self.time_zone!r}: use a name such as Asia/Singapore or Australia/Sydney."
            ) from None


def check_channel(channel: str, allow_private: bool = False) -> None:
    """Raise SubscriptionError unless `channel` is one the alerts can send to: a webhook must be
    an https:// URL, and (unless `allow_private`) not at an address on a private network, named or
    written as one; the alerts check the address it resolves to when they send."""
    kind, _, address = channel.partition(":")
    if kind not in CHANNEL_KINDS or not address:
        raise SubscriptionError(
            f"Channel {channel!r} is not KIND:ADDRESS with KIND one of {', '.join(CHANNEL_KINDS)} "
            "(email:lead@example.org, webhook:https://hooks.example.org/radar)."
        )
    if kind == "email":
        if not _EMAIL.match(address):
            raise SubscriptionError(f"{address!r} is not an email address.")
        return
    try:
        parts = urlsplit(address)
        _port = parts.port  # ValueError for a port that is no number, or out of range
        host = parts.hostname
    except ValueError:  # "https://[oops/", "https://host:abc/"
        host = None
    if not address.startswith("https://") or not host or not address.isprintable() or " " in address:
        raise SubscriptionError(f"A {kind} channel is an https:// URL; got {address!r}.")
    if not allow_private and (private := non_public_host(host)) is not None:
        raise SubscriptionError(
            f"A {kind} channel may not point at a private, loopback or link-local address ({private}): "
            "alerts would be posted into the tracker's own network. Set RADAR_WEBHOOK_ALLOW_PRIVATE=1 to allow it."
        )


@dataclass(frozen=True)
class Subscription(NewSubscription):
    id: int = 0
    owner_id: int | None = None
    created_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    unsubscribe_key: str = ""  # the secret in its unsubscribe links


FILTERS = ("jurisdictions", "harm_areas", "doc_types", "source_kinds", "languages")


def _subscription(row: object) -> Subscription:
    filters = row.filters  # type: ignore[attr-defined]
    return Subscription(
        id=row.id,  # type: ignore[attr-defined]
        owner_id=row.owner_id,  # type: ignore[attr-defined]
        name=row.name,  # type: ignore[attr-defined]
        query=row.query,  # type: ignore[attr-defined]
        channels=tuple(row.channels),  # type: ignore[attr-defined]
        cadence=row.cadence,  # type: ignore[attr-defined]
        digest_time=row.digest_time,  # type: ignore[attr-defined]
        time_zone=row.time_zone,  # type: ignore[attr-defined]
        created_at=row.created_at,  # type: ignore[attr-defined]
        kind=row.kind,  # type: ignore[attr-defined]
        unsubscribe_key=row.unsubscribe_key or "",  # type: ignore[attr-defined]
        **{name: tuple(filters.get(name, ())) for name in FILTERS},
    )


class Subscriptions:
    def __init__(self, engine: Engine, allow_private_webhooks: bool = False) -> None:
        self.engine = engine
        self.allow_private_webhooks = allow_private_webhooks  # Settings.webhook_allow_private

    def add(self, new: NewSubscription, owner_id: int | None, now: dt.datetime) -> Subscription:
        new.check(self.allow_private_webhooks)
        with write_transaction(self.engine) as conn:
            created = conn.execute(
                insert(subscriptions)
                .values(
                    owner_id=owner_id,
                    name=new.name.strip(),
                    query=new.query,
                    # As the engines index them: jurisdiction codes upper case, the rest lower.
                    filters={
                        name: [normalize_keyword(name, value) for value in getattr(new, name)] for name in FILTERS
                    },
                    channels=list(new.channels),
                    cadence=new.cadence,
                    digest_time=new.digest_time,
                    time_zone=new.time_zone,
                    created_at=now,
                    kind=new.kind,
                    unsubscribe_key=secrets.token_urlsafe(24),
                )
                .returning(subscriptions.c.id)
            ).scalar_one()
        found = self.get(created)
        assert found is not None
        return found

    def get(self, subscription_id: int) -> Subscription | None:
        if not 0 < subscription_id <= MAX_ID:
            return None
        with self.engine.connect() as conn:
            row = conn.execute(select(subscriptions).where(subscriptions.c.id == subscription_id)).first()
        return _subscription(row) if row else None

    def owned_by(self, owner_id: int | None) -> list[Subscription]:
        """One owner's subscriptions, oldest first (owner None: those made without accounts)."""
        owner = subscriptions.c.owner_id.is_(None) if owner_id is None else subscriptions.c.owner_id == owner_id
        with self.engine.connect() as conn:
            rows = conn.execute(select(subscriptions).where(owner).order_by(subscriptions.c.id))
            return [_subscription(row) for row in rows]

    def all(self) -> list[Subscription]:
        with self.engine.connect() as conn:
            return [_subscription(row) for row in conn.execute(select(subscriptions).order_by(subscriptions.c.id))]

    def health_watch(self, channels: tuple[str, ...], now: dt.datetime) -> Subscription:
        """The tracker's own subscription that tells the admins about sources needing a look
        (kind "health", owned by nobody), made on first use; its channels follow the setting."""
        with write_transaction(self.engine) as conn:
            row = conn.execute(select(subscriptions).where(subscriptions.c.kind == HEALTH)).first()
            if row is None:
                conn.execute(
                    insert(subscriptions).values(
                        owner_id=None,
                        name="Sources needing a look (admins)",
                        query="",
                        filters={},
                        channels=list(channels),
                        cadence="instant",
                        digest_time="08:00",
                        time_zone="UTC",
                        created_at=now,
                        kind=HEALTH,
                        unsubscribe_key=secrets.token_urlsafe(24),
                    )
                )
            elif tuple(row.channels) != channels:
                conn.execute(update(subscriptions).where(subscriptions.c.id == row.id).values(channels=list(channels)))
            row = conn.execute(select(subscriptions).where(subscriptions.c.kind == HEALTH)).one()
        return _subscription(row)

    def with_key(self, subscription_id: int, key: str) -> Subscription | None:
        """The subscription, if `key` is its unsubscribe key (compared in constant time)."""
        found = self.get(subscription_id)
        # As bytes: compare_digest refuses str with non-ASCII characters, and anyone may send those.
        if found is None or not found.unsubscribe_key:
            return None
        return found if secrets.compare_digest(found.unsubscribe_key.encode(), key.encode()) else None

    def unsubscribe(self, subscription_id: int, key: str) -> bool:
        """Remove a subscription through its unsubscribe link; False when the key is not its own."""
        return self.with_key(subscription_id, key) is not None and self.remove(subscription_id)

    def remove(self, subscription_id: int) -> bool:
        if not 0 < subscription_id <= MAX_ID:
            return False
        with write_transaction(self.engine) as conn:
            return conn.execute(delete(subscriptions).where(subscriptions.c.id == subscription_id)).rowcount > 0
