"""`radar stakeholders [QUERY]` and `radar stakeholders show NAME`, run as a user runs them, on a
data directory holding items in a real store and tantivy index."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.briefings.figures_data import build_data_dir, stakeholder_items
from tests.radar.test_cli import radar


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("stakeholders") / "data"
    build_data_dir(directory, stakeholder_items())
    return directory


@pytest.fixture(autouse=True)
def environment(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The commands read this data directory and the shipped registry, whatever the person running
    the tests has set."""
    for name in ("RADAR_DATABASE_URL", "RADAR_ELASTICSEARCH_URL", "RADAR_SOURCES_FILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("RADAR_DATA_DIR", str(data_dir))


def lines(*args: str) -> list[str]:
    done = radar(*args)
    assert done.returncode == 0, done.stderr.decode()
    return done.stdout.decode().splitlines()


def test_a_query_lists_the_matching_stakeholders_with_kind_place_and_aliases() -> None:
    found = lines("stakeholders", "esafety comm")
    assert found[0].split() == ["name", "kind", "where", "aliases"]
    assert found[1].split()[:4] == ["eSafety", "Commissioner", "regulator", "AU"]
    assert found[1].rstrip().endswith("eSafety, Office of the eSafety Commissioner, eSafety Commission, +8 more")
    assert found[2:] == ["1 stakeholder (0 found in items only, kind unknown)"]
    assert lines("stakeholders", "list", "esafety comm") == found  # the same, as a command


def test_names_found_in_items_are_listed_by_country_and_kind() -> None:
    found = lines("stakeholders", "--country", "AU", "--kind", "unknown")
    rows = [row.split("  ") for row in found[1:-1]]
    assert [(row[0].strip(), *(cell.strip() for cell in row[1:] if cell.strip())) for row in rows] == [
        ("Digital Harms Forum", "unknown", "NZ/AU"),
        ("Minister for Communications", "unknown", "AU"),
        ("Ministry of Silly Walks", "unknown", "AU"),
    ]
    assert found[-1] == "3 stakeholders (3 found in items only, kind unknown)"
    everyone = lines("stakeholders")[-1]
    assert int(everyone.split()[0]) > 1000 and "(3 found in items only" in everyone


def test_show_prints_a_profile() -> None:
    profile = lines("stakeholders", "show", "ESAFETY", "--limit", "1")
    assert profile[:2] == ["eSafety Commissioner", "  regulator, AU"]
    assert "  own source: au-esafety (eSafety Commissioner (Australia) – media releases)" in profile
    at = profile.index("Own publications: 1")
    assert profile[at + 1].split(maxsplit=2) == [
        "2025-05-31",
        "esafety-release",
        "Media release: cyberbullying scheme report",
    ]
    naming = profile.index("Items naming it: 3")
    assert profile[naming + 1].split()[0] == "2025-06-28" and at == naming + 2  # one recent item, as asked
    assert "Active on: child_safety 2, harassment_bullying 1, scams_fraud 1" in profile
    assert "Named with: Parliament of Australia 2, Minister for Communications 1" in profile
    months = profile[profile.index("Items per month:") + 1 :]
    assert [month.split()[:2] for month in months] == [["2025-04", "1"], ["2025-05", "1"], ["2025-06", "2"]]


def test_show_of_a_name_found_in_items_and_of_a_shared_name() -> None:
    walks = lines("stakeholders", "show", "Ministry of Silly Walks")
    assert walks[:2] == ["Ministry of Silly Walks", "  unknown, AU"] and "Items naming it: 1" in walks
    assert not any(line.startswith("Own publications") for line in walks)  # it has no source of its own
    police = lines("stakeholders", "show", "National Police Agency")
    assert police[1] == "  police, JP"
    assert any(line.startswith("  the same name is also: police in KR, police in TW") for line in police)


def test_an_unknown_name_or_kind_is_an_error_saying_what_to_do() -> None:
    missing = radar("stakeholders", "show", "Ministry of Nothing")
    assert missing.returncode == 1
    assert "No stakeholder named 'Ministry of Nothing'" in missing.stderr.decode()
    bad_kind = radar("stakeholders", "--kind", "country")
    assert bad_kind.returncode == 2 and "country is not a kind; use one of" in bad_kind.stderr.decode()
    assert "Traceback" not in missing.stderr.decode() + bad_kind.stderr.decode()
