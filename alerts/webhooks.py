"""Webhook alerts: one JSON POST in the channel's format (webhook: the generic JSON, slack: a
Slack incoming webhook, teams: a Teams workflow's Adaptive Card), with `Idempotency-Key:
{message.key}` (the same on every retry) and `User-Agent: policy-radar`.

A 2xx answer is a delivery; redirects are not followed. 408, 429, 5xx, a receiver that cannot
be reached or does not answer within the timeout raise a temporary DeliveryError; any other
answer a permanent one. Slack's and Teams' URLs carry their secret in the path and query, so
errors name the receiver by scheme and host only."""

from __future__ import annotations

import urllib.parse
from collections.abc import Callable
from typing import Any

import httpx

from alerts import chat, rendering
from alerts.records import DeliveryError, Message

TIMEOUT = 10.0  # seconds to connect, and for each read of the answer
FORMATS: dict[str, Callable[[Message], dict[str, Any]]] = {
    "webhook": rendering.json_payload,
    "slack": chat.slack_payload,
    "teams": chat.teams_payload,
}
TEMPORARY_STATUSES = frozenset({408, 429})
ANSWER_EXCERPT = 200  # characters of the receiver's answer quoted in an error (Slack says why there)


def send_webhook(message: Message, *, timeout: float = TIMEOUT) -> None:
    """POST `message` in its channel's format to the channel's URL, or raise DeliveryError."""
    kind, _, url = message.channel.partition(":")
    payload = FORMATS.get(kind)
    if payload is None:
        raise DeliveryError(f"Channel kind {kind!r} is not a webhook ({', '.join(FORMATS)}).", permanent=True)
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise DeliveryError(f"A {kind} channel must be an https:// URL.", permanent=True)
    receiver = f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}"  # without any user:password@
    secrets = [part for part in (url, parts.path, parts.query, parts.fragment) if part and part != "/"]
    headers = {"Idempotency-Key": message.key, "User-Agent": "policy-radar"}
    try:
        with httpx.Client(timeout=timeout, follow_redirects=False) as client:
            answer = client.post(url, json=payload(message), headers=headers)
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


def _hide(text: str, secrets: list[str]) -> str:
    for secret in sorted(secrets, key=len, reverse=True):  # the whole URL before its parts
        text = text.replace(secret, "…")
    return text
