"""Alert runs end to end: items stored, matched against subscriptions and delivered to a real
SMTP server on loopback; each (subscription, story) once; digests at their local time by a
clock the test sets; retries; a run killed mid-delivery and resumed."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import signal
import subprocess
import sys
from collections import Counter

from alerts.delivery import LEASE, MAX_ATTEMPTS, backoff
from alerts.runner import run_alerts
from index.records import StoredItem
from index.store.alert_log import AlertLog
from index.store.sql_store import SqlStore
from index.store.subscriptions import NewSubscription, Subscriptions
from radar.settings import Settings
from tests.alerts.receivers import SmtpServer
from tests.index import conftest as store_fixtures
from tests.index.conftest import StoreEngine, make_item, with_content

MADE = dt.datetime(2025, 3, 1, tzinfo=dt.UTC)
STORED = dt.datetime(2025, 3, 2, 12, 0, tzinfo=dt.UTC)  # make_item's fetched_at, to the minute
SCAMS = {"jurisdictions": ("MY",), "harm_areas": ("scams_fraud",)}


# On each store engine available (SQLite, and PostgreSQL when RADAR_TEST_DATABASE_URL is set).
store_engine = store_fixtures.store_engine
store = store_fixtures.store


def settings_for(smtp_server: SmtpServer, store_engine: StoreEngine, **changes: object) -> Settings:
    return smtp_server.settings(data_dir=store_engine.data_dir, database_url=store_engine.url, **changes)


def subscribe(store: SqlStore, name: str, to: str = "email:lead@example.org", **fields: object) -> int:
    new = NewSubscription(name=name, channels=(to,), **{**SCAMS, **fields})  # type: ignore[arg-type]
    return Subscriptions(store.engine).add(new, None, MADE).id


def scam_item(id: str, **fields: object) -> StoredItem:
    values: dict[str, object] = {
        "title": f"Malaysia opens consultation on online scams ({id})",
        "text": "The ministry consults on measures against scam calls and fraudulent investment ads. " * 8,
        **SCAMS,
    }
    values.update(fields)
    return make_item(id, **values)


def test_an_instant_alert_arrives_once_with_why_it_matched_and_an_unsubscribe_link(
    store: SqlStore, store_engine: StoreEngine, smtp_server: SmtpServer
) -> None:
    subscribe(store, "MY scams", query="consultation")
    store.upsert([scam_item("a"), make_item("off", jurisdictions=("AU",))])
    settings = settings_for(smtp_server, store_engine)

    summary = run_alerts(settings, STORED)
    assert "1 alerts made" in summary
    assert len(smtp_server.messages) == 1
    mail = smtp_server.messages[0]
    assert mail["To"] == "lead@example.org"
    text = mail.get_body(("plain",)).get_content()
    assert "Malaysia opens consultation on online scams (a)" in text
    assert "consultation" in text and "scams_fraud" in text  # the term and the tag it matched
    assert f"{settings.public_url}/items/a" in text
    assert "/unsubscribe/" in mail["List-Unsubscribe"]

    run_alerts(settings, STORED + dt.timedelta(minutes=1))
    store.upsert([scam_item("a")])  # the same version again
    run_alerts(settings, STORED + dt.timedelta(minutes=2))
    assert len(smtp_server.messages) == 1


def test_a_syndicated_copy_of_an_alerted_story_alerts_nobody(
    store: SqlStore, store_engine: StoreEngine, smtp_server: SmtpServer
) -> None:
    subscribe(store, "MY scams")
    store.upsert([scam_item("a")])
    settings = settings_for(smtp_server, store_engine)
    run_alerts(settings, STORED)
    copy = scam_item("a-copy", url="https://news.example.my/a-copy", source="wire")
    outcome = store.upsert([copy])
    assert outcome[0].joined_story  # the store grouped it with the first
    run_alerts(settings, STORED + dt.timedelta(minutes=1))
    assert len(smtp_server.messages) == 1


def test_a_material_change_alerts_again_saying_what_changed_and_a_small_one_does_not(
    store: SqlStore, store_engine: StoreEngine, smtp_server: SmtpServer
) -> None:
    subscribe(store, "MY scams")
    first = scam_item("a")
    store.upsert([first])
    settings = settings_for(smtp_server, store_engine)
    run_alerts(settings, STORED)

    typo = with_content(first, text=first.text.replace("ministry", "Ministry", 1))
    store.upsert([typo])
    run_alerts(settings, STORED + dt.timedelta(minutes=1))
    assert len(smtp_server.messages) == 1

    deadline = {"date": "2025-04-30", "kind": "deadline", "text": "by 30 April 2025"}
    changed = dataclasses.replace(
        with_content(typo, text=typo.text + " Submissions close on 30 April 2025."),
        dates=(*typo.dates, deadline),
        doc_type="consultation",
    )
    store.upsert([changed])
    run_alerts(settings, STORED + dt.timedelta(minutes=2))
    assert len(smtp_server.messages) == 2
    text = smtp_server.messages[1].get_body(("plain",)).get_content()
    assert "2025-04-30 deadline" in text
    assert "document type: press_release -> consultation" in text


def test_a_daily_digest_waits_for_its_local_time_and_groups_the_alerts(
    store: SqlStore, store_engine: StoreEngine, smtp_server: SmtpServer
) -> None:
    subscribe(store, "MY scams digest", cadence="daily", digest_time="08:00", time_zone="Asia/Kuala_Lumpur")
    store.upsert([scam_item("a"), scam_item("b", title="Police warn of investment scam ads")])
    settings = settings_for(smtp_server, store_engine)
    # Stored at 20:00 in Kuala Lumpur (UTC+8): due at 08:00 there the next morning, 00:00 UTC.
    run_alerts(settings, STORED)
    run_alerts(settings, dt.datetime(2025, 3, 2, 23, 59, tzinfo=dt.UTC))
    assert smtp_server.messages == []
    run_alerts(settings, dt.datetime(2025, 3, 3, 0, 0, tzinfo=dt.UTC))
    assert len(smtp_server.messages) == 1
    text = smtp_server.messages[0].get_body(("plain",)).get_content()
    assert "(a)" in text and "Police warn of investment scam ads" in text


def test_a_failed_delivery_is_retried_with_backoff_and_abandoned_when_refused_for_good(
    store: SqlStore, store_engine: StoreEngine, smtp_server: SmtpServer
) -> None:
    kept = subscribe(store, "MY scams")
    refused = subscribe(store, "MY scams elsewhere", to="email:nobody@example.org")
    store.upsert([scam_item("a")])
    settings = settings_for(smtp_server, store_engine)
    smtp_server.fail_next(451)  # the first message (subscription order), a passing trouble
    smtp_server.fail_next(550, stage="rcpt")  # the second's recipient, for good

    assert "1 failed to retry, 1 abandoned" in run_alerts(settings, STORED)
    problems = {problem.subscription_id: problem for problem in AlertLog(store.engine).problems([kept, refused])}
    assert problems[kept].status == "failed" and problems[kept].next_attempt_at == STORED + backoff(1)
    assert problems[refused].status == "abandoned" and "550" in problems[refused].last_error

    run_alerts(settings, STORED + backoff(1) - dt.timedelta(seconds=1))
    assert smtp_server.messages == []
    run_alerts(settings, STORED + backoff(1))
    assert [mail["To"] for mail in smtp_server.messages] == ["lead@example.org"]
    assert AlertLog(store.engine).counts() == {"sent": 1, "abandoned": 1}


def test_a_delivery_failing_every_time_is_given_up_after_the_last_attempt(
    store: SqlStore, store_engine: StoreEngine, smtp_server: SmtpServer
) -> None:
    subscribe(store, "MY scams")
    store.upsert([scam_item("a")])
    settings = settings_for(smtp_server, store_engine)
    smtp_server.fail_next(421, times=MAX_ATTEMPTS)
    now = STORED
    for attempt in range(1, MAX_ATTEMPTS + 1):
        run_alerts(settings, now)
        now += backoff(attempt)
    assert AlertLog(store.engine).counts() == {"abandoned": 1}
    assert smtp_server.messages == []


def test_a_run_killed_mid_delivery_and_resumed_sends_each_message_once(
    store: SqlStore, store_engine: StoreEngine, smtp_server: SmtpServer
) -> None:
    names = [f"MY scams {number}" for number in range(5)]
    for number, name in enumerate(names):
        subscribe(store, name, to=f"email:lead{number}@example.org")
    store.upsert([scam_item("a")])
    settings = settings_for(smtp_server, store_engine)
    held = smtp_server.hold_next(after=2)  # two messages go through, the third waits
    env = {
        **os.environ,
        "RADAR_DATA_DIR": str(settings.data_dir),
        "RADAR_SMTP_HOST": smtp_server.host,
        "RADAR_SMTP_PORT": str(smtp_server.port),
        "RADAR_DATABASE_URL": store_engine.url or "",
    }
    run = subprocess.Popen(
        [sys.executable, "-m", "radar.cli", "alerts", "run"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        assert held.arrived.wait(60), run.stderr.read().decode() if run.poll() is not None else "no third message"
        run.send_signal(signal.SIGKILL)
        run.wait(30)
    finally:
        if run.poll() is None:
            run.kill()
    # The held message was never answered, so never accepted: its sender died waiting (the hold
    # is released when the server closes, after the checks).
    assert len(smtp_server.messages) == 2

    # The killed run's deliveries stay leased to it until its lease runs out; then they go.
    resumed_at = dt.datetime.now(dt.UTC) + LEASE + dt.timedelta(seconds=1)
    run_alerts(settings, resumed_at)
    received = Counter(mail["To"] for mail in smtp_server.messages)
    assert received == {f"lead{number}@example.org": 1 for number in range(5)}
    assert len({mail["Message-ID"] for mail in smtp_server.messages}) == 5
    assert AlertLog(store.engine).counts() == {"sent": 5}
