"""The source registry: the shipped one, the minimal entry, and clear errors for bad ones."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from crawlers.registry import DEFAULT_REGISTRY, FAMILIES, REGIONS, RegistryError, load_registry

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = ROOT.parent / "shared" / "reference" / "apac-sources.yaml"
MINIMAL = {
    "id": "example-feed",
    "name": "Example regulator",
    "kind": "regulator",
    "jurisdiction": "SG",
    "language": "en",
    "family": "feed",
    "url": "https://example.org/feed.xml",
}


def write(tmp_path: Path, entries: object) -> Path:
    path = tmp_path / "sources.yaml"
    path.write_text(yaml.safe_dump({"sources": entries}, allow_unicode=True), encoding="utf-8")
    return path


def test_the_shipped_registry_covers_80_sources_in_15_countries() -> None:
    sources = load_registry()
    enabled = [source for source in sources if source.enabled]
    countries = {source.jurisdiction for source in enabled} - REGIONS
    assert len(enabled) >= 80
    assert len(countries) >= 15
    assert {source.family for source in enabled} >= {"feed", "listing", "search_feed"}
    assert {"GLOBAL", "APAC"} <= {source.jurisdiction for source in enabled}  # regional and global NGOs and news
    assert all(source.url.startswith(("http://", "https://")) for source in sources)
    by_id = {source.id: source for source in sources}
    assert by_id["jp-mic-soumu"].parameters["encoding"] == "shift-jis"  # from the crawl notes
    assert by_id["au-esafety"].blocks_datacenters


@pytest.mark.skipif(not REFERENCE.exists(), reason=f"the reference list is not at {REFERENCE}")
def test_the_shipped_registry_is_what_the_build_script_makes(tmp_path: Path) -> None:
    built = tmp_path / "sources.yaml"
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "build_registry.py"), str(REFERENCE), str(built)], check=True
    )
    assert built.read_text(encoding="utf-8") == DEFAULT_REGISTRY.read_text(encoding="utf-8")


def test_the_minimal_entry_works_as_it_is(tmp_path: Path) -> None:
    (source,) = load_registry(write(tmp_path, [MINIMAL]))
    assert (source.id, source.family, source.url, source.enabled) == ("example-feed", "feed", MINIMAL["url"], True)
    assert source.parameters == {"encoding": None}
    (listing,) = load_registry(write(tmp_path, [{**MINIMAL, "family": "listing"}]))
    assert listing.parameters == {"links": "a[href]", "follow": None, "next_page": None, "max_pages": 3}


def test_a_bare_list_is_a_registry_too(tmp_path: Path) -> None:
    path = tmp_path / "list.yaml"
    path.write_text(yaml.safe_dump([MINIMAL]), encoding="utf-8")
    assert [source.id for source in load_registry(path)] == ["example-feed"]


def problems(tmp_path: Path, entries: object) -> list[str]:
    with pytest.raises(RegistryError) as raised:
        load_registry(write(tmp_path, entries))
    return [str(problem) for problem in raised.value.problems]


def test_every_problem_is_reported_with_its_entry_and_field(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        [
            {**MINIMAL, "id": "bad-one", "kind": "blog", "family": "rss", "url": "ftp://example.org/"},
            {**MINIMAL, "id": "bad-two", "jurisdiction": "Singapore", "language": "english", "rhythm_days": 0},
            {**MINIMAL, "id": "bad-three", "family": "listing", "encoding": "utf-8", "follow": "([", "enabled": "yes"},
            {**MINIMAL, "id": "bad-four", "family": "listing", "links": "ul >> a", "next_page": "//a[@class="},
            {key: value for key, value in MINIMAL.items() if key != "url"},
            "just text",
            {**MINIMAL, "id": "bad-five", "encoding": "shift-jsi"},
        ],
    )
    assert "bad-one: kind: 'blog' is not a kind; known: court, industry, intergovernmental, legislature, " in found[1]
    assert any(
        line.startswith("bad-one: family: 'rss' is not a family; known: " + ", ".join(FAMILIES)) for line in found
    )
    assert "bad-one: url: 'ftp://example.org/' is not an http(s) URL" in found
    assert any(line.startswith("bad-two: jurisdiction: 'Singapore': use an ISO 3166-1 alpha-2 code") for line in found)
    assert "bad-two: language: 'english': use an ISO 639-1 code (en, ja, id)" in found
    assert "bad-two: rhythm_days: must be at least 1" in found
    assert "bad-five: encoding: 'shift-jsi' is not an encoding (e.g. shift_jis, cp949, gb18030)" in found
    assert "bad-three: encoding: is not a field of a listing entry (it is one of feed)" in found
    assert any(line.startswith("bad-three: follow: is not a valid regular expression") for line in found)
    assert "bad-three: enabled: must be bool, not 'yes'" in found
    assert any(line.startswith("bad-four: links: is not a valid CSS selector") for line in found)
    assert any(line.startswith("bad-four: next_page: is not a valid XPath selector") for line in found)
    assert "example-feed: url: is required" in found
    assert "#6: -: expected a mapping of fields" in found


def test_ids_are_unique(tmp_path: Path) -> None:
    assert problems(tmp_path, [MINIMAL, MINIMAL]) == ["example-feed: id: is used by an earlier entry too"]


def test_the_crawl_interval_defaults_to_an_hour_and_is_at_least_a_minute(tmp_path: Path) -> None:
    (hourly,) = load_registry(write(tmp_path, [MINIMAL]))
    assert hourly.interval_minutes == 60
    (often,) = load_registry(write(tmp_path, [{**MINIMAL, "interval_minutes": 15}]))
    assert often.interval_minutes == 15
    assert problems(tmp_path, [{**MINIMAL, "interval_minutes": 0}]) == [
        "example-feed: interval_minutes: must be at least 1"
    ]
    assert problems(tmp_path, [{**MINIMAL, "interval_minutes": "hourly"}]) == [
        "example-feed: interval_minutes: must be int, not 'hourly'"
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [("sources: [unclosed", "is not valid YAML"), ("sources: 3", "expected a list of sources")],
)
def test_a_broken_file_says_what_is_wrong(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "sources.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(RegistryError, match=message):
        load_registry(path)
    with pytest.raises(RegistryError, match="cannot be read"):
        load_registry(tmp_path / "missing.yaml")
