"""/api/subscriptions: made, listed, read and removed by their owner; refused, with what to
change, when they could never be delivered."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import bearer

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
