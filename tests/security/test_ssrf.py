"""Nothing a user or a crawled page names makes the tracker connect into its own network: not a
source the crawler fetches, not a webhook the alerts post to. Private, loopback, link-local (the
cloud metadata service at 169.254.169.254), unique-local and IPv6-wrapped IPv4 addresses are
refused, written as addresses or as names that resolve to them, unless RADAR_CRAWL_ALLOW_PRIVATE=1
(crawler) or RADAR_WEBHOOK_ALLOW_PRIVATE=1 (webhooks) says otherwise. Webhooks are checked when a
subscription is saved (the address as written) and when an alert is sent (the address the name
resolves to then, and the one the connection reaches: DNS rebinding is refused too).

Names resolve through a stand-in for socket.getaddrinfo where a test needs a name to point
somewhere; nothing here leaves the machine."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from scrapy import Request, Spider

from alerts import channels
from alerts.records import DeliveryError
from alerts.webhooks import send_webhook
from crawlers.addresses import first_non_public, non_public_host
from crawlers.network import PrivateAddressRefused, PublicAddressesOnly, non_public_address
from index.store.subscriptions import SubscriptionError, check_channel
from radar.settings import Settings
from tests.alerts.conftest import message_of
from tests.alerts.receivers import WebhookReceiver
from tests.api.test_subscriptions_api import SCAMS

NON_PUBLIC = [
    "169.254.169.254",  # the cloud metadata service (AWS, GCP, Azure)
    "127.0.0.1",
    "10.0.0.1",
    "172.16.0.1",
    "192.168.1.1",
    "100.100.100.200",  # shared address space (Alibaba Cloud's metadata service)
    "0.0.0.0",  # reaches the machine itself on Linux
    "::1",  # IPv6 loopback
    "fe80::1",  # IPv6 link-local
    "fe80::1%eth0",
    "fd00:ec2::254",  # unique-local (AWS's IPv6 metadata service)
    "fc00::1",
    "::ffff:127.0.0.1",  # IPv4-mapped loopback
    "::ffff:169.254.169.254",
    "64:ff9b::a9fe:a9fe",  # NAT64 of the metadata service
    "2002:a9fe:a9fe::1",  # 6to4 of the metadata service
    "fec0::1",  # site-local
    "224.0.0.1",  # multicast
]
PUBLIC = ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111", "64:ff9b::808:808"]


class Resolver:
    """A stand-in for socket.getaddrinfo: each name in `answers` gets its answers in turn (the last
    one for every look-up after), each answer one or more addresses separated by spaces; any
    other name does not resolve."""

    def __init__(self, answers: dict[str, list[str]]) -> None:
        self.answers = {name: list(found) for name, found in answers.items()}
        self.asked: list[str] = []

    def __call__(self, host: Any, port: Any, *args: Any, **kwargs: Any) -> list[tuple[Any, ...]]:
        self.asked.append(str(host))
        if host not in self.answers:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        found = self.answers[host]
        answer = found.pop(0) if len(found) > 1 else found[0]
        return [_info(address, port or 0) for address in answer.split()]


def _info(address: str, port: int) -> tuple[Any, ...]:
    if ":" in address:
        return (socket.AF_INET6, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (address, port, 0, 0))
    return (socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (address, port))


Resolve = Callable[[dict[str, list[str]]], Resolver]


@pytest.fixture
def resolve(monkeypatch: pytest.MonkeyPatch) -> Iterator[Resolve]:
    """resolve({name: [answer, ...]}): names resolve so from then on, for the crawler and httpx alike."""

    def install(answers: dict[str, list[str]]) -> Resolver:
        resolver = Resolver(answers)
        monkeypatch.setattr(socket, "getaddrinfo", resolver)
        non_public_address.cache_clear()  # the crawler keeps its answers for a pass
        return resolver

    yield install
    non_public_address.cache_clear()


# --- the address check the crawler and the alerts share -------------------------------------------------------


@pytest.mark.parametrize("address", NON_PUBLIC)
def test_non_public_addresses_are_refused(address: str) -> None:
    assert first_non_public(address) is not None
    assert first_non_public(f"[{address}]") is not None
    assert non_public_host(address) is not None


@pytest.mark.parametrize("address", PUBLIC)
def test_public_addresses_pass(address: str) -> None:
    assert first_non_public(address) is None
    assert non_public_host(address) is None


def test_names_that_resolve_to_private_addresses_are_refused(resolve: Resolve) -> None:
    resolve(
        {
            "intranet.example.org": ["10.1.2.3"],
            "v6.example.org": ["fd12:3456::1"],
            "mapped.example.org": ["::ffff:169.254.169.254"],
            "mixed.example.org": ["93.184.216.34 10.0.0.1"],  # one answer, a public and a private address
            "public.example.org": ["93.184.216.34 2606:4700:4700::1111"],
        }
    )
    assert first_non_public("intranet.example.org") == "10.1.2.3"
    assert first_non_public("v6.example.org") == "fd12:3456::1"
    assert first_non_public("mapped.example.org") is not None
    assert first_non_public("mixed.example.org") == "10.0.0.1"
    assert first_non_public("public.example.org") is None
    assert first_non_public("nowhere.example.org") is None  # connecting fails of itself


def test_localhost_resolves_to_loopback() -> None:
    assert first_non_public("localhost") in ("127.0.0.1", "::1")  # from /etc/hosts: no look-up leaves the machine


@pytest.mark.parametrize(
    "host",
    ["localhost", "LOCALHOST.", "radar.localhost", "metadata.google.internal", "db.internal", "printer.local",
     "router.home.arpa", "metadata", "intranet", "127.1", "2130706433", "0x7f000001", "0177.0.0.1", "[::1]"],
)  # fmt: skip
def test_names_and_numbers_meant_for_a_local_network_are_refused_without_a_look_up(host: str) -> None:
    assert non_public_host(host) is not None


@pytest.mark.parametrize("host", ["hooks.slack.com", "example.org", "internal.example.org", "localhost.example.org"])
def test_public_names_pass_without_a_look_up(host: str) -> None:
    assert non_public_host(host) is None


# --- the crawler ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
        "http://[::1]:8000/",
        "http://[fe80::1]/",
        "http://[fd00:ec2::254]/",
        "http://[::ffff:127.0.0.1]/",
        "http://metadata.internal.example/",  # a name that resolves to the metadata service
        "http://rebound.example/",  # a name with a public and a private address
    ],
)
def test_the_crawler_refuses_private_sources(url: str, monkeypatch: pytest.MonkeyPatch, resolve: Resolve) -> None:
    monkeypatch.delenv("RADAR_CRAWL_ALLOW_PRIVATE", raising=False)
    resolve({"metadata.internal.example": ["169.254.169.254"], "rebound.example": ["93.184.216.34 10.0.0.1"]})
    with pytest.raises(PrivateAddressRefused, match="RADAR_CRAWL_ALLOW_PRIVATE=1"):
        PublicAddressesOnly().process_request(Request(url), Spider("test"))


def test_the_crawler_fetches_private_sources_when_allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RADAR_CRAWL_ALLOW_PRIVATE", "1")
    assert PublicAddressesOnly().process_request(Request("http://169.254.169.254/"), Spider("test")) is None


# --- webhooks, when a subscription is saved ---------------------------------------------------------------------

PRIVATE_HOOKS = [
    "https://127.0.0.1/hook",
    "https://169.254.169.254/latest/meta-data/",
    "https://[::1]/hook",
    "https://[fe80::1]/hook",
    "https://[fd00::1]/hook",
    "https://[::ffff:169.254.169.254]/hook",
    "https://localhost:8000/hook",
    "https://metadata.google.internal/computeMetadata/v1/",
    "https://hooks.internal/radar",
    "https://127.1/hook",
    "https://2130706433/hook",
    "https://intranet/hook",
    "https://user:password@10.0.0.1/hook",
]


@pytest.mark.parametrize("url", PRIVATE_HOOKS)
@pytest.mark.parametrize("kind", ["webhook", "slack", "teams"])
def test_a_webhook_on_a_private_address_is_refused_when_saved(kind: str, url: str) -> None:
    with pytest.raises(SubscriptionError, match=r"private, loopback or link-local.*RADAR_WEBHOOK_ALLOW_PRIVATE=1"):
        check_channel(f"{kind}:{url}")
    check_channel(f"{kind}:{url}", allow_private=True)  # as RADAR_WEBHOOK_ALLOW_PRIVATE=1 lets it


@pytest.mark.parametrize(
    "url",
    ["https://hooks.slack.com/services/T0/B0/x", "https://prod-01.westus.logic.azure.com/workflows/abc",
     "https://hooks.example.org/radar", "https://93.184.216.34/hook"],
)  # fmt: skip
def test_a_webhook_on_a_public_address_is_saved(url: str) -> None:
    check_channel(f"webhook:{url}")


def test_the_api_refuses_a_webhook_on_the_metadata_service(client_for: Callable[..., TestClient]) -> None:
    hook = {**SCAMS, "channels": ["webhook:https://169.254.169.254/latest/meta-data/"]}
    refused = client_for().post("/api/subscriptions", json=hook)
    assert refused.status_code == 400
    assert "RADAR_WEBHOOK_ALLOW_PRIVATE=1" in refused.json()["error"]
    allowed = client_for(webhook_allow_private=True).post("/api/subscriptions", json=hook)
    assert allowed.status_code == 201


# --- webhooks, when an alert is sent ----------------------------------------------------------------------------


def _refused_as_private(failure: pytest.ExceptionInfo[DeliveryError], address: str) -> None:
    error = str(failure.value)
    assert failure.value.permanent is True
    assert f"is at a private, loopback or link-local address ({address}), so nothing was sent" in error
    assert "set RADAR_WEBHOOK_ALLOW_PRIVATE=1" in error


def test_a_loopback_webhook_is_refused_unless_allowed(webhook_receiver: WebhookReceiver) -> None:
    message = message_of(channel=f"webhook:{webhook_receiver.url}/radar")
    with pytest.raises(DeliveryError) as failure:
        send_webhook(message)
    _refused_as_private(failure, "127.0.0.1")
    with pytest.raises(DeliveryError) as failure:
        channels.send(message, Settings(data_dir=Path("data"), database_url=None, elasticsearch_url=None))
    _refused_as_private(failure, "127.0.0.1")
    assert webhook_receiver.requests == []

    allowed = Settings(data_dir=Path("data"), database_url=None, elasticsearch_url=None, webhook_allow_private=True)
    channels.send(message, allowed)
    assert len(webhook_receiver.requests) == 1


def test_a_name_that_resolves_to_a_private_address_is_refused_before_connecting(
    resolve: Resolve,
) -> None:
    resolver = resolve({"hooks.corp.example": ["10.20.30.40"]})
    with pytest.raises(DeliveryError) as failure:
        send_webhook(message_of(channel="slack:https://hooks.corp.example/services/T0/B0/secret"))
    _refused_as_private(failure, "10.20.30.40")
    assert resolver.asked == ["hooks.corp.example"]  # looked up once, and never connected to
    assert "secret" not in str(failure.value)


def test_a_name_rebound_to_loopback_between_check_and_connection_is_refused(
    webhook_receiver: WebhookReceiver, resolve: Resolve
) -> None:
    # The first look-up (the check) answers a public address, the next (httpx's) the receiver's.
    port = webhook_receiver.url.rsplit(":", 1)[1]
    message = message_of(channel=f"webhook:http://rebinding.example:{port}/radar")
    resolve({"rebinding.example": ["93.184.216.34", "127.0.0.1"]})
    with pytest.raises(DeliveryError) as failure:
        send_webhook(message)
    _refused_as_private(failure, "127.0.0.1")
    assert webhook_receiver.requests == []  # the connection was closed before anything was sent on it

    resolve({"rebinding.example": ["127.0.0.1"]})  # allowed, nothing is checked: one look-up, httpx's
    send_webhook(message, allow_private=True)  # so the name does lead to the receiver
    assert len(webhook_receiver.requests) == 1
