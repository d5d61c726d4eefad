"""GET /api/sources and /api/sources/{id}: a registry file joined with the health the crawler
recorded in the store, sources that need a look first."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from crawlers.state import CrawlState
from radar.engines import open_store
from radar.settings import Settings
from tests.api.conftest import bearer
from tests.index.search_fixtures import make_item

REGISTRY = """\
sources:
- {id: au-fine, name: Fine, kind: regulator, jurisdiction: AU, language: en, family: feed, url: 'https://au.example/feed'}
- {id: sg-fresh, name: Never crawled, kind: news, jurisdiction: SG, language: en, family: page,
   url: 'https://sg.example/page'}
- {id: sg-blocked, name: Blocked, kind: regulator, jurisdiction: SG, language: en, family: listing,
   url: 'https://sg.example/news', links: 'a.release', max_pages: 2}
- {id: nz-quiet, name: Quiet, kind: ngo, jurisdiction: NZ, language: en, family: feed, url: 'https://nz.example/rss',
   rhythm_days: 7, homepage: 'https://nz.example/', notes: Publishes weekly}
- {id: nz-off, name: Switched off, kind: ministry, jurisdiction: NZ, language: en, family: feed,
   url: 'https://nz.example/off', enabled: false, notes: Moved to a new site}
"""


def settings_for(directory: Path, registry: str | None) -> Settings:
    sources_file = None
    if registry is not None:
        sources_file = directory / "sources.yaml"
        sources_file.write_text(registry, encoding="utf-8")
    return Settings(data_dir=directory / "data", database_url=None, elasticsearch_url=None, sources_file=sources_file)


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    settings = settings_for(tmp_path_factory.mktemp("sources"), REGISTRY)
    now = dt.datetime.now(dt.UTC)
    store = open_store(settings)
    try:
        store.upsert([make_item("fine-1", source="au-fine", fetched_at=now - dt.timedelta(days=2))])
        state = CrawlState(store.engine)  # type: ignore[attr-defined]
        state.record("au-fine", now - dt.timedelta(days=1), new_items=1)
        state.record("sg-blocked", now - dt.timedelta(days=1), error_class="blocked", error="HTTP 403 from sg.example")
        state.record("nz-quiet", now - dt.timedelta(days=30), new_items=1)
        state.record("nz-quiet", now - dt.timedelta(days=1))
    finally:
        store.close()
    with TestClient(create_app(settings)) as client:
        yield client


def ids(answer: dict) -> list[str]:
    return [source["id"] for source in answer["sources"]]


def test_enabled_sources_with_those_needing_a_look_first(client: TestClient) -> None:
    answer = client.get("/api/sources")
    assert answer.status_code == 200
    body = answer.json()
    assert ids(body) == ["sg-blocked", "nz-quiet", "au-fine", "sg-fresh"]
    assert body["count"] == 4 and body["flagged"] == 2
    by_id = {source["id"]: source for source in body["sources"]}
    assert by_id["sg-blocked"]["flag"] == "blocked (HTTP 403 from sg.example)"
    assert by_id["nz-quiet"]["flag"].startswith("silent for 30 days (usually every 7)")
    assert by_id["au-fine"]["flag"] is None
    assert by_id["au-fine"]["health"]["items_7_days"] == 1 and by_id["au-fine"]["health"]["last_success_at"]
    assert by_id["sg-fresh"]["health"] is None


def test_filters_by_country_flag_and_disabled(client: TestClient) -> None:
    assert ids(client.get("/api/sources", params={"flagged": "true"}).json()) == ["sg-blocked", "nz-quiet"]
    assert ids(client.get("/api/sources", params={"country": "sg"}).json()) == ["sg-blocked", "sg-fresh"]
    both = client.get("/api/sources", params={"country": ["au", "NZ"], "all": "true"}).json()
    assert ids(both) == ["nz-quiet", "au-fine", "nz-off"]
    assert [source["enabled"] for source in both["sources"]] == [True, True, False]


def test_one_source_with_its_registry_entry_health_and_flag(client: TestClient) -> None:
    blocked = client.get("/api/sources/sg-blocked").json()
    assert blocked["family"] == "listing" and blocked["url"] == "https://sg.example/news"
    assert blocked["parameters"] == {"links": "a.release", "follow": None, "next_page": None, "max_pages": 2}
    assert blocked["health"]["consecutive_failures"] == 1 and blocked["health"]["last_error_class"] == "blocked"
    assert blocked["flag"].startswith("blocked")
    quiet = client.get("/api/sources/nz-quiet").json()
    assert (quiet["homepage"], quiet["rhythm_days"], quiet["notes"]) == ("https://nz.example/", 7, "Publishes weekly")
    off = client.get("/api/sources/nz-off").json()  # a disabled source is still there to look up
    assert off["enabled"] is False and off["kind"] == "ministry" and off["health"] is None


def test_an_unknown_source_or_a_bad_parameter_is_an_error_with_a_message(client: TestClient) -> None:
    missing = client.get("/api/sources/xx-nothing")
    assert missing.status_code == 404
    assert missing.json() == {"error": "No source 'xx-nothing' in the registry: /api/sources?all=true lists them."}
    bad = client.get("/api/sources", params={"flagged": "perhaps"})
    assert bad.status_code == 400 and bad.json()["error"].startswith("bad parameter(s): flagged:")


def test_the_shipped_registry_is_the_default(tmp_path: Path) -> None:
    with TestClient(create_app(settings_for(tmp_path, None))) as client:
        body = client.get("/api/sources").json()
    assert "au-esafety" in ids(body) and all(source["enabled"] for source in body["sources"])
    assert body["flagged"] == 0  # nothing crawled yet


def test_a_broken_registry_is_a_503_naming_the_problem(tmp_path: Path) -> None:
    broken = "sources:\n- {id: sg-feed, name: A feed, kind: regulator, jurisdiction: SG, language: en, family: feed}\n"
    with TestClient(create_app(settings_for(tmp_path, broken))) as client:
        for path in ("/api/sources", "/api/sources/sg-feed"):
            answer = client.get(path)
            assert answer.status_code == 503
            assert "sg-feed: url: is required" in answer.json()["error"]


def test_editors_pause_and_resume_a_source_from_the_api_and_the_page(
    client_for: Callable[..., TestClient], add_user: Callable[[str, str], str]
) -> None:
    viewer, editor = add_user("vi", "viewer"), add_user("ed", "editor")
    client = client_for()
    refused = client.patch("/api/sources/au-esafety", json={"enabled": False}, headers=bearer(viewer))
    assert refused.status_code == 403
    paused = client.patch("/api/sources/au-esafety", json={"enabled": False}, headers=bearer(editor))
    assert paused.status_code == 200 and paused.json()["enabled"] is False
    listed = client.get("/api/sources", headers=bearer(viewer)).json()["sources"]
    assert "au-esafety" not in [each["id"] for each in listed]
    assert client.patch("/api/sources/xx-nowhere", json={"enabled": False}, headers=bearer(editor)).status_code == 404
    # the page's Resume button, as the editor logged in
    page = client_for()
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.get("/login").text).group(1)
    page.post("/login", data={"csrf": csrf, "name": "ed", "token": editor})
    assert re.search(r'aria-label="Resume eSafety[^"]*"', page.get("/sources").text)
    resumed = page.post("/sources/au-esafety/switch", data={"csrf": csrf, "enabled": "true"})
    assert (
        resumed.status_code == 200 and client.get("/api/sources/au-esafety", headers=bearer(viewer)).json()["enabled"]
    )
