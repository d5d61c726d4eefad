"""GET /api/items/{id}: tags with their evidence, versions with what changed, the story's other
sources; items ingested the way `radar ingest` does."""

from __future__ import annotations

import json
import os

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from radar.settings import Settings
from tests.radar.test_cli import radar

RELEASE = (
    "IMDA issued a Code of Practice for Online Safety for App Distribution Services. App stores must check users' "
    "ages before they download apps rated for adults, from 31 March 2025, and report on their age assurance "
    "measures to IMDA every year."
)


def lines(*items: dict[str, str]) -> bytes:
    return b"".join(json.dumps(item).encode() + b"\n" for item in items)


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    data = tmp_path_factory.mktemp("items") / "data"
    first = {"url": "https://imda.example/code", "title": "IMDA code for app stores", "text": RELEASE,
             "published": "2025-01-15", "source": "sg-imda", "source_kind": "regulator"}  # fmt: skip
    copy = {**first, "url": "https://news.example/imda-code", "source": "sg-news", "source_kind": "news"}
    changed = {**first, "text": RELEASE.replace("31 March 2025", "30 June 2025")}
    os.environ["RADAR_DATA_DIR"] = str(data)
    try:
        for batch in ((first, copy), (changed,)):
            done = radar("ingest", stdin=lines(*batch))
            assert done.returncode == 0, done.stderr.decode()
    finally:
        del os.environ["RADAR_DATA_DIR"]
    with TestClient(create_app(Settings(data_dir=data, database_url=None, elasticsearch_url=None))) as client:
        yield client


def test_an_item_with_its_evidence_versions_and_story(client: TestClient) -> None:
    found = client.get("/api/search", params={"q": "app stores"}).json()["items"]
    (hit,) = [item for item in found if item["source"] == "sg-imda"]
    item = client.get(f"/api/items/{hit['id']}").json()
    assert item["jurisdictions"] == ["SG"] and "child_safety" in item["harm_areas"]
    assert item["evidence"]["jurisdictions"]["SG"]  # the words that gave the tag
    assert [version["version"] for version in item["versions"]] == [1, 2]
    assert "-" in item["versions"][1]["diff"] and "30 June 2025" in item["versions"][1]["diff"]
    assert [other["source"] for other in item["story"]] == ["sg-news"]


def test_an_unknown_item_or_route_is_a_404_with_a_message(client: TestClient) -> None:
    answer = client.get("/api/items/nope")
    assert answer.status_code == 404 and "No item 'nope'" in answer.json()["error"]
    assert client.get("/api/nothing-here").json() == {"error": "Not Found"}
