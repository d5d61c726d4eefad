"""Sending a `Message` on its channel: `email:ADDRESS` by email, `webhook:`, `slack:` and
`teams:` URLs by webhook. Raises DeliveryError (permanent or not) when it could not be sent."""

from __future__ import annotations

from alerts.email import send_email
from alerts.records import DeliveryError, Message
from alerts.webhooks import FORMATS, send_webhook
from radar.settings import Settings


def send(message: Message, settings: Settings) -> None:
    """Send `message` on message.channel, or raise DeliveryError."""
    kind = message.channel.partition(":")[0]
    if kind == "email":
        send_email(message, settings)
    elif kind in FORMATS:
        send_webhook(message, allow_private=settings.webhook_allow_private)
    else:
        raise DeliveryError(
            f"Channel {message.channel!r} is of no kind the alerts send to (email, {', '.join(FORMATS)}).",
            permanent=True,
        )
