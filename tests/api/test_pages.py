"""The web page in process: search with facets and counts, each story once, the item page, the
sources, subscriptions (with their failed deliveries) and briefing pages, and errors as pages a
person can act on."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient

from index.store.subscriptions import Subscriptions
from tests.api.conftest import EXAMPLES, ingest
from tests.api.test_subscriptions_api import SCAMS, fail_deliveries, stored


def example(item_id: str) -> dict:
    return next(item for line in EXAMPLES.read_text().splitlines() if (item := json.loads(line))["id"] == item_id)


def hit_titles(html: str) -> list[str]:
    return re.findall(r'<li class="hit">\s*<h3><a href="/items/[^"]+">([^<]+)</a>', html)


def test_search_shows_hits_with_highlights_tags_and_facet_counts(client_for: Callable[..., TestClient]) -> None:
    page = client_for().get("/", params={"q": "scam"})
    assert page.status_code == 200
    assert "Public consultation on proposed measures against scam advertisements" in hit_titles(page.text)
    assert "<b>scam</b>" in page.text  # the snippet's highlight survives sanitising
    assert re.search(
        r'id="country-SG"[^>]*>\s*<label for="country-SG">Singapore <span class="count">1</span>', page.text
    )
    assert '<li class="tag harm">Scams and fraud</li>' in page.text
    assert 'href="/feeds/search.atom?q=scam"' in page.text and 'href="/api/exports/search.csv?q=scam"' in page.text


def test_a_country_facet_narrows_the_results_and_stays_checked(client_for: Callable[..., TestClient]) -> None:
    client = client_for()
    everything = hit_titles(client.get("/").text)
    page = client.get("/", params={"country": "SG"})
    assert 0 < len(hit_titles(page.text)) < len(everything)
    assert re.search(r'id="country-SG" name="country" value="SG" checked', page.text)
    assert "1 item</h2>" in page.text or "items</h2>" in page.text


def test_a_story_carried_by_several_sources_is_shown_once_with_their_count(
    client_for: Callable[..., TestClient], data_dir: Path
) -> None:
    original = example("ex02")
    copies = [
        {**original, "id": f"copy{n}", "url": f"https://news{n}.example/scam-ads", "source": f"news-{n}"}
        for n in range(2)
    ]
    ingest(data_dir, "".join(json.dumps(copy) + "\n" for copy in copies).encode())
    page = client_for().get("/", params={"q": "scam advertisements"})
    assert hit_titles(page.text).count(original["title"]) == 1
    assert ">+2 sources</a>" in page.text


def test_the_item_page_shows_tags_with_evidence_dates_and_the_source_link(
    client_for: Callable[..., TestClient],
) -> None:
    client = client_for()
    hit = client.get("/api/search", params={"q": "scam advertisements"}).json()["items"][0]
    page = client.get(f"/items/{hit['id']}")
    assert page.status_code == 200
    assert "<h1>Public consultation on proposed measures against scam advertisements</h1>" in page.text
    assert "Harm area: Scams and fraud" in page.text and "Country or region: Singapore" in page.text
    assert "<dt>Language: English</dt><dd>read from " in page.text
    assert '<time datetime="2025-10-31">2025-10-31</time>' in page.text  # the consultation's deadline
    assert "Read at the source (no web link)" in page.text  # this example has no URL of its own
    with_url = client.get("/api/search", params={"q": "under-16"}).json()["items"][0]
    linked = client.get(f"/items/{with_url['id']}").text
    assert (
        '<a href="https://www.esafety.gov.au/newsroom/media-releases/example" rel="noopener noreferrer nofollow" '
        'target="_blank">Read at the source' in linked
    )


def test_the_sources_page_lists_the_registry_with_health(client_for: Callable[..., TestClient]) -> None:
    page = client_for().get("/sources")
    assert page.status_code == 200
    assert "eSafety Commissioner" in page.text and "not crawled yet" in page.text


def test_a_subscription_is_added_and_removed_from_its_page(client_for: Callable[..., TestClient]) -> None:
    client = client_for()
    form = client.get("/subscriptions")
    csrf = re.search(r'name="csrf" value="([^"]+)"', form.text).group(1)
    fields = {"csrf": csrf, "name": "SG scams", "country": "sg, my", "harm": "scams_fraud", "email": "a@example.org"}
    added = client.post("/subscriptions", data={**fields, "cadence": "daily", "time_zone": "Asia/Singapore"})
    assert added.status_code == 200 and "<td>SG scams</td>" in added.text  # after the redirect
    (made,) = client.get("/api/subscriptions").json()
    assert (made["country"], made["harm"], made["channels"]) == (["SG", "MY"], ["scams_fraud"], ["email:a@example.org"])
    refused = client.post("/subscriptions", data={**fields, "time_zone": "Mars/Olympus"})
    assert refused.status_code == 400 and "Unknown time zone" in refused.text
    assert client.post(f"/subscriptions/{made['id']}/delete", data={"csrf": csrf}).status_code == 200
    assert client.get("/api/subscriptions").json() == []


def test_the_briefing_form_groups_the_windows_stories_by_harm_area(client_for: Callable[..., TestClient]) -> None:
    client = client_for()
    assert "Prepare" in client.get("/briefings").text
    page = client.get("/briefings", params={"country": "SG, MY", "days": 366 * 5})
    assert page.status_code == 400  # the window is at most a year
    page = client.get("/briefings", params={"country": "SG,MY", "days": 366})
    assert page.status_code == 200 and "<h2" in page.text


def test_errors_are_pages_saying_what_to_do(client_for: Callable[..., TestClient]) -> None:
    client = client_for()
    bad = client.get("/", params={"q": '"unbalanced'})
    assert bad.status_code == 400 and "That search cannot run" in bad.text and "Unbalanced quote" in bad.text
    bad_date = client.get("/", params={"since": "yesterday"})
    assert bad_date.status_code == 400 and bad_date.headers["content-type"].startswith("text/html")
    missing = client.get("/items/no-such-item")
    assert missing.status_code == 404 and "Search for it instead" in missing.text
    assert client.get("/", params={"since": "", "until": ""}).status_code == 200  # an empty date field is no date


def test_a_trend_subscription_is_added_from_the_page_and_shows_its_kind(
    client_for: Callable[..., TestClient],
) -> None:
    client = client_for()
    form = client.get("/subscriptions")
    assert '<select id="sub-kind" name="kind"' in form.text and "surge above their usual level" in form.text
    csrf = re.search(r'name="csrf" value="([^"]+)"', form.text).group(1)
    fields = {"csrf": csrf, "name": "Scam surge", "kind": "trend", "harm": "scams_fraud", "email": "a@example.org"}
    refused = client.post("/subscriptions", data={**fields, "q": "scam"})
    assert refused.status_code == 400 and "give at least one harm area and no query" in refused.text
    added = client.post("/subscriptions", data=fields)
    assert added.status_code == 200 and "<td>Scam surge</td>\n        <td>trend</td>" in added.text
    assert [each["kind"] for each in client.get("/api/subscriptions").json()] == ["trend"]


def test_failed_deliveries_show_beside_their_subscription(
    client_for: Callable[..., TestClient], data_dir: Path
) -> None:
    client = client_for()
    hook = "https://hooks.example.org/services/T0/s3cret-path"
    subscription = {**SCAMS, "channels": ["email:lead@example.org", f"webhook:{hook}"], "time_zone": "Asia/Singapore"}
    made = client.post("/api/subscriptions", json=subscription).json()
    now = dt.datetime(2025, 6, 1, 1, 0, tzinfo=dt.UTC)
    failures = {
        "email:lead@example.org": ("The relay refused the connection.", now + dt.timedelta(minutes=102)),
        f"webhook:{hook}": (f"{hook} answered 410 Gone", None),
    }
    fail_deliveries(data_dir, made["id"], failures, now)
    page = client.get("/subscriptions").text
    problems = re.search(r'<ul class="problems" aria-label="Delivery problems of MY scams">(.*?)</ul>', page).group(1)
    assert re.findall(r"<li>([^<]+)</li>", problems) == [
        "email:lead@example.org — failed 1 time, next try 01 Jun 10:42 Asia/Singapore: The relay refused the "
        "connection.",
        "webhook:https://hooks.example.org/... — abandoned after 1 attempt: https://hooks.example.org/... answered "
        "410 Gone",
    ]
    assert "s3cret-path" not in page  # nor in the channels it is sent to


def test_an_admin_sees_the_trackers_health_subscription_without_a_remove_button(
    client_for: Callable[..., TestClient], data_dir: Path
) -> None:
    with stored(data_dir) as engine:
        Subscriptions(engine).health_watch(("email:ops@example.org",), dt.datetime.now(dt.UTC))
    page = client_for().get("/subscriptions").text  # the local person is an admin
    assert "<td>Sources needing a look (admins)</td>\n        <td>health</td>" in page
    assert "Sent to RADAR_ADMIN_CHANNELS" in page and 'aria-label="Remove Sources needing a look' not in page
