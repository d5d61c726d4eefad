"""Webhook alerts posted to a real HTTP receiver on loopback (allowed here: webhooks to private
addresses are refused by default, tests/security/test_ssrf.py): each format's body, the headers a
receiver deduplicates by, statuses as permanent or temporary failures, and secrets kept out of
the errors."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from alerts import channels
from alerts.records import AlertItem, DeliveryError, Message
from alerts.webhooks import send_webhook
from radar.settings import Settings
from tests.alerts.receivers import WebhookReceiver, free_port

AlertFactory = Callable[..., AlertItem]
MessageFactory = Callable[..., Message]
SECRET_PATH = "/services/T0001/B0002/XyZsecretToken123"
SECRET_QUERY = "sig=s3cr3tSignature456"


def test_a_generic_webhook_gets_the_json(webhook_receiver: WebhookReceiver, make_message: MessageFactory) -> None:
    message = make_message(channel=f"webhook:{webhook_receiver.url}/radar", key="sub-7-alerts-1")
    channels.send(message, _no_email())
    (received,) = webhook_receiver.wait_for(1)
    assert received.path == "/radar"
    assert received.headers["content-type"] == "application/json"
    assert received.headers["user-agent"] == "policy-radar"
    assert received.headers["idempotency-key"] == "sub-7-alerts-1"
    assert received.body["key"] == "sub-7-alerts-1"
    assert received.body["subscription"] == {"id": 7, "name": "AU age checks", "cadence": "instant"}
    (alert,) = received.body["alerts"]
    assert alert["url"] == "https://radar.example.org/items/item-1"
    assert alert["source_url"] == "https://www.esafety.gov.au/newsroom/media-releases/age-checks"
    assert received.body["unsubscribe_url"] == "https://radar.example.org/unsubscribe/7/k3y"


def test_the_idempotency_key_is_the_same_on_a_retry(
    webhook_receiver: WebhookReceiver, make_message: MessageFactory
) -> None:
    message = make_message(channel=f"webhook:{webhook_receiver.url}/radar", key="sub-7-alerts-3-4")
    webhook_receiver.answer(503)
    with pytest.raises(DeliveryError):
        send_webhook(message, allow_private=True)
    send_webhook(message, allow_private=True)
    first, second = webhook_receiver.wait_for(2)
    assert first.headers["idempotency-key"] == second.headers["idempotency-key"] == "sub-7-alerts-3-4"
    assert first.raw == second.raw  # the same body too


def test_slack_gets_escaped_blocks(
    webhook_receiver: WebhookReceiver, make_alert: AlertFactory, make_message: MessageFactory
) -> None:
    alert = make_alert(title="<script>x</script> & <https://evil.example|click> <!here>", source_url="javascript:x")
    send_webhook(make_message(alert, channel=f"slack:{webhook_receiver.url}{SECRET_PATH}"), allow_private=True)
    (received,) = webhook_receiver.wait_for(1)
    assert received.path == SECRET_PATH
    body = received.body
    assert body["text"].startswith("[AU age checks] New: &lt;script&gt;x&lt;/script&gt; &amp; &lt;https")
    assert [block["type"] for block in body["blocks"]] == ["header", "section", "section", "context"]
    text = body["blocks"][2]["text"]["text"]
    assert text.startswith(
        "*New: <https://radar.example.org/items/item-1|&lt;script&gt;x&lt;/script&gt; &amp; "
        "&lt;https://evil.example|click&gt; &lt;!here&gt;>*\n"
    )
    assert "javascript:" not in received.raw.decode()
    # The header block is plain_text, which Slack never reads as mrkdwn: it shows the title as it is.
    assert body["blocks"][0]["text"]["type"] == "plain_text"


def test_teams_gets_an_adaptive_card(
    webhook_receiver: WebhookReceiver, make_alert: AlertFactory, make_message: MessageFactory
) -> None:
    alert = make_alert(title="[click](https://evil.example) **now**")
    send_webhook(
        make_message(alert, channel=f"teams:{webhook_receiver.url}/workflows/abc?{SECRET_QUERY}"), allow_private=True
    )
    (received,) = webhook_receiver.wait_for(1)
    assert received.path == f"/workflows/abc?{SECRET_QUERY}"
    assert received.body["type"] == "message"
    (attachment,) = received.body["attachments"]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    card = attachment["content"]
    assert card["type"] == "AdaptiveCard"
    title = card["body"][2]["items"][0]  # after the card's heading and the group's heading
    assert title["type"] == "RichTextBlock"
    assert title["inlines"][1] == {
        "type": "TextRun",
        "text": "[click](https://evil.example) **now**",  # a TextRun reads no Markdown
        "weight": "Bolder",
        "selectAction": {"type": "Action.OpenUrl", "url": "https://radar.example.org/items/item-1"},
    }
    assert {action["url"] for action in card["actions"]} == {
        "https://radar.example.org/subscriptions",
        "https://radar.example.org/unsubscribe/7/k3y",
    }


@pytest.mark.parametrize("status", [200, 201, 202, 204])
def test_2xx_is_delivered(webhook_receiver: WebhookReceiver, make_message: MessageFactory, status: int) -> None:
    webhook_receiver.answer(status)
    send_webhook(make_message(channel=f"webhook:{webhook_receiver.url}/radar"), allow_private=True)
    assert len(webhook_receiver.wait_for(1)) == 1


@pytest.mark.parametrize(
    ("status", "permanent"),
    [(408, False), (429, False), (500, False), (502, False), (503, False), (400, True), (403, True), (404, True),
     (410, True), (301, True)],
)  # fmt: skip
def test_statuses_are_permanent_or_temporary(
    webhook_receiver: WebhookReceiver, make_message: MessageFactory, status: int, permanent: bool
) -> None:
    webhook_receiver.answer(status, body="no_service")
    with pytest.raises(DeliveryError) as failure:
        send_webhook(make_message(channel=f"webhook:{webhook_receiver.url}/radar"), allow_private=True)
    assert failure.value.permanent is permanent
    assert f"answered {status}" in str(failure.value)
    assert "no_service" in str(failure.value)  # what the receiver said, as Slack says why
    assert len(webhook_receiver.requests) == 1  # a redirect is not followed


@pytest.mark.parametrize("kind", ["slack", "teams", "webhook"])
def test_a_secret_url_is_not_in_the_error(
    webhook_receiver: WebhookReceiver, make_message: MessageFactory, kind: str
) -> None:
    url = f"{webhook_receiver.url}{SECRET_PATH}?{SECRET_QUERY}"
    # A receiver quoting the URL back in its answer must not leak it either.
    webhook_receiver.answer(404, body=f"no webhook at {url} ({SECRET_PATH})")
    with pytest.raises(DeliveryError) as failure:
        channels.send(make_message(channel=f"{kind}:{url}"), _no_email())
    error = str(failure.value)
    assert failure.value.permanent is True
    assert error.startswith(f"The {kind} receiver {webhook_receiver.url} answered 404 Not Found")
    assert "XyZsecretToken123" not in error and "s3cr3tSignature456" not in error and "/services" not in error


def test_a_receiver_that_is_down_is_temporary(make_message: MessageFactory) -> None:
    port = free_port()  # nothing listens there
    with pytest.raises(DeliveryError) as failure:
        send_webhook(
            make_message(channel=f"slack:http://127.0.0.1:{port}{SECRET_PATH}?{SECRET_QUERY}"), allow_private=True
        )
    error = str(failure.value)
    assert failure.value.permanent is False
    assert error.startswith(f"Could not reach the slack receiver http://127.0.0.1:{port}: ")
    assert "XyZsecretToken123" not in error and "s3cr3tSignature456" not in error


def test_a_receiver_that_does_not_answer_times_out(
    webhook_receiver: WebhookReceiver, make_message: MessageFactory
) -> None:
    hold = webhook_receiver.hold_next()
    with pytest.raises(DeliveryError) as failure:
        send_webhook(
            make_message(channel=f"teams:{webhook_receiver.url}{SECRET_PATH}"), timeout=0.5, allow_private=True
        )
    assert hold.arrived.is_set()
    assert failure.value.permanent is False
    assert str(failure.value) == f"The teams receiver {webhook_receiver.url} did not answer within 0.5 s."


def test_a_channel_of_no_known_kind_is_permanent(make_message: MessageFactory) -> None:
    with pytest.raises(DeliveryError) as failure:
        channels.send(make_message(channel="pager:+61400000000"), _no_email())
    assert failure.value.permanent is True
    assert "pager:+61400000000" in str(failure.value)
    with pytest.raises(DeliveryError) as failure:
        send_webhook(make_message(channel="webhook:javascript:alert(1)"))
    assert failure.value.permanent is True


def _no_email() -> Settings:
    """Settings with no SMTP relay (a webhook channel needs none), and webhooks allowed on loopback."""
    return Settings(data_dir=Path("data"), database_url=None, elasticsearch_url=None, webhook_allow_private=True)
