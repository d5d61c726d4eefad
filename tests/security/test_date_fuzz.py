"""Dates in any text, in every language the tagger reads: dates or nothing, never an exception,
whatever the publication date they are resolved against; and an ingested item's `published`: a
date, or an ItemError naming the field."""

from __future__ import annotations

import datetime as dt
import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nlp.dates import KINDS, DateExtractor
from nlp.items import EARLIEST_PUBLISHED, LATEST_PUBLISHED, ItemError, ItemIn
from nlp.resources import DEFAULT_DATA_DIR, load_yaml
from tests.security.fuzzing import fuzzed, texts

LANGUAGES = sorted(path.parent.name for path in DEFAULT_DATA_DIR.glob("*/dates.yaml"))
# Numbers and separators dates are written with, in several scripts.
DIGITS = [
    "1", "01", "12", "13", "29", "30", "31", "32", "0", "00", "99", "2025", "1900", "2199", "9999", "0000", "２０２５",
    "１２", "๒๕๖๘", "२०२५", "-", "/", ".", "–", ",", " ", "年", "月", "日", "년", "월", "일", "号",
]  # fmt: skip
PUBLISHED = st.one_of(
    st.none(),
    st.dates(min_value=EARLIEST_PUBLISHED, max_value=LATEST_PUBLISHED),
    st.sampled_from([dt.date.min, dt.date.max, dt.date(1, 1, 31), dt.date(9999, 12, 1)]),  # what no item has
)


@cache
def extractor(lang: str) -> DateExtractor:
    return DateExtractor.load(lang, DEFAULT_DATA_DIR)


def words_of(value: Any) -> list[str]:
    """Every word and phrase in a dates.yaml: its keys and its values (regexes too: odd text)."""
    if isinstance(value, dict):
        return [word for key, item in value.items() for word in (*words_of(key), *words_of(item))]
    if isinstance(value, list):
        return [word for item in value for word in words_of(item)]
    return [value] if isinstance(value, str) and value.strip() else []


@cache
def vocabulary(lang: str) -> tuple[str, ...]:
    return tuple(sorted(set(words_of(load_yaml(Path(DEFAULT_DATA_DIR) / lang / "dates.yaml")))))


@st.composite
def dated_texts(draw: st.DrawFn) -> tuple[str, str]:
    """(language, text): the language's own date words and cues, numbers and arbitrary text, mixed."""
    lang = draw(st.sampled_from(LANGUAGES))
    piece = st.one_of(st.sampled_from(vocabulary(lang)), st.sampled_from(DIGITS), texts(6))
    separator = draw(st.sampled_from(["", " ", "\n"]))
    return lang, separator.join(draw(st.lists(piece, max_size=40)))


@fuzzed(max_examples=300, deadline_ms=500)
@given(case=dated_texts(), published=PUBLISHED)
def test_any_text_in_any_language_gives_dates_or_nothing(case: tuple[str, str], published: dt.date | None) -> None:
    lang, text = case
    mentions = extractor(lang).extract(text, published)
    assert len({mention.date for mention in mentions}) == len(mentions)
    for mention in mentions:
        assert mention.kind in KINDS
        assert text[mention.start : mention.end] == mention.text


def test_relative_dates_from_a_date_no_item_has_are_nothing() -> None:
    # Found by fuzzing: "esok" (tomorrow) from 9999-12-31 raised OverflowError.
    assert extractor("ms").extract("esok", dt.date.max) == []
    assert extractor("en").extract("yesterday", dt.date.min) == []
    assert extractor("en").extract("Submissions close on 1 July 2025.", dt.date.max)[0].date == dt.date(2025, 7, 1)


def long_texts(lang: str) -> list[str]:
    """Texts of 20,000-odd characters that make regexes backtrack if anything does: date words
    and numbers run together, with and without spaces."""
    words = vocabulary(lang)
    return [
        " ".join(words[index % len(words)] + " " + DIGITS[index % len(DIGITS)] for index in range(2000)),
        "".join(words[index % len(words)] + DIGITS[index % len(DIGITS)] for index in range(2000)),
        "1 " * 10_000,
        "12/" * 7000,
        "2025年" * 4000,
        "1-" * 10_000 + "x",
        ("31 " + words[0] + " ") * 2000,
    ]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_long_texts_of_date_words_are_read_quickly(lang: str) -> None:
    for text in long_texts(lang):
        started = dt.datetime.now(dt.UTC)
        extractor(lang).extract(text, dt.date(2025, 10, 29))
        took = dt.datetime.now(dt.UTC) - started
        assert took < dt.timedelta(seconds=2), f"{lang}: {took} for {text[:60]!r}"


# --- ItemIn.from_json: what `radar ingest` and the crawler's items go through -------------------------------------

FIELDS = ("id", "title", "text", "url", "published", "lang", "source", "source_kind")
JSON_SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | texts(30)
ODD_DATES = [
    "2025-02-30", "2025-13-01", "0000-01-01", "+10000-01-01", "２０２５-０１-０１", "2025-1-1", "20250101",
    "2025-W01-1", "2025-001", "2025-01-01T25:00", "\udc80", "2025-01-01\udc80",
]  # fmt: skip
DATE_TEXTS = st.one_of(
    st.dates().map(dt.date.isoformat),
    st.datetimes().map(dt.datetime.isoformat),
    st.sampled_from(ODD_DATES),
    texts(12),
)


@st.composite
def item_objects(draw: st.DrawFn) -> Any:
    """Mostly JSON objects shaped like items, with any values; sometimes any JSON at all."""
    required = {
        "id": st.one_of(texts(10), st.integers(), JSON_SCALARS),
        "title": st.one_of(texts(30), texts(30), JSON_SCALARS),
        "text": st.one_of(texts(60), texts(60), JSON_SCALARS),
    }
    optional = {key: JSON_SCALARS for key in FIELDS if key not in required} | {"published": DATE_TEXTS | JSON_SCALARS}
    shaped = st.fixed_dictionaries(required, optional=optional)
    return draw(st.one_of(shaped, shaped, JSON_SCALARS, st.lists(JSON_SCALARS, max_size=3)))


@fuzzed(max_examples=300)
@given(obj=item_objects())
def test_any_json_is_an_item_or_an_item_error(obj: Any) -> None:
    try:
        item = ItemIn.from_json(obj)
    except ItemError as error:
        assert str(error)
        return
    assert item.published is None or EARLIEST_PUBLISHED <= item.published <= LATEST_PUBLISHED
    for value in (item.id, item.title, item.text, item.url, item.lang, item.source):
        if value is not None:
            value.encode("utf-8")  # text a tokenizer and a database take: no lone surrogate


# Found by fuzzing: each went into the store, then stopped `radar ingest` (and every ingest after
# it, from the outbox) with a traceback from spaCy or tantivy.
@pytest.mark.parametrize(
    ("line", "field"),
    [
        ('{"id": "a", "title": "t", "text": "x", "published": "0001-01-01"}', "published"),
        ('{"id": "a", "title": "t", "text": "x", "published": "9999-12-31"}', "published"),
        ('{"id": "a", "title": "Scam \\ud800", "text": "x"}', "title"),
        ('{"id": "a", "title": "t", "text": "x", "source": "\\udfff"}', "source"),
    ],
)
def test_what_crashed_ingest_is_an_item_error(line: str, field: str) -> None:
    with pytest.raises(ItemError, match=f"field '{field}'"):
        ItemIn.from_json(json.loads(line))
