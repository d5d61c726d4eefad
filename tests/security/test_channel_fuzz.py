"""Any channel text a subscriber or RADAR_ADMIN_CHANNELS can give: saved or refused with a
SubscriptionError when the subscription is made, and sent or failed with a DeliveryError when an
alert goes, never another exception (one would stop the whole delivery run, every time it picked
that delivery up again). Nothing leaves the machine: no name resolves and no connection is made."""

from __future__ import annotations

import contextlib
import socket
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from alerts import channels
from alerts.records import DeliveryError
from index.store.subscriptions import SubscriptionError, check_channel
from radar.settings import Settings
from tests.alerts.conftest import message_of
from tests.security.fuzzing import fuzzed, texts
from tests.security.test_ssrf import Resolver

PIECES = st.sampled_from(
    ["https://", "http://", "//", "/", "[", "]", ":", "@", "%", "%00", "?", "#", ".", "..", "::1", "127.1", "0x7f",
     "localhost", "hooks.slack.com", "example.org", ".internal", "169.254.169.254", "fe80::1%25eth0", ":99999",
     ":abc", "user:pass@", "\x00", " ", "\t", "\n", "\r", "é", "\u3000", "javascript:", "(", ")", ",", ";", "<", ">",
     '"', "\\", "lead@example.org"]
)  # fmt: skip
SETTINGS = Settings(data_dir=Path("data"), database_url=None, elasticsearch_url=None, smtp_host="relay.invalid")


@st.composite
def channel_texts(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["webhook", "slack", "teams", "email", "pager", ""]))
    return f"{kind}:" + "".join(draw(st.lists(st.one_of(PIECES, texts(5)), max_size=12)))


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(socket, "getaddrinfo", Resolver({}))
    monkeypatch.setattr(socket, "create_connection", _no_connection)


def _no_connection(*args: Any, **kwargs: Any) -> socket.socket:
    raise OSError("no network in the tests")


def saved_or_refused(channel: str) -> bool:
    try:
        check_channel(channel)
    except SubscriptionError as error:
        assert str(error)
        return False
    return True


@fuzzed(max_examples=300)
@given(channel=channel_texts())
@pytest.mark.usefixtures("offline")
def test_any_channel_is_saved_or_refused_and_sent_or_failed(channel: str) -> None:
    saved_or_refused(channel)
    with contextlib.suppress(DeliveryError):
        channels.send(message_of(channel=channel), SETTINGS)


# Found by fuzzing: each was saved, then raised out of the sender (ValueError from urlsplit,
# httpx.InvalidURL, AttributeError from the email library) instead of failing its delivery.
@pytest.mark.parametrize(
    "channel",
    [
        "webhook:https://[oops/radar",
        "webhook:https://hooks.example.org:abc/radar",
        "slack:https://hooks.example.org:99999/services/x",
        "teams:https://hooks\x00.example.org/x",
        "email:a@[b.c",
        "email:a,b@c.d",  # two recipients in one To header
        "email:a(b@c.d",  # the local user "a", by way of a comment
    ],
)
@pytest.mark.usefixtures("offline")
def test_what_crashed_a_delivery_is_refused_when_saved_and_when_sent(channel: str) -> None:
    assert not saved_or_refused(channel)
    with pytest.raises(DeliveryError) as failure:
        channels.send(message_of(channel=channel), SETTINGS)
    assert failure.value.permanent is True
