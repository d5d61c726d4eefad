"""The API in process: /api/search answers as `radar search --json` does, and every bad request
is a 400 with a message, never a 500."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from radar.engines import open_search_engine
from radar.settings import Settings
from tests.index.search_fixtures import CORPUS
from tests.radar.test_cli import radar


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("api") / "data"
    engine = open_search_engine(Settings(data_dir=directory, database_url=None, elasticsearch_url=None))
    engine.add(CORPUS)
    engine.commit()
    engine.close()
    return directory


@pytest.fixture(scope="module")
def client(data_dir: Path) -> TestClient:
    with TestClient(create_app(Settings(data_dir=data_dir, database_url=None, elasticsearch_url=None))) as client:
        yield client


def test_search_answers_as_the_command_line_does(client: TestClient, data_dir: Path, monkeypatch) -> None:
    monkeypatch.setenv("RADAR_DATA_DIR", str(data_dir))
    answer = client.get("/api/search", params={"q": "age verification", "country": ["au", "SG"], "limit": 5})
    assert answer.status_code == 200
    printed = radar("search", "age verification", "--country", "au", "--country", "SG", "--limit", "5", "--json")
    assert answer.json() == json.loads(printed.stdout)
    assert answer.json()["total"] >= 1 and answer.json()["expanded_terms"]


def test_filters_facets_and_newest_first(client: TestClient) -> None:
    body = client.get("/api/search", params={"country": "AU", "sort": "newest"}).json()
    assert body["facets"]["jurisdictions"] == {"AU": 2}
    dates = [item["published"] for item in body["items"]]
    assert dates == sorted(dates, reverse=True)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": '"unbalanced'}, "Unbalanced quote"),
        ({"q": "nofield:x"}, "nofield"),
        ({"q": "x" * 10_001}, "limit is"),
        ({"limit": 5000}, "limit: Input should be less than or equal to 1000"),
        ({"since": "March"}, "since:"),
        ({"since": "2263-01-01"}, "since must be between 1900-01-01 and 2199-12-31"),
        ({"until": "1600-01-01"}, "until must be between"),
        ({"sort": "oldest"}, "sort:"),
        ({"cursor": "not-a-cursor"}, "cursor"),
    ],
)
def test_a_bad_request_is_a_400_with_a_message(client: TestClient, params: dict, message: str) -> None:
    answer = client.get("/api/search", params=params)
    assert answer.status_code == 400
    assert message in answer.json()["error"]


def test_health_and_openapi(client: TestClient) -> None:
    assert client.get("/health").json() == {"status": "ok"}
    schema = client.get("/openapi.json").json()
    assert "/api/search" in schema["paths"]
    assert client.get("/docs").status_code == 200
