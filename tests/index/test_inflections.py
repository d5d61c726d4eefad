"""A one-word query's English inflections, in place of a stemmed copy of the index."""

from __future__ import annotations

import pytest

from index.search.inflections import inflections


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("regulations", {"regulation"}),
        ("regulation", {"regulations"}),
        ("registering", {"register", "registered", "registers"}),
        ("banned", {"ban", "bans", "banning"}),
        ("ban", {"bans", "banned", "banning"}),
        ("policies", {"policy"}),
        ("policy", {"policies"}),
        ("taxes", {"tax", "taxed", "taxing"}),
        ("code", {"codes", "coded", "coding"}),
        ("regulated", {"regulate", "regulates", "regulating"}),
        ("applied", {"apply", "applies", "applying"}),
        ("process", {"processes", "processed", "processing"}),
    ],
)
def test_regular_inflections_and_bases_are_found(word: str, expected: set[str]) -> None:
    forms = inflections(word)
    assert forms[0] == word
    assert expected <= set(forms)


@pytest.mark.parametrize("word", ["news", "new", "bus", "status", "thing"])
def test_other_words_that_look_inflected_are_not_reached(word: str) -> None:
    forms = set(inflections(word))
    assert not forms & ({"news", "new"} - {word})
    assert "bu" not in forms and "statu" not in forms and "th" not in forms


@pytest.mark.parametrize("word", ["ai", "eSafety", "深度伪造", "lừa", "covid19", "5g"])
def test_short_mixed_case_or_non_english_words_are_left_alone(word: str) -> None:
    assert inflections(word) == (word,)
