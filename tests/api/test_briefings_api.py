"""GET /api/briefing in each format, the briefing page and the comparison page, in process over
a real store and index of the briefing tests' fixed items, dated from today (the app runs on the
real clock)."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from index.store.accounts import Accounts
from radar.engines import open_store
from tests.api.conftest import bearer, settings_for
from tests.briefings.items import build_data_dir

IMDA = {
    "country": ["AU", "SG"],
    "harm": ["child_safety", "scams_fraud"],
    "stakeholder": "IMDA",
    "days": "90",
}
MEDIA_TYPES = {
    "md": "text/markdown",
    "html": "text/html",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
FIRST_BYTES = {"md": b"# Briefing", "html": b"<!doctype html>", "docx": b"PK\x03\x04", "pdf": b"%PDF"}


@pytest.fixture(scope="module")
def briefing_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_data_dir(tmp_path_factory.mktemp("briefing-api") / "data", dt.datetime.now(dt.UTC).date())


@pytest.fixture
def client(briefing_dir: Path) -> Iterator[TestClient]:
    with TestClient(create_app(settings_for(briefing_dir, public_url="https://radar.example.org"))) as opened:
        yield opened


class Page(HTMLParser):
    """A page's form controls and labels, and anything that would run or style inline."""

    def __init__(self) -> None:
        super().__init__()
        self.controls: list[str] = []
        self.labelled: set[str] = set()
        self.inline: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in ("input", "select", "textarea") and values.get("type") not in ("hidden", "submit"):
            self.controls.append(values.get("id") or f"<{tag} name={values.get('name')} without an id>")
        if tag == "label" and values.get("for"):
            self.labelled.add(values["for"] or "")
        if tag == "script" and not values.get("src"):
            self.inline.append("script")
        self.inline += [f"{tag} {name}" for name, _value in attrs if name == "style" or name.startswith("on")]
        if tag == "a" and values.get("href"):
            self.links.append(values["href"] or "")


def page(html: str) -> Page:
    parsed = Page()
    parsed.feed(html)
    return parsed


def test_the_briefing_as_json_cites_stored_items(client: TestClient) -> None:
    answer = client.get("/api/briefing", params=IMDA)
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/json"
    briefing = answer.json()
    assert briefing["stakeholder"] == "Infocomm Media Development Authority"
    assert briefing["until"] == dt.datetime.now(dt.UTC).date().isoformat()
    numbers = {source["number"] for source in briefing["sources"]}
    assert numbers == set(range(1, len(numbers) + 1)) and len(numbers) >= 15
    cited = {n for statement in briefing["summary"] for n in statement["citations"]}
    cited |= {n for section in briefing["developments"] for each in section["developments"] for n in each["citations"]}
    cited |= {n for key in briefing["upcoming"] for n in key["citations"]}
    cited |= {
        cell["citation"] for table in briefing["neighbours"] for row in table["rows"] for cell in row["cells"] if cell
    }
    assert cited <= numbers
    for source in briefing["sources"]:
        assert source["link"] == f"https://radar.example.org/items/{source['item_id']}"
        assert client.get(f"/api/items/{source['item_id']}").status_code == 200
    assert briefing["neighbours"][0]["stages"] == [
        "legislation", "regulation", "consultation", "guidance", "enforcement"
    ]  # fmt: skip
    own = briefing["stakeholder_section"]["own"]
    assert [each["title"] for each in own] == [
        "IMDA requires app stores to check users' ages",
        "Speech by IMDA chief executive Lew Chuen Hong at the Online Safety Forum",
    ]


@pytest.mark.parametrize("format_name", ["md", "html", "docx", "pdf"])
def test_each_format_downloads_with_its_type_and_a_file_name(client: TestClient, format_name: str) -> None:
    answer = client.get("/api/briefing", params={**IMDA, "format": format_name})
    if answer.status_code == 501:  # the Word or PDF renderer is not installed
        assert format_name in ("docx", "pdf") and "not available" in answer.json()["error"]
        return
    assert answer.status_code == 200, answer.text[:300]
    assert answer.headers["content-type"].startswith(MEDIA_TYPES[format_name])
    today = dt.datetime.now(dt.UTC).date().isoformat()
    expected = f'attachment; filename="briefing-AU-SG-child_safety-scams_fraud-{today}.{format_name}"'
    assert answer.headers["content-disposition"] == expected
    assert answer.content.startswith(FIRST_BYTES[format_name])


def test_a_request_that_cannot_be_briefed_is_a_400_saying_why(client: TestClient) -> None:
    cases = {
        "did you mean child_safety?": {"harm": "child_safty"},
        "countries are codes; did you mean SG?": {"country": "Singapore"},
        "No stakeholder named 'Infocom'": {"stakeholder": "Infocom"},
        "days": {"days": "0"},
        "format": {"format": "rtf"},
    }
    for message, params in cases.items():
        answer = client.get("/api/briefing", params=params)
        assert answer.status_code == 400, params
        assert message in answer.json()["error"], answer.json()


def test_a_name_the_tagger_found_only_in_items_is_a_stakeholder_too(client: TestClient) -> None:
    answer = client.get("/api/briefing", params={"stakeholder": "money mule task force", "days": "30"})
    assert answer.status_code == 200, answer.text
    briefing = answer.json()
    assert briefing["stakeholder"] == "Money Mule Task Force"  # as the items spell it
    people = briefing["stakeholder_section"]
    assert people["own"] == []  # no source of its own in the registry
    assert [each["title"] for each in people["mentioned"]] == [
        "Police freeze 1,200 bank accounts in week-long scam crackdown"
    ]


def test_a_window_with_nothing_in_it_is_still_a_briefing(client: TestClient) -> None:
    answer = client.get("/api/briefing", params={"harm": "gambling", "days": "7", "format": "md"})
    assert answer.status_code == 200 and "Nothing was published in this window." in answer.text


def test_viewers_may_read_the_briefing_and_strangers_may_not(briefing_dir: Path, tmp_path: Path) -> None:
    data_dir = Path(shutil.copytree(briefing_dir, tmp_path / "data"))
    store = open_store(settings_for(data_dir))
    try:
        token = Accounts(store.engine).add("reader", "viewer", dt.datetime.now(dt.UTC))[1]  # type: ignore[attr-defined]
    finally:
        store.close()
    with TestClient(create_app(settings_for(data_dir))) as client:
        assert client.get("/api/briefing", params={"country": "SG"}).status_code == 401
        assert client.get("/api/briefing", params={"country": "SG"}, headers=bearer(token)).status_code == 200


def test_the_page_shows_the_whole_pack_with_its_downloads(client: TestClient) -> None:
    form = client.get("/briefings")
    assert form.status_code == 200 and "Prepare" in form.text and 'id="brief-stakeholder"' in form.text
    assert "<article" not in form.text  # the form alone until asked
    shown = client.get(
        "/briefings", params={"country": "AU, SG", "harm": IMDA["harm"], "stakeholder": "imda", "days": 90}
    )
    assert shown.status_code == 200
    html = shown.text
    for heading in ("1. Summary", "2. Key developments by harm area", "3. Timeline",
                    "4. Open consultations and upcoming dates", "5. Stakeholder: Infocomm Media Development Authority",
                    "6. Neighbouring jurisdictions", "7. Sources"):  # fmt: skip
        assert heading in html, heading
    parsed = page(html)
    assert parsed.inline == []  # the CSP runs no inline script or style
    assert set(parsed.controls) <= parsed.labelled  # every control has its label
    downloads = [link for link in parsed.links if link.startswith("/api/briefing?")]
    assert [re.search(r"format=(\w+)", link).group(1) for link in downloads] == ["md", "html", "docx", "pdf"]  # type: ignore[union-attr]
    for link in downloads[:2]:
        assert client.get(link).status_code == 200
    assert any(link.startswith("/compare?harm=child_safety") for link in parsed.links)
    assert any(link.startswith("/items/item-") for link in parsed.links)  # citations lead to the items' pages


def test_the_page_says_what_is_wrong_with_a_request(client: TestClient) -> None:
    wrong = client.get("/briefings", params={"stakeholder": "eSafty", "prepare": "1"})
    assert wrong.status_code == 400
    assert 'role="alert"' in wrong.text and "did you mean eSafety Commissioner?" in wrong.text
    assert 'value="eSafty"' in wrong.text  # the form keeps what was typed


def test_the_comparison_page_shows_one_harm_area(client: TestClient) -> None:
    assert 'id="compare-harm"' in client.get("/compare").text
    shown = client.get("/compare", params={"harm": "child_safety", "country": "SG"})
    assert shown.status_code == 200
    rows = re.findall(r'<th scope="row">(\w+)</th>', shown.text)
    assert rows[0] == "SG" and set(rows) == {"SG", "AU", "ID", "JP", "MY"}
    assert "Parliament passes the Online Safety (Relief and Accountability) Act" in shown.text
    parsed = page(shown.text)
    assert parsed.inline == [] and set(parsed.controls) <= parsed.labelled
    wrong = client.get("/compare", params={"harm": "scams"})
    assert wrong.status_code == 400 and "did you mean scams_fraud?" in wrong.text
