"""GET /api/stakeholders and /api/stakeholders/{name}: the gazetteer's bodies and people and the
names found in items beyond it, and a profile of one: the items that name it, its own
publications, the harm areas it is active on, who is named with it, its items per month."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.routes.stakeholders import REFRESH_SECONDS
from radar.engines import open_search_engine, open_store
from radar.settings import Settings
from tests.briefings.figures_data import at, build_data_dir, item, stakeholder_items
from tests.index.search_fixtures import CORPUS, day, make_item

ESAFETY = "eSafety Commissioner"
MORE = (
    make_item(
        "au-cyberbullying",
        stakeholders=(ESAFETY, "Parliament of Australia"),
        harm_areas=("child_safety", "cyberbullying"),
        jurisdictions=("AU",),
        published_at=day(2025, 5, 1),
    ),
    make_item(
        "au-nz-scams",
        stakeholders=(ESAFETY,),
        harm_areas=("scams_fraud",),
        jurisdictions=("AU", "NZ"),
        published_at=day(2024, 12, 1),
    ),
    make_item("kr-police", stakeholders=("National Police Agency",), jurisdictions=("KR",)),
    make_item("apg", stakeholders=("Asia/Pacific Group on Money Laundering",), harm_areas=("scams_fraud",)),
)


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    directory = tmp_path_factory.mktemp("stakeholders") / "data"
    settings = Settings(data_dir=directory, database_url=None, elasticsearch_url=None)
    engine = open_search_engine(settings)
    engine.add((*CORPUS, *MORE))
    engine.commit()
    engine.close()
    return settings


@pytest.fixture(scope="module")
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as client:
        yield client


def names(answer: dict) -> list[str]:
    return [stakeholder["name"] for stakeholder in answer["stakeholders"]]


def test_q_matches_a_name_or_an_alias_in_any_case(client: TestClient) -> None:
    by_alias = client.get("/api/stakeholders", params={"q": "imda"}).json()
    assert "Infocomm Media Development Authority" in names(by_alias)
    by_name = client.get("/api/stakeholders", params={"q": "ESAFETY COMM"}).json()
    assert by_name["count"] == 1
    (found,) = by_name["stakeholders"]
    assert (found["name"], found["kind"], found["jurisdiction"]) == (ESAFETY, "regulator", "AU")
    assert "Office of the eSafety Commissioner" in found["aliases"]
    assert client.get("/api/stakeholders", params={"q": "no such body anywhere"}).json() == {
        "count": 0,
        "stakeholders": [],
    }


def test_filters_by_country_and_kind_and_lists_stakeholders_only(client: TestClient) -> None:
    everyone = client.get("/api/stakeholders").json()
    assert everyone["count"] > 1000 and "Singapore" not in names(everyone)  # a place is not a stakeholder
    police = client.get("/api/stakeholders", params={"country": "in", "kind": "police"}).json()
    assert {stakeholder["kind"] for stakeholder in police["stakeholders"]} == {"police"}
    assert "Delhi Police" in names(police)
    # A name two jurisdictions share is found under either of them.
    (punjab,) = [entry for entry in police["stakeholders"] if entry["name"] == "Punjab Police"]
    assert punjab["jurisdiction"] is None and set(punjab["candidates"]) == {"IN", "PK"}
    both = client.get("/api/stakeholders", params={"country": ["SG", "AU"], "kind": ["regulator", "court"]}).json()
    assert {entry["jurisdiction"] for entry in both["stakeholders"]} == {"SG", "AU"}
    assert {entry["kind"] for entry in both["stakeholders"]} == {"regulator", "court"}


def test_a_profile_counts_the_items_naming_a_stakeholder(client: TestClient) -> None:
    answer = client.get(f"/api/stakeholders/{ESAFETY}", params={"limit": 2})
    assert answer.status_code == 200
    profile = answer.json()
    assert (profile["name"], profile["kind"], profile["jurisdiction"]) == (ESAFETY, "regulator", "AU")
    assert profile["total"] == 3
    assert [item["id"] for item in profile["recent"]] == ["au-cyberbullying", "au-age"]  # newest first
    assert profile["harm_areas"] == {"child_safety": 2, "cyberbullying": 1, "scams_fraud": 1}
    assert profile["jurisdictions"] == {"AU": 3, "NZ": 1}
    assert profile["namesakes"] == []


def test_a_profile_by_alias_in_any_case_and_a_name_holding_a_slash(client: TestClient) -> None:
    assert client.get("/api/stakeholders/esafety").json()["name"] == ESAFETY
    apg = client.get("/api/stakeholders/Asia/Pacific Group on Money Laundering").json()
    assert apg["total"] == 1 and [item["id"] for item in apg["recent"]] == ["apg"]


def test_bodies_sharing_a_name_are_one_profile_with_namesakes(client: TestClient) -> None:
    profile = client.get("/api/stakeholders/National Police Agency").json()
    assert profile["jurisdiction"] == "JP"
    assert [namesake["jurisdiction"] for namesake in profile["namesakes"]] == ["KR", "TW"]
    assert profile["total"] == 1 and profile["jurisdictions"] == {"KR": 1}


def test_an_unknown_name_or_kind_is_an_error_with_a_message(client: TestClient) -> None:
    missing = client.get("/api/stakeholders/Ministry of Silly Walks")
    assert missing.status_code == 404
    assert missing.json()["error"].startswith("No stakeholder named 'Ministry of Silly Walks': /api/stakeholders?q=")
    bad_kind = client.get("/api/stakeholders", params={"kind": "country"})
    assert bad_kind.status_code == 400 and "kind country is not a stakeholder kind" in bad_kind.json()["error"]
    bad_limit = client.get(f"/api/stakeholders/{ESAFETY}", params={"limit": 0})
    assert bad_limit.status_code == 400 and "limit" in bad_limit.json()["error"]


def test_the_gazetteer_is_read_on_first_use_once_per_app(settings: Settings) -> None:
    app = create_app(settings)
    assert getattr(app.state, "stakeholders", None) is None
    with TestClient(app) as client:
        client.get("/api/stakeholders", params={"q": "imda"})
        loaded = app.state.stakeholders
        client.get(f"/api/stakeholders/{ESAFETY}")
        assert app.state.stakeholders is loaded


# The richer profile and the names found in items, over a real store and index (the fixtures above
# hold an index only).


@pytest.fixture(scope="module")
def profile_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    settings = build_data_dir(tmp_path_factory.mktemp("profiles") / "data", stakeholder_items())
    with TestClient(create_app(settings)) as client:
        yield client


def test_a_profile_has_own_publications_who_is_named_with_it_and_a_timeline(profile_client: TestClient) -> None:
    profile = profile_client.get(f"/api/stakeholders/{ESAFETY}", params={"limit": 1}).json()
    assert profile["total"] == 3 and len(profile["recent"]) == 1
    assert profile["harm_areas"] == {"child_safety": 2, "scams_fraud": 1}  # of the items naming it, as before
    assert profile["own_sources"] == [
        {
            "id": "au-esafety",
            "name": "eSafety Commissioner (Australia) – media releases",
            "jurisdiction": "AU",
            "kind": "regulator",
        }
    ]
    assert profile["own_total"] == 1 and [item["id"] for item in profile["own_recent"]] == ["esafety-release"]
    assert profile["active_on"] == {"child_safety": 2, "harassment_bullying": 1, "scams_fraud": 1}
    assert profile["named_with"] == [
        {"name": "Parliament of Australia", "items": 2},
        {"name": "Minister for Communications", "items": 1},
    ]
    assert profile["timeline"] == [
        {"month": "2025-04", "count": 1},
        {"month": "2025-05", "count": 1},
        {"month": "2025-06", "count": 2},
    ]
    assert profile["capped"] is False


def test_names_found_in_items_are_listed_and_profiled_as_unknown(profile_client: TestClient) -> None:
    unknown = profile_client.get("/api/stakeholders", params={"kind": "unknown"}).json()
    assert names(unknown) == ["Digital Harms Forum", "Minister for Communications", "Ministry of Silly Walks"]
    forum = unknown["stakeholders"][0]
    assert (forum["kind"], forum["jurisdiction"], forum["candidates"]) == ("unknown", None, ["NZ", "AU"])
    assert names(profile_client.get("/api/stakeholders", params={"kind": "unknown", "country": "NZ"}).json()) == [
        "Digital Harms Forum"
    ]
    walks = profile_client.get("/api/stakeholders/ministry of silly walks").json()
    assert (walks["name"], walks["kind"], walks["total"]) == ("Ministry of Silly Walks", "unknown", 1)
    assert (
        walks["own_sources"] == []
        and walks["own_recent"] == []
        and walks["timeline"] == [{"month": "2025-06", "count": 1}]
    )


def test_a_name_found_in_new_items_is_listed_once_the_directory_is_a_minute_old(tmp_path: Path) -> None:
    settings = build_data_dir(tmp_path / "data", stakeholder_items())
    app = create_app(settings)
    with TestClient(app) as client:
        assert client.get("/api/stakeholders", params={"q": "Online Harms Tribunal"}).json()["count"] == 0
        store = open_store(settings)
        try:
            store.upsert([item("tribunal", at(1), stakeholders=("Online Harms Tribunal",))])
        finally:
            store.close()
        assert client.get("/api/stakeholders", params={"q": "Online Harms Tribunal"}).json()["count"] == 0  # kept
        app.state.stakeholders_at -= REFRESH_SECONDS + 1  # as if a minute had passed
        (found,) = client.get("/api/stakeholders", params={"q": "Online Harms Tribunal"}).json()["stakeholders"]
        assert (found["kind"], found["jurisdiction"]) == ("unknown", "AU")
