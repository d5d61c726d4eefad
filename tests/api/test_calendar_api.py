"""GET /calendar.ics over the example items: an iCalendar a client can read, its filters, a token
in the query for calendar clients (which cannot send headers), and JSON errors for bad parameters."""

from __future__ import annotations

from collections.abc import Callable

import icalendar
from fastapi.testclient import TestClient

from tests.api.conftest import bearer

PUBLIC_URL = "https://radar.example.org"
# The example items' key dates are in 2024 and 2025.
EXAMPLE_YEARS = {"from": "2024-01-01", "to": "2025-12-31"}
SG_CONSULTATION = "Public consultation on proposed measures against scam advertisements"


def summaries(body: bytes) -> list[str]:
    return [str(event["SUMMARY"]) for event in icalendar.Calendar.from_ical(body).walk("VEVENT")]


def test_the_calendar_is_text_calendar_with_the_items_deadlines_commencements_and_hearings(
    client_for: Callable[..., TestClient],
) -> None:
    client = client_for(public_url=PUBLIC_URL)

    answer = client.get("/calendar.ics", params=EXAMPLE_YEARS)

    assert answer.status_code == 200
    assert answer.headers["content-type"] == "text/calendar; charset=utf-8"
    found = summaries(answer.content)
    assert f"Deadline: {SG_CONSULTATION} (SG)" in found
    assert any(summary.startswith("Commencement: ") and summary.endswith("(AU)") for summary in found)
    assert all(summary.split(":")[0] in ("Deadline", "Commencement", "Hearing") for summary in found)

    narrowed = client.get("/calendar.ics", params={**EXAMPLE_YEARS, "country": ["sg", "MY"], "harm": "scams_fraud"})
    (event,) = icalendar.Calendar.from_ical(narrowed.content).walk("VEVENT")
    assert str(event["SUMMARY"]) == f"Deadline: {SG_CONSULTATION} (SG)"
    sg_id = client.get("/api/search", params={"country": "SG"}).json()["items"][0]["id"]
    assert str(event["URL"]) == f"{PUBLIC_URL}/items/{sg_id}"
    # The default window (a month ago to a year ahead) is a calendar too, whatever it holds.
    assert icalendar.Calendar.from_ical(client.get("/calendar.ics").content)["VERSION"] == "2.0"


def test_once_accounts_exist_a_calendar_client_sends_its_token_in_the_query(
    client_for: Callable[..., TestClient], add_user: Callable[[str, str], str]
) -> None:
    token = add_user("calendar", "viewer")
    client = client_for()

    refused = client.get("/calendar.ics", params=EXAMPLE_YEARS)
    assert refused.status_code == 401 and refused.json()["error"].startswith("Log in first")
    assert refused.headers["WWW-Authenticate"] == "Bearer"
    wrong = client.get("/calendar.ics", params={**EXAMPLE_YEARS, "token": "radar_not-a-token"})
    assert wrong.status_code == 401 and "not valid" in wrong.json()["error"]

    allowed = client.get("/calendar.ics", params={**EXAMPLE_YEARS, "token": token})
    assert allowed.status_code == 200 and f"Deadline: {SG_CONSULTATION} (SG)" in summaries(allowed.content)
    assert client.get("/calendar.ics", params=EXAMPLE_YEARS, headers=bearer(token)).status_code == 200
    # The query token stays the feeds' and the calendar's: the API still wants the header.
    assert client.get("/api/search", params={"token": token}).status_code == 401


def test_bad_parameters_are_a_400_saying_what_to_change(client_for: Callable[..., TestClient]) -> None:
    client = client_for()

    bad_date = client.get("/calendar.ics", params={"from": "2025-13-01"})
    assert bad_date.status_code == 400 and bad_date.json()["error"].startswith("bad parameter(s): from")
    bad_harm = client.get("/calendar.ics", params={"harm": "scams"})
    assert bad_harm.status_code == 400 and bad_harm.json()["error"].startswith("Unknown harm scams: use one of")
    backwards = client.get("/calendar.ics", params={"from": "2026-02-01", "to": "2026-01-01"})
    assert backwards.status_code == 400 and "before it starts" in backwards.json()["error"]


def test_the_calendar_is_rate_limited_like_the_api(client_for: Callable[..., TestClient]) -> None:
    client = client_for(api_rate_limit="2/minute")
    assert [client.get("/calendar.ics").status_code for _ in range(3)] == [200, 200, 429]
