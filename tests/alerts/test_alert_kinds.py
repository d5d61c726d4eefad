"""The other alerts end to end: a surge for a trend subscription, a source needing a look for the
admins, and a Slack webhook, each delivered to a real receiver on loopback, each once."""

from __future__ import annotations

import datetime as dt
import json
import logging
from pathlib import Path

import pytest
from sqlalchemy import update

from alerts.runner import check_source_health, check_trends, run_alerts
from crawlers.state import CrawlState
from index.store.models import subscriptions
from index.store.sql_store import SqlStore
from index.store.subscriptions import NewSubscription, Subscriptions
from radar.settings import Settings
from tests.alerts.receivers import SmtpServer, WebhookReceiver
from tests.index.conftest import make_item

NOW = dt.datetime(2025, 6, 30, 18, 0, tzinfo=dt.UTC)


def store_in(tmp_path: Path) -> SqlStore:
    return SqlStore.open(None, tmp_path / "data")


def test_a_surge_alerts_its_trend_subscription_once_with_its_items(tmp_path: Path, smtp_server: SmtpServer) -> None:
    store = store_in(tmp_path)
    made = NOW - dt.timedelta(days=40)
    trend = NewSubscription(
        name="Scam surges", kind="trend", harm_areas=("scams_fraud",), channels=("email:lead@example.org",)
    )
    Subscriptions(store.engine).add(trend, None, made)
    quiet = [
        make_item(
            f"old-{day}", harm_areas=("scams_fraud",), jurisdictions=("PH",), published_at=NOW - dt.timedelta(days=day)
        )
        for day in range(2, 28, 3)
    ]
    today = [
        make_item(
            f"today-{n}",
            title=f"Text scam wave number {n} hits Philippine banks",
            text=f"Report {n}: " + " ".join(f"word{n}x{k}" for k in range(60)),
            harm_areas=("scams_fraud",),
            jurisdictions=("PH",),
            published_at=NOW - dt.timedelta(hours=n + 1),
        )
        for n in range(6)
    ]
    store.upsert([*quiet, *today])
    settings = smtp_server.settings(data_dir=tmp_path / "data")

    assert check_trends(settings, NOW) == "1 surge alerts made"
    assert check_trends(settings, NOW + dt.timedelta(hours=1)) == "0 surge alerts made"
    run_alerts(settings, NOW + dt.timedelta(hours=1))
    (mail,) = smtp_server.messages
    text = mail.get_body(("plain",)).get_content()
    assert "Surge: 6 items on scams_fraud in PH" in text
    assert "Text scam wave number 0 hits Philippine banks" in text
    store.close()


def test_a_failing_source_alerts_the_admins_once_per_episode(tmp_path: Path, smtp_server: SmtpServer) -> None:
    registry = tmp_path / "sources.yaml"
    registry.write_text(
        "sources:\n"
        "  - {id: sg-imda, name: IMDA, kind: regulator, jurisdiction: SG, language: en, family: feed,"
        " url: 'https://www.imda.gov.sg/feed.xml'}\n",
        encoding="utf-8",
    )
    store = store_in(tmp_path)
    state = CrawlState(store.engine)
    state.record("sg-imda", NOW - dt.timedelta(days=1))  # a success, then three failures
    for hours in (3, 2, 1):
        state.record("sg-imda", NOW - dt.timedelta(hours=hours), "timeout", "no answer within 30 s")
    settings = smtp_server.settings(
        data_dir=tmp_path / "data", sources_file=registry, admin_channels=("email:ops@example.org",)
    )

    assert check_source_health(settings, NOW) == "1 source-health alerts made"
    assert check_source_health(settings, NOW + dt.timedelta(hours=1)) == "0 source-health alerts made"
    run_alerts(settings, NOW)
    (mail,) = smtp_server.messages
    assert mail["To"] == "ops@example.org"
    assert "sg-imda" in mail.get_body(("plain",)).get_content()

    state.record("sg-imda", NOW + dt.timedelta(hours=2))  # it recovers, then fails anew
    for hours in (3, 4, 5):
        state.record("sg-imda", NOW + dt.timedelta(hours=hours), "blocked", "403 from a datacenter range")
    assert check_source_health(settings, NOW + dt.timedelta(hours=6)) == "1 source-health alerts made"
    store.close()


def test_without_admin_channels_source_health_says_so(tmp_path: Path, smtp_server: SmtpServer) -> None:
    settings = smtp_server.settings(data_dir=tmp_path / "data")
    assert "RADAR_ADMIN_CHANNELS" in check_source_health(settings, NOW)


def test_a_slack_subscription_posts_blocks_to_its_webhook(tmp_path: Path, webhook_receiver: WebhookReceiver) -> None:
    store = store_in(tmp_path)
    new = NewSubscription(
        name="AU age assurance", jurisdictions=("AU",), channels=("slack:https://hooks.slack.com/services/T0/B0/x",)
    )
    made = Subscriptions(store.engine).add(new, None, NOW - dt.timedelta(days=1))
    # Subscriptions take https:// webhooks only; the receiver on loopback speaks plain HTTP.
    channel = f"slack:{webhook_receiver.url}/services/T000/B000/secret"
    with store.engine.begin() as conn:
        conn.execute(update(subscriptions).where(subscriptions.c.id == made.id).values(channels=[channel]))
    store.upsert([make_item("a", fetched_at=NOW)])
    # The receiver is on loopback, where webhooks are refused unless allowed.
    settings = Settings(
        data_dir=tmp_path / "data", database_url=None, elasticsearch_url=None, webhook_allow_private=True
    )

    assert "1 messages sent" in run_alerts(settings, NOW)
    (received,) = webhook_receiver.requests
    assert received.path == "/services/T000/B000/secret"
    assert received.body is not None and received.body["blocks"]
    assert "Regulator announces new online safety code (a)" in json.dumps(received.body)
    assert received.headers["idempotency-key"].startswith("radar-")
    store.close()


def test_failed_deliveries_are_logged_without_secrets(
    tmp_path: Path, webhook_receiver: WebhookReceiver, smtp_server: SmtpServer, caplog: pytest.LogCaptureFixture
) -> None:
    store = store_in(tmp_path)
    new = NewSubscription(
        name="AU", jurisdictions=("AU",), channels=("email:lead@example.org", "teams:https://example.org/x")
    )
    made = Subscriptions(store.engine).add(new, None, NOW - dt.timedelta(days=1))
    secret_hook = f"teams:{webhook_receiver.url}/workflows/very-secret-signature?sig=also-secret"
    with store.engine.begin() as conn:
        conn.execute(
            update(subscriptions)
            .where(subscriptions.c.id == made.id)
            .values(channels=["email:lead@example.org", secret_hook])
        )
    store.upsert([make_item("a", fetched_at=NOW)])
    webhook_receiver.answer(500, body="internal error at /workflows/very-secret-signature")
    smtp_server.fail_next(451)
    settings = smtp_server.settings(
        data_dir=tmp_path / "data", smtp_user="radar", smtp_password="hunter2-secret", webhook_allow_private=True
    )

    with caplog.at_level(logging.WARNING, logger="radar.alerts"):
        assert "2 failed to retry" in run_alerts(settings, NOW)
    logged = caplog.text
    assert "failed" in logged and "127.0.0.1" in logged
    for secret in ("very-secret-signature", "also-secret", "hunter2-secret"):
        assert secret not in logged
    store.close()
