"""The stakeholder directory (briefings/stakeholders.py) and profiles (briefings/
stakeholder_profile.py): the gazetteer's bodies and the names found in stored items, each body's
own sources in the shipped registry, and a profile read from a real store and tantivy index."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from briefings.stakeholder_profile import build_profile
from briefings.stakeholders import (
    UNKNOWN,
    NamedInItems,
    StakeholderDirectory,
    own_sources,
    read_named_in_items,
    source_names,
)
from crawlers.registry import Source, load_registry
from index.protocols import SearchEngine
from index.store.sql_store import SqlStore
from nlp.resources import load_gazetteer
from radar.engines import open_search_engine, open_store
from radar.settings import Settings
from tests.briefings.figures_data import ESAFETY, at, build_data_dir, item, stakeholder_items


@pytest.fixture(scope="module")
def gazetteer_only() -> StakeholderDirectory:
    return StakeholderDirectory(load_gazetteer())


@pytest.fixture(scope="module")
def registry() -> list[Source]:
    return load_registry()


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return build_data_dir(tmp_path_factory.mktemp("stakeholders") / "data", stakeholder_items())


@pytest.fixture(scope="module")
def opened(settings: Settings) -> Iterator[tuple[SqlStore, SearchEngine]]:
    store, engine = open_store(settings), open_search_engine(settings)
    yield store, engine  # type: ignore[misc]
    engine.close()
    store.close()


def test_the_gazetteer_seeds_the_directory_with_merged_bodies(gazetteer_only: StakeholderDirectory) -> None:
    (esafety,) = gazetteer_only.find("esafety comm")
    assert (esafety.name, esafety.kind, esafety.jurisdiction) == (ESAFETY, "regulator", "AU")
    assert {"eSafety", "电子安全专员", "eSafety 위원회"} <= set(esafety.aliases)  # aliases in several scripts
    assert gazetteer_only.named("ESAFETY") == [esafety]  # by alias, any case
    assert [entry.jurisdiction for entry in gazetteer_only.named("National Police Agency")] == ["JP", "KR", "TW"]
    assert gazetteer_only.find("Singapore", kinds=["country"]) == []  # places are not stakeholders
    assert all(entry.kind != UNKNOWN for entry in gazetteer_only.entries)
    police = gazetteer_only.find(countries=["pk"], kinds=["police"])
    assert "Punjab Police" in {entry.name for entry in police}  # a shared name, under either country


def test_names_found_in_items_join_the_directory_as_unknown(tmp_path: Path) -> None:
    store = SqlStore.open(None, tmp_path / "data")
    try:
        store.upsert(
            [
                *stakeholder_items(),
                item("names-known", at(3), stakeholders=("eSafety", "Singapore", "IMDA")),  # the gazetteer's
            ]
        )
        named = {found.name: found for found in read_named_in_items(store.engine)}
    finally:
        store.close()

    # Case variants are one name, under the spelling most items use.
    assert named["Digital Harms Forum"] == NamedInItems("Digital Harms Forum", 3, Counter({"NZ": 2, "AU": 1}))
    assert named[ESAFETY].items == 3
    directory = StakeholderDirectory(load_gazetteer(), named.values())
    (walks,) = directory.named("ministry of silly walks")
    assert (walks.kind, walks.jurisdiction, walks.candidates, walks.aliases) == (UNKNOWN, "AU", (), ())
    (forum,) = directory.named("Digital Harms Forum")
    assert (forum.jurisdiction, forum.candidates) == (None, ("NZ", "AU"))  # most items first
    unknown_in_au = directory.find(countries=["AU"], kinds=[UNKNOWN])
    assert [entry.name for entry in unknown_in_au] == ["Digital Harms Forum", "Minister for Communications", walks.name]
    # A name the gazetteer holds, under any name or alias of any entity, is not listed again.
    assert [entry.kind for entry in directory.named("eSafety")] == ["regulator"]
    assert directory.find("Singapore", kinds=[UNKNOWN]) == [] and directory.find("IMDA", kinds=[UNKNOWN]) == []


@pytest.mark.parametrize(
    ("name", "jurisdiction", "expected"),
    [
        (ESAFETY, "AU", ["au-esafety"]),  # not gn-au-esafety, a news search about it
        ("Infocomm Media Development Authority", "SG", ["sg-imda"]),
        ("Office of the Privacy Commissioner", "NZ", ["nz-privacy-commissioner"]),  # "... Commissioner NZ"
        ("Ministry of Internal Affairs and Communications", "JP", ["jp-mic-soumu"]),  # (MIC / Soumu)
        ("Internet Watch Foundation", "GB", ["gl-iwf"]),  # a global source names a national body in full
        ("Tech Transparency Project", None, ["gl-ttp"]),
        ("Tehrik-i-Taliban Pakistan", "PK", []),  # ... but its acronym (TTP) does not claim one
        ("Julie Inman Grant", "AU", []),
    ],
)
def test_own_sources_follow_the_stated_rule(
    gazetteer_only: StakeholderDirectory, registry: list[Source], name: str, jurisdiction: str | None, expected: list
) -> None:
    (entry,) = [entry for entry in gazetteer_only.named(name) if entry.jurisdiction == jurisdiction]
    assert [source.id for source in own_sources(entry, registry)] == expected


def test_a_sources_names_are_read_from_its_registry_name(registry: list[Source]) -> None:
    (pdpc,) = [source for source in registry if source.id == "sg-pdpc"]
    full, short = source_names(pdpc)
    assert full == {"personal data protection commission", "personal data protection commission singapore"}
    assert short == {"pdpc"}


def test_a_profile_gathers_mentions_own_publications_and_counts(
    gazetteer_only: StakeholderDirectory, registry: list[Source], opened: tuple[SqlStore, SearchEngine]
) -> None:
    store, engine = opened
    profile = build_profile(gazetteer_only.named("esafety"), engine, store.engine, registry, recent=2)

    assert profile.entry.name == ESAFETY and profile.namesakes == ()
    assert profile.mentions.total == 3
    assert [hit.id for hit in profile.mentions.hits] in (
        ["esafety-age", "esafety-age-copy"],
        ["esafety-age-copy", "esafety-age"],
    )
    assert [source.id for source in profile.own_sources] == ["au-esafety"]
    assert profile.own is not None and [hit.id for hit in profile.own.hits] == ["esafety-release"]
    # Items naming it or published by it, each once: two about child safety (one story, two items).
    assert profile.active_on == {"child_safety": 2, "harassment_bullying": 1, "scams_fraud": 1}
    assert profile.named_with == (("Parliament of Australia", 2), ("Minister for Communications", 1))
    assert profile.timeline == (("2025-04", 1), ("2025-05", 1), ("2025-06", 2))
    assert profile.capped is False


def test_a_profile_of_a_name_found_in_items_and_of_one_with_namesakes(
    gazetteer_only: StakeholderDirectory, registry: list[Source], opened: tuple[SqlStore, SearchEngine]
) -> None:
    store, engine = opened
    directory = StakeholderDirectory(load_gazetteer(), read_named_in_items(store.engine))
    walks = build_profile(directory.named("Ministry of Silly Walks"), engine, store.engine, registry)
    assert walks.entry.kind == UNKNOWN and walks.own is None and walks.own_sources == ()
    assert [hit.id for hit in walks.mentions.hits] == ["silly-walks"]
    assert walks.active_on == {"scams_fraud": 1} and walks.named_with == () and walks.timeline == (("2025-06", 1),)

    police = build_profile(gazetteer_only.named("National Police Agency"), engine, store.engine, registry)
    assert police.entry.jurisdiction == "JP" and [other.jurisdiction for other in police.namesakes] == ["KR", "TW"]
    assert police.mentions.total == 0 and police.timeline == () and police.active_on == {}
    with pytest.raises(ValueError, match="needs an entry"):
        build_profile([], engine, store.engine, registry)
