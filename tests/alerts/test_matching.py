"""Percolation: which subscriptions a batch of items matches, and why."""

from __future__ import annotations

import datetime as dt

import pytest

from alerts.matching import Percolator
from index.search.expansion import Equivalents
from index.store.subscriptions import Subscription
from radar.engines import EQUIVALENTS_FILE
from tests.index.conftest import make_item

MADE = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def equivalents() -> Equivalents:
    return Equivalents.from_file(EQUIVALENTS_FILE)


def subscription(id: int, **fields: object) -> Subscription:
    values: dict[str, object] = {"name": f"s{id}", "channels": ("email:lead@example.org",), "created_at": MADE}
    values.update(fields)
    return Subscription(id=id, **values)  # type: ignore[arg-type]


def matched(subscriptions: list[Subscription], items: list, equivalents: Equivalents) -> set[tuple[int, str]]:
    return {(m.subscription.id, m.item.id) for m in Percolator(subscriptions, equivalents).match(items)}


def test_filters_are_or_within_a_field_and_across_fields(equivalents: Equivalents) -> None:
    items = [
        make_item("au-scam", jurisdictions=("AU",), harm_areas=("scams_fraud",)),
        make_item("my-scam", jurisdictions=("MY",), harm_areas=("scams_fraud",)),
        make_item("my-child", jurisdictions=("MY",), harm_areas=("child_safety",)),
    ]
    subscriptions = [
        subscription(1, jurisdictions=("MY",), harm_areas=("scams_fraud",)),
        subscription(2, jurisdictions=("MY", "AU"), harm_areas=("scams_fraud",)),
        subscription(3, harm_areas=("child_safety",)),
        subscription(4, jurisdictions=("SG",)),
    ]
    assert matched(subscriptions, items, equivalents) == {
        (1, "my-scam"),
        (2, "au-scam"),
        (2, "my-scam"),
        (3, "my-child"),
    }


def test_a_query_matches_what_a_search_would_find(equivalents: Equivalents) -> None:
    items = [
        make_item("a", title="Regulator consults on scam calls", text="The consultation on scams opens today."),
        make_item("b", title="New age assurance rules", text="Platforms must verify ages of users."),
        make_item("c", title="Scam losses fall", text="Banks report fewer losses to scams; no consultation."),
    ]
    subscriptions = [
        subscription(1, query="consultation scams"),  # AND of both words, inflections found
        subscription(2, query='"age assurance"'),
        subscription(3, query="scams NOT consultation"),
        subscription(4, query="verif*"),
    ]
    assert matched(subscriptions, items, equivalents) == {(1, "a"), (1, "c"), (2, "b"), (4, "b")}


def test_each_match_says_which_terms_and_tags_it_matched(equivalents: Equivalents) -> None:
    item = make_item(
        "a",
        title="Consultation on online scams",
        text="The ministry asks the public about scam calls.",
        jurisdictions=("MY",),
        harm_areas=("scams_fraud",),
    )
    found = Percolator(
        [subscription(1, query="consultation OR deepfake", jurisdictions=("my",), harm_areas=("scams_fraud",))],
        equivalents,
    ).match([item])
    assert len(found) == 1
    assert found[0].terms == ("consultation",)
    assert found[0].tags == {"jurisdictions": ("MY",), "harm_areas": ("scams_fraud",)}


def test_a_query_in_english_finds_an_item_in_another_language_as_search_does(equivalents: Equivalents) -> None:
    item = make_item(
        "ja",
        title="年齢確認に関する新たな指針",
        text="総務省は年齢確認の指針を公表した。",
        language="ja",
        jurisdictions=("JP",),
    )
    assert matched([subscription(1, query="age verification")], [item], equivalents) == {(1, "ja")}


def test_items_stored_before_the_subscription_was_made_do_not_match(equivalents: Equivalents) -> None:
    old = make_item("old", fetched_at=MADE - dt.timedelta(seconds=1))
    new = make_item("new", fetched_at=MADE + dt.timedelta(seconds=1))
    assert matched([subscription(1, jurisdictions=("AU",))], [old, new], equivalents) == {(1, "new")}


def test_trend_subscriptions_are_not_matched_item_by_item(equivalents: Equivalents) -> None:
    trend = subscription(1, kind="trend", harm_areas=("age_assurance",))
    assert matched([trend], [make_item("a")], equivalents) == set()


def test_only_candidates_filed_under_the_items_values_are_checked(equivalents: Equivalents) -> None:
    percolator = Percolator(
        [subscription(i, jurisdictions=(code,)) for i, code in enumerate(("AU", "SG", "MY", "JP"), start=1)]
        + [subscription(9, query="scams")],
        equivalents,
    )
    assert set(percolator._anchored) == {("jurisdictions", code) for code in ("AU", "SG", "MY", "JP")}
    assert [prepared.subscription.id for prepared in percolator._unanchored] == [9]
