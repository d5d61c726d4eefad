"""Webhook alerts: one JSON POST in the channel's format (webhook: the generic JSON, slack: a
Slack incoming webhook, teams: a Teams workflow's Adaptive Card), with `Idempotency-Key:
{message.key}` (the same on every retry) and `User-Agent: policy-radar`.

A 2xx answer is a delivery; redirects are not followed. 408, 429, 5xx, a receiver that cannot
be reached or does not answer within the timeout raise a temporary DeliveryError; any other
answer a permanent one. Slack's and Teams' URLs carry their secret in the path and query, so
errors name the receiver by scheme and host only.

A receiver at a private, loopback or link-local address (crawlers/addresses.py) is refused with a
permanent DeliveryError unless RADAR_WEBHOOK_ALLOW_PRIVATE=1: its name is resolved when the alert
is sent, and the address the connection is then made to is checked again before anything is sent
on it, so a name that resolves elsewhere by then (DNS rebinding) is refused too. (Behind an
egress proxy, that address is the proxy's.)"""

from __future__ import annotations

import urllib.parse
from collections.abc import Callable
from typing import Any

import httpx

from alerts import chat, rendering
from alerts.records import DeliveryError, Message
from crawlers.addresses import first_non_public, ip_address_of, non_public

TIMEOUT = 10.0  # seconds to connect, and for each read of the answer
FORMATS: dict[str, Callable[[Message], dict[str, Any]]] = {
    "webhook": rendering.json_payload,
    "slack": chat.slack_payload,
    "teams": chat.teams_payload,
}
TEMPORARY_STATUSES = frozenset({408, 429})
ANSWER_EXCERPT = 200  # characters of the receiver's answer quoted in an error (Slack says why there)


def send_webhook(message: Message, *, timeout: float = TIMEOUT, allow_private: bool = False) -> None:
    """POST `message` in its channel's format to the channel's URL, or raise DeliveryError (a
    permanent one for a receiver at a private address, unless `allow_private`)."""
    kind, _, url = message.channel.partition(":")
    payload = FORMATS.get(kind)
    if payload is None:
        raise DeliveryError(f"Channel kind {kind!r} is not a webhook ({', '.join(FORMATS)}).", permanent=True)
    parts = _usable(url)
    if parts is None:
        raise DeliveryError(f"A {kind} channel must be an https:// URL.", permanent=True)
    receiver = f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}"  # without any user:password@
    secrets = [part for part in (url, parts.path, parts.query, parts.fragment) if part and part != "/"]
    headers = {"Idempotency-Key": message.key, "User-Agent": "policy-radar"}
    if not allow_private and (address := first_non_public(parts.hostname or "")) is not None:
        raise DeliveryError(_private(kind, receiver, address), permanent=True)
    extensions = {} if allow_private else {"trace": _refuse_private_peer}
    try:
        with httpx.Client(timeout=timeout, follow_redirects=False) as client:
            answer = client.post(url, json=payload(message), headers=headers, extensions=extensions)
    except PrivatePeer as refused:
        raise DeliveryError(_private(kind, receiver, refused.address), permanent=True) from None
    except httpx.TimeoutException:
        raise DeliveryError(f"The {kind} receiver {receiver} did not answer within {timeout:g} s.") from None
    except httpx.HTTPError as error:
        # httpx's messages rarely quote the URL, but a secret must not leak if one does.
        reason = _hide(str(error) or type(error).__name__, secrets)
        raise DeliveryError(f"Could not reach the {kind} receiver {receiver}: {reason}") from None
    if answer.is_success:
        return
    said = _hide(" ".join(answer.text.split())[:ANSWER_EXCERPT], secrets)
    raise DeliveryError(
        f"The {kind} receiver {receiver} answered {answer.status_code} {answer.reason_phrase}"
        + (f": {said}" if said else "")
        + (f" (Retry-After: {answer.headers['Retry-After']})" if "Retry-After" in answer.headers else ""),
        permanent=not (answer.status_code in TEMPORARY_STATUSES or answer.status_code >= 500),
    )


def _usable(url: str) -> urllib.parse.SplitResult | None:
    """`url` split, if it is an http(s) URL with a host that httpx can post to; else None."""
    try:
        parts = urllib.parse.urlsplit(url)
        _port = parts.port  # ValueError for a port that is no number, or out of range
        httpx.URL(url)  # InvalidURL for a control character, among others: refused before any look-up
    except (ValueError, httpx.InvalidURL):
        return None
    return parts if parts.scheme in ("http", "https") and parts.hostname else None


class PrivatePeer(Exception):
    """A connection was made to a non-public address, and closed before anything was sent."""

    def __init__(self, address: str) -> None:
        super().__init__(address)
        self.address = address


def _refuse_private_peer(event: str, info: dict[str, Any]) -> None:
    """httpcore's `trace` hook: when a connection is open, before anything is sent on it, close it
    and raise PrivatePeer if the address it reached is not public."""
    if event != "connection.connect_tcp.complete":
        return
    stream = info["return_value"]
    peer = stream.get_extra_info("server_addr")
    if peer and non_public(ip_address_of(str(peer[0]))):
        stream.close()
        raise PrivatePeer(str(peer[0]))


def _private(kind: str, receiver: str, address: str) -> str:
    return (
        f"The {kind} receiver {receiver} is at a private, loopback or link-local address ({address}), "
        "so nothing was sent: set RADAR_WEBHOOK_ALLOW_PRIVATE=1 to send alerts to such addresses."
    )


def _hide(text: str, secrets: list[str]) -> str:
    for secret in sorted(secrets, key=len, reverse=True):  # the whole URL before its parts
        text = text.replace(secret, "…")
    return text
