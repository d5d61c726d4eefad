"""/api/subscriptions: made, listed, read and removed by their owner; refused, with what to
change, when they could never be delivered; shown with the deliveries that failed, and never
with their unsubscribe key."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from index.store.alert_log import AlertLog, NewAlert
from index.store.subscriptions import Subscriptions
from radar.engines import open_store
from tests.api.conftest import bearer, settings_for

SCAMS = {
    "name": "MY scams",
    "query": "consultation",
    "country": ["my"],
    "harm": ["scams_fraud"],
    "channels": ["email:lead@example.org", "slack:https://hooks.slack.example/T0/B0"],
    "cadence": "daily",
    "digest_time": "07:30",
    "time_zone": "Asia/Kuala_Lumpur",
}


def test_a_subscription_is_kept_as_given_and_removed(client_for: Callable[..., TestClient]) -> None:
    client = client_for()
    made = client.post("/api/subscriptions", json=SCAMS)
    assert made.status_code == 201
    body = made.json()
    assert {key: body[key] for key in SCAMS} == {**SCAMS, "country": ["MY"]}
    assert client.get(f"/api/subscriptions/{body['id']}").json() == body
    assert client.get("/api/subscriptions").json() == [body]
    assert client.delete(f"/api/subscriptions/{body['id']}").status_code == 204
    assert client.get("/api/subscriptions").json() == []
    gone = client.get(f"/api/subscriptions/{body['id']}")
    assert gone.status_code == 404 and "GET /api/subscriptions lists them" in gone.json()["error"]
    for beyond in (2**63, 0):  # ids the store cannot hold: a bad parameter, not a crash
        assert client.get(f"/api/subscriptions/{beyond}").status_code == 400
        assert client.delete(f"/api/subscriptions/{beyond}").status_code == 400


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"query": '"unbalanced'}, "Its query cannot be run: Unbalanced quote"),
        ({"query": "", "country": [], "harm": []}, "Give it a query or at least one filter"),
        ({"harm": ["scams"]}, "Unknown harm scams: use one of child_safety"),
        ({"doc_type": ["memo"]}, "Unknown doc_type memo"),
        ({"channels": ["pager:123"]}, "is not KIND:ADDRESS"),
        ({"channels": ["email:not-an-address"]}, "is not an email address"),
        ({"channels": ["webhook:http://10.0.0.1/hook"]}, "is an https:// URL"),
        ({"time_zone": "Asia/Atlantis"}, "Unknown time zone 'Asia/Atlantis'"),
        ({"digest_time": "25:00"}, "HH:MM on a 24-hour clock"),
        ({"cadence": "hourly"}, "cadence"),
        ({"channels": []}, "channels"),
    ],
)
def test_a_subscription_that_could_not_be_delivered_is_refused_saying_why(
    client_for: Callable[..., TestClient], change: dict, message: str
) -> None:
    client = client_for()
    answer = client.post("/api/subscriptions", json={**SCAMS, **change})
    assert answer.status_code == 400 and message in answer.json()["error"]
    assert client.get("/api/subscriptions").json() == []


def test_each_user_sees_their_own_and_an_admin_sees_all(
    client_for: Callable[..., TestClient], add_user: Callable[[str, str], str]
) -> None:
    alice, bob, admin = add_user("alice", "editor"), add_user("bob", "editor"), add_user("root", "admin")
    client = client_for()
    made = client.post("/api/subscriptions", json=SCAMS, headers=bearer(alice)).json()
    assert client.get("/api/subscriptions", headers=bearer(bob)).json() == []
    assert client.get(f"/api/subscriptions/{made['id']}", headers=bearer(bob)).status_code == 404
    assert client.delete(f"/api/subscriptions/{made['id']}", headers=bearer(bob)).status_code == 404
    assert client.get("/api/subscriptions", headers=bearer(bob), params={"all": True}).json() == []
    assert [each["id"] for each in client.get("/api/subscriptions?all=true", headers=bearer(admin)).json()] == [
        made["id"]
    ]
    assert client.delete(f"/api/users/{'alice'}", headers=bearer(admin)).status_code == 204
    assert client.get("/api/subscriptions?all=true", headers=bearer(admin)).json() == []  # theirs went with them


@contextlib.contextmanager
def stored(data_dir: Path) -> Iterator[Engine]:
    """The engine of the store in `data_dir`, for what the API does not do (the alerts' side)."""
    store = open_store(settings_for(data_dir))
    try:
        yield store.engine  # type: ignore[attr-defined]
    finally:
        store.close()


def unsubscribe_key(data_dir: Path, subscription_id: int) -> str:
    with stored(data_dir) as engine:
        found = Subscriptions(engine).get(subscription_id)
    assert found is not None and found.unsubscribe_key
    return found.unsubscribe_key


def fail_deliveries(
    data_dir: Path, subscription_id: int, failures: dict[str, tuple[str, dt.datetime | None]], now: dt.datetime
) -> None:
    """One alert of the subscription on each channel of `failures`, whose delivery fails with
    that error: retried at the time given, or abandoned when it is None (as the alerts record it)."""
    with stored(data_dir) as engine:
        alert_log = AlertLog(engine)
        alert = NewAlert(
            subscription_id=subscription_id,
            story_id="story-1",
            revision=0,
            kind="new",
            item_id=None,
            item_version=None,
            reasons={},
            changes=(),
            snapshot={},
            channels=tuple(failures),
            due_at=now,
        )
        assert alert_log.record([alert], (), now) == 1
        for delivery in alert_log.claim_due(now, dt.timedelta(minutes=5)):
            if delivery.subscription_id == subscription_id:
                error, retry_at = failures[delivery.channel]
                alert_log.mark_failed([delivery.id], error, now, retry_at)


def test_a_trend_subscription_watches_harm_areas_without_a_query(client_for: Callable[..., TestClient]) -> None:
    client = client_for()
    trend = {"name": "Scam surge", "kind": "trend", "harm": ["scams_fraud"], "channels": ["email:a@example.org"]}
    made = client.post("/api/subscriptions", json=trend)
    assert made.status_code == 201 and (made.json()["kind"], made.json()["query"]) == ("trend", "")
    assert client.post("/api/subscriptions", json=SCAMS).json()["kind"] == "search"  # the default
    for refused in ({**trend, "query": "scam"}, {**trend, "harm": []}):
        answer = client.post("/api/subscriptions", json=refused)
        assert answer.status_code == 400 and "give at least one harm area and no query" in answer.json()["error"]
    health = client.post("/api/subscriptions", json={**trend, "kind": "health"})  # the tracker's own kind
    assert health.status_code == 400 and "kind" in health.json()["error"]
    assert [each["kind"] for each in client.get("/api/subscriptions").json()] == ["trend", "search"]


def test_the_unsubscribe_key_never_leaves_in_the_api(client_for: Callable[..., TestClient], data_dir: Path) -> None:
    client = client_for()
    made = client.post("/api/subscriptions", json=SCAMS)
    key = unsubscribe_key(data_dir, made.json()["id"])
    answers = [
        made,
        client.get("/api/subscriptions"),
        client.get("/api/subscriptions", params={"all": True}),
        client.get(f"/api/subscriptions/{made.json()['id']}"),
    ]
    for answer in answers:
        assert answer.status_code in (200, 201) and key not in answer.text and "unsubscribe" not in answer.text


def test_failed_deliveries_show_with_each_subscription_and_webhook_paths_hidden(
    client_for: Callable[..., TestClient], data_dir: Path
) -> None:
    client = client_for()
    hook = "https://hooks.example.org/services/T0/s3cret-path?token=t0ken"
    made = client.post("/api/subscriptions", json={**SCAMS, "channels": ["email:lead@example.org", f"webhook:{hook}"]})
    other = client.post("/api/subscriptions", json={**SCAMS, "name": "Fine"}).json()
    now = dt.datetime(2025, 6, 1, 1, 0, tzinfo=dt.UTC)
    retry_at = now + dt.timedelta(minutes=102)
    failures = {
        "email:lead@example.org": ("The relay smtp.example.org:25 refused the connection.", retry_at),
        f"webhook:{hook}": (f"The webhook receiver answered 410 Gone for {hook}", None),
    }
    fail_deliveries(data_dir, made.json()["id"], failures, now)
    (shown,) = [each for each in client.get("/api/subscriptions").json() if each["id"] == made.json()["id"]]
    assert shown["delivery_problems"] == [
        {
            "channel": "email:lead@example.org",
            "status": "failed",
            "attempts": 1,
            "last_error": "The relay smtp.example.org:25 refused the connection.",
            "next_attempt_at": "2025-06-01T02:42:00+00:00",
            "alerts": 1,
        },
        {
            "channel": "webhook:https://hooks.example.org/...",
            "status": "abandoned",
            "attempts": 1,
            "last_error": "The webhook receiver answered 410 Gone for https://hooks.example.org/...",
            "next_attempt_at": None,
            "alerts": 1,
        },
    ]
    assert client.get(f"/api/subscriptions/{made.json()['id']}").json() == shown
    assert client.get(f"/api/subscriptions/{other['id']}").json()["delivery_problems"] == []


def test_an_admin_sees_the_trackers_own_health_subscription(
    client_for: Callable[..., TestClient], add_user: Callable[[str, str], str], data_dir: Path
) -> None:
    admin, editor = add_user("root", "admin"), add_user("ed", "editor")
    with stored(data_dir) as engine:
        health = Subscriptions(engine).health_watch(("email:ops@example.org",), dt.datetime.now(dt.UTC))
    client = client_for()
    listed = client.get("/api/subscriptions", headers=bearer(admin)).json()
    assert [(each["id"], each["kind"], each["channels"]) for each in listed] == [
        (health.id, "health", ["email:ops@example.org"])
    ]
    assert client.get("/api/subscriptions", headers=bearer(editor)).json() == []
    assert client.get(f"/api/subscriptions/{health.id}", headers=bearer(editor)).status_code == 404
