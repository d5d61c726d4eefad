"""GET /feeds/search.atom: a search's newest items as an Atom feed, read back with feedparser as a
feed reader would."""

from __future__ import annotations

from collections.abc import Iterator

import feedparser
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.routes import feeds
from radar.engines import open_search_engine
from radar.settings import Settings
from tests.index.search_fixtures import CORPUS, HOSTILE_TEXT, day, make_item

# Control characters XML cannot hold, as crawled text sometimes has them.
CONTROL = make_item(
    "ph-control",
    title="Vertical\x0btab in a title",
    text="A form\x0cfeed in the text about misinformation.",
    jurisdictions=("PH",),
    harm_areas=("misinformation",),
    published_at=day(2023, 6, 1),
)


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    settings = Settings(data_dir=tmp_path_factory.mktemp("feeds") / "data", database_url=None, elasticsearch_url=None)
    engine = open_search_engine(settings)
    engine.add((*CORPUS, CONTROL))
    engine.commit()
    engine.close()
    with TestClient(create_app(settings)) as client:
        yield client


def read(client: TestClient, params: dict | None = None) -> feedparser.FeedParserDict:
    answer = client.get("/feeds/search.atom", params=params)
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/atom+xml"
    parsed = feedparser.parse(answer.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed


def test_entries_link_to_the_source_and_to_the_item_on_the_tracker(client: TestClient) -> None:
    parsed = read(client, {"country": ["au", "SG"]})
    assert parsed.feed.title == "policy-radar: in AU, SG"
    entries = {entry.id: entry for entry in parsed.entries}
    assert set(entries) == {
        "urn:policy-radar:item:au-age",
        "urn:policy-radar:item:sg-age",
        "urn:policy-radar:item:au-scam",
    }
    age = entries["urn:policy-radar:item:au-age"]
    assert age.title == "eSafety registers age assurance codes for social media"
    assert age.link == "https://example.org/au-age"  # the alternate link: the source's page
    (related,) = [link for link in age.links if link.rel == "related"]
    assert related.href == "http://testserver/items/au-age"
    assert age.published_parsed[:3] == (2025, 3, 10) and age.updated_parsed[:3] == (2025, 3, 10)
    assert age.author == "eSafety Commissioner"
    assert {(tag.term, tag.scheme) for tag in age.tags} == {
        ("child_safety", "urn:policy-radar:harm_areas"),
        ("AU", "urn:policy-radar:jurisdictions"),
    }
    assert parsed.feed.updated_parsed[:3] == (2025, 4, 2)  # the newest entry's date


def test_newest_first_whatever_the_sort_and_at_most_fifty(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    parsed = read(client, {"q": "age OR scams OR deepfake", "sort": "relevance", "limit": 1})
    dates = [entry.published_parsed for entry in parsed.entries]
    assert len(dates) >= 3 and dates == sorted(dates, reverse=True)
    assert parsed.feed.title == "policy-radar: “age OR scams OR deepfake”"
    monkeypatch.setattr(feeds, "FEED_ITEMS", 2)
    assert [entry.id for entry in read(client).entries] == [
        "urn:policy-radar:item:vn-scam",
        "urn:policy-radar:item:sg-age",
    ]


def test_the_summary_is_the_snippet_as_plain_text(client: TestClient) -> None:
    (hostile,) = read(client, {"q": "troll farms"}).entries
    assert hostile.summary_detail.type == "text/plain"
    snippet = client.get("/api/search", params={"q": "troll farms"}).json()["items"][0]["snippet"]
    assert "<b>troll</b>" in snippet or "<b>troll farms</b>" in snippet  # the highlight...
    assert hostile.summary.endswith("spread online by troll farms")  # ...is gone,
    assert HOSTILE_TEXT.startswith(hostile.summary)  # and the crawled text's own markup is text


def test_text_xml_cannot_hold_is_dropped_not_a_500(client: TestClient) -> None:
    (entry,) = read(client, {"country": "PH", "since": "2023-05-01", "until": "2023-06-30"}).entries
    assert entry.title == "Verticaltab in a title"


def test_undated_items_are_left_out(client: TestClient) -> None:
    assert client.get("/api/search", params={"country": "IN"}).json()["total"] == 1
    parsed = read(client, {"country": "IN"})
    assert parsed.entries == [] and parsed.feed.title == "policy-radar: in IN"


def test_ids_are_stable_and_the_title_describes_the_search(client: TestClient) -> None:
    params = {"harm": "child_safety", "doc_type": "guidance", "lang": "en", "since": "2025-01-01"}
    first = read(client, params)
    again = read(client, dict(reversed(params.items())))
    assert first.feed.id == again.feed.id and first.feed.id.startswith("http://testserver/feeds/search.atom?")
    assert (
        [entry.id for entry in first.entries]
        == [entry.id for entry in again.entries]
        == ["urn:policy-radar:item:sg-age"]
    )
    assert first.feed.title == "policy-radar: harm child_safety; type guidance; language en; since 2025-01-01"
    assert read(client).feed.title == "policy-radar: every item"


@pytest.mark.parametrize(
    ("params", "message"),
    [({"q": '"unbalanced'}, "Unbalanced quote"), ({"q": "nofield:x"}, "nofield"), ({"until": "soon"}, "until:")],
)
def test_a_bad_search_is_a_400_with_a_message(client: TestClient, params: dict, message: str) -> None:
    answer = client.get("/feeds/search.atom", params=params)
    assert answer.status_code == 400 and message in answer.json()["error"]
