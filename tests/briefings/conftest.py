"""Fixtures for the briefing tests: the fixed items of tests/briefings/items.py dated from a fixed
day, in a real store and tantivy index built once for the session (the tests only read it), and
what a briefing is written with (the vocabulary's names, the registry, the gazetteer's
stakeholders)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from api.vocabulary import Vocabulary
from briefings.pack import build_briefing
from briefings.records import Briefing
from briefings.request import BriefingRequest, References
from briefings.stakeholders import StakeholderDirectory
from crawlers.registry import load_registry
from index.protocols import SearchEngine, Store
from nlp.resources import load_gazetteer
from radar.engines import open_search_engine, open_store
from tests.briefings.items import build_data_dir, settings_for

NOW = dt.datetime(2026, 11, 26, 9, 0, tzinfo=dt.UTC)  # a Thursday
TODAY = NOW.date()
TRACKER = "https://radar.example.org"


def make_references() -> References:
    vocabulary = Vocabulary.load()
    return References(
        harm_labels=vocabulary.labels["harm_areas"],
        jurisdictions=vocabulary.labels["jurisdictions"],
        sources=load_registry(),
        stakeholders=StakeholderDirectory(load_gazetteer()),
    )


@pytest.fixture(scope="session")
def references() -> References:
    return make_references()


@pytest.fixture(scope="session")
def briefing_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_data_dir(tmp_path_factory.mktemp("briefing") / "data", TODAY)


@pytest.fixture(scope="session")
def opened(briefing_data: Path) -> Iterator[tuple[Store, SearchEngine]]:
    """The session's store and index, open (read only by the tests)."""
    settings = settings_for(briefing_data)
    store, engine = open_store(settings), open_search_engine(settings)
    yield store, engine
    engine.close()
    store.close()


@pytest.fixture(scope="session")
def brief(opened: tuple[Store, SearchEngine], references: References) -> Callable[..., Briefing]:
    """brief(countries=..., harm_areas=..., stakeholder=..., days=..., now=NOW) -> the briefing."""
    store, engine = opened

    def make(now: dt.datetime = NOW, **wanted: object) -> Briefing:
        request = BriefingRequest(**wanted)  # type: ignore[arg-type]
        return build_briefing(store, engine, request, references=references, public_url=TRACKER, now=now)

    return make


@pytest.fixture(scope="session")
def imda_briefing(brief: Callable[..., Briefing]) -> Briefing:
    """The briefing for a meeting with IMDA: AU and SG, child safety and scams, 90 days."""
    return brief(countries=("AU", "SG"), harm_areas=("child_safety", "scams_fraud"), stakeholder="IMDA", days=90)
