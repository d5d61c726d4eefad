"""The unsubscribe link of every alert (/unsubscribe/{id}?key=KEY): opening it changes nothing,
its button or a mail client's one-click POST (RFC 8058) removes the subscription with no login,
a wrong key or id is the same 404, and the key shows nowhere but in the page's form, nor in the
server's log."""

from __future__ import annotations

import html
import json
import re
import urllib.request
from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient

from tests.api.conftest import bearer, radar_serve
from tests.api.test_subscriptions_api import SCAMS, unsubscribe_key

ONE_CLICK = {"List-Unsubscribe": "One-Click"}


def subscribe(client: TestClient, data_dir: Path, token: str | None = None) -> tuple[int, str]:
    """A subscription made through the API: its id and the key of its unsubscribe links."""
    made = client.post("/api/subscriptions", json=SCAMS, headers=bearer(token) if token else {})
    assert made.status_code == 201
    return made.json()["id"], unsubscribe_key(data_dir, made.json()["id"])


def test_opening_the_link_shows_what_it_stops_and_changes_nothing(
    client_for: Callable[..., TestClient], data_dir: Path
) -> None:
    client = client_for()
    subscription_id, key = subscribe(client, data_dir)
    for _ in range(2):  # a mail scanner's fetch, then the person's
        page = client.get(f"/unsubscribe/{subscription_id}", params={"key": key})
        assert page.status_code == 200 and "Stop the alerts of “MY scams”?" in page.text
    assert page.headers["cache-control"] == "no-store" and "noindex" in page.headers["x-robots-tag"]
    assert page.text.count(key) == 1  # in the form's action, and nowhere else
    assert f'<form method="post" action="/unsubscribe/{subscription_id}?key={key}">' in page.text
    assert [each["id"] for each in client.get("/api/subscriptions").json()] == [subscription_id]


def test_a_mail_clients_one_click_post_removes_it_without_cookie_or_login(
    client_for: Callable[..., TestClient], data_dir: Path
) -> None:
    client = client_for()
    subscription_id, key = subscribe(client, data_dir)
    client.cookies.clear()
    # As RFC 8058 has it: the form body, no cookie; and from wherever the mail was read.
    done = client.post(
        f"/unsubscribe/{subscription_id}?key={key}", data=ONE_CLICK, headers={"Sec-Fetch-Site": "cross-site"}
    )
    assert done.status_code == 200 and "“MY scams” is unsubscribed" in done.text and key not in done.text
    assert client.get("/api/subscriptions").json() == []
    again = client.post(f"/unsubscribe/{subscription_id}?key={key}", data=ONE_CLICK)
    assert again.status_code == 404


def test_the_pages_button_removes_it(client_for: Callable[..., TestClient], data_dir: Path) -> None:
    client = client_for()
    subscription_id, key = subscribe(client, data_dir)
    page = client.get(f"/unsubscribe/{subscription_id}", params={"key": key}).text
    (form,) = re.findall(r'<form method="post" action="([^"]+)">(.*?)</form>', page, re.DOTALL)
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]+)">', form[1]))
    assert fields == ONE_CLICK
    done = client.post(html.unescape(form[0]), data=fields)
    assert done.status_code == 200 and "is unsubscribed" in done.text
    assert client.get("/api/subscriptions").json() == []


def test_a_wrong_key_and_an_unknown_id_are_the_same_404(client_for: Callable[..., TestClient], data_dir: Path) -> None:
    client = client_for()
    subscription_id, key = subscribe(client, data_dir)
    other_id, _other_key = subscribe(client, data_dir)
    refused = [
        client.get(f"/unsubscribe/{subscription_id}", params={"key": "not-the-key"}),
        client.get(f"/unsubscribe/{subscription_id}"),
        client.get(f"/unsubscribe/{subscription_id}", params={"key": "ключ"}),
        client.get(f"/unsubscribe/{other_id}", params={"key": key}),  # another subscription's key
        client.get(f"/unsubscribe/{other_id + 100}", params={"key": key}),
        client.post(f"/unsubscribe/{subscription_id}", params={"key": key[:-1]}, data=ONE_CLICK),
        client.post(f"/unsubscribe/{other_id + 100}", params={"key": key}, data=ONE_CLICK),
    ]
    assert [answer.status_code for answer in refused] == [404] * len(refused)
    assert len({answer.text for answer in refused}) == 1  # nothing tells which of the two was wrong
    assert "This unsubscribe link does not work" in refused[0].text and key not in refused[0].text
    assert len(client.get("/api/subscriptions").json()) == 2
    for beyond in (0, 2**63):  # ids the store cannot hold: a bad parameter, not a crash
        assert client.get(f"/unsubscribe/{beyond}", params={"key": key}).status_code == 400
        assert client.post(f"/unsubscribe/{beyond}", params={"key": key}, data=ONE_CLICK).status_code == 400


def test_it_works_for_whoever_holds_the_link_once_accounts_exist(
    client_for: Callable[..., TestClient], data_dir: Path, add_user: Callable[[str, str], str]
) -> None:
    editor = add_user("ed", "editor")
    for public in (False, True):
        client = client_for(public=public)
        subscription_id, key = subscribe(client, data_dir, editor)
        assert client.get("/subscriptions", follow_redirects=False).status_code == 303  # no one is logged in
        assert client.get(f"/unsubscribe/{subscription_id}", params={"key": key}).status_code == 200
        done = client.post(f"/unsubscribe/{subscription_id}", params={"key": key}, data=ONE_CLICK)
        assert done.status_code == 200 and "is unsubscribed" in done.text
        assert client.get("/api/subscriptions", headers=bearer(editor)).json() == []


def test_the_links_are_rate_limited(client_for: Callable[..., TestClient], data_dir: Path) -> None:
    client = client_for(api_rate_limit="3/minute")
    subscription_id, _key = subscribe(client, data_dir)  # one of the three
    answers = [client.get(f"/unsubscribe/{subscription_id}", params={"key": "guess"}) for _ in range(3)]
    assert [answer.status_code for answer in answers] == [404, 404, 429]
    assert "Too many requests" in answers[-1].text and answers[-1].headers["content-type"].startswith("text/html")


def test_the_key_stays_out_of_the_servers_log(data_dir: Path) -> None:
    log_path = data_dir.parent / "serve.log"
    with radar_serve(data_dir, log_path=log_path) as base:
        made = urllib.request.Request(
            f"{base}/api/subscriptions", data=json.dumps(SCAMS).encode(), headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(made) as answer:
            subscription_id = json.load(answer)["id"]
        key = unsubscribe_key(data_dir, subscription_id)
        link = f"{base}/unsubscribe/{subscription_id}?key={key}"
        with urllib.request.urlopen(link) as answer:
            assert answer.status == 200
        with urllib.request.urlopen(urllib.request.Request(link, data=b"List-Unsubscribe=One-Click")) as answer:
            assert answer.status == 200
    log = log_path.read_text()
    assert f'"GET /unsubscribe/{subscription_id}?key=[hidden] HTTP/1.1" 200' in log  # the access log was on
    assert f'"POST /unsubscribe/{subscription_id}?key=[hidden] HTTP/1.1" 200' in log
    assert key not in log
