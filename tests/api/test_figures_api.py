"""GET /api/figures/weekly, /emerging and /coverage, as JSON and as CSV downloads: the figures of
briefings/figures.py over a real store and index, counted as at a fixed day (`as_of`); CSV cells
a spreadsheet would run as formulas made text; viewers only, once accounts exist."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterator

import httpx
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.routes.figures import COVERAGE_COLUMNS, EMERGING_COLUMNS, WEEKLY_COLUMNS
from crawlers.state import CrawlState
from radar.engines import open_store
from tests.api.conftest import bearer
from tests.briefings.figures_data import (
    FORMULA_PLACE,
    HOSTILE_SOURCE_NAME,
    HOSTILE_TITLE,
    build_data_dir,
    formula_item,
    stakeholder_items,
    surge_items,
    weekly_items,
    write_registry,
)

AS_OF = {"as_of": "2025-06-30"}  # the day of tests/briefings/figures_data.py's NOW
ROUTES = ("weekly", "weekly.csv", "emerging", "emerging.csv", "coverage", "coverage.csv")


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    directory = tmp_path_factory.mktemp("figures")
    settings = build_data_dir(
        directory / "data",
        [*weekly_items(), *surge_items(), *stakeholder_items(), formula_item()],
        sources_file=write_registry(directory / "sources.yaml"),
    )
    store = open_store(settings)
    try:  # the news source whose name is a formula has been blocked
        CrawlState(store.engine).record("kr-hostile", dt.datetime.now(dt.UTC), "blocked", "HTTP 403")  # type: ignore[attr-defined]
    finally:
        store.close()
    with TestClient(create_app(settings)) as client:
        yield client


def csv_rows(answer: httpx.Response) -> list[list[str]]:
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "text/csv; charset=utf-8"
    assert answer.headers["content-disposition"].startswith('attachment; filename="policy-radar-')
    assert answer.text.startswith("\ufeff")  # the BOM tells Excel it is UTF-8
    return list(csv.reader(io.StringIO(answer.text.removeprefix("\ufeff"), newline="")))


def test_weekly_figures_count_stories_per_week_harm_area_and_country(client: TestClient) -> None:
    answer = client.get("/api/figures/weekly", params={"weeks": 4, **AS_OF})
    assert answer.status_code == 200
    figures = answer.json()
    assert figures["weeks"] == ["2025-W24", "2025-W25", "2025-W26", "2025-W27"]
    assert figures["until"] == "2025-06-30T23:59:59.999999Z"  # the end of the as_of day
    assert figures["harm_areas"] == {
        "ai_synthetic_media": [0, 0, 1, 5],
        "child_safety": [1, 0, 3, 1],
        "scams_fraud": [0, 2, 2, 0],
    }
    assert figures["jurisdictions"] == {"AU": 6, "KR": 5, "SG": 2, "JP": 1, "NZ": 1}
    assert (figures["stories"], figures["items"]) == (14, 17)  # three stories carried twice or three times
    assert {
        "week": "2025-W26",
        "week_start": "2025-06-23",
        "harm_area": "child_safety",
        "jurisdiction": "AU",
        "stories": 3,
    } in figures["cells"]
    assert len(figures["cells"]) == 10


def test_the_weekly_csv_has_a_row_per_cell_of_the_filters(client: TestClient) -> None:
    params = {"weeks": 4, "harm": "child_safety", "country": "au", **AS_OF}
    assert csv_rows(client.get("/api/figures/weekly.csv", params=params)) == [
        list(WEEKLY_COLUMNS),
        ["2025-W24", "2025-06-09", "child_safety", "AU", "1"],
        ["2025-W26", "2025-06-23", "child_safety", "AU", "3"],
        ["2025-W27", "2025-06-30", "child_safety", "AU", "1"],
    ]
    json_cells = client.get("/api/figures/weekly", params=params).json()["cells"]
    assert [cell["stories"] for cell in json_cells] == [1, 3, 1]


def test_csv_cells_a_spreadsheet_would_run_are_text(client: TestClient) -> None:
    weekly = csv_rows(client.get("/api/figures/weekly.csv", params={"weeks": 52, "country": FORMULA_PLACE, **AS_OF}))
    assert [row[3] for row in weekly[1:]] == ["'" + FORMULA_PLACE]
    coverage = csv_rows(client.get("/api/figures/coverage.csv"))
    assert coverage[0] == list(COVERAGE_COLUMNS)
    (hostile,) = [row for row in coverage if row[0] == "kr-hostile"]
    assert hostile[1] == "'" + HOSTILE_SOURCE_NAME and hostile[7] == "blocked (HTTP 403)"
    # JSON is data, not a spreadsheet: the name as it is.
    sources = client.get("/api/figures/coverage").json()["sources"]
    assert [source["name"] for source in sources if source["id"] == "kr-hostile"] == [HOSTILE_SOURCE_NAME]


def test_emerging_topics_are_the_days_surges_with_their_items(client: TestClient) -> None:
    answer = client.get("/api/figures/emerging", params=AS_OF).json()
    assert answer["day"] == "2025-06-30"
    (topic,) = answer["topics"]
    assert (topic["harm_area"], topic["jurisdiction"], topic["count"]) == ("ai_synthetic_media", "KR", 4)
    assert topic["z"] >= 3 and topic["baseline_mean"] == pytest.approx(1 / 28, abs=1e-4)
    assert topic["item_ids"] == ["kr-deepfake-3", "kr-deepfake-2", "kr-deepfake-1", "kr-deepfake-0"]
    newest = topic["items"][0]
    assert (newest["id"], newest["title"], newest["published"]) == ("kr-deepfake-3", HOSTILE_TITLE, "2025-06-30")
    assert len(topic["items"]) == 4

    rows = csv_rows(client.get("/api/figures/emerging.csv", params=AS_OF))
    assert rows[0] == list(EMERGING_COLUMNS)
    assert rows[1][:4] == ["2025-06-30", "ai_synthetic_media", "KR", "4"]
    assert rows[1][7] == "kr-deepfake-3;kr-deepfake-2;kr-deepfake-1;kr-deepfake-0"
    assert client.get("/api/figures/emerging", params={"as_of": "2025-06-29"}).json()["topics"] == []
    assert client.get("/api/figures/emerging", params={"harm": "child_safety", **AS_OF}).json()["topics"] == []


def test_coverage_counts_the_registrys_enabled_sources_and_their_health(client: TestClient) -> None:
    coverage = client.get("/api/figures/coverage").json()
    assert (coverage["sources_total"], coverage["enabled"]) == (3, 2)
    assert coverage["by_jurisdiction"] == {"AU": 1, "KR": 1} and coverage["by_kind"] == {"news": 1, "regulator": 1}
    # eSafety's was never crawled (not flagged); the blocked one is flagged.
    assert (coverage["healthy"], coverage["never_crawled"], coverage["healthy_share"]) == (1, 1, 0.5)
    assert [source["id"] for source in coverage["sources"]] == ["au-esafety", "kr-hostile", "sg-paused"]
    korea = client.get("/api/figures/coverage", params={"country": "kr"}).json()
    assert [source["id"] for source in korea["sources"]] == ["kr-hostile"] and korea["healthy_share"] == 0.0


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"harm": "nonsense"}, "Unknown harm nonsense"),
        ({"as_of": "1999-12-31"}, "as_of must be on or after 2000-01-01"),
        ({"as_of": "30/06/2025"}, "as_of"),
        ({"weeks": 0}, "weeks"),
        ({"weeks": 105}, "weeks"),
    ],
)
def test_bad_filters_are_a_400_saying_what_is_wrong(client: TestClient, params: dict, message: str) -> None:
    for route in ("weekly", "weekly.csv", "emerging", "emerging.csv"):
        answer = client.get(f"/api/figures/{route}", params=params)
        assert answer.status_code == 400 and message in answer.json()["error"], (route, answer.text)


def test_a_day_far_ahead_counts_up_to_now(client: TestClient) -> None:
    answer = client.get("/api/figures/weekly", params={"as_of": "9999-12-31", "weeks": 1})
    assert answer.status_code == 200
    until = dt.datetime.fromisoformat(answer.json()["until"])
    assert abs(until - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=5)


def test_figures_need_a_viewer_once_accounts_exist(
    client_for: Callable[..., TestClient], add_user: Callable[[str, str], str]
) -> None:
    token = add_user("reader", "viewer")
    client = client_for()
    for route in ROUTES:
        assert client.get(f"/api/figures/{route}").status_code == 401
        assert client.get(f"/api/figures/{route}", headers=bearer(token)).status_code == 200
