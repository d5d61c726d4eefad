"""Deadline reminders end to end: a subscription alerted about a consultation hears again, through
a real SMTP server on loopback, when its deadline comes within seven days; once, never after the
deadline, made up when a daily run was missed, in the subscriber's own time zone. The clock is
passed to every run; nothing sleeps."""

from __future__ import annotations

import datetime as dt
from email.message import EmailMessage

from alerts.reminders import check_reminders
from alerts.runner import run_alerts
from index.records import StoredItem
from index.store.sql_store import SqlStore
from tests.alerts.receivers import SmtpServer
from tests.alerts.test_alert_runs import STORED, scam_item, settings_for, subscribe
from tests.index import conftest as store_fixtures
from tests.index.conftest import StoreEngine

# On each store engine available (SQLite, and PostgreSQL when RADAR_TEST_DATABASE_URL is set).
store_engine = store_fixtures.store_engine
store = store_fixtures.store

DEADLINE = dt.date(2025, 3, 12)  # ten days after the item is stored (STORED, 2 March)
TITLE = "Malaysia opens consultation on online scams (a)"
OTHER_TEXT = "Regulators seek views on rules for advertisers who run scam and fraud ads on platforms. " * 8


def consultation(id: str = "a", deadline: dt.date = DEADLINE, **fields: object) -> StoredItem:
    dates = ({"date": deadline.isoformat(), "kind": "deadline", "text": f"by {deadline:%d %B %Y}"},)
    return scam_item(id, doc_type="consultation", dates=dates, **fields)


def at(day: int, hour: int = 9) -> dt.datetime:
    """A time in March 2025, UTC."""
    return dt.datetime(2025, 3, day, hour, tzinfo=dt.UTC)


def subject(mail: EmailMessage) -> str:
    # Python folds some long subjects right after "Subject:" and reads them back with a leading space.
    return str(mail["Subject"]).strip()


def subjects(smtp_server: SmtpServer) -> list[str]:
    return [subject(mail) for mail in smtp_server.messages]


def test_a_reminder_comes_seven_days_before_the_deadline_and_only_once(
    store: SqlStore, store_engine: StoreEngine, smtp_server: SmtpServer
) -> None:
    subscribe(store, "MY scams")
    store.upsert([consultation()])
    settings = settings_for(smtp_server, store_engine, public_url="https://radar.example.org")
    run_alerts(settings, STORED)
    assert subjects(smtp_server) == [f"[MY scams] New: {TITLE}"]

    for day in (2, 3, 4):  # ten, nine and eight days ahead
        assert check_reminders(settings, at(day)) == "0 deadline reminders made"
        run_alerts(settings, at(day, 10))
    assert len(smtp_server.messages) == 1

    assert check_reminders(settings, at(5)) == "1 deadline reminders made"  # seven days ahead
    run_alerts(settings, at(5, 9))
    assert subjects(smtp_server)[1:] == [f"[MY scams] Reminder: Deadline in 7 days (12 Mar 2025): {TITLE}"]
    text = smtp_server.messages[1].get_body(("plain",)).get_content()
    assert "https://radar.example.org/items/a" in text
    assert "/unsubscribe/" in smtp_server.messages[1]["List-Unsubscribe"]

    for day in (5, 6, 11, 12, 13, 20):  # again the same day, the days after, the deadline, after it
        assert check_reminders(settings, at(day, 18)) == "0 deadline reminders made"
        run_alerts(settings, at(day, 19))
    assert len(smtp_server.messages) == 2


def test_a_missed_daily_run_makes_the_reminder_late_never_lost(
    store: SqlStore, store_engine: StoreEngine, smtp_server: SmtpServer
) -> None:
    subscribe(store, "MY scams")
    store.upsert([consultation()])
    settings = settings_for(smtp_server, store_engine)
    run_alerts(settings, STORED)

    # No run from 3 to 9 March: the next one, three days before the deadline, still reminds.
    assert check_reminders(settings, at(9)) == "1 deadline reminders made"
    run_alerts(settings, at(9))
    assert subjects(smtp_server)[-1] == f"[MY scams] Reminder: Deadline in 3 days (12 Mar 2025): {TITLE}"
    assert check_reminders(settings, at(10)) == "0 deadline reminders made"


def test_no_reminder_after_the_deadline_nor_for_a_story_never_alerted(
    store: SqlStore, store_engine: StoreEngine, smtp_server: SmtpServer
) -> None:
    subscribe(store, "MY scams")
    subscribe(store, "AU only", to="email:au@example.org", jurisdictions=("AU",))  # never matches these items
    store.upsert(
        [consultation(deadline=dt.date(2025, 3, 1)), consultation("b", title="Scam ads: consultation", text=OTHER_TEXT)]
    )
    settings = settings_for(smtp_server, store_engine)
    run_alerts(settings, STORED)
    assert [(mail["To"], subject(mail)) for mail in smtp_server.messages] == [
        ("lead@example.org", "[MY scams] 2 alerts")
    ]

    # Item a's deadline passed the day before it was stored; item b's is seven days ahead.
    assert check_reminders(settings, at(5)) == "1 deadline reminders made"
    run_alerts(settings, at(5))
    reminders = [mail for mail in smtp_server.messages if "Reminder" in subject(mail)]
    assert [(mail["To"], subject(mail)) for mail in reminders] == [
        ("lead@example.org", "[MY scams] Reminder: Deadline in 7 days (12 Mar 2025): Scam ads: consultation")
    ]


def test_a_deadline_only_a_copy_gives_reminds_the_story_s_subscribers(
    store: SqlStore, store_engine: StoreEngine, smtp_server: SmtpServer
) -> None:
    subscribe(store, "MY scams")
    store.upsert([scam_item("a", dates=())])
    settings = settings_for(smtp_server, store_engine)
    run_alerts(settings, STORED)
    copy = consultation("a-copy", url="https://news.example.my/a-copy", source="wire")
    assert store.upsert([copy])[0].joined_story
    run_alerts(settings, at(3))
    assert len(smtp_server.messages) == 1  # the copy alerts nobody

    assert check_reminders(settings, at(5)) == "1 deadline reminders made"
    run_alerts(settings, at(5))
    reminder = smtp_server.messages[-1]
    assert subject(reminder).startswith("[MY scams] Reminder: Deadline in 7 days (12 Mar 2025): ")
    assert "/items/a-copy" in reminder.get_body(("plain",)).get_content()  # the item that gives the deadline


def test_days_count_in_the_subscriber_s_zone_and_a_digest_subscriber_is_reminded_at_once(
    store: SqlStore, store_engine: StoreEngine, smtp_server: SmtpServer
) -> None:
    subscribe(store, "MY scams UTC", to="email:utc@example.org")
    subscribe(
        store,
        "MY scams Auckland",
        to="email:nz@example.org",
        cadence="weekly",
        digest_time="08:00",
        time_zone="Pacific/Auckland",
    )
    store.upsert([consultation()])
    settings = settings_for(smtp_server, store_engine)
    run_alerts(settings, STORED)
    run_alerts(settings, at(2, 19))  # 08:00 on Monday 3 March in Auckland (UTC+13): the weekly digest
    assert sorted(mail["To"] for mail in smtp_server.messages) == ["nz@example.org", "utc@example.org"]

    # 12:00 UTC on 4 March is 01:00 on 5 March in Auckland: seven days ahead there, eight in UTC.
    assert check_reminders(settings, at(4, 12)) == "1 deadline reminders made"
    run_alerts(settings, at(4, 12))  # due at once, not at the next Monday's digest
    assert [(mail["To"], subject(mail)) for mail in smtp_server.messages[2:]] == [
        ("nz@example.org", f"[MY scams Auckland] Reminder: Deadline in 7 days (12 Mar 2025): {TITLE}")
    ]
    assert check_reminders(settings, at(5, 0)) == "1 deadline reminders made"  # and now in UTC
