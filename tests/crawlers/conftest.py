"""Fixtures for the crawler tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from nlp.tagger import Tagger
from tests.crawlers.site import Site


@pytest.fixture
def site(monkeypatch: pytest.MonkeyPatch) -> Iterator[Site]:
    monkeypatch.setenv("RADAR_CRAWL_ALLOW_PRIVATE", "1")
    served = Site()
    yield served
    served.close()


@pytest.fixture(scope="session")
def tagger() -> Tagger:
    return Tagger()
