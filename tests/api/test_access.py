"""Who may do what: the single-user mode on loopback, API tokens and roles, the login session
of the web page, rate limits, CSRF on forms and the security headers."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient

from tests.api.conftest import bearer

SUBSCRIPTION = {"name": "MY scams", "harm": ["scams_fraud"], "country": ["MY"], "channels": ["email:lead@example.org"]}


def csrf_of(client: TestClient, path: str = "/login") -> str:
    page = client.get(path)
    return re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)


def test_without_accounts_on_loopback_everyone_is_the_local_admin(client_for: Callable[..., TestClient]) -> None:
    client = client_for()
    assert client.get("/api/me").json()["name"] == "local"
    assert client.get("/api/users").json() == []
    assert client.post("/api/subscriptions", json=SUBSCRIPTION).status_code == 201
    assert client.get("/").status_code == 200


def test_a_public_app_without_accounts_lets_nobody_in(client_for: Callable[..., TestClient]) -> None:
    client = client_for(public=True)
    answer = client.get("/api/search")
    assert answer.status_code == 401 and "Authorization: Bearer" in answer.json()["error"]
    assert answer.headers["WWW-Authenticate"] == "Bearer"
    page = client.get("/", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"] == "/login?next=%2F"


def test_once_accounts_exist_a_token_is_needed_and_roles_hold(
    client_for: Callable[..., TestClient], add_user: Callable[[str, str], str]
) -> None:
    viewer, editor, admin = add_user("vi", "viewer"), add_user("ed", "editor"), add_user("ad", "admin")
    client = client_for()
    assert client.get("/api/search").status_code == 401
    assert (
        client.get("/api/search", headers=bearer("radar_not-a-token"))
        .json()["error"]
        .startswith("That API token is not valid")
    )
    assert client.get("/api/search", headers=bearer(viewer)).json()["total"] == 12
    assert client.get("/api/me", headers=bearer(editor)).json() == {
        "name": "ed",
        "role": "editor",
        "created_at": client.get("/api/me", headers=bearer(editor)).json()["created_at"],
    }
    refused = client.post("/api/subscriptions", json=SUBSCRIPTION, headers=bearer(viewer))
    assert refused.status_code == 403 and "needs the editor role" in refused.json()["error"]
    assert client.post("/api/subscriptions", json=SUBSCRIPTION, headers=bearer(editor)).status_code == 201
    assert client.get("/api/users", headers=bearer(editor)).status_code == 403
    assert [user["name"] for user in client.get("/api/users", headers=bearer(admin)).json()] == ["ad", "ed", "vi"]


def test_an_admin_adds_a_user_whose_token_works_at_once_and_is_stored_only_hashed(
    client_for: Callable[..., TestClient], add_user: Callable[[str, str], str], data_dir: Path
) -> None:
    admin = add_user("ad", "admin")
    client = client_for()
    made = client.post("/api/users", json={"name": "newcomer", "role": "viewer"}, headers=bearer(admin))
    assert made.status_code == 201
    token = made.json()["token"]
    assert client.get("/api/me", headers=bearer(token)).json()["name"] == "newcomer"
    again = client.post("/api/users", json={"name": "newcomer"}, headers=bearer(admin))
    assert again.status_code == 409 and "already a user called 'newcomer'" in again.json()["error"]
    stored = b"".join(path.read_bytes() for path in data_dir.glob("store.sqlite3*"))
    assert token.encode() not in stored and admin.encode() not in stored
    assert client.delete("/api/users/newcomer", headers=bearer(admin)).status_code == 204
    assert client.get("/api/me", headers=bearer(token)).status_code == 401


def test_the_web_page_logs_in_with_name_and_token_and_out_again(
    client_for: Callable[..., TestClient], add_user: Callable[[str, str], str]
) -> None:
    token = add_user("lead", "editor")
    client = client_for(public=True)
    assert client.get("/subscriptions", follow_redirects=False).headers["location"] == "/login?next=%2Fsubscriptions"
    csrf = csrf_of(client)
    wrong = client.post("/login", data={"csrf": csrf, "name": "lead", "token": "radar_wrong"})
    assert wrong.status_code == 401 and "do not match" in wrong.text
    not_theirs = client.post("/login", data={"csrf": csrf, "name": "someone-else", "token": token})
    assert not_theirs.status_code == 401
    not_ascii = client.post("/login", data={"csrf": csrf, "name": "Đặng Thị Lan", "token": token})
    assert not_ascii.status_code == 401
    done = client.post(
        "/login", data={"csrf": csrf, "name": "lead", "token": token, "next": "/subscriptions"}, follow_redirects=False
    )
    assert done.status_code == 303 and done.headers["location"] == "/subscriptions"
    cookie = done.headers["set-cookie"]
    assert "radar_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert client.get("/subscriptions").status_code == 200
    assert client.get("/api/me").json()["name"] == "lead"  # the session works for the API from the page too
    assert client.post("/logout", data={"csrf": csrf}, follow_redirects=False).status_code == 303
    assert client.get("/subscriptions", follow_redirects=False).status_code == 303


def test_login_goes_only_to_a_page_of_this_site(
    client_for: Callable[..., TestClient], add_user: Callable[[str, str], str]
) -> None:
    token = add_user("lead", "viewer")
    client = client_for(public=True)
    csrf = csrf_of(client)
    for elsewhere in ("https://evil.example/", "//evil.example/x"):
        done = client.post(
            "/login", data={"csrf": csrf, "name": "lead", "token": token, "next": elsewhere}, follow_redirects=False
        )
        assert done.headers["location"] == "/"


def test_forms_without_this_browsers_csrf_token_are_refused(
    client_for: Callable[..., TestClient], add_user: Callable[[str, str], str]
) -> None:
    token = add_user("lead", "editor")
    client = client_for()
    csrf_of(client)  # the browser has its cookie; a page on another site cannot read it
    for form in ({}, {"csrf": "a-guess-from-another-site-that-is-long-enough"}, {"csrf": "ключ-не-тот"}):
        answer = client.post("/login", data={**form, "name": "lead", "token": token})
        assert answer.status_code == 403 and "came from another site" in answer.text
    fresh = client_for()  # no cookie at all
    assert fresh.post("/subscriptions", data={"csrf": "x" * 43, "name": "n"}).status_code == 403


def test_rate_limits_answer_429_with_a_message(
    client_for: Callable[..., TestClient], add_user: Callable[[str, str], str]
) -> None:
    token = add_user("lead", "viewer")
    client = client_for(api_rate_limit="3/minute", login_rate_limit="2/minute")
    assert [client.get("/api/search", headers=bearer(token)).status_code for _ in range(4)] == [200, 200, 200, 429]
    limited = client.get("/api/search", headers=bearer(token))
    assert "Too many requests" in limited.json()["error"] and limited.headers["Retry-After"] == "60"
    assert client.get("/api/me").status_code == 401  # another client (no token): its own window
    csrf = csrf_of(client)
    attempts = [client.post("/login", data={"csrf": csrf, "name": "lead", "token": "wrong"}) for _ in range(3)]
    assert [answer.status_code for answer in attempts] == [401, 401, 429]
    assert "Too many login attempts" in attempts[2].text


def test_every_response_carries_the_security_headers(client_for: Callable[..., TestClient]) -> None:
    client = client_for()
    for path in ("/", "/api/search", "/items/nope", "/static/radar.css"):
        headers = client.get(path).headers
        policy = headers["Content-Security-Policy"]
        assert "script-src 'self';" in policy and "unsafe-inline" not in policy, path
        assert "frame-ancestors 'none'" in policy and headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY" and headers["Referrer-Policy"] == "same-origin"
    assert client.get("/docs").status_code == 200  # Swagger UI's own inline script is allowed there alone


def test_a_change_sent_with_the_session_cookie_from_another_site_is_refused(
    client_for: Callable[..., TestClient], add_user: Callable[[str, str], str]
) -> None:
    token = add_user("lead", "editor")
    client = client_for()
    csrf = csrf_of(client)
    client.post("/login", data={"csrf": csrf, "name": "lead", "token": token})
    for other_site in ({"Origin": "https://evil.example"}, {"Sec-Fetch-Site": "cross-site"}):
        refused = client.post("/api/subscriptions", json=SUBSCRIPTION, headers=other_site)
        assert refused.status_code == 403 and "came from another site" in refused.json()["error"]
    assert client.get("/api/me", headers={"Sec-Fetch-Site": "cross-site"}).status_code == 200  # reading is fine
    own = client.post("/api/subscriptions", json=SUBSCRIPTION, headers={"Origin": "http://testserver"})
    assert own.status_code == 201
    scripted = client_for().post("/api/subscriptions", json=SUBSCRIPTION, headers={**bearer(token), "Origin": "x://y"})
    assert scripted.status_code == 201  # a token is not sent by browsers on their own: no check needed


def test_a_feed_reader_may_put_the_token_in_the_feeds_url_only(
    client_for: Callable[..., TestClient], add_user: Callable[[str, str], str]
) -> None:
    token = add_user("reader", "viewer")
    client = client_for()
    feed = client.get("/feeds/search.atom", params={"q": "scam", "token": token})
    assert feed.status_code == 200 and feed.headers["content-type"].startswith("application/atom+xml")
    assert client.get("/feeds/search.atom", params={"q": "scam"}).status_code == 401
    assert client.get("/api/search", params={"q": "scam", "token": token}).status_code == 401


def test_admins_see_the_settings_without_passwords(
    client_for: Callable[..., TestClient], add_user: Callable[[str, str], str]
) -> None:
    admin, editor = add_user("root", "admin"), add_user("ed", "editor")
    client = client_for(api_rate_limit="100/minute")
    assert client.get("/api/settings", headers=bearer(editor)).status_code == 403
    shown = client.get("/api/settings", headers=bearer(admin)).json()
    assert shown["store"] == "SQLite in the data directory" and shown["api_rate_limit"] == "100/minute"
    assert (shown["public"], shown["accounts"]) == (False, 2)


def test_passwords_in_urls_are_hidden() -> None:
    from api.routes.settings import hidden_password

    assert hidden_password("postgresql://radar:s3cret@db:5432/radar") == "postgresql://radar:***@db:5432/radar"
    assert hidden_password("https://es.example:9200") == "https://es.example:9200"
