"""Fixtures for the alert tests (their machinery is in tests/alerts/receivers.py).

- `smtp_server`: a started receivers.SmtpServer on loopback, closed after the test; send with
  `smtp_server.settings()` and read `smtp_server.messages`.
- `webhook_receiver`: a started receivers.WebhookReceiver; channels are
  f"webhook:{webhook_receiver.url}/path" (or slack:, teams:); read `webhook_receiver.requests`.
- `make_alert(**changes)`: an AlertItem (a new AU child-safety guidance item with a source, a
  date, matched terms and tags), with any field changed.
- `make_message(*alerts, **changes)`: a Message carrying `alerts` (one make_alert() if none),
  on the channel "email:lead@example.org" unless `channel=` says otherwise.
The same factories are importable as plain functions: `from tests.alerts.conftest import
alert_item, message_of`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from alerts.records import AlertItem, Message
from tests.alerts.receivers import SmtpServer, WebhookReceiver

PUBLIC_URL = "https://radar.example.org"


def alert_item(**changes: Any) -> AlertItem:
    """An alert on a new item, with `changes` to any of its fields."""
    alert_id = changes.pop("alert_id", 1)
    fields: dict[str, Any] = {
        "alert_id": alert_id,
        "kind": "new",
        "title": "eSafety sets out how platforms must check ages before the under-16 ban",
        "link": f"{PUBLIC_URL}/items/item-{alert_id}",
        "source_url": "https://www.esafety.gov.au/newsroom/media-releases/age-checks",
        "source": "eSafety Commissioner",
        "published_at": dt.datetime(2025, 11, 20, 9, 30, tzinfo=dt.UTC),
        "jurisdictions": ("AU",),
        "harm_areas": ("child_safety",),
        "doc_type": "guidance",
        "snippet": "The minimum age obligation takes effect on 10 December 2025.",
        "matched_terms": ("age assurance",),
        "matched_tags": {"jurisdictions": ("AU",)},
        **changes,
    }
    return AlertItem(**fields)


def message_of(*alerts: AlertItem, **changes: Any) -> Message:
    """A message carrying `alerts` (one alert_item() if none), with `changes` to its fields."""
    fields: dict[str, Any] = {
        "key": "sub-7-alerts-1",
        "subscription_id": 7,
        "subscription_name": "AU age checks",
        "cadence": "instant" if len(alerts) <= 1 else "daily",
        "channel": "email:lead@example.org",
        "alerts": alerts or (alert_item(),),
        "unsubscribe_link": f"{PUBLIC_URL}/unsubscribe/7/k3y",
        "manage_link": f"{PUBLIC_URL}/subscriptions",
        "created_at": dt.datetime(2025, 11, 20, 10, 0, tzinfo=dt.UTC),
        **changes,
    }
    return Message(**fields)


@pytest.fixture
def make_alert() -> Callable[..., AlertItem]:
    return alert_item


@pytest.fixture
def make_message() -> Callable[..., Message]:
    return message_of


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    server = SmtpServer()
    yield server
    server.close()


@pytest.fixture
def webhook_receiver() -> Iterator[WebhookReceiver]:
    receiver = WebhookReceiver()
    yield receiver
    receiver.close()
