"""The atheris targets (tests/security/coverage_fuzz.py) run on their seeds and on their inputs'
refusals, so that `make fuzz` finds every target working whenever it is run."""

from __future__ import annotations

import pytest

from crawlers.feeds import FeedError, parse_feed
from index.records import QueryError
from index.search.query import parse_query
from tests.security.coverage_fuzz import TARGETS, languages, text_of

URL = "https://regulator.example/feed.xml"


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_each_target_takes_its_seeds_and_nothing(name: str) -> None:
    target = TARGETS[name]
    seeds = target.seeds()
    assert seeds, f"{name} has no seeds"
    for seed in [*seeds, b"", b"\xff"]:
        target.run(seed)


@pytest.mark.parametrize(
    ("name", "refused", "error"),
    [
        ("query", b'"unclosed', QueryError),
        ("query", b"x " * 5_000, QueryError),
        ("feed", b"<html><body>not a feed</body></html>", FeedError),
        ("feed", b"\x00\x01", FeedError),
    ],
)
def test_a_refusal_is_the_inputs_answer_not_a_crash(name: str, refused: bytes, error: type[Exception]) -> None:
    parse = {"query": lambda data: parse_query(text_of(data)), "feed": lambda data: parse_feed(data, URL)}[name]
    with pytest.raises(error):
        parse(refused)
    TARGETS[name].run(refused)


def test_the_dates_seeds_cover_the_languages_they_name() -> None:
    assert {"en", "ja", "th", "id"} <= set(languages())
    assert len(TARGETS["dates"].seeds()) == 4
