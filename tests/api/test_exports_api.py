"""GET /api/exports/search.csv and .json: every item a search matches, page after page, up to a
cap that says when it cut; spreadsheet formulas in crawled text are made harmless."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.routes import exports
from radar.engines import open_search_engine
from radar.settings import Settings
from tests.index.search_fixtures import CORPUS, make_item

# Titles and sources a spreadsheet would run as formulas, one for each dangerous first character.
FORMULAS = ('=HYPERLINK("https://evil.example")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)", "\tTab", "\rReturn")
HOSTILE = tuple(
    make_item(f"formula-{number}", title=formula, source=formula, jurisdictions=("FJ",))
    for number, formula in enumerate(FORMULAS)
)


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    settings = Settings(data_dir=tmp_path_factory.mktemp("exports") / "data", database_url=None, elasticsearch_url=None)
    engine = open_search_engine(settings)
    engine.add((*CORPUS, *HOSTILE))
    engine.commit()
    engine.close()
    with TestClient(create_app(settings)) as client:
        yield client


@pytest.fixture
def small_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(exports, "PAGE_SIZE", 2)  # so an export follows several cursors


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"), newline="")))


def searched_ids(client: TestClient, params: dict) -> list[str]:
    return [item["id"] for item in client.get("/api/search", params={**params, "limit": 1000}).json()["items"]]


@pytest.mark.usefixtures("small_pages")
def test_csv_holds_every_matching_item_across_pages(client: TestClient) -> None:
    answer = client.get("/api/exports/search.csv", params={"country": ["AU", "SG", "KR"]})
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "text/csv; charset=utf-8"
    assert answer.headers["content-disposition"].startswith('attachment; filename="policy-radar-search-')
    assert answer.headers["content-disposition"].endswith('.csv"')
    assert answer.headers["x-total-count"] == "4" and "x-export-truncated" not in answer.headers
    assert answer.text.splitlines()[0] == "\ufeff" + ",".join(exports.COLUMNS)  # the BOM tells Excel it is UTF-8
    exported = rows(answer.text)
    assert [row["id"] for row in exported] == searched_ids(client, {"country": ["AU", "SG", "KR"]})
    korean = next(row for row in exported if row["id"] == "kr-deepfake")
    assert korean["harm_areas"] == "ai_synthetic_media;sexual_content"
    assert (korean["published"], korean["language"], korean["source_kind"]) == ("2024-09-05", "ko", "regulator")
    assert korean["title"] == "방송통신심의위원회, 딥페이크 성착취물 차단 강화"


@pytest.mark.usefixtures("small_pages")
def test_json_holds_the_same_items_with_lists(client: TestClient) -> None:
    answer = client.get("/api/exports/search.json", params={"q": "deepfake OR scam"})
    assert answer.status_code == 200 and answer.headers["content-disposition"].endswith('.json"')
    body = answer.json()
    assert body["truncated"] is False and body["total"] == len(body["items"]) >= 3
    assert [item["id"] for item in body["items"]] == searched_ids(client, {"q": "deepfake OR scam"})
    assert list(body["items"][0]) == list(exports.COLUMNS)
    assert all(isinstance(item["jurisdictions"], list) for item in body["items"])


def test_an_export_with_no_match_is_a_header_or_an_empty_list(client: TestClient) -> None:
    params = {"q": "nothingmatchesthisword"}
    assert client.get("/api/exports/search.csv", params=params).text.splitlines() == [
        "\ufeff" + ",".join(exports.COLUMNS)
    ]
    assert client.get("/api/exports/search.json", params=params).json() == {"total": 0, "truncated": False, "items": []}


def test_cells_a_spreadsheet_would_run_start_with_an_apostrophe(client: TestClient) -> None:
    exported = rows(client.get("/api/exports/search.csv", params={"country": "FJ"}).text)
    assert len(exported) == len(FORMULAS)
    for row in exported:
        assert row["title"].startswith("'") and row["title"][1:] in FORMULAS
        assert row["source"] == row["title"]
        assert row["url"].startswith("https://")  # harmless cells are left as they are
    # The JSON export is data, not a spreadsheet: its values are as crawled.
    items = client.get("/api/exports/search.json", params={"country": "FJ"}).json()["items"]
    assert sorted(item["title"] for item in items) == sorted(FORMULAS)


@pytest.mark.parametrize(
    ("value", "cell"),
    [("=1+1", "'=1+1"), ("@x", "'@x"), ("a=b", "a=b"), (["AU", "NZ"], "AU;NZ"), (["-AU"], "'-AU"), (None, "")],
)
def test_csv_cell(value: object, cell: str) -> None:
    assert exports.csv_cell(value) == cell


@pytest.mark.usefixtures("small_pages")
def test_an_export_past_the_cap_is_cut_and_says_so(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(exports, "EXPORT_CAP", 5)
    everything = searched_ids(client, {})
    csv_answer = client.get("/api/exports/search.csv")
    assert csv_answer.headers["x-export-truncated"] == "true"
    assert csv_answer.headers["x-total-count"] == str(len(everything)) and len(everything) > 5
    assert [row["id"] for row in rows(csv_answer.text)] == everything[:5]
    json_answer = client.get("/api/exports/search.json")
    assert json_answer.headers["x-export-truncated"] == "true"
    body = json_answer.json()
    assert body["truncated"] is True and body["total"] == len(everything)
    assert [item["id"] for item in body["items"]] == everything[:5]


def test_limit_and_cursor_do_not_shorten_an_export(client: TestClient) -> None:
    first_page = client.get("/api/search", params={"limit": 2}).json()
    answer = client.get("/api/exports/search.json", params={"limit": 2, "cursor": first_page["next_cursor"]})
    assert len(answer.json()["items"]) == first_page["total"]


@pytest.mark.parametrize("path", ["/api/exports/search.csv", "/api/exports/search.json"])
@pytest.mark.parametrize(
    ("params", "message"),
    [({"q": '"unbalanced'}, "Unbalanced quote"), ({"since": "March"}, "since:"), ({"sort": "oldest"}, "sort:")],
)
def test_a_bad_search_is_a_400_with_a_message(client: TestClient, path: str, params: dict, message: str) -> None:
    answer = client.get(path, params=params)
    assert answer.status_code == 400 and message in answer.json()["error"]
